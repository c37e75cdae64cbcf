/**
 * Sample size of a two-arm cluster-randomized trial for a difference of means
 * or of proportions (the cluster-designs chapter, eqs. 25.5 and 25.6, after Rutterford, Copas &
 * Eldridge 2015, Int J Epidemiol 44:1051):
 *
 *     m = (z₁₋α/₂ + z₁₋β)² · V / Δ² · DEFF           individuals per arm,
 *     V = 2σ²  (eq. 25.5)   or   p₁(1 − p₁) + p₂(1 − p₂)  (eq. 25.6),
 *     DEFF = 1 + (n − 1)ρ, or 1 + ((cv² + 1)n̄ − 1)ρ for unequal sizes (effect.ts).
 *
 * Quantiles are exact (qnorm), not the rounded 1.96 and 0.84 of the book's
 * worked example. The book's example says "cluster size 20" but its m ≈ 91
 * per arm comes from cluster size 10, as its appendix code uses
 * (n = 10: m = 91.05; n = 20: m = 122.4); see test/design/samplesize.test.ts.
 *
 * Small-sample correction (`smallSample: true`): the quantiles become t
 * quantiles with df = 2(k − 1) for k clusters per arm. Because df depends on
 * the answer, k is the smallest whole number of clusters per arm that
 * satisfies its own requirement, k ≥ ⌈m(df = 2(k − 1)) / n⌉. The required m
 * falls as k grows, so this fixed point is found by counting up from the
 * normal-quantile answer (which is a lower bound) and is unique; the
 * reported `individualsPerArm` and `unadjustedPerArm` are those at the final
 * df, and k is never below 2 (df ≥ 2).
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { error, info, warning } from "../core/diagnostics.ts";
import { designEffectValue } from "./effect.ts";
import {
  normalizeOutcome,
  powerFromNoncentrality,
  quantileFactor,
  smallSampleDf,
  type NormalizedOutcome,
  type OutcomeSpec,
} from "./power.ts";
import {
  ceilClusters,
  checkAlphaPower,
  checkClusterSize,
  checkIcc,
  checkInteger,
  checkNonNegative,
} from "./validate.ts";

/** Inputs shared by the sample-size functions. */
interface CommonInput {
  readonly outcome: OutcomeSpec;
  /** Intraclass correlation ρ in [0, 1). */
  readonly icc: number;
  /** Coefficient of variation of cluster sizes; default 0 (equal sizes). */
  readonly cv?: number;
  /** Two-sided significance level; default 0.05. */
  readonly alpha?: number;
  /** Target power; default 0.8. */
  readonly power?: number;
  /** t quantiles with 2(k − 1) df instead of normal quantiles; default false. */
  readonly smallSample?: boolean;
}

export interface SampleSizeInput extends CommonInput {
  /** Cluster size (mean size when `cv` > 0), at least 1. */
  readonly clusterSize: number;
}

export interface SampleSizeResult {
  /** Individuals per arm before rounding: unadjustedPerArm × designEffect. */
  readonly individualsPerArm: number;
  /** ⌈individualsPerArm / clusterSize⌉ (with `smallSample`, the fixed point described above). */
  readonly clustersPerArm: number;
  readonly designEffect: number;
  /** (q₁₋α/₂ + q_power)²·V/Δ²: individuals per arm under individual randomization. */
  readonly unadjustedPerArm: number;
  /** Power with `clustersPerArm` clusters of `clusterSize` (at least the target). */
  readonly achievedPower: number;
  /** 2(clustersPerArm − 1) with `smallSample`, else null. */
  readonly df: number | null;
  readonly inputs: {
    readonly outcome: NormalizedOutcome;
    readonly clusterSize: number;
    readonly icc: number;
    readonly cv: number;
    readonly alpha: number;
    readonly power: number;
    readonly smallSample: boolean;
  };
  readonly diagnostics: readonly Diagnostic[];
}

function validateCommon(input: CommonInput) {
  const outcome = normalizeOutcome(input.outcome);
  const icc = checkIcc(input.icc);
  const cv = input.cv === undefined ? 0 : checkNonNegative(input.cv, "cv");
  const { alpha, power } = checkAlphaPower(input.alpha ?? 0.05, input.power ?? 0.8);
  return { outcome, icc, cv, alpha, power, smallSample: input.smallSample === true };
}

