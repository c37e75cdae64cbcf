/**
 * Power of a two-arm parallel cluster-randomized trial by simulation: the
 * scenarios `design-power` (estimand `ate`) and `design-power-hte` (an
 * individual-level binary effect modifier; estimands `ate` and `hte`,
 * optionally with the modifier partly missing).
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
 *
 * Methods. `design-power`: cluster-t (pooled t test on unweighted cluster
 * means, df 2k − 2), gee (Gaussian identity-link GEE, exchangeable, robust
 * sandwich SE, normal reference), gee-md (the same with the Mancl–DeRouen SE
 * and t(2k − 2)), lmm (random-intercept LMM by REML, t(2k − 2)), lm-cr2
 * (individual-level least squares, CR2 SE, Satterthwaite df). Binary
 * outcomes use the same identity-link models (linear probability models),
 * which estimate the risk difference. `design-power-hte`: gee, gee-md, lmm
 * and lm-cr2 for `Y ~ A*Mc` (Mc = M centred at its mean over the rows
 * analysed; ate = coefficient of A, hte = of A:Mc) on the rows with M
 * observed (all rows without missingness; with it, these are complete-case
 * analyses), with the same reference distributions (lmm and gee-md: t(2k − 2)
 * for both estimands, conservative for the interaction); and the
 * missing-modifier methods cca, si, mi, mmi and bmmi (src/missing, through
 * runMethod) with their own inference.
 *
 * Truth: ate = effect, hte = interaction, by construction.
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { Estimate } from "../../core/records.ts";
import { dataset, type Dataset } from "../../data/dataset.ts";
import { pchisq } from "../../dist/index.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { waldEstimate } from "../../inference/wald.ts";
import { matrix } from "../../linalg/matrix.ts";
import { GIBBS_DEFAULTS } from "../../missing/gibbs.ts";
import { METHOD_NAMES, type MethodSettings } from "../../missing/result.ts";
import { gee } from "../../models/gee/index.ts";
import { lm } from "../../models/lm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { integerParameter, numberParameter, stringParameter } from "../conditions.ts";
import { estimandRow } from "../rows.ts";
import type { AnalysisRow, MethodInfo, MethodSpec, Parameters, Scenario } from "../types.ts";
import { expectedExpit, missingModifierRows } from "./missing-modifier-study.ts";

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

// ---------------------------------------------------------------------------
// Analyses

const ROW_ESTIMANDS = { ate: "A", hte: "A:Mc" } as const;

/** Pooled two-sample t test on unweighted cluster means, df = 2k − 2 (clusters − 2). */
export function clusterMeansT(trial: DesignTrial): Estimate {
  const C = trial.treated.length;
  let n1 = 0, s1 = 0, n0 = 0, s0 = 0;
  const means = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let r = trial.starts[c]; r < trial.starts[c + 1]; r++) s += trial.y[r];
    means[c] = s / (trial.starts[c + 1] - trial.starts[c]);
    if (trial.treated[c] === 1) (n1++, (s1 += means[c]));
    else (n0++, (s0 += means[c]));
  }
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let ss = 0;
  for (let c = 0; c < C; c++) {
    const dev = means[c] - (trial.treated[c] === 1 ? m1 : m0);
    ss += dev * dev;
  }
  const df = C - 2;
  return waldEstimate(m1 - m0, Math.sqrt((ss / df) * (1 / n1 + 1 / n0)), df);
}

/**
 * The model frame of a trial: `y ~ A` (no modifier) or `y ~ A*Mc` on the rows
 * with the modifier observed, Mc centred at its mean over those rows.
 * Clusters left without rows are removed. With `random` the frame carries
 * the random intercept `(1 | cluster)`.
 */
export function trialFrame(trial: DesignTrial, random: boolean): ModelFrame {
  const C = trial.treated.length;
  const m = trial.modifier;
  const N = trial.y.length;
  let used = N;
  let centre = 0;
  if (m) {
    used = 0;
    let s = 0;
    for (let r = 0; r < N; r++) if (!Number.isNaN(m[r])) (used++, (s += m[r]));
    centre = s / used;
  }
  const p = m ? 4 : 2;
  const x = new Float64Array(used * p);
  const y = new Float64Array(used);
  const rows = new Int32Array(used);
  const dropped = new Int32Array(N - used);
  const starts: number[] = [0];
  const ids: string[] = [];
  let i = 0;
  let j = 0;
  for (let c = 0; c < C; c++) {
    const a = trial.treated[c];
    for (let r = trial.starts[c]; r < trial.starts[c + 1]; r++) {
      if (m && Number.isNaN(m[r])) {
        dropped[j++] = r;
        continue;
      }
      const o = i * p;
      x[o] = 1;
      x[o + 1] = a;
      if (m) {
        const mc = m[r] - centre;
        x[o + 2] = mc;
        x[o + 3] = a * mc;
      }
      y[i] = trial.y[r];
      rows[i] = r;
      i++;
    }
    if (i > starts[starts.length - 1]) {
      starts.push(i);
      ids.push(String(c + 1));
    }
  }
  const diagnostics: Diagnostic[] = [];
  return {
    formula: m ? (random ? "Y ~ A*Mc + (1 | cluster)" : "Y ~ A*Mc") : random ? "Y ~ A + (1 | cluster)" : "Y ~ A",
    response: "Y",
    y,
    X: matrix(used, p, x),
    columnNames: m ? ["(Intercept)", "A", "Mc", "A:Mc"] : ["(Intercept)", "A"],
    rows,
    droppedRows: dropped,
    nDropped: N - used,
    clusters: { column: "cluster", ids, starts: Int32Array.from(starts) },
    randomTerms: random ? [{ term: "(Intercept)", group: "cluster" }] : [],
    diagnostics,
  };
}

