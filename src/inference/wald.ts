import type { Coefficient, Estimate } from "../core/records.ts";
import { qt, twoSidedP } from "../distributions/index.ts";

/**
 * Wald inference for one estimate: statistic, two-sided p-value and a
 * `level` interval from t(df), or from the normal when `df` is null.
 */
export function waldEstimate(estimate: number, stdError: number, df: number | null, level = 0.95): Estimate {
  const statistic = estimate / stdError;
  const q = qt(1 - (1 - level) / 2, df === null ? Infinity : df);
  return {
    estimate,
    stdError,
    df,
    statistic,
    pValue: twoSidedP(statistic, df),
    confLow: estimate - q * stdError,
    confHigh: estimate + q * stdError,
  };
}

/** A coefficient table from estimates, their variance matrix diagonal and per-term df. */
export function coefficientTable(
  terms: readonly string[],
  estimates: ArrayLike<number>,
  stdErrors: ArrayLike<number>,
  df: number | null | readonly (number | null)[],
  level = 0.95,
): Coefficient[] {
  return terms.map((term, k) => {
    const d = Array.isArray(df) ? (df as (number | null)[])[k] : (df as number | null);
    return { term, ...waldEstimate(estimates[k], stdErrors[k], d, level) };
  });
}
