/** `crtkit analyze --methods indicator`: the contract's JSON fields, its place among the methods, and sensitivity's refusal of it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const ROLES = [EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y"];

test("analyze --methods indicator: a result like cca's, with the contract's fields, and its caveat on stderr", async () => {
  const r = await run(["analyze", ...ROLES, "--methods", "indicator,cca", "--outcome-model", "Y ~ A*M + X1", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.results.map((x: { method: string }) => x.method), ["cca", "indicator"]);
  const ind = json.results[1];
  assert.equal(ind.imputationModel, null);
  assert.equal(ind.nImputations, 0);
  for (const e of [ind.hte, ind.ate]) for (const k of ["estimate", "stdError", "df", "statistic", "pValue", "confLow", "confHigh"]) assert.ok(k in e, k);
  assert.ok(ind.hte.confLow < ind.hte.estimate && ind.hte.estimate < ind.hte.confHigh);
  assert.ok(ind.diagnostics.some((d: { code: string }) => d.code === "indicator-bias"));
  assert.match(r.stderr, /crtkit: warning: .*hte uses only the \d+ rows with M observed/);
});

test("analyze --methods indicator with --se md: t(C − p) with p counting the indicator's two columns", async () => {
  const r = await run(["analyze", ...ROLES, "--methods", "indicator", "--se", "md", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  // Y ~ A*M has 4 coefficients; R and A:R make 6.
  assert.equal(json.results[0].hte.df, json.data.nClusters - 6);
});

test("analyze --methods indicator needs no --imputation; given one, it says it is unused", async () => {
  const bare = await run(["analyze", ...ROLES, "--methods", "indicator", "--format", "json"]);
  assert.equal(bare.code, 0, bare.stderr);
  const noted = await run(["analyze", ...ROLES, "--methods", "indicator", "--imputation", "M ~ X1*A*Y", "--format", "json"]);
  const json = JSON.parse(noted.stdout);
  assert.ok(json.diagnostics.some((d: { code: string; message: string }) => d.code === "imputation-unused" && d.message.includes("M ~ X1*A*Y")));
  assert.deepEqual(json.results, JSON.parse(bare.stdout).results);
});

test("analyze: an unknown method is refused by name, and the list of methods includes indicator", async () => {
  const r = await run(["analyze", ...ROLES, "--methods", "indicatr"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /crtkit: error: .*'indicatr'.*indicator/);
});

test("sensitivity refuses indicator alone, and leaves it out of the δ grid with a note when other methods are named", async () => {
  const alone = await run(["sensitivity", ...ROLES, "--imputation", "M ~ X1*A*Y", "--methods", "indicator", "--delta", "0", "--format", "json"]);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /crtkit: error: .*indicator imputes nothing for δ to shift/);
  const mixed = await run(["sensitivity", ...ROLES, "--imputation", "M ~ X1*A*Y", "--methods", "mi,indicator", "--imputations", "3", "--delta", "0,1", "--seed", "2", "--format", "json"]);
  assert.equal(mixed.code, 0, mixed.stderr);
  const json = JSON.parse(mixed.stdout);
  assert.ok(json.analyses.every((a: { method: string }) => a.method === "mi"));
  assert.ok(json.diagnostics.some((d: { code: string; message: string }) => d.code === "delta-methods-skipped" && d.message.includes("indicator")));
});

test("sensitivity --exclude-missing-above runs indicator too (δ-free, so only there)", async () => {
  const r = await run(["sensitivity", ...ROLES, "--imputation", "M ~ X1*A*Y", "--methods", "mi,indicator", "--imputations", "3", "--delta", "0", "--exclude-missing-above", "0.5", "--seed", "2", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.ok(json.analyses.some((a: { kind: string; method: string }) => a.kind === "exclude" && a.method === "indicator"));
});

test("analyze --report with cca and indicator: indicator is described and cited, cca is primary and indicator a comparison", async () => {
  const { mkdtempSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { primaryResult } = await import("../../src/report/html/analyze.ts");
  const file = join(mkdtempSync(join(tmpdir(), "crtkit-ind-")), "r.html");
  const r = await run(["analyze", ...ROLES, "--methods", "cca,indicator", "--format", "json", "--report", file]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(file, "utf8");
  assert.match(html, /missing-indicator analysis fits the same outcome model/);
  assert.match(html, /Jones MP\. Indicator and stratification methods/);
  const primary = primaryResult(JSON.parse(r.stdout).results)!;
  assert.equal(primary.result.method, "cca");
  assert.match(primary.reason, /missing-indicator analysis is a comparison/);
});
