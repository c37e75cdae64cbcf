/**
 * The report of `crtkit simulate summarize`: for every performance measure
 * (bias, coverage, empirical vs model SE, rejection) one chart with a panel
 * per condition and estimand, each method's estimate with its Monte Carlo
 * standard error (Morris, White & Crowther 2019), and the full table.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { PointIntervalDatum, PointIntervalPanel, PointIntervalsSpec } from "../charts/types.ts";
import { diagnosticsSection, fmt, value, warningSummary } from "./common.ts";
import { snippet } from "./snippet.ts";
import type { HtmlCell, HtmlReport, HtmlSection, ReportContext } from "./types.ts";

type Measure = number | null;

/** One row of the summary (docs/cli.md, "Simulation studies"); condition parameters are the other fields. */
export interface SimulationRowJson {
  readonly scenario: string;
  readonly method: string;
  readonly imputationModel: string;
  readonly estimand: string;
  readonly truth: Measure;
  readonly nReps: number;
  readonly nFailed: number;
  readonly bias: Measure;
  readonly biasMcse: Measure;
  readonly empSe: Measure;
  readonly empSeMcse?: Measure;
  readonly modelSe: Measure;
  readonly modelSeMcse?: Measure;
  readonly coverage: Measure;
  readonly coverageMcse: Measure;
  readonly rejection: Measure;
  readonly rejectionMcse: Measure;
  readonly mse: Measure;
  readonly mseMcse: Measure;
  readonly [parameter: string]: unknown;
}

