import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { InputError } from "../../src/core/errors.ts";
import { closedFormFor, noncentralTPower } from "../../src/simulate/power-closed-form.ts";
import { designParameters, powerBySimulation, type SimulatedDesign } from "../../src/simulate/power.ts";
import { power } from "../../src/design/power.ts";
import { createRng } from "../../src/random/rng.ts";
import {
  clusterSizeDistribution,
  designPowerHteScenario,
  designPowerScenario,
  simulateDesignTrial,
  type DesignTrial,
} from "../../src/simulate/scenarios/design-power.ts";
import type { AnalysisRow, Parameters } from "../../src/simulate/types.ts";

interface RResult {
  estimate: number;
  stdError: number;
  df: number | null;
  pValue: number;
}
interface RTrial {
  data: { clustersPerArm: number; sizes: number[]; y: number[]; modifier?: (number | null)[] };
  results: Record<string, Record<string, RResult> | number>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/power-simulation.json", import.meta.url), "utf8")) as {
  noncentral: { ncp: number; df: number; alpha: number; power: number }[];
  clusterTDesign: { clustersPerArm: number; clusterSize: number; icc: number; effect: number; sd: number; noncentrality: number; power: number };
  trials: Record<"continuous" | "binary" | "modifier", RTrial>;
};

function relClose(actual: number | null, expected: number, tol: number, what: string): void {
  assert.ok(actual !== null && Number.isFinite(actual), `${what}: got ${actual}`);
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= tol, `${what}: ${actual} vs R ${expected} (relative error ${err.toExponential(2)} > ${tol})`);
}

const DESIGN: SimulatedDesign = { clustersPerArm: 10, clusterSize: 20, icc: 0.05, outcome: { type: "continuous", effect: 0.5, sd: 1 } };

// ---------------------------------------------------------------------------
// Closed forms

test("noncentral-t power by integration agrees with R's pt(q, df, ncp) (abs 1e-9)", () => {
  let worst = 0;
  for (const c of fixture.noncentral) {
    const p = noncentralTPower(c.ncp, c.df, c.alpha);
    worst = Math.max(worst, Math.abs(p - c.power));
    // Numerical integration of a smooth integrand: 1e-9 absolute.
    assert.ok(Math.abs(p - c.power) < 1e-9, `ncp ${c.ncp}, df ${c.df}, alpha ${c.alpha}: ${p} vs R ${c.power}`);
  }
  assert.ok(worst < 1e-9);
  const d = fixture.clusterTDesign;
  const cf = closedFormFor(designParameters(DESIGN).parameters, "cluster-t", "ate");
  assert.ok(Math.abs(cf.exactPower! - d.power) < 1e-9, `exact power ${cf.exactPower} vs R power.t.test ${d.power}`);
  // The closed form with t quantiles is the shifted central t: close to, not equal to, the exact power.
  assert.equal(cf.closedFormPower, power({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 20, clustersPerArm: 10, icc: 0.05, smallSample: true }).powerTwoSided);
  assert.ok(Math.abs(cf.closedFormPower! - d.power) < 0.002);
  assert.throws(() => noncentralTPower(1, 0), InputError);
  assert.throws(() => noncentralTPower(NaN, 5), /noncentrality/);
});

