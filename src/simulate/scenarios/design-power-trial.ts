/**
 * The simulated trials of the scenarios `design-power` and
 * `design-power-hte` (design-power.ts): design parameters, cluster sizes
 * and data generation.
 *
 * Data-generating mechanism (both scenarios):
 * - 2k clusters, k = `clustersPerArm` per arm; clusters 1..k are controls,
 *   k+1..2k treated. Sizes are drawn independently of everything else, so a
 *   fixed allocation has the distribution of exact 1:1 randomization.
 * - Cluster sizes: with `cv` = 0 every cluster has `clusterSize` members (a
 *   whole number). With `cv` > 0, nᵢ = max(1, round(Gᵢ)),
 *   Gᵢ ~ Gamma(shape 1/cv², mean `clusterSize`), so E[G] = clusterSize and
 *   sd(G)/E[G] = cv; the rounding and the floor at 1 move the realized mean
 *   and cv slightly (exact values: `clusterSizeDistribution`, reported in the
 *   condition notes).
 * - Continuous outcome (`design-power`, `outcome` = "continuous"):
 *   Y = effect·A + uᵢ + eᵢⱼ, uᵢ ~ N(0, icc·sd²), eᵢⱼ ~ N(0, (1 − icc)·sd²):
 *   total SD `sd`, ICC `icc`.
 * - Binary outcome (`outcome` = "binary"): beta-binomial. Cluster i has a
 *   risk pᵢ ~ Beta with mean π_A (π₀ = `p0`, π₁ = p0 + effect) and
 *   Var(pᵢ) = icc·π_A(1 − π_A), i.e. Beta(π(1 − ρ)/ρ, (1 − π)(1 − ρ)/ρ);
 *   Yᵢⱼ ~ Bernoulli(pᵢ). The ICC is defined on the proportion scale — the
 *   correlation of two outcomes in the same cluster, which is exactly ρ —
 *   the ICC of the closed-form design effect 1 + (n − 1)ρ for proportions.
 *   The effect is the risk difference π₁ − π₀.
 * - Modifier (`design-power-hte`, continuous outcome only): Mᵢⱼ ~
 *   Bernoulli(qᵢ), qᵢ ~ Beta with mean `prevalence` and ICC `modifierIcc`
 *   (same beta-binomial construction, so the within-cluster correlation of
 *   M is exactly modifierIcc, the ρ_x of Yang et al. 2020), and
 *   Y = β_A·A + β_M·M + β_AM·A·M + uᵢ + eᵢⱼ with β_AM = `interaction`,
 *   β_M = `modifierEffect`, β_A = effect − interaction·prevalence (so the
 *   ATE, averaged over M, is `effect`); `sd` and `icc` are the outcome SD
 *   and ICC given M (Yang's σ_{y|x} and ρ_y).
 * - Missing modifier (`missingRate` > 0): MCAR, each M missing with
 *   probability missingRate; or MAR on Y ("mar"):
 *   logit P(missing) = γ₀ + γ₁·(Y − μ̄)/σ̄ with γ₁ = `missingSlope`, μ̄ and σ̄
 *   the design's marginal mean and SD of Y, and γ₀ solved so that the rate
 *   is missingRate when (Y − μ̄)/σ̄ is standard normal (Y is a normal
 *   mixture, so the realized rate is close to, not exactly, missingRate).
 */
import { InputError } from "../../core/errors.ts";
import { pchisq } from "../../dist/index.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { integerParameter, numberParameter, stringParameter } from "../conditions.ts";
import type { Parameters } from "../types.ts";
import { expectedExpit } from "./missing-modifier-study.ts";

// ---------------------------------------------------------------------------
// Design parameters

export type DesignOutcome = "continuous" | "binary";
export type MissingMechanism = "mcar" | "mar";

/** A validated design read from scenario parameters. */
export interface PowerDesign {
  readonly clustersPerArm: number;
  readonly clusterSize: number;
  readonly cv: number;
  readonly icc: number;
  readonly outcome: DesignOutcome;
  /** Mean difference (continuous) or risk difference (binary): the ATE. */
  readonly effect: number;
  /** Outcome SD (given the modifier in the HTE design); continuous only. */
  readonly sd: number;
  /** Control-arm risk; binary only. */
  readonly p0: number;
  /** Null without a modifier. */
  readonly modifier: {
    readonly prevalence: number;
    readonly icc: number;
    readonly interaction: number;
    readonly mainEffect: number;
  } | null;
  /** Null without missingness. */
  readonly missing: {
    readonly rate: number;
    readonly mechanism: MissingMechanism;
    readonly slope: number;
  } | null;
}

function inUnit(p: Parameters, name: string, lowOpen: boolean): number {
  const v = numberParameter(p, name);
  if (!(lowOpen ? v > 0 : v >= 0) || !(v < 1)) throw new InputError(`parameter '${name}' must be in ${lowOpen ? "(0" : "[0"}, 1); got ${v}`);
  return v;
}