/** Model-based analyses; one row per estimand of `estimands`. */
function modelRows(trial: DesignTrial, method: string, estimands: readonly ("ate" | "hte")[]): AnalysisRow[] {
  const tDf = 2 * trial.clustersPerArm - 2;
  const index = (e: "ate" | "hte"): number => (e === "ate" ? 1 : 3);
  switch (method) {
    case "gee":
    case "gee-md": {
      const fit = gee(trialFrame(trial, false), { family: "gaussian", corstr: "exchangeable", se: method === "gee" ? "robust" : "md" });
      const p = fit.coefficients.length;
      return estimands.map((e) => {
        const j = index(e);
        const se = Math.sqrt(fit.vcov[j * p + j]);
        return estimandRow(e, waldEstimate(fit.coefficients[j], se, method === "gee" ? null : tDf), fit.converged);
      });
    }
    case "lmm": {
      const fit = lmm(trialFrame(trial, true));
      const p = fit.coefficients.length;
      return estimands.map((e) => {
        const j = index(e);
        return estimandRow(e, waldEstimate(fit.coefficients[j], Math.sqrt(fit.vcov[j * p + j]), tDf), fit.converged);
      });
    }
    case "lm-cr2": {
      const fit = lm(trialFrame(trial, false), { vcov: "CR2" });
      return estimands.map((e) => {
        const c = fit.table.find((x) => x.term === ROW_ESTIMANDS[e])!;
        return estimandRow(e, c);
      });
    }
    default:
      throw new InputError(`unknown method '${method}'`);
  }
}

/** The trial as a Dataset with columns cluster, A, M (NaN = missing), Y, for the missing-modifier methods. */
export function trialDataset(trial: DesignTrial): Dataset {
  const N = trial.y.length;
  const cluster = new Float64Array(N);
  const A = new Float64Array(N);
  for (let c = 0; c < trial.treated.length; c++) {
    cluster.fill(c + 1, trial.starts[c], trial.starts[c + 1]);
    A.fill(trial.treated[c], trial.starts[c], trial.starts[c + 1]);
  }
  return dataset([
    { name: "cluster", kind: "numeric", values: cluster },
    { name: "A", kind: "numeric", values: A },
    { name: "M", kind: "numeric", values: trial.modifier ?? new Float64Array(N) },
    { name: "Y", kind: "numeric", values: trial.y },
  ]);
}

function missingSettings(p: Parameters): MethodSettings {
  const imputations = integerParameter(p, "imputations", 2);
  return {
    imputations,
    corstr: "exchangeable",
    level: 0.95,
    chains: 1,
    gibbs: { ...GIBBS_DEFAULTS, imputations, burnin: integerParameter(p, "burnin", 0), thin: integerParameter(p, "thin", 1) },
  };
}

function missingMethodRows(trial: DesignTrial, params: Parameters, spec: MethodSpec, rng: Rng): AnalysisRow[] {
  return missingModifierRows(trialDataset(trial), spec, missingSettings(params), rng, ["ate", "hte"]);
}

// ---------------------------------------------------------------------------
// Scenarios

/** Methods of the `design-power` scenario. */
export const DESIGN_POWER_METHODS = ["cluster-t", "gee", "gee-md", "lmm", "lm-cr2"] as const;
/** Methods of the `design-power-hte` scenario. */
export const DESIGN_POWER_HTE_METHODS = ["gee", "gee-md", "lmm", "lm-cr2", ...METHOD_NAMES] as const;

const MODEL_METHODS: readonly MethodInfo[] = [
  { name: "gee", description: "GEE, Gaussian identity link, exchangeable, robust sandwich SE, normal reference" },
  { name: "gee-md", description: "the same GEE with the Mancl–DeRouen small-sample SE and t(2k − 2)" },
  { name: "lmm", description: "random-intercept LMM by REML, t(2k − 2)" },
  { name: "lm-cr2", description: "individual-level least squares, CR2 cluster-robust SE, Satterthwaite df" },
];

