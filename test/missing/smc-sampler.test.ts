/**
 * The smc sampler's pieces, statistically: the blocked draw of fixed effects
 * and random intercepts against the exact joint normal conditional; the
 * modifier draw against its two-point full conditional; and, with no missing
 * modifier, the posterior of the substantive model against lme4's fits
 * (fixtures/r/smc-lmer.R). Bounds are Monte Carlo errors, stated per test.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dataset } from "../../src/data/dataset.ts";
import { effectiveSampleSize } from "../../src/inference/mcmc.ts";
import { invertSymmetric } from "../../src/linalg/symmetric.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior } from "../../src/missing/smc/block.ts";
import { runSmcChain, type ModifierSampler, type OutcomeSampler } from "../../src/missing/smc/chain.ts";
import { workingLayout } from "../../src/missing/smc/layout.ts";
import { smcSampler } from "../../src/missing/smc/smc.ts";
import { createRng } from "../../src/random/index.ts";

function meanSd(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(v / (x.length - 1)) };
}

test("the blocked draw of (β, b) has the exact joint normal conditional", () => {
  // z_r = x_rᵀβ + b_c + e_r, e_r ~ N(0, 1/(s·w_r)), b_c ~ N(0, 1/τ), β ~ N(β₀, diag(v)):
  // the joint precision of θ = (β, b) is diag(1/v, τ) + s·ZᵀWZ, Z = [X | cluster indicators].
  const rng = createRng(41);
  const p = 2;
  const sizes = [3, 5, 2];
  const C = sizes.length;
  const rows: { x: number[]; c: number; w: number; z: number }[] = [];
  sizes.forEach((size, c) => {
    for (let k = 0; k < size; k++) rows.push({ x: [1, rng.normal()], c, w: 0.2 + rng.uniform(), z: rng.normal() + c });
  });
  const scale = 0.7;
  const tau = 1.3;
  const priorMean = [0.5, -0.2];
  const priorVariance = [4, 9];
  const stats = blockStatistics(p, C);
  for (const r of rows) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) stats.gram[i * p + j] += r.w * r.x[i] * r.x[j];
      stats.cross[i] += r.w * r.z * r.x[i];
      stats.clusterSums[r.c * p + i] += r.w * r.x[i];
    }
    stats.clusterWeights[r.c] += r.w;
    stats.clusterCross[r.c] += r.w * r.z;
  }
  const q = p + C;
  const precision = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  for (let i = 0; i < p; i++) {
    precision[i * q + i] = 1 / priorVariance[i];
    rhs[i] = priorMean[i] / priorVariance[i];
  }
  for (let c = 0; c < C; c++) precision[(p + c) * q + p + c] = tau;
  for (const r of rows) {
    const zrow = [...r.x, ...Array.from({ length: C }, (_, c) => (c === r.c ? 1 : 0))];
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < q; j++) precision[i * q + j] += scale * r.w * zrow[i] * zrow[j];
      rhs[i] += scale * r.w * r.z * zrow[i];
    }
  }
  const covariance = invertSymmetric(precision, q);
  const mean = Array.from({ length: q }, (_, i) => covariance.slice(i * q, i * q + q).reduce((s, v, j) => s + v * rhs[j], 0));

  const N = 40000;
  const draws = new Float64Array(N * q);
  const beta = new Float64Array(p);
  const b = new Float64Array(C);
  const prior = normalPrior(priorMean, priorVariance);
  const work = blockWork(p);
  for (let t = 0; t < N; t++) {
    const sumSq = drawBlock(stats, scale, tau, prior, rng, beta, b, work, "test");
    assert.ok(Math.abs(sumSq - b.reduce((s, v) => s + v * v, 0)) < 1e-12);
    draws.set(beta, t * q);
    draws.set(b, t * q + p);
  }
  // Each mean within 4.5 SEs (sd/√N) and each covariance entry within 4.5 SEs of
  // its estimate (SE ≤ √((Σ_ii Σ_jj + Σ_ij²)/N)): 20 checks, false alarm < 2e-4.
  const empirical = new Float64Array(q * q);
  const m = Array.from({ length: q }, (_, i) => {
    let s = 0;
    for (let t = 0; t < N; t++) s += draws[t * q + i];
    return s / N;
  });
  for (let i = 0; i < q; i++) {
    assert.ok(Math.abs(m[i] - mean[i]) < 4.5 * Math.sqrt(covariance[i * q + i] / N), `mean ${i}: ${m[i]} vs ${mean[i]}`);
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < N; t++) s += (draws[t * q + i] - m[i]) * (draws[t * q + j] - m[j]);
      empirical[i * q + j] = s / (N - 1);
      const se = Math.sqrt((covariance[i * q + i] * covariance[j * q + j] + covariance[i * q + j] ** 2) / N);
      assert.ok(Math.abs(empirical[i * q + j] - covariance[i * q + j]) < 4.5 * se, `cov ${i},${j}: ${empirical[i * q + j]} vs ${covariance[i * q + j]}`);
    }
  }
});

test("each missing modifier is drawn from its two-point full conditional, also at extreme log-odds", () => {
  const logOdds = [-2, -0.3, 0, 0.8, 2.5, -800, 800];
  const split = [0.5, -1, 2, 0.3, -0.5, 1, -1]; // how the log-odds divide between the two models
  const n = logOdds.length + 2;
  const modifier = new Float64Array(n).fill(NaN);
  modifier[0] = 1;
  modifier[n - 1] = 0;
  const layout = workingLayout(Int32Array.from([0, 4, n]), [], modifier);
  const eta = new Float64Array(n);
  const ratios = logOdds.map((l, k) => l - split[k]);
  layout.missing.forEach((w, k) => (eta[w] = split[k]));
  const modifierModel: ModifierSampler = { kind: "logistic", p: 0, alpha: new Float64Array(0), eta, residualVariance: 1, extraNames: [], update: () => {}, record: () => {} };
  const outcome: OutcomeSampler = {
    extraNames: [],
    beta: new Float64Array(0),
    logRatio: (out) => out.set(ratios),
    normalTerms: () => assert.fail("a binary modifier's draw uses the likelihood ratio"),
    update: () => {},
    record: () => {},
  };
  const T = 20000;
  const ones = new Float64Array(n);
  runSmcChain(layout, modifier, modifierModel, outcome, { burnin: 0, thin: 1, imputations: T }, createRng(5), (m) => {
    for (let r = 0; r < n; r++) ones[r] += m[r];
  });
  assert.equal(ones[0], T);
  assert.equal(ones[n - 1], 0);
  layout.missing.forEach((w, k) => {
    const r = layout.order[w];
    const p = 1 / (1 + Math.exp(-logOdds[k]));
    // Binomial count within 4.5 SDs (exactly 0 or T at the extremes).
    const bound = 4.5 * Math.sqrt(T * p * (1 - p));
    assert.ok(Math.abs(ones[r] - T * p) <= bound, `log-odds ${logOdds[k]}: ${ones[r]} of ${T}, expected ${T * p}`);
  });
});

test("a continuous modifier is drawn from its normal full conditional", () => {
  // Modifier model N(μ, σ²) times the outcome's −½·q·m² + l·m: N((μ/σ² + l)/(1/σ² + q), 1/(1/σ² + q)).
  const mu = [0.5, -1, 2, 0];
  const q = [0, 0.8, 4, 10];
  const l = [0, -0.5, 3, 1];
  const sigma2 = 1.7;
  const n = mu.length + 1;
  const modifier = new Float64Array(n).fill(NaN);
  modifier[n - 1] = 0.3;
  const layout = workingLayout(Int32Array.from([0, 2, n]), [], modifier);
  const eta = new Float64Array(n);
  layout.missing.forEach((w, k) => (eta[w] = mu[k]));
  const modifierModel: ModifierSampler = { kind: "normal", p: 0, alpha: new Float64Array(0), eta, residualVariance: sigma2, extraNames: [], update: () => {}, record: () => {} };
  const outcome: OutcomeSampler = {
    extraNames: [],
    beta: new Float64Array(0),
    logRatio: () => assert.fail("a continuous modifier's draw uses the normal terms"),
    normalTerms: (precision, linear) => {
      precision.set(q);
      linear.set(l);
    },
    update: () => {},
    record: () => {},
  };
  const T = 20000;
  const sums = new Float64Array(n);
  const squares = new Float64Array(n);
  let changed = 0;
  runSmcChain(layout, modifier, modifierModel, outcome, { burnin: 0, thin: 1, imputations: T }, createRng(9), (m) => {
    if (m[n - 1] !== 0.3) changed++;
    for (let r = 0; r < n; r++) {
      sums[r] += m[r];
      squares[r] += m[r] * m[r];
    }
  });
  assert.equal(changed, 0, "the observed value is kept");
  layout.missing.forEach((w, k) => {
    const r = layout.order[w];
    const precision = 1 / sigma2 + q[k];
    const mean = (mu[k] / sigma2 + l[k]) / precision;
    const variance = 1 / precision;
    const m = sums[r] / T;
    const v = squares[r] / T - m * m;
    // 4.5 SEs for the mean (√(v/T)) and the variance (v·√(2/T)).
    assert.ok(Math.abs(m - mean) < 4.5 * Math.sqrt(variance / T), `row ${k}: mean ${m} vs ${mean}`);
    assert.ok(Math.abs(v - variance) < 4.5 * variance * Math.sqrt(2 / T), `row ${k}: variance ${v} vs ${variance}`);
  });
});

const fixture = JSON.parse(readFileSync(new URL("../fixtures/smc-lmer.json", import.meta.url), "utf8"));
const trial = dataset(
  ["cluster", "A", "M", "X1", "Y", "B", "Mc"].map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(fixture.data[name] as number[]) })),
);

/** Posterior mean, SD and ESS of each substantive-model parameter of one long chain with nothing missing. */
function completeDataPosterior(outcome: "Y" | "B", formula: string, family: "gaussian" | "binomial", kept: number) {
  const prepared = prepareModifierData(trial, { cluster: "cluster", treatment: "A", modifier: "M", outcome }, ["M ~ X1"], { family, substantive: { formula, family } });
  assert.equal(prepared.nMissing, 0);
  const burnin = 300;
  const sampler = smcSampler(prepared, prepared.designs[0], {
    imputations: kept,
    corstr: "exchangeable",
    level: 0.95,
    chains: 1,
    gibbs: { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: kept },
  });
  const chain = sampler.chain(createRng(2025), () => {});
  const out = new Map<string, { mean: number; sd: number; ess: number; draws: Float64Array }>();
  sampler.names.forEach((name, j) => {
    if (!name.startsWith(`${outcome}~`)) return;
    const draws = Float64Array.from({ length: kept }, (_, t) => chain.draws[(burnin + t) * chain.width + j]);
    out.set(name.slice(2), { ...meanSd(draws), ess: effectiveSampleSize([draws]), draws });
  });
  return out;
}

