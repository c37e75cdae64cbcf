/**
 * The report of `crtkit sensitivity`: how HTE and ATE move as the imputed
 * values are shifted by δ away from missing at random (δ-curves with their
 * intervals and the tipping points marked), and the other sensitivity
 * analyses (excluding high-missingness clusters, other priors on τ,
 * stratified imputation) beside each other.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { ForestSpec, LineSeries, LinesSpec, MarkedPoint } from "../charts/types.ts";
import { methodLabel, resultLabel } from "./analyze-json.ts";
import { diagnosticsSection, fmt, value, warningSummary, type EstimateJson } from "./common.ts";
import type { HtmlCell, HtmlReport, HtmlSection } from "./types.ts";

export interface SensitivityAnalysisJson {
  readonly kind: string;
  readonly setting: number | string | null;
  readonly method: string;
  readonly imputationModel: string | null;
  readonly hte: EstimateJson;
  readonly ate: EstimateJson;
  readonly meanImputed?: number | null;
  readonly nClusters?: number;
}

/** The `crtkit sensitivity` JSON result (docs/cli.md, "Missingness diagnostics and sensitivity"). */
export interface SensitivityJson {
  readonly analyses: readonly SensitivityAnalysisJson[];
  readonly tippingPoint: readonly { readonly method: string; readonly imputationModel?: string | null; readonly estimand: string; readonly delta: number | null }[];
  readonly diagnostics: readonly Diagnostic[];
}

const ESTIMANDS = [
  ["hte", "HTE"],
  ["ate", "ATE"],
] as const;

const isDelta = (a: SensitivityAnalysisJson) => a.kind === "delta";
const deltaOf = (a: SensitivityAnalysisJson) => (typeof a.setting === "number" ? a.setting : Number(a.setting));

/** δ-curves: one panel per estimand, one line per method and imputation model, with interval bands. */
export function deltaCurves(json: SensitivityJson): LinesSpec {
  const delta = json.analyses.filter(isDelta);
  const keys = [...new Set(delta.map((a) => resultLabel(a)))];
  const series: LineSeries[] = ESTIMANDS.flatMap(([k, panel]) =>
    keys.map((name) => ({
      name,
      facet: panel,
      points: delta
        .filter((a) => resultLabel(a) === name)
        .map((a) => ({ x: deltaOf(a), y: value(a[k].estimate), low: value(a[k].confLow), high: value(a[k].confHigh) }))
        .sort((p, q) => p.x - q.x),
    })),
  );
  // Tipping points at the same δ in one panel share a label, so labels do not overprint.
  const models = new Set(delta.map((a) => a.imputationModel));
  const name = (a: SensitivityAnalysisJson) => (models.size > 1 ? resultLabel(a) : methodLabel(a.method));
  const points = new Map<string, { x: number; y: number; names: string[]; facet: string }>();
  for (const t of json.tippingPoint) {
    const panel = ESTIMANDS.find(([k]) => k === t.estimand);
    const at = delta.find((a) => a.method === t.method && (t.imputationModel === undefined || a.imputationModel === t.imputationModel) && deltaOf(a) === t.delta);
    if (t.delta === null || !panel || !at) continue;
    const key = `${panel[1]}\u0000${t.delta}`;
    const point = points.get(key) ?? { x: t.delta, y: value(at[panel[0]].estimate), names: [], facet: panel[1] };
    point.names.push(name(at));
    points.set(key, point);
  }
  const marked: MarkedPoint[] = [...points.values()].map((p) => ({ x: p.x, y: p.y, label: `${p.names.join(", ")}: tipping δ = ${fmt(p.x)}`, facet: p.facet }));
  return {
    kind: "lines",
    id: "sensitivity-delta",
    title: "HTE and ATE as the imputed values move away from missing at random",
    series,
    marked,
    references: [
      { axis: "y", value: 0, label: "no effect" },
      { axis: "x", value: 0, label: "MAR" },
    ],
    facets: ESTIMANDS.map(([, p]) => p),
    columns: 1,
    independentY: true,
    markers: true,
    xLabel: "δ (shift of the imputation model for the missing rows)",
    yLabel: "Estimate",
  };
}

