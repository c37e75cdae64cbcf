/**
 * Closed-form power of a two-arm cluster-randomized trial comparing means or
 * proportions, the inverse of the sample-size formulas in samplesize.ts
 * (the cluster-designs chapter, eqs. 25.5 and 25.6; Rutterford, Copas & Eldridge 2015).
 *
 * The estimator is the difference of arm means; with k clusters of (mean)
 * size n per arm its variance is
 *
 *     Var(Δ̂) = V·DEFF / (k·n),   V = 2σ² (means) or p₁(1 − p₁) + p₂(1 − p₂) (proportions),
 *
 * the test statistic is Δ̂ / SE and the power is read off the normal (or, with
 * the small-sample correction, the t distribution with 2(k − 1) df):
 *
 *     power = Φ(|Δ|/SE − z₁₋α/₂)        or   F_t(|Δ|/SE − t₁₋α/₂,df ; df).
 *
 * This is the one-tail form that the sample-size formulas invert exactly (it
 * ignores rejections in the wrong direction, at most α/2); `powerTwoSided`
 * adds that tail. The result also carries the standard error, noncentrality
 * and critical value, so a simulation study (a later issue) can compare its
 * empirical SE of Δ̂ and rejection rate with these numbers one by one. The t
 * version is the usual shifted-central-t approximation, not the noncentral t.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { warning } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { pnorm, pt, qnorm, qt } from "../dist/index.ts";
import { designEffectValue } from "./effect.ts";
import {
  checkClusterSize,
  checkEffect,
  checkIcc,
  checkInteger,
  checkNonNegative,
  checkOpenUnit,
  checkPositive,
} from "./validate.ts";

/** The outcome and the effect to detect. */
export type OutcomeSpec =
  /** Difference of means `delta` with common outcome standard deviation `sd` (eq. 25.5). */
  | { readonly type: "continuous"; readonly delta: number; readonly sd: number }
  /** Proportions `p1` (intervention) and `p2` (control); Δ = p1 − p2 (eq. 25.6). */
  | { readonly type: "binary"; readonly p1: number; readonly p2: number };

/** A validated outcome: the effect Δ and V, the sum of the two arms' individual-level variances. */
export interface NormalizedOutcome {
  readonly type: "continuous" | "binary";
  readonly delta: number;
  /** 2σ² (continuous) or p₁(1 − p₁) + p₂(1 − p₂) (binary). */
  readonly varianceSum: number;
  readonly sd?: number;
  readonly p1?: number;
  readonly p2?: number;
}

/** Validates an OutcomeSpec (Δ ≠ 0, σ > 0, proportions in (0, 1)). */
export function normalizeOutcome(outcome: OutcomeSpec): NormalizedOutcome {
  if (outcome === null || typeof outcome !== "object") {
    throw new InputError(`outcome must be { type: "continuous", delta, sd } or { type: "binary", p1, p2 }, got ${String(outcome)}`);
  }
  if (outcome.type === "continuous") {
    const delta = checkEffect(outcome.delta, "delta");
    const sd = checkPositive(outcome.sd, "sd");
    return Object.freeze({ type: "continuous", delta, sd, varianceSum: 2 * sd * sd });
  }
  if (outcome.type === "binary") {
    const p1 = checkOpenUnit(outcome.p1, "p1");
    const p2 = checkOpenUnit(outcome.p2, "p2");
    if (p1 === p2) throw new InputError(`p1 and p2 must differ (delta = p1 − p2 = 0), got p1 = p2 = ${p1}`);
    return Object.freeze({ type: "binary", delta: p1 - p2, p1, p2, varianceSum: p1 * (1 - p1) + p2 * (1 - p2) });
  }
  throw new InputError(`outcome.type must be "continuous" or "binary", got ${JSON.stringify((outcome as { type: unknown }).type)}`);
}

/** Degrees of freedom of the small-sample correction: 2(k − 1) for k clusters per arm. */
export function smallSampleDf(clustersPerArm: number): number {
  return 2 * (clustersPerArm - 1);
}

/** Critical value z₁₋α/₂, or t₁₋α/₂ with `df` degrees of freedom (df null = normal). */
export function criticalValue(alpha: number, df: number | null): number {
  return df === null ? qnorm(1 - alpha / 2) : qt(1 - alpha / 2, df);
}

