/**
 * The profile-likelihood interval for the random-intercept SD θ of a GLMM,
 * and the likelihood-ratio test of θ = 0, both from the profiled deviance
 * d(θ) = min_β dev(θ, β) of the model's own objective (Laplace or AGQ):
 *
 *   interval  {θ ≥ 0 : d(θ) − d(θ̂) ≤ χ²₁(level)}, the set lme4's
 *             `confint(fit, parm = ".sig01", method = "profile")` reports
 *             (lme4 interpolates a spline through a profile grid; here the
 *             limits are roots of the profile itself). A lower limit below 0
 *             is reported as 0.
 *   LRT       d(0) − d(θ̂); at θ = 0 the Laplace deviance is the GLM's, so
 *             this is the statistic against glm(y ~ X). θ = 0 lies on the
 *             boundary, so the null distribution is ½χ²₀ + ½χ²₁ (Self &
 *             Liang 1987): p = ½P(χ²₁ > LRT) = Φ(−√LRT) for LRT > 0, and 1
 *             for LRT = 0.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { pnorm, qchisq } from "../distributions/index.ts";
import type { GlmmObjective } from "../models/glmm/objective.ts";
import { ProfileDeviance } from "../models/glmm/profile.ts";
import { zeroin } from "../models/glmm/zeroin.ts";

/** Largest θ searched for the upper limit (a latent-scale ICC of 1 − 3·10⁻⁶). */
const THETA_MAX = 1024;

export interface ThetaProfile {
  /** Limits of θ; thetaHigh is Infinity when the profile stays within the cut up to THETA_MAX. */
  readonly thetaLow: number;
  readonly thetaHigh: number;
  /** Likelihood-ratio statistic d(0) − d(θ̂) (≥ 0) and its boundary-corrected p-value. */
  readonly lrt: number;
  readonly pValue: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Profiles `objective` around its optimum (θ̂, β̂) for the `level` interval of θ and the test of θ = 0.
 *
 * @example
 * const objective = glmmObjective(frame);
 * const fit = glmm(frame);
 * const p = thetaProfile(objective, fit.theta, fit.coefficients, 0.95);
 * [p.thetaLow, p.thetaHigh, p.pValue];
 */
export function thetaProfile(objective: GlmmObjective, thetaHat: number, betaHat: ArrayLike<number>, level: number): ThetaProfile {
  const profiles = new ProfileDeviance(objective, Float64Array.from(betaHat), 100);
  const diagnostics: Diagnostic[] = [];
  let innerFailures = 0;
  const deviance = (theta: number): number => {
    const d = profiles.visit(theta).dev;
    if (!profiles.lastInnerConverged) innerFailures++;
    return d;
  };
  const dHat = deviance(thetaHat);
  const cut = qchisq(level, 1);
  const excess = (theta: number): number => deviance(theta) - dHat - cut;

  const atZero = thetaHat === 0 ? dHat : deviance(0);
  const lrt = Math.max(0, atZero - dHat);
  const pValue = lrt > 0 ? pnorm(-Math.sqrt(lrt)) : 1;

  const lowExcess = atZero - dHat - cut;
  const thetaLow = lowExcess <= 0 ? 0 : zeroin(excess, 0, lowExcess, thetaHat, -cut, 1e-12).x;

  let a = thetaHat;
  let fa = -cut;
  let b = Math.max(2 * thetaHat, 1);
  let fb = excess(b);
  while (fb <= 0 && b < THETA_MAX) {
    a = b;
    fa = fb;
    b *= 2;
    fb = excess(b);
  }
  let thetaHigh = Infinity;
  if (fb > 0) {
    thetaHigh = zeroin(excess, a, fa, b, fb, 1e-12).x;
  } else {
    diagnostics.push(
      warning("no-upper-limit", `the profile deviance stays within ${cut.toPrecision(4)} of its minimum up to a random-intercept SD of ${THETA_MAX}: the interval has no finite upper limit`),
    );
  }
  if (innerFailures > 0) {
    diagnostics.push(warning("not-converged", `the fixed effects did not converge in ${innerFailures} profile evaluations; the interval limits may be inexact`));
  }
  return { thetaLow, thetaHigh, lrt, pValue, diagnostics };
}