test("closed forms follow the method's reference distribution; α under the null; Yang et al. with a modifier", () => {
  const p = designParameters(DESIGN).parameters;
  const t = closedFormFor(p, "lmm", "ate").closedForm!;
  const z = closedFormFor(p, "gee", "ate").closedForm!;
  assert.equal(t.df, 18);
  assert.equal(z.df, null);
  assert.ok(z.powerTwoSided > t.powerTwoSided);
  assert.equal(closedFormFor(p, "gee", "ate").exactPower, null);
  const nullDesign = designParameters({ ...DESIGN, outcome: { type: "continuous", effect: 0, sd: 1 } }).parameters;
  assert.equal(closedFormFor(nullDesign, "gee", "ate", 0.01).closedFormPower, 0.01);
  assert.ok(Math.abs(closedFormFor(nullDesign, "cluster-t", "ate").exactPower! - 0.05) < 1e-12);
  const hte = designParameters({ ...DESIGN, modifier: { prevalence: 0.5, icc: 0.1, interaction: 0.5 } }).parameters;
  const cf = closedFormFor(hte, "gee", "hte").closedForm!;
  assert.equal(cf.formula, "htePower");
  assert.ok(Math.abs(cf.powerTwoSided - closedFormFor(hte, "lmm", "hte").closedFormPower!) < 1e-15);
});

// ---------------------------------------------------------------------------
// The scenario's analyses against R on fixed data sets

function trialFromFixture(t: RTrial): DesignTrial {
  const k = t.data.clustersPerArm;
  const starts = new Int32Array(2 * k + 1);
  t.data.sizes.forEach((s, c) => (starts[c + 1] = starts[c] + s));
  const treated = new Uint8Array(2 * k).fill(1, k);
  const modifier = t.data.modifier ? Float64Array.from(t.data.modifier, (v) => (v === null ? NaN : v)) : null;
  return { clustersPerArm: k, starts, treated, y: Float64Array.from(t.data.y), modifier, modifierFull: null };
}

// Tolerances: cluster-t and lm-cr2 are closed forms (1e-9 relative); GEE by
// Fisher scoring to geepack's convergence rule, as geepack (1e-6); the LMM's
// REML optimum in one variance parameter (1e-5).
const TOL: Record<string, number> = { "cluster-t": 1e-9, gee: 1e-6, "gee-md": 1e-6, lmm: 1e-5, "lm-cr2": 1e-9 };

test("every method reproduces R (t.test, geeglm, Mancl–DeRouen, lmer, clubSandwich CR2) on the fixture trials", () => {
  let worst = 0;
  for (const [name, t] of Object.entries(fixture.trials)) {
    const scenario = name === "modifier" ? designPowerHteScenario : designPowerScenario;
    const trial = trialFromFixture(t);
    for (const [method, expected] of Object.entries(t.results)) {
      if (typeof expected === "number") continue;
      const rows = scenario.analyse(trial, scenario.defaults, { method, imputationModel: "" }, createRng(1)) as AnalysisRow[];
      for (const [estimand, r] of Object.entries(expected)) {
        const row = rows.find((x) => x.estimand === estimand)!;
        const what = `${name} ${method} ${estimand}`;
        assert.equal(row.converged, true, what);
        relClose(row.estimate, r.estimate, TOL[method], `${what} estimate`);
        relClose(row.stdError, r.stdError, TOL[method], `${what} SE`);
        relClose(row.pValue, r.pValue, TOL[method] * 10, `${what} p-value`);
        if (r.df === null) assert.equal(row.df, null, what);
        else relClose(row.df, r.df, TOL[method], `${what} df`);
        worst = Math.max(worst, Math.abs(row.stdError! - r.stdError) / r.stdError);
      }
    }
  }
  assert.ok(worst < 1e-5);
});

// ---------------------------------------------------------------------------
// Data generation

