/**
 * The report of `crtkit analyze`: the question, the primary estimate, the
 * data cluster by cluster, every method's HTE and ATE, B-MMI convergence,
 * the methods in words, and the diagnostics.
 *
 * The primary estimate is B-MMI under the first imputation model when B-MMI
 * ran (it imputes from a model of the clustered modifier and carries the
 * uncertainty of that model's parameters), else the first imputation method
 * listed, else complete-case analysis. The report says which and why.
 */
import type { ChainTrace } from "../../missing/bmmi.ts";
import type { ForestRow, ForestSpec } from "../charts/types.ts";
import { clusterArms, dataCharts, dataSection } from "./analyze-data.ts";
import { chainsSection } from "./analyze-chains.ts";
import type { AnalyzeJson, AnalyzeResultJson } from "./analyze-json.ts";
import { methodLabel, methodName, resultLabel } from "./analyze-json.ts";
import { hteEstimands, jointTestSentence } from "./analyze-categorical.ts";
import { analyzeSnippet, methodsSection } from "./analyze-methods.ts";
import { diagnosticsSection, estimateCells, estimateSentence, ESTIMATE_HEADERS, value, warningSummary } from "./common.ts";
import type { HtmlCell, HtmlReport, HtmlSection, HtmlTable, ReportContext } from "./types.ts";

const NO_IMPUTATION = "No imputation";

/** The primary analysis and the sentence that says why it was chosen. */
export function primaryResult(results: readonly AnalyzeResultJson[]): { result: AnalyzeResultJson; reason: string } | undefined {
  const imputed = results.filter((r) => r.imputationModel !== null);
  const firstModel = imputed[0]?.imputationModel;
  const bmmi = results.find((r) => r.method === "bmmi" && r.imputationModel === firstModel);
  if (bmmi) {
    return {
      result: bmmi,
      reason:
        "B-MMI under the first imputation model is the primary analysis: it imputes from a multilevel model of the modifier that respects the clustering " +
        "and carries the uncertainty of that model's parameters into the pooled result (Blette et al. 2023). The other analyses are sensitivity analyses; complete-case analysis is the reference.",
    };
  }
  if (imputed.length > 0) {
    return {
      result: imputed[0],
      reason: `B-MMI did not run, so the primary analysis is the first imputation method listed, ${methodName(imputed[0].method)}; the others are sensitivity analyses.`,
    };
  }
  if (results.length === 0) return undefined;
  if (results.length === 1) return { result: results[0], reason: `Only ${methodName(results[0].method)} ran.` };
  // cca and indicator alone: the first listed (cca, when it ran) is primary, the other a comparison.
  const others = results.slice(1).map((r) => methodName(r.method));
  return { result: results[0], reason: `No imputation method ran, so the primary analysis is ${methodName(results[0].method)}; ${others.join(" and ")} ${others.length > 1 ? "are comparisons" : "is a comparison"}.` };
}

export function forestSpec(json: AnalyzeJson, names: { a: string; m: string }): ForestSpec {
  const rows: ForestRow[] = json.results.flatMap((r) =>
    [...hteEstimands(r, `${names.a}:${names.m}`), { panel: "ATE", estimate: r.ate }].map((e) => ({
      label: methodLabel(r.method),
      group: r.imputationModel ?? NO_IMPUTATION,
      panel: e.panel,
      estimate: value(e.estimate.estimate),
      low: value(e.estimate.confLow),
      high: value(e.estimate.confHigh),
      ...(r.method === "cca" ? { highlight: true } : {}),
    })),
  );
  return {
    kind: "forest",
    id: "analyze-forest",
    title: "Treatment-effect heterogeneity and average effect by method",
    rows,
    reference: 0,
    xLabel: "Estimate",
    digits: 2,
  };
}

function poolingCells(r: AnalyzeResultJson, k: "hte" | "ate" | null): HtmlCell[] {
  const p = k === null ? undefined : r.pooling?.[k];
  return p === undefined ? ["—", "—", "—", "—"] : [p.m, p.riv, p.lambda, p.fmi];
}

/**
 * The tidy table: one row per method, imputation model and estimand; mice's pooling columns when the result has them.
 * A categorical modifier has a row per contrast (the first with hte's pooling) and `hte[joint]`, its joint test's p-value and denominator df.
 */
