/**
 * Joint tests of k' coefficients (a null of all zero): the Wald test of one
 * fit, and the D1 statistic of Li, Raghunathan & Rubin (1991) pooled over m
 * completed data sets, with the definitions of mitml's D1 that `mice::D1`
 * calls:
 *
 *   Q̄ = mean of the estimate vectors, Ū = mean of their covariances,
 *   B = sample covariance of the estimates (divisor m − 1),
 *   r = (1 + 1/m)·tr(B Ū⁻¹)/k',  T̃ = (1 + r)·Ū,
 *   D1 = Q̄ᵀ T̃⁻¹ Q̄ / k'  referred to F(k', ν).
 *
 * ν: with a complete-data df ν_com (mice::D1 passes it whenever it is
 * known), Reiter's (2007) small-sample df as mitml computes it; without,
 * Li et al.'s: t = k'(m − 1), ν = 4 + (t − 4)(1 + (1 − 2/t)/r)² when t > 4,
 * else t(1 + 1/k')(1 + 1/r)²/2. An infinite ν (B = 0 without ν_com) is the
 * χ²(k')/k' reference.
 */
import { InputError } from "../core/errors.ts";
import { pf, pnorm } from "../distributions/index.ts";
import { invertSymmetric } from "../linalg/symmetric.ts";

export interface JointTest {
  /** F-scale statistic: W/k' for a single fit, D1 pooled. */
  readonly statistic: number;
  readonly df1: number;
  /** Denominator df; null for the χ²(k')/k' reference (normal-theory single fit). */
  readonly df2: number | null;
  readonly pValue: number;
  readonly method: "wald" | "D1";
  /** D1 only: the average relative increase in variance r. */
  readonly riv?: number;
}

/**
 * Upper tail of χ²(k) at x for an integer k, in closed form (no 1 − CDF
 * cancellation): e^(−x/2)·Σ_{i<k/2} (x/2)^i/i! for even k; for odd k,
 * 2Φ(−√x) + e^(−x/2)·Σ_{i=1}^{(k−1)/2} (x/2)^(i−1/2)/Γ(i + 1/2).
 */
export function chisqUpperTail(x: number, k: number): number {
  if (!(x > 0)) return x === 0 ? 1 : NaN;
  const h = x / 2;
  let sum = 0;
  if (k % 2 === 0) {
    let term = 1;
    for (let i = 0; i < k / 2; i++) {
      sum += term;
      term *= h / (i + 1);
    }
    return Math.exp(-h) * sum;
  }
  let term = Math.sqrt(h) / (Math.sqrt(Math.PI) / 2);
  for (let i = 1; i <= (k - 1) / 2; i++) {
    sum += term;
    term *= h / (i + 0.5);
  }
  return 2 * pnorm(-Math.sqrt(x)) + Math.exp(-h) * sum;
}

/** Upper tail of F(df1, df2) at x (χ²(df1)/df1 when df2 is null), computed without cancellation. */
function upperTail(x: number, df1: number, df2: number | null): number {
  if (!(x >= 0)) return NaN;
  if (df2 === null) return chisqUpperTail(x * df1, df1);
  if (!(df2 > 0)) return NaN;
  // P(F(d1, d2) > x) = P(F(d2, d1) < 1/x).
  return x === 0 ? 1 : pf(1 / x, df2, df1);
}

function quadraticForm(inverse: Float64Array, q: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) {
    let t = 0;
    for (let j = 0; j < k; j++) t += inverse[i * k + j] * q[j];
    s += q[i] * t;
  }
  return s;
}

/**
 * Wald test that the k coefficients `q` (covariance `u`, row-major k × k) are
 * all zero: W/k referred to F(k, df), or χ²(k)/k when df is null.
 */
export function waldJointTest(q: ArrayLike<number>, u: ArrayLike<number>, k: number, df: number | null): JointTest {
  const inverse = invertSymmetric(Float64Array.from(u), k, "the covariance of the jointly tested coefficients");
  const statistic = quadraticForm(inverse, q, k) / k;
  return { statistic, df1: k, df2: df, pValue: upperTail(statistic, k, df), method: "wald" };
}

/** Reiter's (2007) denominator df of D1, as mitml computes it. */
function reiterDf(r: number, k: number, m: number, dfcom: number): number {
  const t = k * (m - 1);
  const a = (r * t) / (t - 2);
  const vstar = ((dfcom + 1) / (dfcom + 3)) * dfcom;
  const c0 = 1 / (t - 4);
  const c1 = vstar - 2 * (1 + a);
  const c2 = vstar - 4 * (1 + a);
  const a2 = a * a;
  const z =
    1 / c2 +
    c0 * ((a2 * c1) / ((1 + a) ** 2 * c2)) +
    c0 * ((8 * a2 * c1) / ((1 + a) * c2 * c2) + (4 * a2) / ((1 + a) * c2)) +
    c0 * ((4 * a2) / (c2 * c1) + (16 * a2 * c1) / c2 ** 3) +
    c0 * ((8 * a2) / (c2 * c2));
  return 4 + 1 / z;
}

/** Li, Raghunathan & Rubin's (1991) denominator df of D1. */
function liDf(r: number, k: number, m: number): number {
  const t = k * (m - 1);
  if (t > 4) return 4 + (t - 4) * (1 + (1 - 2 / t) / r) ** 2;
  return (t * (1 + 1 / k) * (1 + 1 / r) ** 2) / 2;
}

/**
 * D1 over m fits: `q[i]` the k estimates of fit i, `u[i]` their k × k
 * covariance (row-major). `dfcom` null or absent: Li et al.'s df.
 */
export function poolD1(q: readonly ArrayLike<number>[], u: readonly ArrayLike<number>[], k: number, dfcom: number | null = null): JointTest {
  const m = q.length;
  if (m < 2) throw new InputError(`D1 pooling needs at least 2 completed data sets, got ${m}`);
  const qbar = new Float64Array(k);
  const ubar = new Float64Array(k * k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) qbar[j] += q[i][j] / m;
    for (let j = 0; j < k * k; j++) ubar[j] += u[i][j] / m;
  }
  const b = new Float64Array(k * k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      for (let l = 0; l < k; l++) b[j * k + l] += ((q[i][j] - qbar[j]) * (q[i][l] - qbar[l])) / (m - 1);
    }
  }
  const ubarInverse = invertSymmetric(ubar, k, "the mean within-imputation covariance of the jointly tested coefficients");
  let trace = 0;
  for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) trace += b[j * k + l] * ubarInverse[l * k + j];
  const r = ((1 + 1 / m) * trace) / k;
  const statistic = quadraticForm(ubarInverse, qbar, k) / (1 + r) / k;
  const v = dfcom === null || !Number.isFinite(dfcom) ? liDf(r, k, m) : reiterDf(r, k, m, dfcom);
  // An infinite ν (B = 0 under Li et al.'s df) is the χ² reference; an undefined one (NaN) stays so.
  const df2 = v === Infinity ? null : v;
  return { statistic, df1: k, df2, pValue: upperTail(statistic, k, df2), method: "D1", riv: r };
}
