/**
 * The normal random-intercept Gibbs sampler (continuous modifier) and the
 * samplers without a random intercept (cluster-level modifier), checked on
 * data drawn from their own models: posterior means lie within a few
 * posterior SDs of the truth (4.6 SDs fail with probability < 1e-5, and the
 * chain's Monte Carlo error is a small fraction of an SD at these ESS), and
 * with a vague prior they sit next to the REML / least-squares / ML
 * estimates, with posterior SDs close to those fits' standard errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { effectiveSampleSize } from "../../src/inference/mcmc.ts";
import { runNormalGibbsChain } from "../../src/missing/gibbs-normal.ts";
import { GIBBS_DEFAULTS, runGibbsChain, type GibbsChain } from "../../src/missing/gibbs.ts";
import { glm } from "../../src/models/glm/index.ts";
import { lm } from "../../src/models/lm/index.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { createRng } from "../../src/random/index.ts";
import { makeFrame } from "../helpers/frame.ts";

/** M = β₀ + β₁x + b_i + e, b_i ~ N(0, σ_b²), e ~ N(0, σ²). */
function simulate(C: number, size: number, beta: readonly number[], sdB: number, sigma: number, seed: number) {
  const rng = createRng(seed);
  const n = C * size;
  const W = new Float64Array(n * 2);
  const m = new Float64Array(n);
  const mean = new Float64Array(n);
  const starts = Int32Array.from({ length: C + 1 }, (_, c) => c * size);
  for (let c = 0; c < C; c++) {
    const b = sdB * rng.normal();
    for (let j = 0; j < size; j++) {
      const r = c * size + j;
      const x = rng.normal();
      W[r * 2] = 1;
      W[r * 2 + 1] = x;
      mean[r] = beta[0] + beta[1] * x + b;
      m[r] = mean[r] + sigma * rng.normal();
    }
  }
  return { W, m, mean, starts, n };
}

function summary(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(v / (x.length - 1)) };
}

const kept = (chain: GibbsChain, burnin: number, p: number, j: number) =>
  Float64Array.from({ length: chain.iterations - burnin }, (_, t) => chain.beta[(burnin + t) * p + j]);

const frameOf = (W: Float64Array, m: Float64Array, n: number, clusterSize?: number) =>
  makeFrame(
    Array.from({ length: n }, (_, r) => [W[r * 2], W[r * 2 + 1]]),
    Array.from(m),
    ["(Intercept)", "x"],
    clusterSize ? Array.from({ length: n }, (_, r) => Math.floor(r / clusterSize)) : undefined,
    undefined,
    { randomIntercept: clusterSize !== undefined },
  );