test("cluster sizes: the simulated distribution matches clusterSizeDistribution (mean, cv; MC bounds)", () => {
  const dist = clusterSizeDistribution(20, 0.5);
  assert.ok(Math.abs(dist.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(dist.mean - 20) < 0.01 && Math.abs(dist.cv - 0.5) < 0.01);
  const params: Parameters = { ...designPowerScenario.defaults, clustersPerArm: 5000, clusterSize: 20, cv: 0.5, icc: 0 };
  const trial = simulateDesignTrial(params, createRng(11));
  const C = trial.treated.length;
  let s = 0;
  let ss = 0;
  for (let c = 0; c < C; c++) {
    const n = trial.starts[c + 1] - trial.starts[c];
    assert.ok(n >= 1);
    s += n;
    ss += n * n;
  }
  const mean = s / C;
  const sd = Math.sqrt(ss / C - mean * mean);
  const sdTrue = dist.cv * dist.mean;
  assert.ok(Math.abs(mean - dist.mean) < 4.5 * (sdTrue / Math.sqrt(C)), `mean size ${mean} vs ${dist.mean}`);
  assert.ok(Math.abs(sd / sdTrue - 1) < 4.5 * Math.sqrt(1 / (2 * C)) * 1.5, `sd of sizes ${sd} vs ${sdTrue}`);
  assert.deepEqual(simulateDesignTrial({ ...designPowerScenario.defaults }, createRng(1)).starts.at(-1), 400);
});

test("binary outcome: beta-binomial risks and proportion-scale ICC (pairs of 2, MC bounds)", () => {
  const k = 20000;
  const params: Parameters = { ...designPowerScenario.defaults, outcome: "binary", p0: 0.3, effect: 0.2, clustersPerArm: k, clusterSize: 2, icc: 0.25 };
  const trial = simulateDesignTrial(params, createRng(5));
  for (const [arm, p] of [[0, 0.3], [1, 0.5]] as const) {
    let s = 0;
    let both = 0;
    for (let c = arm * k; c < (arm + 1) * k; c++) {
      const a = trial.y[2 * c];
      const b = trial.y[2 * c + 1];
      s += a + b;
      both += a * b;
    }
    const mean = s / (2 * k);
    assert.ok(Math.abs(mean - p) < 4.5 * Math.sqrt((p * (1 - p) * 1.25) / (2 * k)), `arm ${arm}: mean ${mean} vs ${p}`);
    // Correlation of two members: (P(both) − p²)/(p(1 − p)); its SE is below 1.5/√k here.
    const rho = (both / k - p * p) / (p * (1 - p));
    assert.ok(Math.abs(rho - 0.25) < 4.5 * (1.5 / Math.sqrt(k)), `arm ${arm}: ICC ${rho}`);
  }
});

test("modifier and missingness: prevalence, MCAR rate exact in expectation, MAR rate close to the target", () => {
  const base: Parameters = { ...designPowerHteScenario.defaults, clustersPerArm: 500, clusterSize: 20, prevalence: 0.3, missingRate: 0.3 };
  for (const mechanism of ["mcar", "mar"]) {
    const trial = simulateDesignTrial({ ...base, missingMechanism: mechanism }, createRng(9));
    const n = trial.y.length;
    let m = 0;
    let miss = 0;
    for (let r = 0; r < n; r++) {
      m += trial.modifierFull![r];
      if (Number.isNaN(trial.modifier![r])) miss++;
    }
    // Clustered modifier (ICC 0.1, 20 per cluster): SE inflated by √(1 + 19·0.1).
    assert.ok(Math.abs(m / n - 0.3) < 4.5 * Math.sqrt((0.21 * 2.9) / n), `prevalence ${m / n}`);
    const tol = mechanism === "mcar" ? 4.5 * Math.sqrt(0.21 / n) : 0.02;
    assert.ok(Math.abs(miss / n - 0.3) < tol, `${mechanism} missing rate ${miss / n}`);
  }
});

test("truths from the design; invalid designs are InputErrors naming the parameter", () => {
  assert.deepEqual(designPowerScenario.truth({ ...designPowerScenario.defaults, effect: 0.3 }), { ate: 0.3 });
  assert.deepEqual(designPowerHteScenario.truth({ ...designPowerHteScenario.defaults, effect: 0.2, interaction: -0.4 }), { ate: 0.2, hte: -0.4 });
  assert.throws(() => designParameters({ ...DESIGN, clusterSize: 12.5 }), /clusterSize.*whole number/);
  assert.throws(() => designParameters({ ...DESIGN, outcome: { type: "binary", p0: 0.9, effect: 0.2 } }), /p0 \+ effect/);
  assert.throws(
    () => designParameters({ ...DESIGN, outcome: { type: "binary", p0: 0.3, effect: 0.1 }, modifier: { prevalence: 0.5, icc: 0, interaction: 0 } }),
    /continuous outcome/,
  );
  assert.throws(() => designParameters({ ...DESIGN, missing: { rate: 0.2 } }), /no modifier/);
  assert.throws(() => designParameters({ ...DESIGN, icc: 1 }), /'icc'/);
  assert.throws(() => designParameters({ ...DESIGN, clustersPerArm: 1 }), /clustersPerArm/);
  return assert.rejects(powerBySimulation({ design: DESIGN, methods: ["cca"], reps: 10, seed: 1, workers: 1 }), /method 'cca' is not available/);
});

// ---------------------------------------------------------------------------
// Simulation

test("determinism: the same seed gives the same result, on 1 thread and on 2 worker threads", async () => {
  const options = { design: { ...DESIGN, cv: 0.4, clusterSize: 12 }, methods: ["cluster-t", "gee"] as const, reps: 24, seed: 7 };
  const a = await powerBySimulation({ ...options, workers: 1 });
  const b = await powerBySimulation({ ...options, workers: 1 });
  const c = await powerBySimulation({ ...options, workers: 2 });
  assert.equal(c.workers, 2);
  assert.deepEqual(a.estimates, b.estimates);
  assert.deepEqual(a.estimates, c.estimates);
  assert.deepEqual(a.diagnostics, c.diagnostics);
  const d = await powerBySimulation({ ...options, workers: 1, seed: 8 });
  assert.notDeepEqual(a.estimates, d.estimates);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.estimates[0]));
});