/** Reads and validates a design from the parameters of either scenario (throws an InputError naming the parameter). */
export function readPowerDesign(p: Parameters): PowerDesign {
  const clustersPerArm = integerParameter(p, "clustersPerArm", 2);
  const clusterSize = numberParameter(p, "clusterSize");
  const cv = numberParameter(p, "cv");
  if (!(cv >= 0)) throw new InputError(`parameter 'cv' must be ≥ 0; got ${cv}`);
  if (!(clusterSize >= 1)) throw new InputError(`parameter 'clusterSize' must be at least 1; got ${clusterSize}`);
  if (cv === 0 && !Number.isInteger(clusterSize)) {
    throw new InputError(`parameter 'clusterSize' must be a whole number when cv = 0 (every cluster has that size); got ${clusterSize}`);
  }
  const icc = inUnit(p, "icc", false);
  const hte = Object.hasOwn(p, "interaction");
  const outcome = hte ? "continuous" : stringParameter(p, "outcome");
  if (outcome !== "continuous" && outcome !== "binary") {
    throw new InputError(`parameter 'outcome' must be "continuous" or "binary"; got ${JSON.stringify(outcome)}`);
  }
  const effect = numberParameter(p, "effect");
  let sd = NaN;
  let p0 = NaN;
  if (outcome === "continuous") {
    sd = numberParameter(p, "sd");
    if (!(sd > 0)) throw new InputError(`parameter 'sd' must be positive; got ${sd}`);
  } else {
    p0 = inUnit(p, "p0", true);
    const p1 = p0 + effect;
    if (!(p1 > 0 && p1 < 1)) {
      throw new InputError(`parameter 'effect' (a risk difference) must keep p0 + effect in (0, 1); got p0 = ${p0}, effect = ${effect} (p1 = ${p1})`);
    }
  }
  let modifier: PowerDesign["modifier"] = null;
  let missing: PowerDesign["missing"] = null;
  if (hte) {
    modifier = {
      prevalence: inUnit(p, "prevalence", true),
      icc: inUnit(p, "modifierIcc", false),
      interaction: numberParameter(p, "interaction"),
      mainEffect: numberParameter(p, "modifierEffect"),
    };
    const rate = inUnit(p, "missingRate", false);
    const mechanism = stringParameter(p, "missingMechanism");
    if (mechanism !== "mcar" && mechanism !== "mar") {
      throw new InputError(`parameter 'missingMechanism' must be "mcar" or "mar"; got ${JSON.stringify(mechanism)}`);
    }
    const slope = numberParameter(p, "missingSlope");
    if (rate > 0) missing = { rate, mechanism, slope };
    integerParameter(p, "imputations", 2);
    integerParameter(p, "burnin", 0);
    integerParameter(p, "thin", 1);
  }
  return { clustersPerArm, clusterSize, cv, icc, outcome, effect, sd, p0, modifier, missing };
}

// ---------------------------------------------------------------------------
// Cluster sizes

/** The distribution of cluster sizes of a design: support, probabilities, realized mean and cv. */
export interface ClusterSizeDistribution {
  readonly sizes: Int32Array;
  readonly probabilities: Float64Array;
  readonly mean: number;
  readonly cv: number;
}

/**
 * Exact distribution of nᵢ = max(1, round(G)), G ~ Gamma(1/cv², mean
 * `mean`) (a point mass at `mean` when cv = 0), from the gamma CDF
 * (χ² CDF: G·2/(mean·cv²) ~ χ²(2/cv²)); the upper tail is cut where it
 * holds less than 1e-13.
 */
export function clusterSizeDistribution(mean: number, cv: number): ClusterSizeDistribution {
  if (cv === 0) return Object.freeze({ sizes: Int32Array.of(mean), probabilities: Float64Array.of(1), mean, cv: 0 });
  const shape = 1 / (cv * cv);
  const scale = mean * cv * cv;
  const cdf = (x: number): number => (x <= 0 ? 0 : pchisq((2 * x) / scale, 2 * shape));
  const sizes: number[] = [];
  const probs: number[] = [];
  let below = cdf(1.5);
  sizes.push(1);
  probs.push(below);
  for (let s = 2; 1 - below > 1e-13 && s < 1e7; s++) {
    const next = cdf(s + 0.5);
    sizes.push(s);
    probs.push(next - below);
    below = next;
  }
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < sizes.length; i++) {
    m1 += probs[i] * sizes[i];
    m2 += probs[i] * sizes[i] * sizes[i];
  }
  return Object.freeze({
    sizes: Int32Array.from(sizes),
    probabilities: Float64Array.from(probs),
    mean: m1,
    cv: Math.sqrt(Math.max(0, m2 - m1 * m1)) / m1,
  });
}

/** One cluster size (see clusterSizeDistribution). */
function drawClusterSize(rng: Rng, mean: number, cv: number): number {
  if (cv === 0) return mean;
  const shape = 1 / (cv * cv);
  return Math.max(1, Math.round(gamma(rng, shape, shape / mean)));
}

