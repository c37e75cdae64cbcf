/**
 * Design effects of a two-arm cluster-randomized trial.
 *
 * The design effect (DEFF) is the factor by which clustering inflates the
 * variance of a treatment-effect estimate relative to individual
 * randomization of the same number of people; DEFT = √DEFF inflates the
 * standard error (the cluster-designs chapter, "Design effects"; its printed DEFT formula
 * √(1 + ICC(1 − n)) has the sign of (n − 1) reversed).
 *
 * - Equal cluster sizes n: DEFF = 1 + (n − 1)ρ.
 * - Unequal sizes with mean n̄ and coefficient of variation cv (Eldridge,
 *   Ashby & Kerry 2006, Int J Epidemiol 35:1292, eq. for cluster-level
 *   analysis weighted by size): DEFF = 1 + ((cv² + 1)n̄ − 1)ρ.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { info } from "../core/diagnostics.ts";
import { checkClusterSize, checkIcc, checkNonNegative, checkPositive } from "./validate.ts";

/** Kernel (no validation): 1 + ((cv² + 1)·n̄ − 1)·ρ; cv = 0 gives 1 + (n − 1)ρ. */
export function designEffectValue(clusterSize: number, icc: number, cv = 0): number {
  return 1 + ((cv * cv + 1) * clusterSize - 1) * icc;
}

export interface DesignEffectInput {
  /** Cluster size (mean cluster size when `cv` > 0); at least 1. */
  readonly clusterSize: number;
  /** Intraclass correlation ρ in [0, 1). */
  readonly icc: number;
  /** Coefficient of variation of cluster sizes (sd / mean); 0 = equal sizes. */
  readonly cv?: number;
}

export interface DesignEffectResult {
  readonly clusterSize: number;
  readonly icc: number;
  readonly cv: number;
  /** Variance inflation factor. */
  readonly deff: number;
  /** Standard-error inflation factor √DEFF. */
  readonly deft: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * DEFF and DEFT for equal (cv = 0) or unequal cluster sizes.
 *
 * @example
 * designEffect({ clusterSize: 10, icc: 0.05 }).deff;          // 1.45
 * designEffect({ clusterSize: 10, icc: 0.05, cv: 0.5 }).deff; // 1.575
 */
export function designEffect(input: DesignEffectInput): DesignEffectResult {
  const n = checkClusterSize(input.clusterSize);
  const icc = checkIcc(input.icc);
  const cv = input.cv === undefined ? 0 : checkNonNegative(input.cv, "cv");
  const deff = designEffectValue(n, icc, cv);
  const diagnostics: Diagnostic[] = [];
  if (cv > 0) {
    diagnostics.push(
      info(
        "unequal-cluster-sizes",
        `design effect for unequal cluster sizes (mean ${n}, cv ${cv}): 1 + ((cv² + 1)·${n} − 1)·${icc} = ${deff}`,
      ),
    );
  }
  return Object.freeze({ clusterSize: n, icc, cv, deff, deft: Math.sqrt(deff), diagnostics: Object.freeze(diagnostics) });
}

export interface EffectiveSampleSizeInput extends DesignEffectInput {
  /** Number of individuals in the trial (or in one arm). */
  readonly individuals: number;
}

export interface EffectiveSampleSizeResult extends DesignEffectResult {
  readonly individuals: number;
  /** individuals / DEFF: the number of independent individuals carrying the same information. */
  readonly effectiveSampleSize: number;
}

/**
 * Effective sample size N / DEFF.
 *
 * @example
 * effectiveSampleSize({ individuals: 200, clusterSize: 20, icc: 0.05 }).effectiveSampleSize; // ≈ 102.6
 */
export function effectiveSampleSize(input: EffectiveSampleSizeInput): EffectiveSampleSizeResult {
  const individuals = checkPositive(input.individuals, "individuals");
  const de = designEffect(input);
  return Object.freeze({ ...de, individuals, effectiveSampleSize: individuals / de.deff });
}
