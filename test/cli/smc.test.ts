/** crtkit analyze --methods smc --substantive …: the JSON contract, the trace file, the HTML report and refused inputs. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const BASE = ["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--burnin", "40", "--thin", "4", "--imputations", "3", "--seed", "5"];
const SMC = [...BASE, "--methods", "cca,smc", "--imputation", "M ~ X1 + X2 + X3", "--substantive", "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)"];

test("analyze --methods smc: the result names its substantive model and the trace file marks its chain", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-smc-"));
  const r = await run([...SMC, "--format", "json", "--trace", join(dir, "trace.csv"), "--report", join(dir, "report.html")]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const smc = out.results.find((x: { method: string }) => x.method === "smc");
  assert.equal(smc.imputationModel, "M ~ X1 + X2 + X3");
  assert.equal(smc.substantiveModel, "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)");
  assert.equal(smc.nImputations, 3);
  assert.equal(smc.convergence.parameters.length, 23);
  for (const k of ["m", "ubar", "b", "t", "df", "riv", "lambda", "fmi"]) assert.ok(k in smc.pooling.hte, k);
  const trace = readFileSync(join(dir, "trace.csv"), "utf8").trim().split("\n");
  assert.equal(trace.length, 1 + 52);
  // The trace layout of docs/cli.md: chain, iteration, warmup, then every parameter of the chain.
  assert.match(trace[0], /^chain,iteration,warmup,\(Intercept\),X1,X2,X3,tau,Y~\(Intercept\),.*,Y~sigma2,Y~tau$/);
  assert.match(trace[1], /^1,1,1,/);
  const html = readFileSync(join(dir, "report.html"), "utf8");
  assert.match(html, /B-MMI and smc convergence/);
  assert.match(html, /smc: modifier model M ~ X1 \+ X2 \+ X3/);
  assert.match(html, /Bartlett JW, Seaman SR, White IR, Carpenter JR/);
});

test("analyze refuses smc without a substantive model, and a modifier model with the outcome (exit 2)", async () => {
  const none = await run([...BASE, "--methods", "smc", "--imputation", "M ~ X1"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /smc needs a substantive model for the outcome, e\.g\. --substantive/);
  const withY = await run([...BASE, "--methods", "smc", "--imputation", "M ~ X1 + Y", "--substantive", "Y ~ A*M + (1 | cluster)"]);
  assert.equal(withY.code, 2);
  assert.match(withY.stderr, /imputation model 'M ~ X1 \+ Y' contains the outcome 'Y'; in smc the substantive model carries 'Y'/);
  const noModifier = await run([...BASE, "--methods", "smc", "--imputation", "M ~ X1", "--substantive", "Y ~ A + X1 + (1 | cluster)"]);
  assert.equal(noModifier.code, 2);
  assert.match(noModifier.stderr, /does not contain the modifier 'M'/);
  const unused = await run([...BASE, "--methods", "cca", "--substantive", "Y ~ A*M + (1 | cluster)"]);
  assert.equal(unused.code, 2);
  assert.match(unused.stderr, /--substantive is the substantive model of the smc method; add smc to --methods/);
});

test("simulate runs smc with its own modifier model and the scenario's substantive model", async () => {
  const r = await run(["simulate", "--scenario", "missing-modifier-1", "--clusters", "8", "--reps", "2", "--methods", "smc",
    "--param", "burnin=20", "--param", "thin=2", "--param", "imputations=2", "--workers", "1", "--seed", "3", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const rows = out.summary.filter((s: { method: string }) => s.method === "smc");
  assert.ok(rows.length > 0);
  for (const s of rows) {
    assert.equal(s.imputationModel, "M ~ X1");
    assert.equal(s.nReps + s.nFailed, 2);
  }
  const bad = await run(["simulate", "--scenario", "missing-modifier-1", "--clusters", "8", "--reps", "1", "--methods", "smc",
    "--substantive", "Y ~ A + (1 | cluster)", "--workers", "1", "--format", "json"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /does not contain the modifier 'M'/);
});

test("analyze --family binomial --methods smc uses the logistic substantive model", async () => {
  const lines = readFileSync(EXAMPLE, "utf8").trim().split("\n");
  const y = lines[0].split(",").indexOf("Y");
  const csv = lines.map((line, i) => (i === 0 ? `${line},Ybin` : `${line},${Number(line.split(",")[y]) > 2 ? 1 : 0}`)).join("\n");
  const r = await run(["analyze", "-", "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Ybin", "--family", "binomial",
    "--methods", "smc", "--imputation", "M ~ X1", "--substantive", "Ybin ~ A*M + X1 + (1 | cluster)", "--burnin", "40", "--thin", "4", "--imputations", "3", "--seed", "2", "--format", "json"], csv);
  assert.equal(r.code, 0, r.stderr);
  const [smc] = JSON.parse(r.stdout).results;
  assert.deepEqual(smc.convergence.parameters.map((p: { name: string }) => p.name).slice(-2), ["Ybin~A:M", "Ybin~tau"]);
  assert.ok(Number.isFinite(smc.hte.estimate) && Number.isFinite(smc.ate.estimate));
});

test("with both B-MMI and smc chains, the trace file says whose each row is", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-smc-"));
  const r = await run([...BASE, "--methods", "bmmi,smc", "--imputation", "M ~ X1", "--substantive", "Y ~ A*M*X1 + (1 | cluster)", "--trace", join(dir, "trace.csv")]);
  assert.equal(r.code, 0, r.stderr);
  const trace = readFileSync(join(dir, "trace.csv"), "utf8").trim().split("\n");
  assert.match(trace[0], /^method,chain,iteration,warmup,\(Intercept\),X1,tau,Y~/);
  assert.equal(trace.filter((line) => line.startsWith("bmmi,")).length, 52);
  assert.equal(trace.filter((line) => line.startsWith("smc,")).length, 52);
  assert.match(trace.find((line) => line.startsWith("bmmi,"))!, /,NA(,NA)*$/);
});
