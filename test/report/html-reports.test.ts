/**
 * The report builders on hand-made results: the chart specs each report
 * draws (golden files; UPDATE_GOLDEN=1 rewrites them, review the diff), what
 * the tables and headlines say, and the documents they make.
 *
 *   UPDATE_GOLDEN=1 node --conditions=source --import tsx --test test/report/html-reports.test.ts
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { ESS_THRESHOLD, RHAT_THRESHOLD } from "../../src/report/html/analyze-chains.ts";
import { analyzeHtml, primaryResult } from "../../src/report/html/analyze.ts";
import type { AnalyzeJson } from "../../src/report/html/analyze-json.ts";
import { clusterRange, designPowerHtml } from "../../src/report/html/design-power.ts";
import { renderHtmlDocument } from "../../src/report/html/document.ts";
import { missingnessHtml } from "../../src/report/html/missingness.ts";
import { mrsHtml } from "../../src/report/html/mrs.ts";
import { sensitivityHtml } from "../../src/report/html/sensitivity.ts";
import { simulateSummaryHtml } from "../../src/report/html/simulate.ts";
import type { Block, HtmlReport, HtmlTable } from "../../src/report/html/types.ts";
import { toJson } from "../../src/report/json.ts";
import { power } from "../../src/design/power.ts";
import { checkHtmlReport } from "../helpers/html-check.ts";
import {
  ANALYZE_CONTEXT,
  ANALYZE_JSON,
  MISSINGNESS_CONTEXT,
  MISSINGNESS_JSON,
  MRS_CONTEXT,
  MRS_JSON,
  POWER_JSON,
  SENSITIVITY_JSON,
  SIMULATE_CONTEXT,
  SIMULATE_JSON,
  SIMULATED_POWER_JSON,
  TRACES,
} from "./html-inputs.ts";

const blocks = (report: HtmlReport): Block[] => report.sections.flatMap((s) => [...s.blocks]);
const charts = (report: HtmlReport) => blocks(report).flatMap((b) => (b.kind === "chart" ? [b.spec] : []));
const tables = (report: HtmlReport): HtmlTable[] => blocks(report).flatMap((b) => (b.kind === "table" ? [b.table] : []));
const texts = (report: HtmlReport): string => blocks(report).map((b) => (b.kind === "paragraph" ? b.text : b.kind === "references" ? b.items.join("\n") : "")).join("\n");

/** Compares the report's chart specs with test/fixtures/html/NAME.charts.json. */
function goldenCharts(name: string, report: HtmlReport): void {
  const url = new URL(`../fixtures/html/${name}.charts.json`, import.meta.url);
  const actual = `${JSON.stringify(charts(report), null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN) writeFileSync(url, actual);
  assert.equal(actual, readFileSync(url, "utf8"), `${name}: chart specs differ from the golden file (UPDATE_GOLDEN=1 to rewrite, then review the diff)`);
}

const REPORTS: Record<string, () => HtmlReport> = {
  analyze: () => analyzeHtml(ANALYZE_JSON, TRACES, ANALYZE_CONTEXT),
  mrs: () => mrsHtml(MRS_JSON, MRS_CONTEXT),
  "design-power": () => designPowerHtml(POWER_JSON),
  "design-power-simulated": () => designPowerHtml(SIMULATED_POWER_JSON),
  simulate: () => simulateSummaryHtml(SIMULATE_JSON, SIMULATE_CONTEXT),
  missingness: () => missingnessHtml(MISSINGNESS_JSON, MISSINGNESS_CONTEXT),
  sensitivity: () => sensitivityHtml(SENSITIVITY_JSON),
};

const INPUTS: Record<string, object> = {
  analyze: ANALYZE_JSON,
  mrs: MRS_JSON,
  "design-power": POWER_JSON,
  "design-power-simulated": SIMULATED_POWER_JSON,
  simulate: SIMULATE_JSON,
  missingness: MISSINGNESS_JSON,
  sensitivity: SENSITIVITY_JSON,
};

for (const [name, build] of Object.entries(REPORTS)) {
  test(`${name} report: the chart specs match the golden file`, () => goldenCharts(name, build()));
}

test("analyze report: primary estimate, data charts by arm, forest with CCA highlighted, pooling columns", () => {
  const report = REPORTS.analyze();
  assert.equal(report.question, "Does the effect of A on Y differ by M, when M is missing for some participants?");
  assert.match(String(report.headline[0][1]), /^-1\.2 \(95% CI -1\.64 to -0\.76; p = 0\.04\), B-MMI \[M ~ X1 \+ A \+ Y\]$/);
  assert.match(String(report.headline.find(([k]) => k === "Warnings")?.[1]), /^1 warning, no errors$/);
  const specs = charts(report);
  assert.deepEqual(specs.map((s) => s.id), [
    "analyze-cluster-sizes",
    "analyze-missing-by-cluster",
    "analyze-observed-imputed",
    "analyze-forest",
    "analyze-bmmi-1-trace-1",
    "analyze-bmmi-1-density-1",
  ]);
  const missing = specs[1];
  assert.ok(missing.kind === "bars");
  // Sorted by missing share, coloured by arm from the data, the arms in a fixed order.
  assert.deepEqual(missing.bars.map((b) => [b.label, b.group]), [["c", "control (A = 0)"], ["a", "control (A = 0)"], ["d", "treated (A = 1)"], ["b", "treated (A = 1)"]]);
  assert.deepEqual(missing.groups, ["control (A = 0)", "treated (A = 1)"]);
  const forest = specs[3];
  assert.ok(forest.kind === "forest");
  assert.deepEqual(forest.rows.filter((r) => r.highlight).map((r) => [r.label, r.panel]), [["CCA", "HTE (A:M)"], ["CCA", "ATE"]]);
  const [estimates, convergence] = tables(report);
  assert.deepEqual(estimates.columns.slice(-4), ["m", "riv", "λ", "fmi"]);
  assert.deepEqual(estimates.rows[2].slice(-4), [5, 0.25, 0.2, 0.3]);
  assert.deepEqual(estimates.rows[0].slice(-4), ["—", "—", "—", "—"]);
  assert.deepEqual(estimates.highlightedRows, [0, 1]);
  // R̂ to four decimals, so 1.0104 is not shown as "1.01" beside its mark; ESS 80 and the missing values marked too.
  assert.deepEqual(convergence.rows.map((r) => r.slice(1, 3)), [[150, "1.0040"], [80, "1.0104"], [null, null]]);
  assert.deepEqual(convergence.flagged, [[1, 2], [1, 1], [2, 2], [2, 1]]);
  assert.match(String(convergence.caption), new RegExp(`R̂ > ${RHAT_THRESHOLD}, ESS < ${ESS_THRESHOLD}`));
  const words = texts(report);
  for (const ref of ["Rubin DB. Multiple Imputation", "Barnard J, Rubin DB", "Polson NG, Scott JG, Windle J", "Mancl LA, DeRouen TA", "Liang KY, Zeger SL", "Blette BS"]) assert.ok(words.includes(ref), ref);
  assert.match(words, /ν_com = C − 2 = 2 for 4 clusters/);
  assert.match(String(report.librarySnippet), /analyzeMissingModifier\(data, \{\n {2}cluster: "cl",[\s\S]*methods: \["cca", "mi", "bmmi"\],[\s\S]*chains: 2,\n {2}seed: 7,\n\}\);$/);
  assert.match(String(report.librarySnippet), /readFileSync\("trial\.csv", "utf8"\)/);
});

test("analyze report: the primary analysis is B-MMI under the first model, else the first imputation method, else CCA", () => {
  const results = (ANALYZE_JSON as AnalyzeJson).results;
  assert.equal(primaryResult(results)?.result.method, "bmmi");
  assert.equal(primaryResult(results.filter((r) => r.method !== "bmmi"))?.result.method, "mi");
  assert.equal(primaryResult(results.slice(0, 1))?.result.method, "cca");
  assert.match(String(primaryResult(results)?.reason), /Blette et al\. 2023/);
});

test("analyze report without data or chains: no arm colours, no trace plots, still the convergence table", () => {
  const report = analyzeHtml(ANALYZE_JSON, [], { ...ANALYZE_CONTEXT, data: undefined });
  const specs = charts(report);
  assert.ok(specs.every((s) => s.kind !== "bars" || s.bars.every((b) => b.group === undefined)));
  assert.ok(!specs.some((s) => s.id.includes("trace")));
  assert.ok(report.sections.some((s) => s.id === "bmmi-convergence"));
});

test("mrs report: both estimands per working model, reference 0 for differences and 1 for ratios", () => {
  const report = REPORTS.mrs();
  const forest = charts(report)[0];
  assert.ok(forest.kind === "forest");
  assert.deepEqual(forest.rows.map((r) => [r.label, r.group]), [["cluster-average ATE", "working model gee-exch"], ["individual-average ATE", "working model gee-exch"]]);
  assert.equal(forest.reference, 0);
  const ratio = charts(mrsHtml({ ...MRS_JSON, scale: "or" }, MRS_CONTEXT))[0];
  assert.equal(ratio.kind === "forest" && ratio.reference, 1);
  assert.match(String(report.librarySnippet), /probability: \{\n {4}column: "p",\n {2}\},/);
  assert.match(String(report.librarySnippet), /jackknife: 3,/);
  assert.equal(mrsHtml(MRS_JSON, { ...MRS_CONTEXT, options: { ...MRS_CONTEXT.options, "prob-schemes": "s.csv" } }).librarySnippet, undefined);
});

test("design power report: the closed form from k/2 to 2k at ICC/2, ICC and 2·ICC, the design on its curve", () => {
  const spec = charts(REPORTS["design-power"]())[0];
  assert.ok(spec.kind === "lines");
  assert.deepEqual(spec.series.map((s) => s.name), ["ICC 0.05 (design)", "ICC 0.025", "ICC 0.1"]);
  assert.deepEqual(spec.series[0].points.map((p) => p.x), clusterRange(6, false));
  assert.deepEqual(clusterRange(6, false), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(clusterRange(3, true), [2, 3, 4, 5, 6]);
  const at6 = spec.series[0].points.find((p) => p.x === 6)?.y;
  assert.equal(at6, power({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 20, clustersPerArm: 6, icc: 0.05 }).power);
  assert.deepEqual(spec.references, [{ axis: "y", value: 0.8, label: "80% power" }]);
  assert.deepEqual(spec.marked?.map((m) => [m.x, m.label]), [[6, "design: 6 per arm"]]);
  // --simulate: the two-sided closed form with its df, and the simulated power with a ±1.96 MCSE bar.
  const sim = charts(REPORTS["design-power-simulated"]())[0];
  assert.ok(sim.kind === "lines");
  const two = power({ outcome: { type: "binary", p1: 0.3, p2: 0.2 }, clusterSize: 20, clustersPerArm: 6, icc: 0.05, smallSample: true }).powerTwoSided;
  assert.equal(sim.series[0].points.find((p) => p.x === 6)?.y, two);
  assert.deepEqual(sim.series.at(-1)?.points, [{ x: 6, y: 0.55 - 1.96 * 0.05 }, { x: 6, y: 0.55 + 1.96 * 0.05 }]);
  assert.equal(designPowerHtml({ ...SIMULATED_POWER_JSON, inputs: { ...SIMULATED_POWER_JSON.inputs, outcome: { type: "continuous", delta: 0, sd: 1 } } }).sections.length, 3);
});

test("simulate summarize report: a chart per measure, a panel per condition and estimand, MCSE bars", () => {
  const specs = charts(REPORTS.simulate());
  assert.deepEqual(specs.map((s) => s.id), ["simulate-bias", "simulate-coverage", "simulate-se", "simulate-rejection"]);
  for (const s of specs) assert.ok(s.kind === "pointIntervals" && s.mcseMultiplier === 1.96);
  const coverage = specs[1];
  assert.ok(coverage.kind === "pointIntervals");
  assert.deepEqual(coverage.panels.map((p) => [p.title, p.reference]), [
    ["clusters 20, beta3 0: HTE", 0.95],
    ["clusters 20, beta3 0: ATE", 0.95],
    ["clusters 50, beta3 0: HTE", 0.95],
    ["clusters 50, beta3 0: ATE", 0.95],
  ]);
  assert.deepEqual(coverage.panels[0].points.map((p) => p.method), ["cca", "mi [M ~ X1*A*Y]"]);
  const se = specs[2];
  assert.ok(se.kind === "pointIntervals");
  assert.deepEqual(se.panels[0].points.map((p) => [p.series, p.estimate, p.mcse]), [["empirical SE", 0.3, 0.02], ["model SE", 0.28, 0.01], ["empirical SE", 0.3, 0.02], ["model SE", 0.28, 0.01]]);
  const rejection = specs[3];
  assert.ok(rejection.kind === "pointIntervals");
  assert.deepEqual(rejection.panels.map((p) => p.reference), [0.05, undefined, 0.05, undefined]);
  assert.equal(tables(REPORTS.simulate())[0].rows[1][4], "50 (1)");
});

test("simulate summarize report: parameter values to 4 significant digits unless two would look alike", () => {
  const titles = (beta3: readonly number[]) => {
    const summary = beta3.map((b, i) => ({ ...SIMULATE_JSON.summary[i], beta3: b }));
    const spec = charts(simulateSummaryHtml({ ...SIMULATE_JSON, summary }, SIMULATE_CONTEXT))[0];
    return spec.kind === "pointIntervals" ? spec.panels.map((p) => p.title) : [];
  };
  assert.deepEqual(titles([-1.6065306597126334]), ["clusters 20, beta3 -1.607: HTE"]);
  assert.deepEqual(titles([0.10001, 0.1]), ["clusters 20, beta3 0.10001: HTE", "clusters 20, beta3 0.1: HTE"]);
});

test("missingness report: clusters sorted by missing share and coloured by arm; |SMD| above 0.1 marked", () => {
  const report = REPORTS.missingness();
  const chart = charts(report)[0];
  assert.ok(chart.kind === "bars");
  assert.deepEqual(chart.bars.map((b) => [b.label, b.group]), [["c", "control (A = 0)"], ["a", "control (A = 0)"], ["d", "treated (A = 1)"], ["b", "treated (A = 1)"]]);
  const representation = tables(report).find((t) => t.caption === "Representation");
  assert.deepEqual(representation?.flagged, [[1, 3]]);
});

test("sensitivity report: δ-curves per method with bands, tipping points marked where they exist", () => {
  const report = REPORTS.sensitivity();
  const [curves, other] = charts(report);
  assert.ok(curves.kind === "lines");
  assert.deepEqual([...new Set(curves.series.map((s) => s.facet))], ["HTE", "ATE"]);
  assert.deepEqual(curves.series[0].points.map((p) => p.x), [-2, -1, 0, 1, 2]);
  // One imputation model: the labels name the methods; two tipping points at one δ share a label.
  assert.deepEqual(curves.marked?.map((m) => [m.facet, m.x, m.label]), [
    ["HTE", 2, "MI, B-MMI: tipping δ = 2"],
    ["ATE", 0, "MI: tipping δ = 0"],
  ]);
  assert.ok(other.kind === "forest");
  assert.deepEqual([...new Set(other.rows.map((r) => r.label))], ["exclude: 0.4", "tau-prior: gamma(1,1)"]);
  assert.equal(tables(report)[0].rows[3][2], "none in the range");
});

test("every report makes a self-contained document with its JSON embedded byte for byte", () => {
  for (const [name, build] of Object.entries(REPORTS)) {
    const resultJson = toJson(INPUTS[name]);
    const html = renderHtmlDocument(build(), {
      resultJson,
      commandLine: "crtkit x \\\n  --y 'a b'",
      reproduceCommand: "crtkit x --format json",
      crtkitVersion: "0.1.0",
      nodeVersion: "v20.0.0",
      inputSha256: null,
      seed: null,
      time: "2025-01-01T00:00:00.000Z",
    });
    const check = checkHtmlReport(html, charts(build()).map((s) => s.id));
    assert.equal(check.resultJson, resultJson, name);
    assert.match(html, /2025-01-01T00:00:00\.000Z/);
    assert.doesNotMatch(html, /a message with <\/script>/, "text is escaped");
  }
});