function checkAgainstFit(
  posterior: ReturnType<typeof completeDataPosterior>,
  fit: { terms: string[]; fixef: number[]; se: number[]; clusterVariance: number },
  sdAllowance: number,
): void {
  fit.terms.forEach((term, j) => {
    const p = posterior.get(term)!;
    // The posterior mean under a prior with 1% of the data's information sits a
    // small fraction of a posterior SD from the (RE)ML estimate (0.1 SD allowed),
    // plus 4 Monte Carlo SEs (SD/√ESS).
    const bound = 0.1 * p.sd + (4 * p.sd) / Math.sqrt(p.ess);
    assert.ok(Math.abs(p.mean - fit.fixef[j]) < bound, `${term}: posterior mean ${p.mean} vs ${fit.fixef[j]} (bound ${bound})`);
    // Posterior SD against the standard error: averaging over the variance
    // components moves it by a few percent (`sdAllowance`), plus 4 relative Monte Carlo SEs (1/√(2·ESS)).
    const ratio = p.sd / fit.se[j];
    assert.ok(Math.abs(ratio - 1) < sdAllowance + 4 / Math.sqrt(2 * p.ess), `${term}: posterior SD ${p.sd} vs SE ${fit.se[j]}`);
  });
  // The random-intercept variance σ²_u = 1/τ: its posterior is skewed with 40
  // clusters, so its mean may lie up to one posterior SD from the REML/Laplace estimate.
  const variance = meanSd(Float64Array.from(posterior.get("tau")!.draws, (t) => 1 / t));
  const ess = effectiveSampleSize([Float64Array.from(posterior.get("tau")!.draws, (t) => 1 / t)]);
  assert.ok(Math.abs(variance.mean - fit.clusterVariance) < variance.sd * (1 + 4 / Math.sqrt(ess)), `cluster variance ${variance.mean} ± ${variance.sd} vs ${fit.clusterVariance}`);
}

