/**
 * Distribution functions. Thin, typed wrappers over @stdlib so the rest of the
 * code never imports a distribution package directly and upper tails are
 * computed without cancellation.
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import fCdf from "@stdlib/stats-base-dists-f-cdf";
import fQuantile from "@stdlib/stats-base-dists-f-quantile";
import chisqCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";

/** Standard normal CDF Φ(x). */
export function pnorm(x: number): number {
  return normalCdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function qnorm(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Student t CDF with `df` degrees of freedom; `df = Infinity` gives the normal. */
export function pt(x: number, df: number): number {
  return df === Infinity ? pnorm(x) : tCdf(x, df);
}

/** Student t quantile; `df = Infinity` gives the normal. */
export function qt(p: number, df: number): number {
  return df === Infinity ? qnorm(p) : tQuantile(p, df);
}

/** F(df1, df2) CDF. */
export function pf(x: number, df1: number, df2: number): number {
  return fCdf(x, df1, df2);
}

/** F(df1, df2) quantile. */
export function qf(p: number, df1: number, df2: number): number {
  return fQuantile(p, df1, df2);
}

/** χ²(df) CDF. */
export function pchisq(x: number, df: number): number {
  return chisqCdf(x, df);
}

/** χ²(df) quantile. */
export function qchisq(p: number, df: number): number {
  return chisqQuantile(p, df);
}

/** Two-sided p-value of a t (or normal, df = Infinity / null) statistic, using the lower tail of −|t|. */
export function twoSidedP(statistic: number, df: number | null): number {
  const d = df === null ? Infinity : df;
  return 2 * pt(-Math.abs(statistic), d);
}