/** The other analyses, by kind and setting, beside each other per estimand. */
export function otherAnalysesForest(json: SensitivityJson): ForestSpec | undefined {
  const other = json.analyses.filter((a) => !isDelta(a));
  if (other.length === 0) return undefined;
  return {
    kind: "forest",
    id: "sensitivity-other",
    title: "Other sensitivity analyses",
    rows: other.flatMap((a) =>
      ESTIMANDS.map(([k, panel]) => ({
        label: `${a.kind}: ${a.setting ?? ""}`,
        group: resultLabel(a),
        panel,
        estimate: value(a[k].estimate),
        low: value(a[k].confLow),
        high: value(a[k].confHigh),
      })),
    ),
    reference: 0,
    xLabel: "Estimate",
  };
}

function analysesTable(json: SensitivityJson): HtmlSection {
  const rows: HtmlCell[][] = json.analyses.flatMap((a) =>
    ESTIMANDS.map(([k]) => {
      const e = a[k];
      return [`${a.kind} ${a.setting ?? ""}`.trim(), resultLabel(a), k, e.estimate, e.stdError, e.pValue, e.confLow, e.confHigh, a.meanImputed ?? null, a.nClusters ?? null];
    }),
  );
  return {
    id: "analyses",
    title: "All analyses",
    blocks: [
      {
        kind: "table",
        table: {
          caption: "Every sensitivity analysis (df and statistics in the embedded JSON)",
          columns: ["analysis", "method", "estimand", "estimate", "std.error", "p.value", "conf.low", "conf.high", "meanImputed", "clusters"],
          rows,
        },
      },
    ],
  };
}

export function sensitivityHtml(resultJson: unknown): HtmlReport {
  const json = resultJson as SensitivityJson;
  const curves = deltaCurves(json);
  const other = otherAnalysesForest(json);
  const withModel = json.tippingPoint.some((t) => t.imputationModel);
  const tipping: HtmlCell[][] = json.tippingPoint.map((t) => [t.method, ...(withModel ? [t.imputationModel ?? ""] : []), t.estimand, t.delta === null ? "none in the range" : t.delta]);
  const first = json.tippingPoint.find((t) => t.delta !== null);
  const sections: HtmlSection[] = [
    {
      id: "delta",
      title: "δ-adjusted analyses",
      blocks: [
        {
          kind: "paragraph",
          text:
            "δ shifts the imputation model's linear predictor (the logit, or the mean of a continuous modifier) for the missing rows only; δ = 0 is the missing-at-random analysis. " +
            "The tipping point is the smallest |δ| at which the 95% interval starts to contain 0: how far from missing at random the conclusion survives.",
        },
        { kind: "chart", spec: curves, caption: "Estimates with interval bands per method; marked: tipping points; dashed: no effect and δ = 0." },
        { kind: "table", table: { caption: "Tipping points", columns: ["method", ...(withModel ? ["imputationModel"] : []), "estimand", "δ"], rows: tipping } },
      ],
    },
    ...(other ? [{ id: "other", title: "Other sensitivity analyses", blocks: [{ kind: "chart" as const, spec: other, caption: "Each analysis with its interval; the vertical line marks no effect." }] }] : []),
    analysesTable(json),
    diagnosticsSection(json),
  ];
  return {
    title: "Sensitivity of the treatment-effect heterogeneity to the missing-data assumptions",
    question: "Would the conclusions change if the modifier were missing not at random, or under the other analyses a reviewer may ask for?",
    headline: [
      ["Analyses", json.analyses.length],
      ["First tipping point", first ? `${first.method} ${first.estimand.toUpperCase()}: δ = ${fmt(first.delta)}` : "none in the range of δ"],
      ["Warnings", warningSummary(json)],
    ],
    sections,
  };
}
