/** crtkit analyze with a categorical modifier: detection, JSON and CSV fields, the trace, and the refusals (exit 2). */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { run } from "./run.ts";

const CATEGORICAL = new URL("../../examples/trial-categorical.csv", import.meta.url).pathname;
const BASE = ["analyze", CATEGORICAL, "--cluster", "cluster", "--treatment", "A", "--outcome", "Y", "--modifier", "M", "--imputation", "M ~ X1 + A*Y", "--burnin", "30", "--thin", "3", "--imputations", "3", "--seed", "3", "--workers", "1"];

test("a text modifier is categorical: hteTerms and hteTest in JSON, hte[...] rows in CSV, level:term and tau:level in the trace", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-"));
  const json = await run([...BASE, "--format", "json", "--trace", join(dir, "trace.csv")]);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.data.modifierType, "categorical");
  assert.deepEqual(out.results.map((r: { method: string }) => r.method), ["cca", "si", "mi", "bmmi"]);
  assert.ok(out.diagnostics.some((d: { code: string }) => d.code === "categorical-no-mmi"));
  for (const r of out.results) {
    assert.deepEqual(r.hteTerms.map((t: { term: string }) => t.term), ["A:Mlow", "A:Mmid"]);
    assert.equal(r.hteTest.df1, 2);
  }
  const header = readFileSync(join(dir, "trace.csv"), "utf8").split("\n")[0];
  assert.match(header, /^chain,iteration,warmup,low:\(Intercept\),low:X1,.*,mid:A:Y,tau:low,tau:mid$/);
  const csv = await run([...BASE, "--format", "csv", "--methods", "cca,mi"]);
  assert.equal(csv.code, 0, csv.stderr);
  const estimands = csv.stdout.trim().split("\n").slice(1).map((l) => l.split(",")[2]);
  assert.deepEqual(estimands, ["hte[A:Mlow]", "hte[A:Mmid]", "hte[joint]", "ate", "hte[A:Mlow]", "hte[A:Mmid]", "hte[joint]", "ate"]);
});

test("mmi named for a categorical modifier, --modifier-type binary for a text column and factor(M) with another type exit 2 with the reason", async () => {
  const mmi = await run([...BASE, "--methods", "mmi"]);
  assert.equal(mmi.code, 2);
  assert.match(mmi.stderr, /method mmi: .*categorical modifier \('M'\)/);
  const binary = await run([...BASE, "--modifier-type", "binary"]);
  assert.equal(binary.code, 2);
  assert.match(binary.stderr, /column 'M' row \d+ has non-numeric value '(low|mid|high)'/);
  const factor = await run([...BASE, "--modifier-type", "continuous", "--outcome-model", "Y ~ A*factor(M)"]);
  assert.equal(factor.code, 2);
  assert.match(factor.stderr, /writes 'factor\(M\)'/);
});
