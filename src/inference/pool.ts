/**
 * Rubin's rules for one scalar estimated on D completed (imputed) data sets,
 * with Rubin's and Barnard–Rubin's small-sample degrees of freedom.
 *
 *   Q̄ = mean of the estimates, Ū = mean of their variances,
 *   B = sample variance of the estimates (divisor D − 1),
 *   T = Ū + (1 + 1/D)·B                                   (total variance),
 *   r = (1 + 1/D)·B / Ū                                   (relative increase in variance),
 *   λ = (1 + 1/D)·B / T = r / (1 + r)                     (proportion of variance due to missingness),
 *   ν_Rubin = (D − 1)(1 + 1/r)² = (D − 1)/λ²,
 *   ν_obs = ν_com(ν_com + 1)/(ν_com + 3)·(1 − λ),
 *   ν = (1/ν_Rubin + 1/ν_obs)⁻¹ when a complete-data df ν_com is given, else ν_Rubin;
 *   fmi = (r + 2/(ν + 3))/(r + 1);  intervals and p-values from t(ν).
 *
 * For a CRT with C clusters, ν_com = C − 2; then the result equals
 * `mice::pool.scalar(Q, U, n = C, k = 2)` whenever λ ≥ 1e-4. Below that,
 * mice's `barnard.rubin()` replaces λ by 1e-4 in both df formulas; pass
 * `lambdaFloor: 1e-4` to reproduce mice there too. The default (no floor)
 * follows the formulas above, so B = 0 gives ν_Rubin = ∞ and ν = ν_obs at
 * λ = 0 (ν = ∞, the normal, without ν_com), never NaN.
 *
 * Note on the published formula: Blette et al. (2023), multiple-imputation
 * section, and its authors' code compute r = (1 + 1/D)·B / Q̄, dividing by the pooled
 * *estimate* instead of the mean within-imputation variance Ū. That is a typo:
 * r is a ratio of variances, and with Q̄ near 0 (or negative) the printed form
 * gives huge, negative or NaN degrees of freedom. crtkit uses Ū; the printed
 * form is available, for comparison only, as `dfMethod: "paper"`:
 *   ν_obs = ν_com(ν_com + 1)/(ν_com + 3) / (1 + (1 + 1/D)·B/Q̄),
 * which with ν_com = C − 2 is the paper's (C − 1)(C − 2)/(C + 1)·(…)⁻¹.
 * `dfMethod: "rubin"` is Rubin's (1987) large-sample ν_Rubin (ν_com unused).
 *
 * D = 1 is refused (InputError): B, and so every df, is undefined from one data set.
 */
import { InputError } from "../core/errors.ts";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import type { Estimate } from "../core/records.ts";
import { waldEstimate } from "./wald.ts";

/** Which degrees of freedom: Barnard–Rubin (default), Rubin (1987), or the formula printed in Blette et al. (2023). */
export type PoolingDf = "barnard-rubin" | "rubin" | "paper";
export const POOLING_DF: readonly PoolingDf[] = Object.freeze(["barnard-rubin", "rubin", "paper"]);

export interface PoolOptions {
  /** Complete-data df ν_com (C − 2 for C clusters); omitted or Infinity: Rubin's df only. */
  readonly dfcom?: number;
  /** Default "barnard-rubin" (Rubin's df when dfcom is omitted). */
  readonly dfMethod?: PoolingDf;
  /** Confidence level; default 0.95. */
  readonly level?: number;
  /**
   * Lower bound on λ inside the df formulas. Default 0 (exact formulas);
   * 1e-4 reproduces mice's `barnard.rubin()` also when B is tiny.
   */
  readonly lambdaFloor?: number;
}

