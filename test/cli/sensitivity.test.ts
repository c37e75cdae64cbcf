/** `crtkit sensitivity`: the contract's JSON, δ = 0 equal to analyze, and bad values named. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const COMMON = [EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1*A*Y", "--methods", "mi,mmi", "--imputations", "4", "--seed", "3", "--format", "json"];

test("sensitivity: δ = 0 rows equal analyze's results; the contract's fields", async () => {
  const s = await run(["sensitivity", ...COMMON, "--delta", "-1,0,1", "--exclude-missing-above", "0.6"]);
  assert.equal(s.code, 0, s.stderr);
  const json = JSON.parse(s.stdout);
  const a = JSON.parse((await run(["analyze", ...COMMON])).stdout);
  for (const r of a.results) {
    const row = json.analyses.find((x: { kind: string; setting: number; method: string }) => x.kind === "delta" && x.setting === 0 && x.method === r.method);
    assert.deepEqual(row.hte, r.hte);
    assert.deepEqual(row.ate, r.ate);
  }
  for (const x of json.analyses) for (const k of ["kind", "setting", "method", "imputationModel", "hte", "ate", "meanImputed", "nClusters"]) assert.ok(k in x, k);
  assert.ok(json.analyses.some((x: { kind: string }) => x.kind === "exclude"));
  assert.equal(json.tippingPoint.length, 4);
  for (const t of json.tippingPoint) assert.ok(t.delta === null || (t.delta >= -1 && t.delta <= 1));
});

test("sensitivity: an unknown τ prior, a threshold leaving too few clusters and a within-cluster stratifier are refused by name", async () => {
  const prior = await run(["sensitivity", ...COMMON, "--delta", "0", "--tau-prior", "cauchy(1)"]);
  assert.equal(prior.code, 2);
  assert.match(prior.stderr, /cauchy\(1\)/);
  const low = await run(["sensitivity", ...COMMON, "--delta", "0", "--exclude-missing-above", "0"]);
  assert.equal(low.code, 2);
  assert.match(low.stderr, /--exclude-missing-above 0 leaves/);
  const strat = await run(["sensitivity", ...COMMON, "--delta", "0", "--stratify-by", "X1"]);
  assert.equal(strat.code, 2);
  assert.match(strat.stderr, /'X1' varies within cluster/);
});

test("sensitivity --trace writes the δ = 0 B-MMI chains, byte for byte those of analyze --trace; without bmmi it is refused", async () => {
  const { mkdtempSync, readFileSync, existsSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "crtkit-strace-"));
  const args = [EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1 + A + Y", "--imputations", "2", "--burnin", "20", "--thin", "5", "--seed", "4", "--format", "json"];
  const s = await run(["sensitivity", ...args, "--methods", "bmmi", "--delta", "0,1", "--trace", join(dir, "s.csv")]);
  assert.equal(s.code, 0, s.stderr);
  const a = await run(["analyze", ...args, "--methods", "bmmi", "--trace", join(dir, "a.csv")]);
  assert.equal(a.code, 0, a.stderr);
  const trace = readFileSync(join(dir, "s.csv"), "utf8");
  assert.equal(trace, readFileSync(join(dir, "a.csv"), "utf8"));
  assert.equal(trace.trim().split("\n").length, 1 + 20 + 2 * 5);
  for (const command of ["sensitivity", "analyze"]) {
    const refused = await run([command, ...args, "--methods", "mi", "--trace", join(dir, `${command}-none.csv`)]);
    assert.equal(refused.code, 2, command);
    assert.match(refused.stderr, /crtkit: error: --trace .*none\.csv: writes the chains of bmmi/);
    assert.ok(!existsSync(join(dir, `${command}-none.csv`)));
  }
});

test("sensitivity --tau-prior takes half-normal(s) on the SD next to gamma(a,b) on the precision, each a B-MMI row named as written", async () => {
  const args = [EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1 + A + Y", "--methods", "bmmi", "--imputations", "2", "--burnin", "20", "--thin", "5", "--seed", "4", "--delta", "0", "--format", "json"];
  const s = await run(["sensitivity", ...args, "--tau-prior", "half-normal(1);gamma(1,1)"]);
  assert.equal(s.code, 0, s.stderr);
  const rows = JSON.parse(s.stdout).analyses.filter((a: { kind: string }) => a.kind === "tau-prior");
  assert.deepEqual(rows.map((r: { setting: string; method: string }) => `${r.method} ${r.setting}`), ["bmmi half-normal(1)", "bmmi gamma(1,1)"]);
  for (const r of rows) assert.ok(Number.isFinite(r.hte.estimate));
  const bad = await run(["sensitivity", ...args, "--tau-prior", "half-normal(0)"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /crtkit: error: .*half-normal\(0\)/);
});