/** Kernel: unadjusted individuals per arm, (q₁₋α/₂ + q_power)²·V/Δ² (normal when df is null). */
export function unadjustedPerArmValue(outcome: NormalizedOutcome, alpha: number, power: number, df: number | null): number {
  return (quantileFactor(alpha, power, df) * outcome.varianceSum) / (outcome.delta * outcome.delta);
}

function achieved(outcome: NormalizedOutcome, de: number, k: number, n: number, alpha: number, df: number | null): number {
  const se = Math.sqrt((outcome.varianceSum * de) / (k * n));
  return powerFromNoncentrality(Math.abs(outcome.delta) / se, alpha, df);
}

/**
 * Individuals and clusters per arm for a target power.
 *
 * @example
 * // the book's example (the cluster-designs chapter) with the appendix's cluster size 10
 * sampleSize({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 10, icc: 0.05 });
 * // → individualsPerArm ≈ 91.05, clustersPerArm 10, designEffect 1.45, unadjustedPerArm ≈ 62.79
 */
export function sampleSize(input: SampleSizeInput): SampleSizeResult {
  const c = validateCommon(input);
  const n = checkClusterSize(input.clusterSize);
  const de = designEffectValue(n, c.icc, c.cv);
  const diagnostics: Diagnostic[] = [];
  let unadjusted = unadjustedPerArmValue(c.outcome, c.alpha, c.power, null);
  let k = ceilClusters((unadjusted * de) / n);
  let df: number | null = null;
  if (c.smallSample) {
    const normalK = k;
    k = Math.max(k, 2);
    for (;;) {
      df = smallSampleDf(k);
      unadjusted = unadjustedPerArmValue(c.outcome, c.alpha, c.power, df);
      if (ceilClusters((unadjusted * de) / n) <= k) break;
      k++;
    }
    diagnostics.push(
      info(
        "small-sample-correction",
        `t quantiles with df = 2(k − 1) = ${df}: ${k} clusters per arm (normal quantiles give ${normalK})`,
      ),
    );
  } else if (k < 10) {
    diagnostics.push(
      warning(
        "few-clusters",
        `only ${k} clusters per arm: normal quantiles understate the sample size with so few clusters; consider smallSample (t with 2(k − 1) df)`,
      ),
    );
  }
  if (c.cv > 0) {
    diagnostics.push(info("unequal-cluster-sizes", `design effect ${de} allows for unequal cluster sizes (cv ${c.cv}, mean size ${n})`));
  }
  return Object.freeze({
    individualsPerArm: unadjusted * de,
    clustersPerArm: k,
    designEffect: de,
    unadjustedPerArm: unadjusted,
    achievedPower: achieved(c.outcome, de, k, n, c.alpha, df),
    df,
    inputs: Object.freeze({ outcome: c.outcome, clusterSize: n, icc: c.icc, cv: c.cv, alpha: c.alpha, power: c.power, smallSample: c.smallSample }),
    diagnostics: Object.freeze(diagnostics),
  });
}

export interface ClusterSizeInput extends CommonInput {
  /** Clusters available per arm (whole number; at least 2 with `smallSample`). */
  readonly clustersPerArm: number;
}