export function estimatesTable(json: AnalyzeJson): HtmlTable {
  const withPooling = json.results.some((r) => r.pooling !== undefined);
  const rows = json.results.flatMap((r) => {
    const key = [r.method, r.imputationModel ?? ""];
    const hte = hteEstimands(r, "").map((e, j) => [...key, e.key, ...estimateCells(e.estimate), ...(withPooling ? poolingCells(r, j === 0 ? "hte" : null) : [])]);
    const joint = r.hteTest
      ? [[...key, "hte[joint]", "—", "—", r.hteTest.df2, r.hteTest.pValue, "—", "—", ...(withPooling ? poolingCells(r, null) : [])]]
      : [];
    return [...hte, ...joint, [...key, "ate", ...estimateCells(r.ate), ...(withPooling ? poolingCells(r, "ate") : [])]];
  });
  return {
    caption: "Estimates (complete-case rows highlighted)",
    columns: ["method", "imputationModel", "estimand", ...ESTIMATE_HEADERS, ...(withPooling ? ["m", "riv", "λ", "fmi"] : [])],
    rows,
    highlightedRows: rows.flatMap((row, i) => (row[0] === "cca" ? [i] : [])),
  };
}

function resultsSection(json: AnalyzeJson, forest: ForestSpec, level: number): HtmlSection {
  return {
    id: "results",
    title: "Results",
    blocks: [
      {
        kind: "paragraph",
        text: `HTE is the treatment-by-modifier interaction; ATE the average treatment effect. Lines are ${Math.round(level * 100)}% intervals; the highlighted row is complete-case analysis, the reference every imputation method is compared with.`,
      },
      { kind: "chart", spec: forest, caption: "Rows grouped by imputation model; the vertical line marks no effect." },
      { kind: "table", table: estimatesTable(json) },
    ],
  };
}

/** Names of the treatment, outcome and modifier columns (from the options, or generic). */
function columnNames(context: ReportContext): { a: string; y: string; m: string } {
  const name = (key: string, fallback: string) => {
    const v = context.options[key];
    return typeof v === "string" ? v : fallback;
  };
  return { a: name("treatment", "A"), y: name("outcome", "Y"), m: name("modifier", "M") };
}

/** The diagnostics' owners named as people read them: "results[2]" → "MI [M ~ X1]". */
function partLabel(json: AnalyzeJson): (path: string) => string {
  return (path) => {
    const match = /^results\[(\d+)\]$/.exec(path);
    const r = match ? json.results[Number(match[1])] : undefined;
    return r ? resultLabel(r) : path;
  };
}

/**
 * The analyze report from its JSON result (as printed) and the B-MMI chains
 * of the library result (`traces`, not in the JSON).
 */
export function analyzeHtml(resultJson: unknown, traces: readonly ChainTrace[], context: ReportContext): HtmlReport {
  const json = resultJson as AnalyzeJson;
  const names = columnNames(context);
  const level = json.settings?.level ?? 0.95;
  const cluster = context.options.cluster;
  const arms = context.data && typeof cluster === "string" ? clusterArms(context.data, cluster, names.a) : new Map<string, string>();
  const primary = primaryResult(json.results);
  const forest = forestSpec(json, names);
  const chains = chainsSection(json.results, traces, json.settings?.burnin ?? 0, json.settings?.thin ?? 1);
  const headline: [string, HtmlCell][] = primary
    ? [
        ...(primary.result.hteTest ? [[`Primary: HTE by ${names.m} (joint test)`, `${jointTestSentence(primary.result.hteTest)}, ${resultLabel(primary.result)}`] as [string, HtmlCell]] : []),
        ...hteEstimands(primary.result, `${names.a}:${names.m}`).map((e): [string, HtmlCell] => [`Primary: ${e.panel}`, `${estimateSentence(e.estimate, level)}, ${resultLabel(primary.result)}`]),
        ["Primary: ATE", `${estimateSentence(primary.result.ate, level)}, ${resultLabel(primary.result)}`],
      ]
    : [];
  headline.push(
    ["Why this analysis", primary?.reason ?? "No method ran."],
    ["Data", `${json.data.nObs} rows in ${json.data.nClusters} clusters; ${names.m} missing in ${json.data.nMissing}`],
    ["Warnings", warningSummary(json)],
  );
  return {
    title: `Treatment-effect heterogeneity by ${names.m} with a partly missing modifier`,
    question: `Does the effect of ${names.a} on ${names.y} differ by ${names.m}, when ${names.m} is missing for some participants?`,
    headline,
    sections: [
      dataSection(json, dataCharts(json, arms, names.m), names.m),
      resultsSection(json, forest, level),
      ...(chains ? [chains] : []),
      methodsSection(json, names),
      diagnosticsSection(json, partLabel(json)),
    ],
    librarySnippet: analyzeSnippet(context, json.seed),
  };
}