test("with nothing missing, the normal sampler recovers β, σ_b and σ and agrees with the REML fit", () => {
  const truth = [0.3, -0.8];
  const sdB = 0.6;
  const sigma = 1.2;
  const C = 80;
  const size = 40;
  const { W, m, starts, n } = simulate(C, size, truth, sdB, sigma, 21);
  const burnin = 300;
  const settings = { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: 2000 };
  const fit = lmm(frameOf(W, m, n, size));
  let handedOut = 0;
  const chain = runNormalGibbsChain(
    { W, n, p: 2, starts, modifier: m, priorMean: fit.coefficients, sigma2Start: fit.sigma ** 2, tauStart: 1 / fit.randomEffects[0].variance },
    settings,
    createRng(4),
    () => handedOut++,
  );
  assert.equal(handedOut, 2000);
  assert.equal(chain.iterations, 2300);
  assert.equal(chain.tau.length, 2300);
  assert.equal(chain.sigma.length, 2300);
  for (let j = 0; j < 2; j++) {
    const draws = kept(chain, burnin, 2, j);
    const post = summary(draws);
    assert.ok(Math.abs(post.mean - truth[j]) < 4.6 * post.sd, `beta${j}: posterior ${post.mean} ± ${post.sd}, truth ${truth[j]}`);
    // The posterior mean's Monte Carlo error is sd/√ESS; the REML estimate is within it plus a small prior effect.
    const mcse = post.sd / Math.sqrt(effectiveSampleSize([draws]));
    assert.ok(Math.abs(post.mean - fit.coefficients[j]) < 4 * mcse + 0.05 * post.sd, `beta${j}: posterior ${post.mean} vs REML ${fit.coefficients[j]} (MCSE ${mcse})`);
    const se = Math.sqrt(fit.vcov[j * 2 + j]);
    assert.ok(Math.abs(post.sd / se - 1) < 0.15, `beta${j}: posterior SD ${post.sd} vs REML SE ${se}`);
  }
  const sdDraws = Float64Array.from(chain.tau.subarray(burnin), (t) => 1 / Math.sqrt(t));
  const sdPost = summary(sdDraws);
  assert.ok(Math.abs(sdPost.mean - sdB) < 4.6 * sdPost.sd, `σ_b: posterior ${sdPost.mean} ± ${sdPost.sd}, truth ${sdB}`);
  const sigmaPost = summary(chain.sigma.subarray(burnin));
  assert.ok(Math.abs(sigmaPost.mean - sigma) < 4.6 * sigmaPost.sd, `σ: posterior ${sigmaPost.mean} ± ${sigmaPost.sd}, truth ${sigma}`);
  assert.ok(Math.abs(sigmaPost.mean - fit.sigma) < sigmaPost.sd, `σ: posterior ${sigmaPost.mean} vs REML ${fit.sigma}`);
});

test("missing values are drawn from the predictive distribution; observed ones are kept", () => {
  const truth = [1, 0.5];
  const sigma = 0.8;
  const size = 30;
  const { W, m, starts, n } = simulate(60, size, truth, 0.5, sigma, 8);
  const observed = Float64Array.from(m);
  for (let r = 0; r < n; r += 3) observed[r] = NaN;
  // The predictive distribution given the observed rows, from their REML fit: mean wᵀβ̂ + b̂_i,
  // variance σ̂² + Var(b_i | data) + wᵀVw (what the posterior averages over, up to O(1/n)).
  const keep = Array.from({ length: n }, (_, r) => r).filter((r) => !Number.isNaN(observed[r]));
  const fit = lmm(
    makeFrame(keep.map((r) => [W[r * 2], W[r * 2 + 1]]), keep.map((r) => m[r]), ["(Intercept)", "x"], keep.map((r) => Math.floor(r / size)), undefined, { randomIntercept: true }),
  );
  const predictive = (r: number): { mean: number; variance: number } => {
    const c = Math.floor(r / size);
    const w = [W[r * 2], W[r * 2 + 1]];
    const xvx = w[0] * w[0] * fit.vcov[0] + 2 * w[0] * w[1] * fit.vcov[1] + w[1] * w[1] * fit.vcov[3];
    return {
      mean: w[0] * fit.coefficients[0] + w[1] * fit.coefficients[1] + fit.conditionalModes.values[c],
      variance: fit.sigma ** 2 + fit.conditionalModes.conditionalVariance[c] + xvx,
    };
  };
  const standardized: number[] = [];
  runNormalGibbsChain(
    { W, n, p: 2, starts, modifier: observed, priorMean: fit.coefficients, sigma2Start: fit.sigma ** 2, tauStart: 4 },
    { ...GIBBS_DEFAULTS, burnin: 200, thin: 10, imputations: 50 },
    createRng(3),
    (mc) => {
      for (let r = 0; r < n; r++) {
        if (Number.isNaN(observed[r])) {
          const { mean, variance } = predictive(r);
          standardized.push((mc[r] - mean) / Math.sqrt(variance));
        } else assert.equal(mc[r], observed[r]);
      }
    },
  );
  // 50 × 600 standardized draws, correlated within a cluster and across saved iterations through the
  // parameter draws (those carry ≈ 5% of the variance): their mean is within 0.05 of 0 and their SD
  // within 3% of 1 (σ's posterior SD is ≈ 2.5% of σ with 1200 observed rows).
  const { mean, sd } = summary(standardized);
  assert.ok(Math.abs(mean) < 0.05, `mean standardized imputation ${mean}`);
  assert.ok(Math.abs(sd - 1) < 0.03, `SD of standardized imputations ${sd}`);
});

