/** crtkit analyze with a continuous or cluster-level modifier, --modifier-type and --workers. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run } from "./run.ts";

const CONTINUOUS = new URL("../../examples/trial-continuous.csv", import.meta.url).pathname;
const BASE = ["analyze", CONTINUOUS, "--cluster", "cluster", "--treatment", "A", "--outcome", "Y", "--burnin", "30", "--thin", "3", "--imputations", "3", "--seed", "3", "--format", "json"];

test("a continuous modifier is detected, imputed by linear models, and --workers leaves the JSON unchanged", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-"));
  const args = [...BASE, "--modifier", "M", "--imputation", "M ~ X1*A*Y", "--chains", "2"];
  const one = await run([...args, "--workers", "1", "--trace", join(dir, "trace.csv")]);
  const two = await run([...args, "--workers", "2"]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
  const out = JSON.parse(one.stdout);
  assert.deepEqual(out.results.map((r: { method: string }) => r.method), ["cca", "si", "mi", "mmi", "bmmi"]);
  assert.ok(out.diagnostics.some((d: { code: string }) => d.code === "modifier-type"));
  const trace = readFileSync(join(dir, "trace.csv"), "utf8").split("\n");
  assert.equal(trace[0], "chain,iteration,warmup,(Intercept),X1,A,Y,X1:A,X1:Y,A:Y,X1:A:Y,tau,sigma");
});

test("a cluster-level modifier says what each method becomes", async () => {
  const r = await run([...BASE, "--modifier", "G", "--imputation", "G ~ H + A"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.diagnostics.some((d: { code: string }) => d.code === "cluster-level-modifier"));
  const codes = (m: string) => out.results.find((x: { method: string }) => x.method === m).diagnostics.map((d: { code: string }) => d.code);
  assert.ok(codes("mmi").includes("mmi-cluster-level"));
  assert.ok(codes("bmmi").includes("bmmi-cluster-level"));
});

test("--modifier-type binary with a non-0/1 modifier exits 2 naming the column, row, value and count", async () => {
  const r = await run([...BASE, "--modifier", "M", "--imputation", "M ~ X1", "--modifier-type", "binary"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /modifier 'M' must be 0 or 1 for a binary modifier; row 3 has 0\.077573 \(\d+ rows have values other than 0 and 1\)/);
  const bad = await run([...BASE, "--modifier", "M", "--imputation", "M ~ X1", "--modifier-type", "ordinal"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--modifier-type must be one of binary, continuous, categorical; got 'ordinal'/);
});

test("the built command line runs B-MMI chains on worker threads from dist/ with the same output", () => {
  // npm test builds dist/ first; the worker threads then load dist/missing/chain-worker.js, not the sources.
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const args = ["bin/crtkit.js", ...BASE, "--modifier", "S", "--imputation", "S ~ H + A", "--methods", "bmmi", "--chains", "2"];
  const one = execFileSync(process.execPath, [...args, "--workers", "1"], { cwd: root, encoding: "utf8" });
  const two = execFileSync(process.execPath, [...args, "--workers", "2"], { cwd: root, encoding: "utf8" });
  assert.equal(two, one);
  assert.equal(JSON.parse(one).results[0].nImputations, 6);
});