export interface ClusterSizeResult {
  /** False when no cluster size, however large, reaches the target power with this many clusters. */
  readonly feasible: boolean;
  /** Required (mean) cluster size before rounding, U(1 − ρ)/(k − U(1 + cv²)ρ); null when infeasible. */
  readonly clusterSize: number | null;
  /** ⌈clusterSize⌉, at least 1; null when infeasible. */
  readonly clusterSizeRounded: number | null;
  /** clustersPerArm × clusterSizeRounded; null when infeasible. */
  readonly individualsPerArm: number | null;
  /** Design effect at the rounded cluster size; null when infeasible. */
  readonly designEffect: number | null;
  /** Unadjusted individuals per arm U (at df = 2(k − 1) with `smallSample`). */
  readonly unadjustedPerArm: number;
  /** Smallest whole number of clusters per arm for which some cluster size reaches the target power. */
  readonly minimumClustersPerArm: number;
  /** Power as cluster size → ∞: the ceiling set by the between-cluster variance. */
  readonly maximumPower: number;
  /** Power at the rounded cluster size; null when infeasible. */
  readonly achievedPower: number | null;
  readonly df: number | null;
  readonly inputs: {
    readonly outcome: NormalizedOutcome;
    readonly clustersPerArm: number;
    readonly icc: number;
    readonly cv: number;
    readonly alpha: number;
    readonly power: number;
    readonly smallSample: boolean;
  };
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Cluster size needed with a given number of clusters per arm.
 *
 * Solving k·n = U·(1 + ((1 + cv²)n − 1)ρ) for n gives
 * n = U(1 − ρ) / (k − U(1 + cv²)ρ). As n → ∞ the variance of the arm
 * difference falls only to V(1 + cv²)ρ/k, so the target is reachable iff
 * k > U(1 + cv²)ρ, i.e. k > (q₁₋α/₂ + q_power)²·V·(1 + cv²)·ρ/Δ²; otherwise the
 * result is infeasible (an error diagnostic, `feasible: false`) and
 * `minimumClustersPerArm` says how many clusters are needed.
 *
 * @example
 * clusterSizeFor({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clustersPerArm: 10, icc: 0.05 });
 * // → clusterSize ≈ 8.69, clusterSizeRounded 9, minimumClustersPerArm 4
 */
export function clusterSizeFor(input: ClusterSizeInput): ClusterSizeResult {
  const c = validateCommon(input);
  const k = checkInteger(input.clustersPerArm, "clustersPerArm", c.smallSample ? 2 : 1);
  const df = c.smallSample ? smallSampleDf(k) : null;
  const inflation = 1 + c.cv * c.cv;
  const unadjusted = unadjustedPerArmValue(c.outcome, c.alpha, c.power, df);
  const bound = unadjusted * inflation * c.icc;
  const feasible = k > bound;

  // Smallest k' with k' > U(k')·(1 + cv²)·ρ; U(k') is constant (normal) or falls with k' (t).
  let minimumK = Math.max(c.smallSample ? 2 : 1, Math.floor(unadjustedPerArmValue(c.outcome, c.alpha, c.power, null) * inflation * c.icc) + 1);
  if (c.smallSample) {
    while (!(minimumK > unadjustedPerArmValue(c.outcome, c.alpha, c.power, smallSampleDf(minimumK)) * inflation * c.icc)) minimumK++;
  }
  const maxSe = Math.sqrt((c.outcome.varianceSum * inflation * c.icc) / k);
  const maximumPower = maxSe === 0 ? 1 : powerFromNoncentrality(Math.abs(c.outcome.delta) / maxSe, c.alpha, df);

  const diagnostics: Diagnostic[] = [];
  let clusterSize: number | null = null;
  let rounded: number | null = null;
  let de: number | null = null;
  let achievedPower: number | null = null;
  if (feasible) {
    clusterSize = (unadjusted * (1 - c.icc)) / (k - bound);
    rounded = Math.max(1, ceilClusters(clusterSize));
    de = designEffectValue(rounded, c.icc, c.cv);
    achievedPower = achieved(c.outcome, de, k, rounded, c.alpha, df);
    if (clusterSize < 1) {
      diagnostics.push(
        info("clusters-exceed-target", `${k} clusters per arm of a single individual already give power ${achievedPower} ≥ ${c.power}`),
      );
    }
  } else {
    diagnostics.push(
      error(
        "infeasible",
        `${k} clusters per arm cannot reach power ${c.power} at any cluster size: need more than U·(1 + cv²)·ρ = ${bound} ` +
          `clusters per arm (at least ${minimumK}); infinitely large clusters give power ${maximumPower}`,
      ),
    );
  }
  if (!c.smallSample && k < 10) {
    diagnostics.push(
      warning("few-clusters", `only ${k} clusters per arm: normal quantiles are optimistic with so few clusters; consider smallSample`),
    );
  }
  return Object.freeze({
    feasible,
    clusterSize,
    clusterSizeRounded: rounded,
    individualsPerArm: rounded === null ? null : k * rounded,
    designEffect: de,
    unadjustedPerArm: unadjusted,
    minimumClustersPerArm: minimumK,
    maximumPower,
    achievedPower,
    df,
    inputs: Object.freeze({ outcome: c.outcome, clustersPerArm: k, icc: c.icc, cv: c.cv, alpha: c.alpha, power: c.power, smallSample: c.smallSample }),
    diagnostics: Object.freeze(diagnostics),
  });
}
