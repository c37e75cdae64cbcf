/**
 * The categorical B-MMI sampler (src/missing/categorical/gibbs.ts) on
 * simulated complete data, where its posterior is known in the large-sample
 * limit: without a random intercept the posterior of β is close to
 * N(β̂, V̂) of the multinomial fit (Bernstein–von Mises, vague prior); with a
 * random intercept per level and a few large clusters, β_0j + b_cj and the
 * slope agree with the fixed-effects fit that has one intercept per cluster
 * (little shrinkage when every cluster is large). Bounds: 4 Monte Carlo SEs
 * (SD/√ESS) plus a share of the posterior SD for the finite-sample gap.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { effectiveSampleSize } from "../../src/inference/mcmc.ts";
import { runCategoricalGibbsChain } from "../../src/missing/categorical/gibbs.ts";
import { multinomialFit } from "../../src/missing/categorical/multinomial.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { namedStream } from "../../src/random/streams.ts";

const K = 3;

/** n rows in C clusters: design [1, x], levels from the multinomial with intercepts shifted by b[c][j]. */
function simulate(C: number, size: number, shifts: readonly (readonly number[])[], seed: number) {
  const rng = namedStream(seed, "categorical-gibbs-test");
  const n = C * size;
  const W = new Float64Array(n * 2);
  const y = new Float64Array(n);
  const beta = [
    [0.3, 0.8],
    [-0.4, -0.6],
  ];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / size);
    const x = rng.normal();
    W[i * 2] = 1;
    W[i * 2 + 1] = x;
    const e = [1, ...beta.map((b, j) => Math.exp(b[0] + shifts[c][j] + b[1] * x))];
    const total = e.reduce((a, b) => a + b, 0);
    let u = rng.uniform() * total;
    let level = 0;
    while (level < K - 1 && u >= e[level]) u -= e[level++];
    y[i] = level;
  }
  const starts = Int32Array.from({ length: C + 1 }, (_, c) => c * size);
  return { W, y, n, starts };
}

function posterior(draws: Float64Array, width: number, j: number, from: number, iterations: number): { mean: number; sd: number; mcse: number } {
  const x = Float64Array.from({ length: iterations - from }, (_, i) => draws[(from + i) * width + j]);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
  return { mean, sd, mcse: sd / Math.sqrt(effectiveSampleSize([x])) };
}

test("without a random intercept the posterior is N(β̂, V̂) of the multinomial fit in the large-sample limit", () => {
  const { W, y, n } = simulate(1, 3000, [[0, 0]], 11);
  const fit = multinomialFit(W, n, 2, y, K);
  const settings = { ...GIBBS_DEFAULTS, burnin: 200, thin: 1, imputations: 2000 };
  const chain = runCategoricalGibbsChain(
    { W, n, p: 2, k: K, starts: Int32Array.from([0, n]), modifier: y, priorMean: fit.coefficients, randomIntercept: false },
    settings,
    namedStream(3, "categorical-gibbs-chain"),
    () => {},
  );
  const q = fit.coefficients.length;
  assert.equal(chain.tau.length, 0);
  for (let j = 0; j < q; j++) {
    const post = posterior(chain.beta, q, j, settings.burnin, chain.iterations);
    const se = Math.sqrt(fit.vcov[j * q + j]);
    assert.ok(Math.abs(post.mean - fit.coefficients[j]) <= 4 * post.mcse + 0.1 * se, `β[${j}] mean ${post.mean} vs β̂ ${fit.coefficients[j]} (MCSE ${post.mcse}, SE ${se})`);
    assert.ok(Math.abs(Math.log(post.sd / se)) <= 0.1, `β[${j}] posterior SD ${post.sd} vs SE ${se}`);
  }
});

test("with a random intercept per level and large clusters, the cluster intercepts and slopes agree with the fixed-effects fit", () => {
  const shifts = [
    [0.5, -0.3],
    [-0.4, 0.2],
    [0.1, 0.6],
    [-0.2, -0.5],
  ];
  const C = shifts.length;
  const size = 800;
  const { W, y, n, starts } = simulate(C, size, shifts, 12);
  // Fixed effects: one intercept per cluster, then x.
  const p = C + 1;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p + Math.floor(i / size)] = 1;
    X[i * p + C] = W[i * 2 + 1];
  }
  const fixed = multinomialFit(X, n, p, y, K);
  const pooled = multinomialFit(W, n, 2, y, K);
  const settings = { ...GIBBS_DEFAULTS, burnin: 300, thin: 1, imputations: 2000 };
  const chain = runCategoricalGibbsChain(
    { W, n, p: 2, k: K, starts, modifier: y, priorMean: pooled.coefficients, randomIntercept: true, recordIntercepts: true },
    settings,
    namedStream(4, "categorical-gibbs-chain"),
    () => {},
  );
  assert.equal(chain.tau.length, chain.iterations * (K - 1));
  const q = 2 * (K - 1);
  for (let j = 0; j < K - 1; j++) {
    // The slope of level j.
    const post = posterior(chain.beta, q, j * 2 + 1, settings.burnin, chain.iterations);
    const index = j * p + C;
    const se = Math.sqrt(fixed.vcov[index * fixed.coefficients.length + index]);
    assert.ok(Math.abs(post.mean - fixed.coefficients[index]) <= 4 * post.mcse + 0.25 * se, `slope ${j}: ${post.mean} vs fixed effects ${fixed.coefficients[index]} (SE ${se})`);
    assert.ok(Math.abs(Math.log(post.sd / se)) <= 0.15, `slope ${j} SD ${post.sd} vs SE ${se}`);
  }
  // Cluster c's intercept for level j is β_0j + b_cj.
  const kept = chain.iterations - settings.burnin;
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < K - 1; j++) {
      const draws = Float64Array.from({ length: kept }, (_, i) => {
        const it = settings.burnin + i;
        return chain.beta[it * q + j * 2] + chain.intercepts[it * C * (K - 1) + c * (K - 1) + j];
      });
      const post = posterior(draws, 1, 0, 0, kept);
      const index = j * p + c;
      const se = Math.sqrt(fixed.vcov[index * fixed.coefficients.length + index]);
      assert.ok(
        Math.abs(post.mean - fixed.coefficients[index]) <= 4 * post.mcse + 0.25 * se,
        `cluster ${c} level ${j + 1} intercept ${post.mean} vs fixed effects ${fixed.coefficients[index]} (MCSE ${post.mcse}, SE ${se})`,
      );
      assert.ok(Math.abs(Math.log(post.sd / se)) <= 0.2, `cluster ${c} level ${j + 1} intercept SD ${post.sd} vs SE ${se}`);
    }
  }
  for (let j = 0; j < K - 1; j++) {
    const tau = posterior(chain.tau, K - 1, j, settings.burnin, chain.iterations);
    assert.ok(tau.mean > 0 && Number.isFinite(tau.mean));
  }
});
