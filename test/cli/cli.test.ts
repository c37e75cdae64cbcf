import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";

const EXAMPLE = new URL("../../examples/trial.csv", import.meta.url).pathname;

async function run(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => stdin,
  });
  return { code, stdout, stderr };
}

test("help lists the commands; an unknown command is a usage error", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  for (const c of ["analyze", "gee", "glm", "lm", "design samplesize"]) assert.match(help.stdout, new RegExp(c));
  const bad = await run(["frobnicate"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^crtkit: error: unknown command 'frobnicate'/);
  const badOption = await run(["gee", EXAMPLE, "--nonsense"]);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /^crtkit: error: .*--nonsense/);
});

test("gee --format json prints exactly one object with the contract's fields", async () => {
  const r = await run(["gee", EXAMPLE, "--formula", "Y ~ A*M + X1", "--cluster", "cluster", "--corstr", "exchangeable", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const k of ["nObs", "nDropped", "nClusters", "family", "link", "corstr", "alpha", "scale", "se", "coefficients", "converged", "iterations", "diagnostics"]) {
    assert.ok(k in out, k);
  }
  assert.deepEqual(out.coefficients.map((c: { term: string }) => c.term), ["(Intercept)", "A", "M", "X1", "A:M"]);
  assert.equal(out.nDropped, 613);
  assert.ok(out.diagnostics.some((d: { code: string }) => d.code === "dropped-rows"));
});

test("bad input exits 2 naming the column, row or value", async () => {
  const missingOption = await run(["lm", EXAMPLE]);
  assert.equal(missingOption.code, 2);
  assert.match(missingOption.stderr, /missing required option --formula/);
  const unknownColumn = await run(["gee", EXAMPLE, "--formula", "Y ~ Z", "--cluster", "cluster"]);
  assert.equal(unknownColumn.code, 2);
  assert.match(unknownColumn.stderr, /unknown column 'Z'/);
  const csv = "cluster,A,M,Y\n1,1,0,2\n1,1,1,x\n";
  const nonNumeric = await run(["glm", "-", "--formula", "Y ~ A"], csv);
  assert.equal(nonNumeric.code, 2);
  assert.match(nonNumeric.stderr, /column 'Y' row 2 has non-numeric value 'x'/);
  const noFile = await run(["glm", "/nonexistent.csv", "--formula", "Y ~ A"]);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /cannot read data file '\/nonexistent.csv'/);
});

test("analyze refuses a treatment that varies within a cluster", async () => {
  const lines = readFileSync(EXAMPLE, "utf8").split("\n");
  const cells = lines[2].split(",");
  cells[2] = cells[2] === "1" ? "0" : "1";
  lines[2] = cells.join(",");
  const r = await run(["analyze", "-", "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1*A*Y"], lines.join("\n"));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /treatment 'A' varies within cluster '1'/);
});

test("analyze: same seed gives byte-identical JSON; the trace file holds the chain", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-"));
  const args = ["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y",
    "--imputation", "M ~ X1 + A + Y", "--imputation", "M ~ X1*A*Y", "--burnin", "50", "--thin", "10", "--imputations", "5",
    "--seed", "7", "--format", "json"];
  const a = await run([...args, "--trace", join(dir, "trace.csv")]);
  const b = await run(args);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const out = JSON.parse(a.stdout);
  assert.equal(out.data.nClusters, 40);
  assert.equal(out.data.missingByCluster.length, 40);
  assert.deepEqual(out.results.map((r: { method: string }) => r.method), ["cca", "si", "mi", "mmi", "bmmi", "si", "mi", "mmi", "bmmi"]);
  for (const r of out.results) for (const k of ["estimate", "stdError", "df", "statistic", "pValue", "confLow", "confHigh"]) assert.ok(k in r.hte);
  const trace = readFileSync(join(dir, "trace.csv"), "utf8").trim().split("\n");
  assert.equal(trace.length, 1 + 2 * 100);
  // Two imputation models: a leading imputationModel column and the union of their terms.
  assert.equal(trace[0], "imputationModel,chain,iteration,warmup,(Intercept),X1,A,Y,X1:A,X1:Y,A:Y,X1:A:Y,tau");
  assert.match(trace[1], /^M ~ X1 \+ A \+ Y,1,1,1,/);
  assert.match(trace[1].split(",").slice(8, 12).join(","), /^NA,NA,NA,NA$/);
});

test("design samplesize reproduces the book's worked example (cluster size 10)", async () => {
  const r = await run(["design", "samplesize", "--outcome", "continuous", "--delta", "0.5", "--sd", "1", "--cluster-size", "10", "--icc", "0.05", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(Math.abs(out.individualsPerArm - 91.047) < 1e-3);
  assert.equal(out.clustersPerArm, 10);
  const bad = await run(["design", "samplesize", "--outcome", "continuous", "--delta", "0", "--sd", "1", "--cluster-size", "10", "--icc", "0.05"]);
  assert.equal(bad.code, 2);
});

test("--out writes the result to a file and csv holds the main table", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-"));
  const file = join(dir, "out.csv");
  const r = await run(["lm", EXAMPLE, "--formula", "Y ~ A + X1", "--cluster", "cluster", "--format", "csv", "--out", file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
  const lines = readFileSync(file, "utf8").trim().split("\n");
  assert.equal(lines[0], "term,estimate,std.error,statistic,df,p.value,conf.low,conf.high");
  assert.equal(lines.length, 4);
  writeFileSync(file, "");
});

test("simulate: two shards and summarize give the unsharded summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-sim-"));
  const common = ["simulate", "--scenario", "toy", "--reps", "12", "--seed", "5", "--workers", "1", "--param", "bootstrapReps=20"];
  const whole = await run([...common, "--format", "json"]);
  assert.equal(whole.code, 0, whole.stderr);
  for (const shard of ["1/2", "2/2"]) {
    const r = await run([...common, "--shard", shard, "--out", dir, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
  }
  const summarized = await run(["simulate", "summarize", dir, "--format", "json"]);
  assert.equal(summarized.code, 0, summarized.stderr);
  assert.deepEqual(JSON.parse(summarized.stdout).summary, JSON.parse(whole.stdout).summary);
  const row = JSON.parse(whole.stdout).summary[0];
  for (const k of ["scenario", "method", "imputationModel", "estimand", "truth", "nReps", "nFailed", "bias", "biasMcse", "empSe", "empSeMcse", "modelSe", "coverage", "coverageMcse", "rejection", "rejectionMcse", "mse", "mseMcse"]) {
    assert.ok(k in row, k);
  }
});