test("with nothing missing, the linear substantive model's posterior agrees with lmer (REML)", () => {
  const posterior = completeDataPosterior("Y", fixture.formula, "gaussian", 4000);
  checkAgainstFit(posterior, fixture.lmer, 0.05);
  // σ²: posterior SD ≈ σ²√(2/n); REML and the posterior mean differ by O(p/n)·σ², a small part of it.
  const s = posterior.get("sigma2")!;
  assert.ok(Math.abs(s.mean - fixture.lmer.sigma2) < 0.25 * s.sd + (4 * s.sd) / Math.sqrt(s.ess), `sigma2 ${s.mean} vs ${fixture.lmer.sigma2}`);
});

test("with nothing missing, the logistic substantive model's posterior agrees with glmer (Laplace)", () => {
  const posterior = completeDataPosterior("B", fixture.binaryFormula, "binomial", 4000);
  assert.equal(posterior.has("sigma2"), false);
  checkAgainstFit(posterior, fixture.glmer, 0.1);
});

test("with nothing missing, a continuous modifier's normal model has lmer's posterior", () => {
  const prepared = prepareModifierData(trial, { cluster: "cluster", treatment: "A", modifier: "Mc", outcome: "Y" }, [fixture.normalModifier.formula], {
    substantive: { formula: "Y ~ A*Mc*X1 + (1 | cluster)", family: "gaussian" },
  });
  assert.equal(prepared.modifierType, "continuous");
  const burnin = 300;
  const kept = 4000;
  const sampler = smcSampler(prepared, prepared.designs[0], {
    imputations: kept,
    corstr: "exchangeable",
    level: 0.95,
    chains: 1,
    gibbs: { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: kept },
  });
  assert.deepEqual(sampler.names.slice(0, 4), ["(Intercept)", "X1", "tau", "sigma"]);
  const chain = sampler.chain(createRng(2026), () => {});
  const column = (j: number, f: (x: number) => number = (x) => x) => Float64Array.from({ length: kept }, (_, t) => f(chain.draws[(burnin + t) * chain.width + j]));
  const fit = fixture.normalModifier;
  fit.terms.forEach((term: string, j: number) => {
    const draws = column(j);
    const p = meanSd(draws);
    const ess = effectiveSampleSize([draws]);
    // As for the substantive model: 0.1 posterior SD for the prior and the variance components, 4 Monte Carlo SEs.
    assert.ok(Math.abs(p.mean - fit.fixef[j]) < 0.1 * p.sd + (4 * p.sd) / Math.sqrt(ess), `${term}: ${p.mean} vs ${fit.fixef[j]}`);
    assert.ok(Math.abs(p.sd / fit.se[j] - 1) < 0.05 + 4 / Math.sqrt(2 * ess), `${term}: posterior SD ${p.sd} vs SE ${fit.se[j]}`);
  });
  const sigma = column(3);
  const s = meanSd(sigma);
  assert.ok(Math.abs(s.mean - fit.sigma) < 0.25 * s.sd + (4 * s.sd) / Math.sqrt(effectiveSampleSize([sigma])), `sigma ${s.mean} vs ${fit.sigma}`);
  const variance = column(2, (t) => 1 / t);
  const v = meanSd(variance);
  assert.ok(Math.abs(v.mean - fit.clusterVariance) < v.sd * (1 + 4 / Math.sqrt(effectiveSampleSize([variance]))), `cluster variance ${v.mean} ± ${v.sd} vs ${fit.clusterVariance}`);
});
