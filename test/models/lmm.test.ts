import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { type MixedCase, mixedFrame, near } from "../helpers/frame.ts";
import { brentMinimize, lmm, lmmObjective, lmmResult, optimizeLmm, predictLmm } from "../../src/models/lmm/index.ts";
import { lm } from "../../src/models/lm/index.ts";

/** lme4::lmer reference fits written by fixtures/r/lmm.R. */
interface LmerFit {
  fixef: number[];
  vcov: number[][];
  theta: number;
  sigma: number;
  varBetween: number;
  varResidual: number;
  logLik: number;
  criterion: number;
  ranef: number[];
  condVar: number[];
  singular: boolean;
}
interface LmmCase {
  name: string;
  formula: string;
  columnNames: string[];
  X: number[][];
  y: number[];
  cluster: number[];
  fits: Record<"reml" | "ml", { default: LmerFit; tight: LmerFit }>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/lmm.json", import.meta.url), "utf8")) as { cases: LmmCase[] };

const frameOf = (c: MixedCase): ModelFrame => mixedFrame(c, "Y");


// Tolerances (relative to 1 + |reference|), tiered as the project's fixtures:
// fixed effects, their covariance, logLik and the criterion are closed forms given θ,
// so they agree to 1e-6 against R; variance components depend on the optimizer's
// stopping point (lme4's and ours), 1e-4. Observed agreement is ~1e-8 throughout.
const TOL_FIXED = 1e-6;
const TOL_LOGLIK = 1e-6;
const TOL_VARIANCE = 1e-4;

for (const c of fixture.cases) {
  for (const method of ["reml", "ml"] as const) {
    test(`lmm ${method} matches lme4::lmer on case ${c.name} (${c.formula}, ${new Set(c.cluster).size} clusters)`, () => {
      const frame = frameOf(c);
      const fit = lmm(frame, { method });
      for (const variant of ["tight", "default"] as const) {
        const ref = c.fits[method][variant];
        const what = `${c.name}/${method}/${variant}`;
        ref.fixef.forEach((b, k) => near(fit.coefficients[k], b, TOL_FIXED, `${what} fixef[${c.columnNames[k]}]`));
        const p = ref.fixef.length;
        ref.vcov.forEach((row, i) => row.forEach((v, j) => near(fit.vcov[i * p + j], v, TOL_FIXED, `${what} vcov[${i},${j}]`)));
        near(fit.logLik, ref.logLik, TOL_LOGLIK, `${what} logLik`);
        near(fit.criterion, ref.criterion, TOL_LOGLIK, `${what} criterion`);
        near(fit.randomEffects[0].variance, ref.varBetween, TOL_VARIANCE, `${what} between variance`);
        near(fit.residualVariance, ref.varResidual, TOL_VARIANCE, `${what} residual variance`);
        near(fit.theta, ref.theta, TOL_VARIANCE, `${what} theta`);
        ref.ranef.forEach((b, i) => near(fit.conditionalModes.values[i], b, TOL_VARIANCE, `${what} ranef[${i}]`));
        ref.condVar.forEach((v, i) => near(fit.conditionalModes.conditionalVariance[i], v, TOL_VARIANCE, `${what} condVar[${i}]`));
        assert.equal(fit.boundary || fit.theta < 1e-4, ref.singular, `${what} singular`);
      }
      assert.equal(fit.converged, true);
      assert.equal(fit.nClusters, new Set(c.cluster).size);
      assert.equal(fit.table.length, c.columnNames.length);
      assert.equal(fit.table[0].df, null);
      near(fit.icc, fit.randomEffects[0].variance / (fit.randomEffects[0].variance + fit.residualVariance), 1e-12, "icc");
    });
  }
}

test("lmm boundary fit: θ = 0 exactly, reported, and the fixed effects are OLS", () => {
  const c = fixture.cases.find((k) => k.name === "boundary")!;
  const frame = frameOf(c);
  for (const method of ["reml", "ml"] as const) {
    const fit = lmm(frame, { method });
    assert.equal(fit.theta, 0);
    assert.equal(fit.boundary, true);
    assert.ok(fit.diagnostics.some((d) => d.code === "boundary-fit" && d.severity === "warning" && d.message.includes("'cluster'")));
    const ols = lm({ ...frame, randomTerms: [] }); // the same fixed effects by least squares
    ols.coefficients.forEach((b, k) => near(fit.coefficients[k], b, 1e-10, `OLS coefficient ${k}`));
    assert.ok(fit.conditionalModes.values.every((v) => v === 0));
  }
});

test("lmm stages called by hand give the same fit as lmm()", () => {
  const frame = frameOf(fixture.cases[1]);
  const objective = lmmObjective(frame, { method: "ml" });
  const optimum = optimizeLmm(objective);
  const byHand = lmmResult(objective, optimum);
  const oneCall = lmm(frame, { method: "ml" });
  assert.deepEqual(byHand, oneCall);
  // The objective is the profiled deviance: its value at the optimum is −2·logLik.
  near(objective.deviance(optimum.theta), -2 * oneCall.logLik, 1e-12, "deviance at optimum");
  assert.ok(objective.deviance(optimum.theta * 1.01) > optimum.deviance);
  assert.ok(objective.deviance(optimum.theta * 0.99) > optimum.deviance);
});

test("lmm profiled deviance: slope in θ² at 0 agrees with a finite difference", () => {
  for (const method of ["reml", "ml"] as const) {
    const objective = lmmObjective(frameOf(fixture.cases[0]), { method });
    const h = 1e-7;
    const fd = (objective.deviance(Math.sqrt(h)) - objective.deviance(0)) / h;
    near(objective.slopeAtZero(), fd, 1e-4, `${method} slope`);
  }
});

test("lmm results are frozen and predictions add the conditional modes", () => {
  const frame = frameOf(fixture.cases[0]);
  const fit = lmm(frame);
  assert.ok(Object.isFrozen(fit));
  assert.ok(Object.isFrozen(fit.table));
  const marginal = predictLmm(fit, frame.X);
  const conditional = predictLmm(fit, frame.X, { conditional: true });
  const starts = fit.conditionalModes.starts;
  for (let c = 0; c < starts.length - 1; c++) {
    for (let i = starts[c]; i < starts[c + 1]; i++) near(conditional[i] - marginal[i], fit.conditionalModes.values[c], 1e-12, `row ${i}`);
  }
  const two = predictLmm(fit, { rows: 2, cols: frame.X.cols, data: frame.X.data.slice(0, 2 * frame.X.cols) }, { conditional: true, clusterIndex: Int32Array.from([3, -1]) });
  near(two[0] - marginal[0], fit.conditionalModes.values[3], 1e-12, "clusterIndex 3");
  near(two[1], marginal[1], 1e-12, "clusterIndex -1");
  assert.throws(() => predictLmm(fit, frame.X, { conditional: true, clusterIndex: new Int32Array(frame.X.rows).fill(999) }), InputError);
});

test("lmm refuses a single cluster, all-distinct cluster ids and a frame without clusters", () => {
  const base = frameOf(fixture.cases[0]);
  const n = base.y.length;
  const one = { ...base, clusters: { column: "school", ids: ["A"], starts: Int32Array.from([0, n]) } };
  assert.throws(() => lmm(one), (e: unknown) => e instanceof InputError && /only one cluster \('A'\)/.test(e.message) && /'school'/.test(e.message));
  const distinct = {
    ...base,
    clusters: { column: "id", ids: Array.from({ length: n }, (_, i) => `p${i}`), starts: Int32Array.from({ length: n + 1 }, (_, i) => i) },
  };
  assert.throws(() => lmm(distinct), (e: unknown) => e instanceof InputError && /'id' has a different value on every one of the 212 rows/.test(e.message));
  const { clusters: _drop, ...noClusters } = base;
  assert.throws(() => lmm(noClusters as ModelFrame), (e: unknown) => e instanceof InputError && /\(1 \| cluster\)/.test(e.message));
  const bad = { ...base, y: Float64Array.from(base.y, (v, i) => (i === 5 ? NaN : v)) };
  assert.throws(() => lmm(bad), (e: unknown) => e instanceof InputError && /row 6/.test(e.message));
  assert.throws(() => lmm(base, { method: "bayes" as "ml" }), InputError);
});

test("Brent's method finds the minimum of a smooth function", () => {
  const m = brentMinimize((x) => (x - 1.234567) ** 2 + 0.5 * (x - 1.234567) ** 4, 0, 5);
  assert.ok(m.converged);
  near(m.x, 1.234567, 1e-9, "argmin");
});