/** (q₁₋α/₂ + q_power)², the squared sum of quantiles in every sample-size formula (normal when df is null). */
export function quantileFactor(alpha: number, power: number, df: number | null): number {
  const s = df === null ? qnorm(1 - alpha / 2) + qnorm(power) : qt(1 - alpha / 2, df) + qt(power, df);
  return s * s;
}

/** Kernel: one-tail power Φ(ncp − q₁₋α/₂) (normal) or F_t(ncp − t₁₋α/₂; df). */
export function powerFromNoncentrality(noncentrality: number, alpha: number, df: number | null): number {
  const c = criticalValue(alpha, df);
  return df === null ? pnorm(noncentrality - c) : pt(noncentrality - c, df);
}

/** Kernel: two-sided power, adding the probability of rejecting in the wrong direction. */
export function powerTwoSidedFromNoncentrality(noncentrality: number, alpha: number, df: number | null): number {
  const c = criticalValue(alpha, df);
  return df === null
    ? pnorm(noncentrality - c) + pnorm(-noncentrality - c)
    : pt(noncentrality - c, df) + pt(-noncentrality - c, df);
}

export interface PowerInput {
  readonly outcome: OutcomeSpec;
  /** Cluster size (mean size when `cv` > 0), at least 1. */
  readonly clusterSize: number;
  /** Clusters in each arm (whole number; at least 2 with `smallSample`). */
  readonly clustersPerArm: number;
  /** Intraclass correlation ρ in [0, 1). */
  readonly icc: number;
  /** Coefficient of variation of cluster sizes (Eldridge et al. 2006 design effect); default 0. */
  readonly cv?: number;
  /** Two-sided significance level; default 0.05. */
  readonly alpha?: number;
  /** Use t quantiles with 2(k − 1) df instead of normal quantiles; default false. */
  readonly smallSample?: boolean;
}

export interface PowerResult {
  readonly inputs: {
    readonly outcome: NormalizedOutcome;
    readonly clusterSize: number;
    readonly clustersPerArm: number;
    readonly icc: number;
    readonly cv: number;
    readonly alpha: number;
    readonly smallSample: boolean;
  };
  readonly designEffect: number;
  /** SE of the difference in arm means, √(V·DEFF/(k·n)). */
  readonly standardError: number;
  /** |Δ| / SE. */
  readonly noncentrality: number;
  /** z₁₋α/₂ or t₁₋α/₂,df. */
  readonly criticalValue: number;
  /** 2(k − 1) with `smallSample`, else null (normal reference). */
  readonly df: number | null;
  /** One-tail power, the exact inverse of the sample-size formula. */
  readonly power: number;
  /** Power of the two-sided test including the wrong-direction tail. */
  readonly powerTwoSided: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Power of a design with `clustersPerArm` clusters of `clusterSize` per arm.
 *
 * @example
 * power({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 10, clustersPerArm: 10, icc: 0.05 }).power; // ≈ 0.835
 */
export function power(input: PowerInput): PowerResult {
  const outcome = normalizeOutcome(input.outcome);
  const n = checkClusterSize(input.clusterSize);
  const smallSample = input.smallSample === true;
  const k = checkInteger(input.clustersPerArm, "clustersPerArm", smallSample ? 2 : 1);
  const icc = checkIcc(input.icc);
  const cv = input.cv === undefined ? 0 : checkNonNegative(input.cv, "cv");
  const alpha = checkOpenUnit(input.alpha ?? 0.05, "alpha");
  const df = smallSample ? smallSampleDf(k) : null;
  const de = designEffectValue(n, icc, cv);
  const se = Math.sqrt((outcome.varianceSum * de) / (k * n));
  const ncp = Math.abs(outcome.delta) / se;
  const diagnostics: Diagnostic[] = [];
  if (!smallSample && k < 10) {
    diagnostics.push(
      warning(
        "few-clusters",
        `${k} clusters per arm: normal quantiles overstate the power with so few clusters; consider smallSample (t with ${smallSampleDf(k)} df)`,
      ),
    );
  }
  return Object.freeze({
    inputs: Object.freeze({ outcome, clusterSize: n, clustersPerArm: k, icc, cv, alpha, smallSample }),
    designEffect: de,
    standardError: se,
    noncentrality: ncp,
    criticalValue: criticalValue(alpha, df),
    df,
    power: powerFromNoncentrality(ncp, alpha, df),
    powerTwoSided: powerTwoSidedFromNoncentrality(ncp, alpha, df),
    diagnostics: Object.freeze(diagnostics),
  });
}