export interface SimulationJson {
  readonly summary: readonly SimulationRowJson[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Monte Carlo bars span ±1.96 MCSE: a 95% interval for the measure. */
const MCSE_MULTIPLIER = 1.96;
/** Total height a chart may take so that it fits on a printed page. */
const PAGE_HEIGHT = 880;
const NOMINAL_COVERAGE = 0.95;

/** Fields of a row that are measures or keys, not condition parameters. */
const NOT_PARAMETERS = new Set(["scenario", "method", "imputationModel", "estimand", "truth", "nReps", "nFailed"]);
const isMeasure = (k: string) => /^(bias|empSe|modelSe|relErrorModelSe|coverage|biasElimCoverage|rejection|mse)(Mcse)?$/.test(k);

export function parameterNames(rows: readonly SimulationRowJson[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !NOT_PARAMETERS.has(k) && !isMeasure(k));
}

/** A parameter value for people: 4 significant digits, unless that would make two of its values look alike. */
function valueNamer(rows: readonly SimulationRowJson[], parameter: string): (v: unknown) => string {
  const full = [...new Set(rows.map((r) => String(r[parameter])))];
  const short = (v: unknown) => (typeof v === "number" ? fmt(v) : String(v));
  const distinct = new Set(rows.map((r) => short(r[parameter]))).size === full.length;
  return distinct ? short : String;
}

/** Names conditions "clusters 20, beta3 0", led by the scenario when the study has several. */
function conditionNamer(rows: readonly SimulationRowJson[]): (r: SimulationRowJson) => string {
  const parameters = parameterNames(rows);
  const namers = new Map(parameters.map((p) => [p, valueNamer(rows, p)]));
  const withScenario = new Set(rows.map((r) => r.scenario)).size > 1;
  return (r) => {
    const condition = parameters.filter((p) => r[p] !== undefined && r[p] !== null).map((p) => `${p} ${namers.get(p)?.(r[p])}`);
    return [...(withScenario ? [r.scenario] : []), ...condition].join(", ");
  };
}

const severalScenarios = (rows: readonly SimulationRowJson[]) => new Set(rows.map((r) => r.scenario)).size > 1;

function methodLabel(r: SimulationRowJson): string {
  return r.imputationModel ? `${r.method} [${r.imputationModel}]` : r.method;
}

/** Rows grouped into panels (condition × estimand), in the order of the summary. */
function panelsOf(rows: readonly SimulationRowJson[]): { title: string; rows: SimulationRowJson[] }[] {
  const condition = conditionNamer(rows);
  const panels = new Map<string, SimulationRowJson[]>();
  for (const r of rows) {
    const key = `${condition(r)}: ${r.estimand.toUpperCase()}`;
    panels.set(key, [...(panels.get(key) ?? []), r]);
  }
  return [...panels].map(([title, list]) => ({ title, rows: list }));
}

interface MeasureChart {
  readonly id: string;
  readonly title: string;
  readonly valueLabel: string;
  readonly points: (r: SimulationRowJson) => PointIntervalDatum[];
  readonly reference?: (r: SimulationRowJson) => number | undefined;
  readonly series?: number;
  /** A proportion: one value scale for every panel (read against the same nominal level), bars within [0, 1]. */
  readonly proportion?: boolean;
}

const datum = (r: SimulationRowJson, estimate: Measure, mcse: Measure | undefined, series?: string): PointIntervalDatum => ({
  method: methodLabel(r),
  estimate: value(estimate),
  ...(mcse === undefined || mcse === null ? {} : { mcse }),
  ...(series ? { series } : {}),
});

const MEASURES: readonly MeasureChart[] = [
  { id: "simulate-bias", title: "Bias", valueLabel: "Bias (estimate − truth)", points: (r) => [datum(r, r.bias, r.biasMcse)], reference: () => 0 },
  {
    id: "simulate-coverage",
    title: "Coverage of the confidence intervals",
    valueLabel: "Coverage",
    points: (r) => [datum(r, r.coverage, r.coverageMcse)],
    reference: () => NOMINAL_COVERAGE,
    proportion: true,
  },
  {
    id: "simulate-se",
    title: "Empirical and model-based standard errors",
    valueLabel: "Standard error",
    points: (r) => [datum(r, r.empSe, r.empSeMcse, "empirical SE"), datum(r, r.modelSe, r.modelSeMcse, "model SE")],
    series: 2,
  },
  {
    id: "simulate-rejection",
    title: "Rejection rate (type I error when the truth is 0, else power)",
    valueLabel: "Rejection rate",
    points: (r) => [datum(r, r.rejection, r.rejectionMcse)],
    reference: (r) => (r.truth === 0 ? 0.05 : undefined),
    proportion: true,
  },
];

/** Panels per chart so that a chart stays within a printed page. */
function panelsPerChart(methods: number, series: number, columns: number): number {
  const panelHeight = Math.max(48, methods * 20 * Math.max(1, series * 0.75)) + 60;
  return Math.max(1, Math.floor(PAGE_HEIGHT / panelHeight)) * columns;
}

/** The charts of every measure, split into parts that fit on a page. */
export function simulationCharts(json: SimulationJson): PointIntervalsSpec[] {
  const panels = panelsOf(json.summary);
  const methods = Math.max(1, ...panels.map((p) => p.rows.length));
  const columns = Math.min(2, panels.length);
  return MEASURES.flatMap((m) => {
    const perChart = panelsPerChart(methods, m.series ?? 1, columns);
    const specPanels: PointIntervalPanel[] = panels.map((p) => {
      const reference = m.reference?.(p.rows[0]);
      return { title: p.title, points: p.rows.flatMap(m.points), ...(reference === undefined ? {} : { reference }) };
    });
    const parts = Math.ceil(specPanels.length / perChart);
    return Array.from({ length: parts }, (_, k) => ({
      kind: "pointIntervals" as const,
      id: parts > 1 ? `${m.id}-${k + 1}` : m.id,
      title: parts > 1 ? `${m.title} (${k + 1} of ${parts})` : m.title,
      panels: specPanels.slice(k * perChart, (k + 1) * perChart),
      valueLabel: m.valueLabel,
      mcseMultiplier: MCSE_MULTIPLIER,
      columns,
      ...(m.proportion ? { sharedScale: true, limits: [0, 1] as const } : {}),
    }));
  });
}

/** Estimate and MCSE in one cell: "0.116 (0.073)". */
function withMcse(estimate: Measure, mcse: Measure | undefined): string {
  return mcse === undefined || mcse === null ? fmt(estimate) : `${fmt(estimate)} (${fmt(mcse)})`;
}

function tableSection(json: SimulationJson): HtmlSection {
  const withScenario = severalScenarios(json.summary);
  const condition = conditionNamer(json.summary);
  const keys = (r: SimulationRowJson): HtmlCell[] => [condition(r), methodLabel(r), r.estimand, r.truth, `${r.nReps} (${r.nFailed})`];
  const keyColumns = ["condition", "method", "estimand", "truth", "reps (failed)"];
  const scenarios = [...new Set(json.summary.map((r) => r.scenario))];
  const note = `${withScenario ? "" : `Scenario ${scenarios[0] ?? ""}. `}Each measure with its Monte Carlo standard error in parentheses`;
  return {
    id: "table",
    title: "Performance measures",
    blocks: [
      {
        kind: "table",
        table: {
          caption: `Bias, standard errors and mean squared error. ${note}`,
          columns: [...keyColumns, "bias", "empSe", "modelSe", "mse"],
          rows: json.summary.map((r) => [...keys(r), withMcse(r.bias, r.biasMcse), withMcse(r.empSe, r.empSeMcse), withMcse(r.modelSe, r.modelSeMcse), withMcse(r.mse, r.mseMcse)]),
        },
      },
      {
        kind: "table",
        table: {
          caption: `Coverage and rejection rate. ${note}`,
          columns: [...keyColumns, "coverage", "rejection"],
          rows: json.summary.map((r) => [...keys(r), withMcse(r.coverage, r.coverageMcse), withMcse(r.rejection, r.rejectionMcse)]),
        },
      },
    ],
  };
}

export function simulateSummaryHtml(resultJson: unknown, context: ReportContext): HtmlReport {
  const json = resultJson as SimulationJson;
  const charts = simulationCharts(json);
  const dir = context.positionals[0] ?? "DIR";
  const reps = json.summary.map((r) => r.nReps);
  const failed = json.summary.reduce((n, r) => n + r.nFailed, 0);
  const scenarios = [...new Set(json.summary.map((r) => r.scenario))];
  const byMeasure = (prefix: string) => charts.filter((c) => c.id === prefix || c.id.startsWith(`${prefix}-`)).map((spec) => ({ kind: "chart" as const, spec }));
  const section = (id: string, title: string, text: string): HtmlSection => ({ id, title, blocks: [{ kind: "paragraph", text }, ...byMeasure(`simulate-${id}`)] });
  const bars = `Bars span ±${MCSE_MULTIPLIER} Monte Carlo standard errors (Morris, White & Crowther 2019).`;
  return {
    title: `Simulation study: ${scenarios.join(", ")}`,
    question: "How do the methods perform, condition by condition: bias, coverage, standard errors and rejection rate, each with its Monte Carlo error?",
    headline: [
      ["Directory", dir],
      ["Rows", `${json.summary.length} (method × imputation model × estimand × condition)`],
      ["Replicates used per row", reps.length > 0 ? `${Math.min(...reps)} to ${Math.max(...reps)}` : "none"],
      ["Failed replicates", failed],
      ["Warnings", warningSummary(json)],
    ],
    sections: [
      section("bias", "Bias", `The mean of estimate − truth. ${bars}`),
      section("coverage", "Coverage", `The share of intervals that contain the truth; the line marks the nominal ${NOMINAL_COVERAGE}. ${bars}`),
      section("se", "Standard errors", `The empirical SE (SD of the estimates) against the mean model-based SE: a model SE below the empirical one means intervals too narrow. ${bars}`),
      section("rejection", "Rejection rate", `The share of replicates with p ≤ α: type I error where the truth is 0 (line at 0.05), power otherwise. ${bars}`),
      tableSection(json),
      {
        id: "references",
        title: "References",
        blocks: [
          {
            kind: "references",
            items: ["Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods. Statistics in Medicine 38(11):2074–2102, 2019."],
          },
        ],
      },
      diagnosticsSection(json),
    ],
    librarySnippet: snippet(["summarizeDirectory"], `const result = summarizeDirectory(${JSON.stringify(dir)});`),
  };
}
