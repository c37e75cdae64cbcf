/**
 * The model-robust standardization simulation scenarios (Li et al. 2025, §4):
 * data-generating mechanisms, true values and analysis rows. The slow
 * calibration (Tables 1 and 5) is in docs/validation, not here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { numericColumn } from "../../src/data/dataset.ts";
import { createRng } from "../../src/random/index.ts";
import { expandConditions, runSimulation } from "../../src/simulate/index.ts";
import {
  clusterSizeRange,
  mrsContinuousScenario,
  mrsIcsTestScenario,
  mrsScenarios,
  mrsTruth,
  simulateMrsTrial,
} from "../../src/simulate/scenarios/mrs.ts";

test("scenario names and methods", () => {
  assert.deepEqual(
    mrsScenarios.map((s) => s.name),
    ["mrs-continuous", "mrs-continuous-ics", "mrs-binary", "mrs-binary-ics", "mrs-ics-test"],
  );
  assert.equal(mrsContinuousScenario.methods.length, 16);
  assert.ok(mrsContinuousScenario.methods.some((m) => m.name === "gee-exch-unadj-coef"));
  assert.deepEqual(mrsIcsTestScenario.methods.map((m) => m.name), ["lm-adj-mrs", "lmm-adj-mrs", "gee-exch-adj-mrs", "gee-ind-adj-mrs"]);
});

test("simulated trials: m clusters, sizes in range, treatment and cluster covariates constant within clusters", () => {
  for (const mechanism of ["continuous", "continuous-ics", "binary", "binary-ics", "test-continuous", "test-binary"] as const) {
    const data = simulateMrsTrial({ mechanism, clusters: 30, delta: 0.5 }, createRng(3, 1));
    const cluster = numericColumn(data, "cluster");
    const { lo, hi } = clusterSizeRange(30);
    const sizes = new Map<number, number>();
    cluster.forEach((c) => sizes.set(c, (sizes.get(c) ?? 0) + 1));
    assert.equal(sizes.size, 30);
    for (const n of sizes.values()) assert.ok(n >= lo && n <= hi);
    for (const col of ["A", "H1", "H2"]) {
      const v = numericColumn(data, col);
      for (let i = 1; i < v.length; i++) if (cluster[i] === cluster[i - 1]) assert.equal(v[i], v[i - 1], `${mechanism} ${col}`);
    }
    const y = numericColumn(data, "Y");
    if (mechanism.includes("binary")) assert.ok(y.every((v) => v === 0 || v === 1));
  }
  assert.deepEqual(clusterSizeRange(30), { mean: 100, lo: 20, hi: 180 });
  assert.deepEqual(clusterSizeRange(100), { mean: 30, lo: 6, hi: 54 });
});

test("true values reproduce Li et al. (2025)'s (continuous: closed form; binary: super-population)", () => {
  // Closed forms: Table 2 and Table 5 headers (the paper's own values come from 10⁷ simulated clusters).
  const c30 = mrsTruth({ mechanism: "continuous-ics", clusters: 30, delta: 0 });
  const c100 = mrsTruth({ mechanism: "continuous-ics", clusters: 100, delta: 0 });
  assert.ok(Math.abs(c30.clusterAte - 5.92) < 0.005 && Math.abs(c30.individualAte - 8.15) < 0.005);
  assert.ok(Math.abs(c100.clusterAte - 4.48) < 0.005 && Math.abs(c100.individualAte - 6.25) < 0.005);
  const t = mrsTruth({ mechanism: "test-continuous", clusters: 100, delta: 0.1 });
  assert.ok(Math.abs(t.clusterAte - 1.448) < 0.001 && Math.abs(t.individualAte - 1.624) < 0.001);
  assert.equal(mrsTruth({ mechanism: "continuous", clusters: 30, delta: 0 }).clusterAte, -3);
  // Binary (Table 3: 0.65; Table 5, m = 100, δ = 0: 0.863) from a smaller super-population:
  // within 4 Monte Carlo SEs plus the paper's rounding.
  const b = mrsTruth({ mechanism: "binary", clusters: 100, delta: 0 }, 20_000);
  assert.ok(Math.abs(b.clusterAte - 0.65) < 4 * b.mcse + 0.005, `${b.clusterAte} ± ${b.mcse}`);
  const tb = mrsTruth({ mechanism: "test-binary", clusters: 100, delta: 0 }, 20_000);
  assert.ok(Math.abs(tb.clusterAte - 0.863) < 4 * tb.mcse + 0.0005, `${tb.clusterAte} ± ${tb.mcse}`);
  assert.ok(Math.abs(tb.ics) < 4 * tb.mcse);
});

test("analyses return one finite row per estimand; coef rows repeat the coefficient", () => {
  const params = { clusters: 100 };
  const data = mrsContinuousScenario.generate(params, createRng(11, 2));
  for (const method of ["lm-adj-mrs", "lm-adj-coef", "gee-ind-unadj-mrs", "lmm-adj-coef"]) {
    const rows = mrsContinuousScenario.analyse(data, params, { method, imputationModel: "" }, createRng(1));
    assert.deepEqual(rows.map((r) => r.estimand), ["clusterAte", "individualAte"]);
    for (const r of rows) {
      assert.ok(r.converged && Number.isFinite(r.estimate!) && r.stdError! > 0 && r.df === 99, method);
      assert.ok(r.confLow! < r.estimate! && r.estimate! < r.confHigh!);
    }
    if (method.endsWith("coef")) assert.equal(rows[0].estimate, rows[1].estimate);
  }
  const testParams = { outcome: "binary", clusters: 100, delta: 0 };
  const bin = mrsIcsTestScenario.generate(testParams, createRng(12, 2));
  const rows = mrsIcsTestScenario.analyse(bin, testParams, { method: "lm-adj-mrs", imputationModel: "" }, createRng(1));
  assert.deepEqual(rows.map((r) => r.estimand), ["clusterAte", "individualAte", "ics"]);
  const ics = rows[2];
  assert.ok(Number.isFinite(ics.pValue!) && ics.pValue! > 0 && ics.pValue! <= 1);
  assert.ok(Math.abs(ics.estimate! - (rows[0].estimate! - rows[1].estimate!)) < 1e-12);
});

test("the runner runs an MRS scenario (conditions, truths, summary)", async () => {
  const { conditions } = expandConditions(mrsContinuousScenario, { clusters: 100 });
  assert.equal(conditions.length, 1);
  assert.deepEqual(conditions[0].truth, { clusterAte: -3, individualAte: -3 });
  const res = await runSimulation({ scenario: mrsContinuousScenario, parameters: { clusters: 100 }, reps: 2, seed: 5, workers: 1, methods: ["lm-adj-mrs"] });
  assert.equal(res.summary.length, 2);
  assert.ok(res.summary.every((r) => r.nReps === 2 && r.nFailed === 0));
});