function sizeNote(p: Parameters): Diagnostic[] {
  const d = readPowerDesign(p);
  if (d.cv === 0) return [];
  const dist = clusterSizeDistribution(d.clusterSize, d.cv);
  return [
    info(
      "cluster-size-distribution",
      `cluster sizes max(1, round(Gamma)) with mean ${d.clusterSize} and cv ${d.cv}: realized mean ${dist.mean.toFixed(4)}, cv ${dist.cv.toFixed(4)}`,
    ),
  ];
}

const COMMON_DEFAULTS = { clustersPerArm: 10, clusterSize: 20, cv: 0, icc: 0.05 } as const;

/** `design-power`: the ATE of a two-arm parallel CRT, continuous or binary outcome. */
export const designPowerScenario: Scenario<DesignTrial> = {
  name: "design-power",
  description:
    "two-arm parallel CRT (continuous or beta-binomial binary outcome, gamma cluster sizes): power of cluster-t, gee, gee-md, lmm, lm-cr2 for the ATE",
  defaults: { ...COMMON_DEFAULTS, outcome: "continuous", effect: 0.5, sd: 1, p0: 0.3 },
  grid: { effect: [0, 0.5] },
  estimands: ["ate"],
  methods: [{ name: "cluster-t", description: "pooled t test on cluster means, df 2k − 2" }, ...MODEL_METHODS],
  validate: (p) => void readPowerDesign(p),
  truth: (p) => ({ ate: readPowerDesign(p).effect }),
  notes: (p) => {
    const d = readPowerDesign(p);
    const out = sizeNote(p);
    if (d.outcome === "binary") {
      out.push(
        info(
          "binary-outcome",
          `beta-binomial outcome: risks ${d.p0} (control) and ${Number((d.p0 + d.effect).toPrecision(12))} (intervention), ICC ${d.icc} on the proportion scale; ` +
            "the ATE is the risk difference, estimated by identity-link (linear probability) models",
        ),
      );
    }
    return out;
  },
  generate: simulateDesignTrial,
  analyse(trial: DesignTrial, _params: Parameters, spec: MethodSpec): AnalysisRow[] {
    if (spec.method === "cluster-t") return [estimandRow("ate", clusterMeansT(trial))];
    return modelRows(trial, spec.method, ["ate"]);
  },
};

/** `design-power-hte`: ATE and treatment-by-modifier interaction with a binary modifier, optionally partly missing. */
export const designPowerHteScenario: Scenario<DesignTrial> = {
  name: "design-power-hte",
  description:
    "two-arm parallel CRT with a binary individual-level effect modifier (optionally missing, MCAR or MAR on Y): power for the ATE and the HTE (A:M interaction)",
  defaults: {
    ...COMMON_DEFAULTS,
    clustersPerArm: 20,
    effect: 0.5,
    sd: 1,
    prevalence: 0.5,
    modifierIcc: 0.1,
    interaction: 0.5,
    modifierEffect: 0,
    missingRate: 0,
    missingMechanism: "mcar",
    missingSlope: 1,
    imputations: 5,
    burnin: GIBBS_DEFAULTS.burnin,
    thin: GIBBS_DEFAULTS.thin,
  },
  grid: { interaction: [0, 0.5] },
  estimands: ["ate", "hte"],
  methods: [
    ...MODEL_METHODS,
    ...METHOD_NAMES.map((name) => ({
      name,
      usesImputationModel: name !== "cca",
      description: `missing-modifier method ${name} (GEE Y ~ A*Mc after ${name === "cca" ? "dropping rows without M" : "imputing M"})`,
    })),
  ],
  defaultMethods: ["gee", "gee-md", "lmm", "lm-cr2"],
  defaultImputationModels: ["M ~ A*Y"],
  validate: (p) => {
    readPowerDesign(p);
    missingSettings(p);
  },
  truth: (p) => {
    const d = readPowerDesign(p);
    return { ate: d.effect, hte: d.modifier!.interaction };
  },
  notes: (p) => {
    const d = readPowerDesign(p);
    const out = sizeNote(p);
    const miss = d.missing;
    if (miss) {
      out.push(
        info(
          "missing-modifier",
          miss.mechanism === "mcar"
            ? `modifier missing completely at random with probability ${miss.rate}; gee, gee-md, lmm and lm-cr2 analyse the complete cases`
            : `modifier missing at random given Y: logit P(missing) = ${missingIntercept(miss.rate, miss.slope).toFixed(4)} + ${miss.slope}·(Y − μ̄)/σ̄ ` +
                `(rate ≈ ${miss.rate} under a normal approximation to Y); gee, gee-md, lmm and lm-cr2 analyse the complete cases`,
        ),
      );
    }
    return out;
  },
  generate: simulateDesignTrial,
  analyse(trial: DesignTrial, params: Parameters, spec: MethodSpec, rng: Rng): AnalysisRow[] {
    if ((METHOD_NAMES as readonly string[]).includes(spec.method)) return missingMethodRows(trial, params, spec, rng);
    return modelRows(trial, spec.method, ["ate", "hte"]);
  },
};
