/**
 * A categorical modifier through every consumer of a result: the table and
 * CSV rows (a row per contrast and the joint test), the JSON fields
 * (hteTerms, hteTest, modifierLevels; absent for a binary modifier), the
 * HTML report (forest panels and table rows per contrast), a cluster-level
 * categorical modifier, and a level that vanishes from a completed data set.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ComputeError } from "../../src/core/errors.ts";
import { readCsv } from "../../src/data/csv.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { fitCategoricalOutcome } from "../../src/missing/categorical/fit.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { analyzeHtml, estimatesTable, forestSpec } from "../../src/report/html/analyze.ts";
import { toJson } from "../../src/report/json.ts";
import { analysisReport } from "../../src/report/missing.ts";

const csv = readFileSync(new URL("../../examples/trial-categorical.csv", import.meta.url), "utf8");
const data = readCsv(csv);
const columns = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const options = { ...columns, imputation: ["M ~ X1*A*Y"], methods: ["cca" as const, "mi" as const], imputations: 5, seed: 3 };

test("tables, CSV rows and JSON carry every contrast and the joint test; a binary result is unchanged in shape", () => {
  const result = analyzeMissingModifier(data, options);
  const report = analysisReport(result);
  const table = report.summary.tables[0];
  const keys = table.rows.map((r) => `${r[0]} ${r[2]}`);
  assert.deepEqual(keys, ["cca hte[A:Mlow]", "cca hte[A:Mmid]", "cca hte[joint]", "cca ate", "mi hte[A:Mlow]", "mi hte[A:Mmid]", "mi hte[joint]", "mi ate"]);
  const joint = table.rows[6];
  const test = result.results[1].hteTest!;
  assert.deepEqual(joint.slice(5, 8), [test.statistic, test.df2, test.pValue]);
  assert.equal(table.rows[0].length, table.columns.length);
  assert.equal(joint.length, table.columns.length);
  const json = JSON.parse(toJson(report.json));
  assert.deepEqual(json.data.modifierLevels, ["high", "low", "mid"]);
  assert.deepEqual(json.settings.hteTerms, ["A:Mlow", "A:Mmid"]);
  assert.equal(json.results[1].hteTest.method, "D1");
  assert.deepEqual(Object.keys(json.results[1].hteTerms[0]), ["term", "estimate", "stdError", "df", "statistic", "pValue", "confLow", "confHigh"]);
  assert.equal(json.results[1].hte.estimate, json.results[1].hteTerms[0].estimate);

  const binary = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
  const plain = JSON.parse(toJson(analysisReport(analyzeMissingModifier(binary, { ...options, methods: ["cca"] })).json));
  assert.equal(plain.results[0].hteTerms, undefined);
  assert.equal(plain.results[0].hteTest, undefined);
  assert.equal(plain.data.modifierLevels, undefined);
  assert.equal(plain.settings.hteTerms, undefined);
});

test("the HTML report has a forest panel and a table row per contrast, and the joint test in its headline", () => {
  const result = analyzeMissingModifier(data, options);
  const json = JSON.parse(toJson(analysisReport(result).json));
  const forest = forestSpec(json, { a: "A", m: "M" });
  assert.deepEqual([...new Set(forest.rows.map((r) => r.panel))], ["HTE (A:Mlow)", "HTE (A:Mmid)", "ATE"]);
  const rows = estimatesTable(json).rows.map((r) => `${r[0]} ${r[2]}`);
  assert.deepEqual(rows.slice(0, 4), ["cca hte[A:Mlow]", "cca hte[A:Mmid]", "cca hte[joint]", "cca ate"]);
  const report = analyzeHtml(json, result.traces, { command: "analyze", options: { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" }, positionals: [] });
  const headline = report.headline.map(([k]) => k);
  assert.ok(headline.includes("Primary: HTE by M (joint test)"));
  assert.ok(headline.includes("Primary: HTE (A:Mmid)"));
});

test("a cluster-level categorical modifier is imputed once per cluster by si, mi and bmmi", () => {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const levelOf = (c: number) => ["east", "north", "west"][c % 3];
  const record = {
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    // Missing in every 4th cluster, observed in the others.
    G: rows.map((r) => (Number(r[0]) % 4 === 0 ? null : levelOf(Number(r[0])))),
    Y: rows.map((r) => Number(r[4])),
  };
  const result = analyzeMissingModifier(datasetFromRecord(record), {
    ...columns,
    modifier: "G",
    imputation: ["G ~ X1 + Y"],
    methods: ["cca", "si", "mi", "bmmi"],
    imputations: 4,
    burnin: 20,
    thin: 2,
    seed: 5,
  });
  assert.equal(result.data.modifierLevel, "cluster");
  assert.equal(result.data.modifierType, "categorical");
  for (const r of result.results) {
    assert.ok(!r.diagnostics.some((d) => d.severity === "error"), `${r.method}: ${JSON.stringify(r.diagnostics)}`);
    assert.deepEqual(r.hteTerms!.map((t) => t.term), ["A:Gnorth", "A:Gwest"]);
  }
  // No random intercept for one value per cluster: the trace has no τ.
  assert.ok(!result.traces[0].parameterNames.some((n) => n.startsWith("tau")));
});

test("a level absent from a completed data set is a computation failure naming the level", () => {
  const prepared = prepareModifierData(data, columns, []);
  const codes = Float64Array.from(prepared.modifier, (v) => (Number.isNaN(v) || v === 2 ? 0 : v));
  assert.throws(() => fitCategoricalOutcome(prepared, codes, "exchangeable"), (e: unknown) => e instanceof ComputeError && /level 'mid'/.test(e.message));
});
