import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { type MixedCase, mixedFrame, near } from "../helpers/frame.ts";
import { expectGlmerAgreement, type GlmerCase } from "../helpers/glmer.ts";
import { glmm, glmmObjective, predictGlmm } from "../../src/models/glmm/index.ts";
import { createRng, poisson as rpoisson } from "../../src/random/index.ts";

/** lme4::glmer(family = poisson) reference fits written by fixtures/r/glmm-poisson.R. */
const fixture = JSON.parse(readFileSync(new URL("../fixtures/glmm-poisson.json", import.meta.url), "utf8")) as { cases: GlmerCase[] };
const byName = (name: string): GlmerCase => fixture.cases.find((c) => c.name === name)!;

const frameOf = (c: MixedCase): ModelFrame => mixedFrame(c, "y");

/*
 * Tolerances. "exact" references are glmer with PIRLS run to tolPwrss = 1e-14
 * and nloptwrap at 1e-12: the same criterion and optimum as ours. Observed:
 * fixed effects ≤ 5e-7, SD ≤ 1.1e-7, logLik ≤ 2e-8, SEs ≤ 5e-6 relative,
 * conditional modes ≤ 2e-7. Tested at fixed effects 1e-5, SD 1e-5, logLik
 * 1e-6, SEs 1e-4 relative (lme4 differences the deviance with step 1e-4; we
 * difference the analytic gradient), modes 1e-5.
 * "default" references are glmer as users call it (PIRLS stops at a relative
 * change of 1e-7, Nelder-Mead at ~1e-5 in the deviance): observed fixed
 * effects ≤ 7.3e-4, SD ≤ 7.8e-4, logLik ≤ 5.4e-4, Hessian SEs ≤ 1.2% relative
 * (second differences of that noisy deviance). Tested at 1e-3, 1e-3, 1e-3, 2e-2.
 */
const EXACT = { fixef: 1e-5, theta: 1e-5, logLik: 1e-6, se: 1e-4, ranef: 1e-5 };
const DEFAULT = { fixef: 1e-3, theta: 1e-3, logLik: 1e-3, se: 2e-2, ranef: 2e-3 };

for (const c of fixture.cases) {
  for (const ref of c.fits) {
    test(`poisson glmm nagq=${ref.nagq} matches lme4::glmer on case ${c.name} (${c.columnNames.length} coefficients, ${new Set(c.cluster).size} clusters)`, () => {
      const frame = frameOf(c);
      const fit = glmm(frame, { family: "poisson", nagq: ref.nagq });
      assert.equal(fit.family, "poisson");
      assert.equal(fit.link, "log");
      assert.equal(fit.nagq, ref.nagq);
      assert.equal(fit.converged, true);
      assert.equal(fit.vcovType, "hessian");
      for (const [variant, tol] of [["exact", EXACT], ["default", DEFAULT]] as const) {
        expectGlmerAgreement(fit, c, ref[variant], tol, `${c.name}/nagq ${ref.nagq}/${variant}`);
      }
      assert.ok(fit.logLik >= ref.exact.logLik - 1e-7, `logLik ${fit.logLik} < lme4 ${ref.exact.logLik}`);
    });
  }
}

test("poisson glmm deviance: Laplace includes log y!, quadrature uses deviance residuals (as glmer)", () => {
  const c = byName("c20");
  const frame = frameOf(c);
  const theta = 0.5;
  const beta = c.glm.coef;
  const laplace = glmmObjective(frame, { family: "poisson", nagq: 1 }).deviance(theta, beta);
  const agq1 = glmmObjective(frame, { family: "poisson", nagq: 5 });
  // The quadrature deviance minus the Laplace one is the constant 2Σ(y log y − y − log y!) plus the quadrature correction.
  let shift = 0;
  for (const y of c.y) {
    let lf = 0;
    for (let k = 2; k <= y; k++) lf += Math.log(k);
    shift += 2 * ((y > 0 ? y * Math.log(y) : 0) - y - lf);
  }
  const agq = agq1.deviance(theta, beta);
  // The 5-node correction to Laplace is small (|Δ| < 0.1 here) compared with the constant (~ −1000).
  assert.ok(Math.abs(agq - laplace - shift) < 0.1, `${agq} − ${laplace} vs ${shift}`);
  // At θ = 0 there is no random effect: Laplace deviance = −2 logLik of the Poisson GLM.
  near(glmmObjective(frame, { family: "poisson" }).deviance(0, c.glm.coef), -2 * c.glm.logLik, 1e-12, "θ = 0 deviance is the GLM's");
});