test("cluster-t, equal sizes, no effect: rejection rate within 4.5 MCSE of α = 0.05", async () => {
  const reps = 4000;
  const r = await powerBySimulation({ design: { ...DESIGN, outcome: { type: "continuous", effect: 0, sd: 1 } }, reps, seed: 2024, workers: 1 });
  const e = r.estimates[0];
  assert.equal(e.nReps, reps);
  assert.equal(e.truth, 0);
  const mcse = Math.sqrt((0.05 * 0.95) / reps);
  assert.ok(Math.abs(e.power! - 0.05) < 4.5 * mcse, `type I error ${e.power} (MCSE ${mcse})`);
  assert.equal(e.closedFormPower, 0.05);
});

test("cluster-t, equal sizes: simulated power within 4.5 MCSE of the exact noncentral-t power; the shifted-t closed form close by", async () => {
  // Few clusters, where t and noncentral-t matter: 6 per arm of 10, ICC 0.1, power ≈ 0.6.
  const reps = 4000;
  const design: SimulatedDesign = { clustersPerArm: 6, clusterSize: 10, icc: 0.1, outcome: { type: "continuous", effect: 0.55, sd: 1 } };
  const r = await powerBySimulation({ design, reps, seed: 99, workers: 1 });
  const e = r.estimates[0];
  const exact = e.exactPower!;
  const mcse = Math.sqrt((exact * (1 - exact)) / reps);
  assert.ok(exact > 0.4 && exact < 0.8, `exact power ${exact}`);
  assert.ok(Math.abs(e.power! - exact) < 4.5 * mcse, `simulated ${e.power} vs exact ${exact} (MCSE ${mcse})`);
  // The closed form with smallSample (shifted central t) understates the exact power here by about
  // 0.02 (docs/validation/power-simulation.md); the simulation agrees with it up to that gap.
  const gap = exact - e.closedFormPower!;
  assert.ok(gap > 0 && gap < 0.03, `shifted-t closed form ${e.closedFormPower} vs exact ${exact}`);
  assert.ok(Math.abs(e.power! - e.closedFormPower!) < 4.5 * mcse + gap);
  // Coverage of the exact t interval: nominal within MC error.
  assert.ok(Math.abs(e.coverage! - 0.95) < 4.5 * Math.sqrt((0.95 * 0.05) / reps));
});