test("without a random intercept the normal sampler is Bayesian linear regression: posterior ≈ least squares", () => {
  const { W, m, n } = simulate(1, 200, [2, -1], 0, 1.5, 13);
  const fit = lm(frameOf(W, m, n), { vcov: "classical" });
  const burnin = 200;
  const chain = runNormalGibbsChain(
    { W, n, p: 2, starts: Int32Array.from({ length: n + 1 }, (_, i) => i), modifier: m, priorMean: fit.coefficients, randomIntercept: false, sigma2Start: 2, tauStart: 1 },
    { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: 4000 },
    createRng(6),
    () => {},
  );
  assert.equal(chain.tau.length, 0);
  for (let j = 0; j < 2; j++) {
    const draws = kept(chain, burnin, 2, j);
    const post = summary(draws);
    const mcse = post.sd / Math.sqrt(effectiveSampleSize([draws]));
    assert.ok(Math.abs(post.mean - fit.coefficients[j]) < 4 * mcse, `beta${j}: posterior ${post.mean} vs OLS ${fit.coefficients[j]} (MCSE ${mcse})`);
    // The marginal posterior is t with n − p df around the OLS estimate: SD = SE·√((n−p)/(n−p−2)); 4000 draws pin it to a few %.
    const expected = Math.sqrt(fit.vcov[j * 2 + j] * (n - 2) / (n - 4));
    assert.ok(Math.abs(post.sd / expected - 1) < 0.06, `beta${j}: posterior SD ${post.sd} vs ${expected}`);
  }
});

test("without a random intercept the Pólya-Gamma sampler is Bayesian logistic regression: posterior ≈ ML", () => {
  const rng = createRng(17);
  const n = 400;
  const W = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const x = rng.normal();
    W[r * 2] = 1;
    W[r * 2 + 1] = x;
    y[r] = rng.uniform() < 1 / (1 + Math.exp(-(0.4 + 0.9 * x))) ? 1 : 0;
  }
  const fit = glm(frameOf(W, y, n), { family: "binomial" });
  const burnin = 200;
  const chain = runGibbsChain(
    { W, n, p: 2, starts: Int32Array.from({ length: n + 1 }, (_, i) => i), modifier: y, priorMean: fit.coefficients, randomIntercept: false },
    { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: 4000 },
    createRng(2),
    () => {},
  );
  assert.equal(chain.tau.length, 0);
  for (let j = 0; j < 2; j++) {
    const post = summary(kept(chain, burnin, 2, j));
    const se = Math.sqrt(fit.vcov[j * 2 + j]);
    // n = 400: the posterior is close to normal around the MLE (difference O(1/n) in the mean, a few % in the SD).
    assert.ok(Math.abs(post.mean - fit.coefficients[j]) < 0.2 * se, `beta${j}: posterior ${post.mean} vs ML ${fit.coefficients[j]} (SE ${se})`);
    assert.ok(Math.abs(post.sd / se - 1) < 0.1, `beta${j}: posterior SD ${post.sd} vs ML SE ${se}`);
  }
});

test("the same stream gives the same chain", () => {
  const { W, m, starts, n } = simulate(10, 10, [0, 1], 0.5, 1, 2);
  const s = { ...GIBBS_DEFAULTS, burnin: 20, thin: 2, imputations: 5 };
  const input = { W, n, p: 2, starts, modifier: m, priorMean: [0, 0], sigma2Start: 1, tauStart: 2 };
  const a = runNormalGibbsChain(input, s, createRng(9), () => {});
  const b = runNormalGibbsChain(input, s, createRng(9), () => {});
  assert.deepEqual(a, b);
});
