import assert from "node:assert/strict";
import { test } from "node:test";
import { matrix } from "../../src/linalg/matrix.ts";
import { clusterSums, GIBBS_DEFAULTS, runGibbsChain } from "../../src/missing/gibbs.ts";
import { glmm } from "../../src/models/glmm/index.ts";
import { createRng } from "../../src/random/index.ts";

/** Data from the imputation model itself: logit P(M = 1) = β₀ + β₁x + b_i, b_i ~ N(0, σ²). */
function simulate(C: number, size: number, beta: readonly number[], sigma: number, seed: number) {
  const rng = createRng(seed);
  const n = C * size;
  const W = new Float64Array(n * 2);
  const m = new Float64Array(n);
  const starts = Int32Array.from({ length: C + 1 }, (_, c) => c * size);
  for (let c = 0; c < C; c++) {
    const b = sigma * rng.normal();
    for (let j = 0; j < size; j++) {
      const r = c * size + j;
      const x = rng.normal();
      W[r * 2] = 1;
      W[r * 2 + 1] = x;
      m[r] = rng.uniform() < 1 / (1 + Math.exp(-(beta[0] + beta[1] * x + b))) ? 1 : 0;
    }
  }
  return { W, m, starts, n };
}

function meanSd(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(v / (x.length - 1)) };
}

test("with nothing missing, the posterior concentrates around the true imputation model", () => {
  // Over repeated data sets the posterior mean lies within a few posterior SDs of
  // the truth; 4.5 SDs (plus the chain's Monte Carlo error, < 0.1 SD at ESS > 100) fails with probability < 1e-4.
  const truth = [0.3, -0.8];
  const sigma = 0.8;
  const { W, m, starts, n } = simulate(80, 40, truth, sigma, 11);
  const settings = { ...GIBBS_DEFAULTS, burnin: 300, thin: 1, imputations: 1500 };
  let handedOut = 0;
  const chain = runGibbsChain({ W, n, p: 2, starts, modifier: m, priorMean: [0, 0] }, settings, createRng(5), () => handedOut++);
  assert.equal(handedOut, 1500);
  assert.equal(chain.iterations, 1800);
  for (let j = 0; j < 2; j++) {
    const draws = Float64Array.from({ length: 1500 }, (_, t) => chain.beta[(300 + t) * 2 + j]);
    const { mean, sd } = meanSd(draws);
    assert.ok(Math.abs(mean - truth[j]) < 4.6 * sd, `beta${j}: posterior ${mean} ± ${sd}, truth ${truth[j]}`);
    assert.ok(sd > 0.02 && sd < 0.2, `beta${j} posterior SD ${sd}`);
  }
  const sds = Float64Array.from(chain.tau.subarray(300), (t) => 1 / Math.sqrt(t));
  const { mean, sd } = meanSd(sds);
  assert.ok(Math.abs(mean - sigma) < 4.6 * sd, `random-intercept SD: posterior ${mean} ± ${sd}, truth ${sigma}`);
  // With 3200 observations and a vague prior the posterior mean of β sits next
  // to the GLMM maximum-likelihood estimate: well inside one posterior SD.
  const fit = glmm({
    formula: "M ~ x + (1 | g)",
    response: "M",
    y: m,
    X: matrix(n, 2, W),
    columnNames: ["(Intercept)", "x"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: "g", ids: Array.from({ length: 80 }, (_, c) => String(c)), starts },
    randomTerms: [{ term: "(Intercept)", group: "g" }],
    diagnostics: [],
  });
  for (let j = 0; j < 2; j++) {
    const draws = Float64Array.from({ length: 1500 }, (_, t) => chain.beta[(300 + t) * 2 + j]);
    const post = meanSd(draws);
    assert.ok(Math.abs(post.mean - fit.coefficients[j]) < post.sd, `beta${j}: posterior ${post.mean} vs MLE ${fit.coefficients[j]} (sd ${post.sd})`);
  }
});

test("missing values are imputed at their predicted probability and observed ones are kept", () => {
  const { W, m, starts, n } = simulate(30, 30, [1.5, 0], 0.01, 3);
  const observed = Float64Array.from(m);
  for (let r = 0; r < n; r += 3) observed[r] = NaN;
  let ones = 0;
  let missingCount = 0;
  runGibbsChain({ W, n, p: 2, starts, modifier: observed, priorMean: [1.5, 0] }, { ...GIBBS_DEFAULTS, burnin: 100, thin: 5, imputations: 100 }, createRng(8), (mc) => {
    for (let r = 0; r < n; r++) {
      if (Number.isNaN(observed[r])) {
        ones += mc[r];
        missingCount++;
      } else assert.equal(mc[r], observed[r]);
    }
  });
  // P(M = 1) = expit(1.5) ≈ 0.818 under the (near-)true model; the share of imputed ones is close to it.
  const share = ones / missingCount;
  assert.ok(Math.abs(share - 0.818) < 0.05, `imputed share of ones ${share}`);
});

test("the same stream gives the same chain", () => {
  const { W, m, starts, n } = simulate(10, 10, [0, 1], 0.5, 2);
  const s = { ...GIBBS_DEFAULTS, burnin: 20, thin: 2, imputations: 5 };
  const a = runGibbsChain({ W, n, p: 2, starts, modifier: m, priorMean: [0, 0] }, s, createRng(9), () => {});
  const b = runGibbsChain({ W, n, p: 2, starts, modifier: m, priorMean: [0, 0] }, s, createRng(9), () => {});
  assert.deepEqual(a.beta, b.beta);
  assert.deepEqual(a.tau, b.tau);
});

test("cluster sums taken two clusters at a time equal the row-order sums, bit for bit", () => {
  const rng = createRng(31);
  for (const sizes of [[3], [1, 7], [5, 5, 2], [4, 0, 6, 1, 9], [2, 8, 3, 3, 11, 1, 6]]) {
    const starts = Int32Array.from([0, ...sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
    const n = starts[sizes.length];
    const m = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const omega = Float64Array.from({ length: n }, () => rng.uniform());
    const xb = Float64Array.from({ length: n }, () => 3 * rng.normal());
    const s = new Float64Array(sizes.length);
    const w = new Float64Array(sizes.length);
    clusterSums(m, omega, xb, starts, sizes.length, s, w);
    for (let c = 0; c < sizes.length; c++) {
      let s0 = 0;
      let w0 = 0;
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        s0 += m[r] - 0.5 - omega[r] * xb[r];
        w0 += omega[r];
      }
      assert.equal(s[c], s0);
      assert.equal(w[c], w0);
    }
  }
});
