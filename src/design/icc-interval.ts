/**
 * Confidence intervals for the intraclass correlation.
 *
 * - ANOVA estimator: the F-based interval of Thomas & Hultquist (1978). With
 *   k clusters, ñ the harmonic mean cluster size, S² the (unweighted) variance
 *   of the cluster means and F′ = ñS²/MSW,
 *     ICC ∈ [(F′/F_U − 1)/(F′/F_U + ñ − 1), (F′/F_L − 1)/(F′/F_L + ñ − 1)]
 *   with F_U, F_L the upper and lower α/2 quantiles of F(k − 1, N − k). With
 *   equal cluster sizes ñS² = MSB and this is Searle's (1971) exact interval;
 *   with unequal sizes it is an approximation (Donner & Wells 1986 found it
 *   close to nominal), and it need not be centred on the n₀-weighted point
 *   estimate. Limits are truncated to [0, 1].
 * - REML / ML: the profile-likelihood interval. The ICC of `y ~ … + (1 | C)`
 *   is θ²/(1 + θ²) with θ = σ_b/σ, and the profiled criterion d(θ) (β and σ
 *   profiled out) is lme4's, so {θ : d(θ) − d(θ̂) ≤ χ²₁(level)} maps to an
 *   ICC interval; a limit at θ = 0 is reported as 0.
 */
import { InputError } from "../core/errors.ts";
import { qchisq, qf } from "../distributions/index.ts";
import type { ModelFrame } from "../formula/types.ts";
import { lmmObjective, type LmmMethod } from "../models/lmm/objective.ts";
import type { IccResult } from "./icc.ts";

export interface IccInterval {
  readonly confLow: number;
  readonly confHigh: number;
  /** "searle" (equal cluster sizes: exact), "thomas-hultquist" (unequal sizes) or "profile" (REML/ML). */
  readonly intervalMethod: "thomas-hultquist" | "searle" | "profile";
}

/**
 * The F-based interval for the one-way ANOVA ICC of y over clusters
 * (cluster c owns y[starts[c] .. starts[c+1]-1]; empty clusters are skipped).
 */
export function anovaIccInterval(y: ArrayLike<number>, starts: Int32Array, level = 0.95): IccInterval {
  checkLevel(level);
  let k = 0;
  let n = 0;
  let inverseSizes = 0;
  let balanced = true;
  let firstSize = -1;
  const means: number[] = [];
  let ssw = 0;
  for (let c = 0; c + 1 < starts.length; c++) {
    const nc = starts[c + 1] - starts[c];
    if (nc === 0) continue;
    if (firstSize < 0) firstSize = nc;
    else if (nc !== firstSize) balanced = false;
    k++;
    n += nc;
    inverseSizes += 1 / nc;
    let s = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) s += y[i];
    const mean = s / nc;
    means.push(mean);
    for (let i = starts[c]; i < starts[c + 1]; i++) ssw += (y[i] - mean) * (y[i] - mean);
  }
  if (k < 2 || n - k < 1) {
    throw new InputError(`an ICC interval needs at least 2 clusters and more rows than clusters (have ${k} clusters, ${n} rows)`);
  }
  const msw = ssw / (n - k);
  if (msw === 0) throw new InputError("the outcome does not vary within any cluster: the ANOVA interval for the ICC is undefined");
  const harmonic = k / inverseSizes;
  let grand = 0;
  for (const m of means) grand += m;
  grand /= k;
  let s2 = 0;
  for (const m of means) s2 += (m - grand) * (m - grand);
  s2 /= k - 1;
  const fStar = (harmonic * s2) / msw;
  const alpha = 1 - level;
  const limit = (f: number): number => clamp01((f - 1) / (f + harmonic - 1));
  return {
    confLow: limit(fStar / qf(1 - alpha / 2, k - 1, n - k)),
    confHigh: limit(fStar / qf(alpha / 2, k - 1, n - k)),
    intervalMethod: balanced ? "searle" : "thomas-hultquist",
  };
}

/** The profile-likelihood interval for the ICC of a random-intercept LMM fitted to `frame`. */
export function profileIccInterval(frame: ModelFrame, method: LmmMethod, thetaHat: number, level = 0.95): IccInterval {
  checkLevel(level);
  const objective = lmmObjective(frame, { method });
  const dHat = objective.deviance(thetaHat);
  const cut = qchisq(level, 1);
  const excess = (theta: number): number => objective.deviance(theta) - dHat - cut;
  const lowTheta = thetaHat === 0 || excess(0) <= 0 ? 0 : bisectRoot(excess, 0, thetaHat);
  let hi = Math.max(2 * thetaHat, 1);
  for (let i = 0; excess(hi) <= 0; i++) {
    if (i > 60) throw new InputError("the profile-likelihood interval for the ICC has no finite upper limit");
    hi *= 2;
  }
  const highTheta = bisectRoot(excess, thetaHat, hi);
  const icc = (theta: number): number => (theta * theta) / (1 + theta * theta);
  return { confLow: icc(lowTheta), confHigh: icc(highTheta), intervalMethod: "profile" };
}

/** A root of f in [a, b] where f changes sign, to full double precision (the deviance is smooth). */
function bisectRoot(f: (x: number) => number, a: number, b: number): number {
  let fa = f(a);
  let lo = a;
  let hi = b;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(fa)) {
      lo = mid;
      fa = fm;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new InputError(`the confidence level must be in (0, 1); got ${level}`);
}

/**
 * The interval that goes with an ICC estimate on `frame` (the frame the
 * estimate was computed from): the F interval for "anova", the profile
 * likelihood for "reml"/"ml". The latent-scale ICC has none here.
 */
export function iccInterval(frame: ModelFrame, result: IccResult, level = 0.95): IccInterval {
  if (result.method === "latent") {
    throw new InputError("an interval for the latent-scale ICC is not available in icc; crtkit missingness reports one for a missingness indicator");
  }
  if (result.method === "anova") return anovaIccInterval(frame.y, frame.clusters!.starts, level);
  const theta = result.varianceWithin > 0 ? Math.sqrt(result.varianceBetween / result.varianceWithin) : 0;
  return profileIccInterval(frame, result.method, theta, level);
}