/** Beta(mean·(1 − ρ)/ρ, (1 − mean)(1 − ρ)/ρ) draw: variance ρ·mean(1 − mean); `mean` itself when ρ = 0. */
function betaWithIcc(rng: Rng, mean: number, icc: number): number {
  if (icc === 0) return mean;
  const total = (1 - icc) / icc;
  const a = gamma(rng, mean * total);
  const b = gamma(rng, (1 - mean) * total);
  const s = a + b;
  return s > 0 ? a / s : mean;
}

// ---------------------------------------------------------------------------
// Data generation

/** One simulated trial; cluster c owns rows starts[c] .. starts[c+1]−1. */
export interface DesignTrial {
  readonly clustersPerArm: number;
  /** 2k + 1 row offsets. */
  readonly starts: Int32Array;
  /** 1 = treated, per cluster. */
  readonly treated: Uint8Array;
  readonly y: Float64Array;
  /** Modifier as observed (NaN = missing); null without a modifier. */
  readonly modifier: Float64Array | null;
  /** Modifier before missingness; null without a modifier. */
  readonly modifierFull: Float64Array | null;
}

/** Marginal mean and SD of Y in the HTE design (over A ~ Bernoulli(½), M ~ Bernoulli(prevalence)). */
function marginalOutcome(d: PowerDesign): { mean: number; sd: number } {
  const m = d.modifier!;
  const betaA = d.effect - m.interaction * m.prevalence;
  let e1 = 0;
  let e2 = 0;
  for (const a of [0, 1]) {
    for (const x of [0, 1]) {
      const w = 0.5 * (x === 1 ? m.prevalence : 1 - m.prevalence);
      const f = betaA * a + m.mainEffect * x + m.interaction * a * x;
      e1 += w * f;
      e2 += w * f * f;
    }
  }
  return { mean: e1, sd: Math.sqrt(d.sd * d.sd + e2 - e1 * e1) };
}

/** γ₀ with E[expit(γ₀ + γ₁Z)] = rate, Z ~ N(0, 1) (bisection; the mean is increasing in γ₀). */
export function missingIntercept(rate: number, slope: number): number {
  let lo = -50;
  let hi = 50;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = 0.5 * (lo + hi);
    if (expectedExpit(mid, slope * slope) < rate) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Simulates one trial of the design in `params` (either scenario). */
export function simulateDesignTrial(params: Parameters, rng: Rng): DesignTrial {
  const d = readPowerDesign(params);
  const k = d.clustersPerArm;
  const C = 2 * k;
  const starts = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) starts[c + 1] = starts[c] + drawClusterSize(rng, d.clusterSize, d.cv);
  const N = starts[C];
  const treated = new Uint8Array(C);
  treated.fill(1, k);
  const y = new Float64Array(N);
  const mod = d.modifier;
  const modifierFull = mod ? new Float64Array(N) : null;
  const modifier = mod ? new Float64Array(N) : null;
  const sdU = d.outcome === "continuous" ? d.sd * Math.sqrt(d.icc) : 0;
  const sdE = d.outcome === "continuous" ? d.sd * Math.sqrt(1 - d.icc) : 0;
  const betaA = mod ? d.effect - mod.interaction * mod.prevalence : d.effect;
  const miss = d.missing;
  let centre = 0;
  let scale = 1;
  let gamma0 = 0;
  if (mod && miss && miss.mechanism === "mar") {
    const m = marginalOutcome(d);
    centre = m.mean;
    scale = m.sd;
    gamma0 = missingIntercept(miss.rate, miss.slope);
  }
  for (let c = 0; c < C; c++) {
    const a = treated[c];
    const s0 = starts[c];
    const s1 = starts[c + 1];
    if (d.outcome === "binary") {
      const p = betaWithIcc(rng, d.p0 + a * d.effect, d.icc);
      for (let r = s0; r < s1; r++) y[r] = rng.uniform() < p ? 1 : 0;
      continue;
    }
    const u = sdU * rng.normal();
    if (!mod) {
      const centreC = betaA * a + u;
      for (let r = s0; r < s1; r++) y[r] = centreC + sdE * rng.normal();
      continue;
    }
    const q = betaWithIcc(rng, mod.prevalence, mod.icc);
    for (let r = s0; r < s1; r++) {
      const x = rng.uniform() < q ? 1 : 0;
      const yr = betaA * a + mod.mainEffect * x + mod.interaction * a * x + u + sdE * rng.normal();
      y[r] = yr;
      modifierFull![r] = x;
      let missing = false;
      if (miss) {
        const pm = miss.mechanism === "mcar" ? miss.rate : 1 / (1 + Math.exp(-(gamma0 + (miss.slope * (yr - centre)) / scale)));
        missing = rng.uniform() < pm;
      }
      modifier![r] = missing ? NaN : x;
    }
  }
  return { clustersPerArm: k, starts, treated, y, modifier, modifierFull };
}