test("poisson glmm analytic gradient agrees with central differences (Laplace and AGQ)", () => {
  const c = byName("c50_interaction");
  const frame = frameOf(c);
  const p = c.columnNames.length;
  for (const nagq of [1, 5, 12]) {
    const objective = glmmObjective(frame, { family: "poisson", nagq });
    const theta = 0.4;
    const beta = c.glm.coef.map((b, k) => b + 0.01 * (k % 3));
    const g = new Float64Array(p + 1);
    objective.evaluate(theta, beta, g);
    const h = 1e-5;
    for (let k = 0; k <= p; k++) {
      const bp = [...beta];
      const bm = [...beta];
      let tp = theta;
      let tm = theta;
      if (k === 0) {
        tp += h;
        tm -= h;
      } else {
        bp[k - 1] += h;
        bm[k - 1] -= h;
      }
      const fd = (objective.deviance(tp, bp) - objective.deviance(tm, bm)) / (2 * h);
      // Central differences of a deviance of ~3600 with step 1e-5: error ~1e-6 relative to the deviance scale.
      near(g[k], fd, 1e-5, `nagq ${nagq} gradient[${k}]`);
    }
  }
});

test("poisson glmm predictions are exp of the linear predictor", () => {
  const c = byName("c30_low");
  const frame = frameOf(c);
  const fit = glmm(frame, { family: "poisson" });
  const p = c.columnNames.length;
  const marginal = predictGlmm(fit, frame.X, { conditional: false });
  const conditional = predictGlmm(fit, frame.X, { conditional: true });
  const starts = fit.conditionalModes.starts;
  for (let cl = 0; cl < starts.length - 1; cl++) {
    for (let i = starts[cl]; i < starts[cl + 1]; i++) {
      let eta = 0;
      for (let k = 0; k < p; k++) eta += frame.X.data[i * p + k] * fit.coefficients[k];
      near(marginal[i], Math.exp(eta), 1e-13, `marginal ${i}`);
      near(conditional[i], Math.exp(eta + fit.conditionalModes.values[cl]), 1e-13, `conditional ${i}`);
    }
  }
});

test("poisson glmm refuses negative, fractional and missing counts, naming the row and value", () => {
  const base = frameOf(byName("c20"));
  for (const [row, value] of [[9, -1], [120, 2.5]] as const) {
    const y = Float64Array.from(base.y);
    y[row] = value;
    assert.throws(
      () => glmm({ ...base, y }, { family: "poisson" }),
      (e: unknown) => e instanceof InputError && e.message.includes(`response 'y' row ${row + 1} is ${value}`) && /non-negative whole counts/.test(e.message),
    );
  }
  const missing = Float64Array.from(base.y);
  missing[3] = NaN;
  assert.throws(() => glmm({ ...base, y: missing }, { family: "poisson" }), (e: unknown) => e instanceof InputError && /row 4 is NaN/.test(e.message));
  assert.throws(() => glmm(base, { family: "gaussian" as "poisson" }), (e: unknown) => e instanceof InputError && /'gaussian'/.test(e.message));
});

test("poisson glmm: clusters of all-zero counts and a near-zero random-intercept variance", () => {
  const rng = createRng(11, 3);
  const C = 30;
  const m = 8;
  const n = C * m;
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  const starts = Int32Array.from({ length: C + 1 }, (_, i) => i * m);
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    x[2 * i] = 1;
    x[2 * i + 1] = x1;
    // No random intercept; several clusters in the low-mean half are all zero.
    y[i] = Math.floor(i / m) < 6 ? 0 : rpoisson(rng, Math.exp(-0.5 + 0.3 * x1));
  }
  const frame: ModelFrame = {
    formula: "y ~ x1 + (1 | g)",
    response: "y",
    y,
    X: { rows: n, cols: 2, data: x },
    columnNames: ["(Intercept)", "x1"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: "g", ids: Array.from({ length: C }, (_, i) => `g${i}`), starts },
    randomTerms: [{ term: "(Intercept)", group: "g" }],
    diagnostics: [],
  };
  for (const nagq of [1, 7]) {
    const fit = glmm(frame, { family: "poisson", nagq });
    assert.ok(Number.isFinite(fit.logLik) && fit.coefficients.every(Number.isFinite), `nagq ${nagq}`);
    assert.ok(fit.theta > 0, "six all-zero clusters make the random intercept visible");
    for (let cl = 0; cl < 6; cl++) assert.ok(fit.conditionalModes.values[cl] < 0, `all-zero cluster ${cl} has a negative mode`);
  }
});