/** Pooled inference; `df` may be Infinity (normal reference), which JSON writes as null. */
export interface PoolResult extends Estimate {
  /** Q̄. */
  readonly estimate: number;
  /** T, the total variance (also as `total`). */
  readonly variance: number;
  /** Ū, within-imputation variance. */
  readonly within: number;
  /** B, between-imputation variance. */
  readonly between: number;
  readonly total: number;
  /**
   * ν: Barnard–Rubin adjusted df when dfcom is given, else Rubin's (see
   * `dfMethod`). With "paper" it may be ≤ 0 or NaN; then statistic is kept
   * and pValue, confLow, confHigh are NaN.
   */
  readonly df: number;
  readonly dfMethod: PoolingDf;
  readonly dfRubin: number;
  /** ν_obs, present only when dfcom is given. */
  readonly dfObserved?: number;
  readonly dfcom?: number;
  /** r, relative increase in variance due to nonresponse. */
  readonly riv: number;
  /** λ = (1 + 1/D)B/T (not floored). */
  readonly lambda: number;
  /** Fraction of missing information (mice's formula, with the df above). */
  readonly fmi: number;
  /** D, the number of completed data sets. */
  readonly m: number;
  readonly level: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Pools D estimates and their variances by Rubin's rules.
 *
 * @example
 * const p = pool([0.52, 0.61, 0.47], [0.010, 0.012, 0.011], { dfcom: 20 - 2 });
 * p.estimate; p.stdError; p.df; p.confLow; p.confHigh;
 */
export function pool(estimates: ArrayLike<number>, variances: ArrayLike<number>, options: PoolOptions = {}): PoolResult {
  const m = estimates.length;
  if (variances.length !== m) {
    throw new InputError(`pooling needs one variance per estimate: ${m} estimates, ${variances.length} variances`);
  }
  if (m < 2) {
    throw new InputError(`pooling needs at least 2 completed data sets; got ${m} (the between-imputation variance is undefined)`);
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level ${level} is not between 0 and 1`);
  const dfMethod = options.dfMethod ?? "barnard-rubin";
  if (!POOLING_DF.includes(dfMethod)) throw new InputError(`unknown pooling df '${String(dfMethod)}'; use one of: ${POOLING_DF.join(", ")}`);
  const dfcom = dfMethod === "rubin" ? Infinity : (options.dfcom ?? Infinity);
  if (!(dfcom > 0)) throw new InputError(`complete-data df (dfcom) ${dfcom} is not positive`);
  const floor = options.lambdaFloor ?? 0;
  if (!(floor >= 0 && floor < 1)) throw new InputError(`lambdaFloor ${floor} is not in [0, 1)`);
  let qbar = 0;
  let ubar = 0;
  for (let d = 0; d < m; d++) {
    const q = estimates[d];
    const u = variances[d];
    if (!Number.isFinite(q)) throw new InputError(`estimate ${d + 1} of ${m} is ${q}, not a finite number`);
    if (!(Number.isFinite(u) && u > 0)) throw new InputError(`variance ${d + 1} of ${m} is ${u}, not a positive finite number`);
    qbar += q;
    ubar += u;
  }
  qbar /= m;
  ubar /= m;
  // Second pass, as R's mean(): removes the rounding of the first sum (identical estimates give B = 0 exactly).
  let cq = 0;
  let cu = 0;
  for (let d = 0; d < m; d++) {
    cq += estimates[d] - qbar;
    cu += variances[d] - ubar;
  }
  qbar += cq / m;
  ubar += cu / m;
  let b = 0;
  for (let d = 0; d < m; d++) b += (estimates[d] - qbar) ** 2;
  b /= m - 1;
  return poolMoments({ m, qbar, ubar, b }, options);
}

/** The moments Rubin's rules start from: D, Q̄, Ū and B. */
export interface PoolingMoments {
  readonly m: number;
  readonly qbar: number;
  readonly ubar: number;
  readonly b: number;
}

/**
 * Rubin's rules from the moments of D completed-data analyses: the second
 * stage of `pool`, also used to pool the same imputations with another df
 * rule (no second run).
 */
export function poolMoments(moments: PoolingMoments, options: PoolOptions = {}): PoolResult {
  const { m, qbar, ubar, b } = moments;
  const level = options.level ?? 0.95;
  const dfMethod = options.dfMethod ?? "barnard-rubin";
  const dfcom = dfMethod === "rubin" ? Infinity : (options.dfcom ?? Infinity);
  const floor = options.lambdaFloor ?? 0;
  const inflated = (1 + 1 / m) * b;
  const total = ubar + inflated;
  const riv = inflated / ubar;
  const lambda = inflated / total;
  const lam = Math.max(lambda, floor);
  const dfRubin = lam === 0 ? Infinity : (m - 1) / (lam * lam);
  let df = dfRubin;
  let dfObserved: number | undefined;
  if (Number.isFinite(dfcom)) {
    const factor = (dfcom * (dfcom + 1)) / (dfcom + 3);
    // The paper's printed ν_obs has the pooled estimate Q̄ where Ū belongs (see above).
    dfObserved = dfMethod === "paper" ? factor / (1 + inflated / qbar) : factor * (1 - lam);
    df = dfRubin === Infinity ? dfObserved : (dfRubin * dfObserved) / (dfRubin + dfObserved);
  }
  const fmi = (riv + 2 / (df + 3)) / (riv + 1);

  const diagnostics: Diagnostic[] = [];
  if (b === 0) {
    diagnostics.push(
      info(
        "pool-zero-between",
        `the ${m} estimates are identical (between-imputation variance 0): Rubin's df is infinite` +
          (dfObserved === undefined ? ", so the reference distribution is normal" : `; df = ν_obs = ${dfObserved}`),
      ),
    );
  }
  const wald = df > 0 ? waldEstimate(qbar, Math.sqrt(total), df, level) : undefinedReference(qbar, Math.sqrt(total), df);
  return Object.freeze({
    ...wald,
    df,
    dfMethod,
    variance: total,
    within: ubar,
    between: b,
    total,
    dfRubin,
    ...(dfObserved === undefined ? {} : { dfObserved, dfcom }),
    riv,
    lambda,
    fmi,
    m,
    level,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** Estimate and statistic without a reference distribution (a df ≤ 0 or NaN, possible only with the paper's formula). */
function undefinedReference(estimate: number, stdError: number, df: number): Estimate {
  return { estimate, stdError, df, statistic: estimate / stdError, pValue: NaN, confLow: NaN, confHigh: NaN };
}

/** The pooled result as an Estimate: an infinite df (B = 0 without ν_com) is the normal reference (null); a non-positive one (the paper's formula) is kept as it is. */
export function pooledEstimate(p: PoolResult): Estimate {
  return {
    estimate: p.estimate,
    stdError: p.stdError,
    df: p.df === Infinity ? null : p.df,
    statistic: p.statistic,
    pValue: p.pValue,
    confLow: p.confLow,
    confHigh: p.confHigh,
  };
}