test("HTE design with a missing modifier: ate and hte rows for model and missing-data methods, Yang closed forms", async () => {
  const r = await powerBySimulation({
    design: { clustersPerArm: 8, clusterSize: 10, icc: 0.05, outcome: { type: "continuous", effect: 0.4, sd: 1 }, modifier: { prevalence: 0.4, icc: 0.1, interaction: 0.6 }, missing: { rate: 0.2, mechanism: "mcar" } },
    methods: ["gee", "lmm", "cca", "mi"],
    imputations: 2,
    reps: 6,
    seed: 3,
    workers: 1,
  });
  assert.equal(r.scenario, "design-power-hte");
  assert.deepEqual(r.estimates.map((e) => `${e.method}:${e.imputationModel}:${e.estimand}`), [
    "gee::ate", "gee::hte", "lmm::ate", "lmm::hte", "cca::ate", "cca::hte", "mi:M ~ A*Y:ate", "mi:M ~ A*Y:hte",
  ]);
  for (const e of r.estimates) {
    assert.equal(e.nFailed, 0, `${e.method} ${e.estimand}`);
    assert.equal(e.closedForm!.formula, e.estimand === "hte" ? "htePower" : "atePower");
  }
  // gee on the complete cases is the complete-case analysis.
  assert.deepEqual({ ...r.estimates[0], method: "cca" }, r.estimates[4]);
});

// ---------------------------------------------------------------------------
// CLI

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => "" });
  return { code, stdout, stderr };
}

test("crtkit design power --simulate: JSON with power, MCSE and the closed form; unchanged without --simulate", async () => {
  const base = ["design", "power", "--outcome", "continuous", "--delta", "0.5", "--sd", "1", "--cluster-size", "20", "--clusters-per-arm", "10", "--icc", "0.05", "--format", "json"];
  const sim = await cli([...base, "--simulate", "--reps", "60", "--method", "gee", "--seed", "4", "--workers", "1"]);
  assert.equal(sim.code, 0, sim.stderr);
  const j = JSON.parse(sim.stdout) as Record<string, unknown>;
  for (const k of ["power", "powerMcse", "closedFormPower", "reps", "method", "diagnostics"]) assert.ok(k in j, k);
  assert.equal(j.method, "gee");
  assert.equal(j.reps, 60);
  assert.equal(j.closedFormPower, power({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 20, clustersPerArm: 10, icc: 0.05 }).powerTwoSided);
  const again = await cli([...base, "--simulate", "--reps", "60", "--method", "gee", "--seed", "4", "--workers", "1"]);
  assert.equal(again.stdout, sim.stdout);
  const table = await cli([...base.slice(0, -2), "--simulate", "--reps", "20", "--workers", "1"]);
  assert.match(table.stdout, /power \(simulated\)/);
  assert.match(table.stdout, /power \(closed form, t 18 df\)/);
  assert.match(table.stdout, /noncentral t/);
  const closed = await cli(base);
  assert.equal(closed.code, 0);
  assert.deepEqual(Object.keys(JSON.parse(closed.stdout) as object), ["power", "powerTwoSided", "designEffect", "standardError", "criticalValue", "df", "inputs", "diagnostics", "provenance"]);
  const bad = await cli([...base, "--reps", "10"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--reps applies only with --simulate/);
  const badMethod = await cli([...base, "--simulate", "--method", "mi"]);
  assert.equal(badMethod.code, 2);
  const badSize = await cli([...base.map((a) => (a === "20" ? "20.5" : a)), "--simulate", "--reps", "10"]);
  assert.equal(badSize.code, 2);
  assert.match(badSize.stderr, /clusterSize.*whole number/);
});
