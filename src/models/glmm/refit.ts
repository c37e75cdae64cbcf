/**
 * Warm-started refits of the logistic random-intercept GLMM for the
 * delete-one-cluster jackknife, on src/models/glmm's objective (Laplace
 * deviance and its gradient in (θ, β)).
 *
 * Leaving one of m clusters out moves the optimum by O(1/m), so a refit
 * starts at the full-data (θ̂, β̂):
 * - β is profiled at each θ by chord Newton steps with a fixed matrix, the
 *   full-data approximate Hessian (it differs from the refit's by one
 *   cluster's share, so each step gains about log10(m) digits) and step
 *   halving, to a Newton decrement below 1e-10; this avoids an O(n·p²)
 *   Hessian per step;
 * - θ solves d profile/dθ = 0 by the secant method from θ̂ (the profile's
 *   slope is ∂dev/∂θ at the profiled β, by the envelope theorem).
 * When θ heads to the boundary (below θ̂/20) or the secant misbehaves, the
 * refit falls back to src/models/glmm's optimizer (which handles θ = 0).
 */
import { choleskyInPlace, choleskySolveInPlace } from "../../linalg/cholesky.ts";
import type { GlmmObjective } from "./objective.ts";
import { optimizeGlmm } from "./optimize.ts";

export interface GlmmRefit {
  readonly theta: number;
  readonly beta: Float64Array;
  readonly converged: boolean;
  /** True when src/models/glmm's optimizer was used instead. */
  readonly fallback: boolean;
}

/** Cholesky factor (lower, row-major) of the approximate β-Hessian at (θ, β) of `objective`; null if not positive definite. */
export function glmmHessianFactor(objective: GlmmObjective, theta: number, beta: ArrayLike<number>): Float64Array | null {
  const p = objective.layout.p;
  objective.evaluate(theta, beta);
  const h = objective.approximateHessian(new Float64Array(p * p));
  return choleskyInPlace(h, p, 0) === 0 ? h : null;
}

/**
 * Minimizes the deviance of `objective` from (thetaStart, betaStart) with
 * the fixed Hessian factor `chol` (see the module comment).
 */
export function refitGlmm(
  objective: GlmmObjective,
  thetaStart: number,
  betaStart: ArrayLike<number>,
  chol: Float64Array,
  state: { curvature: number } = { curvature: 0 },
): GlmmRefit {
  const p = objective.layout.p;
  const beta = Float64Array.from(betaStart);
  const grad = new Float64Array(p + 1);
  const step = new Float64Array(p);
  const trial = new Float64Array(p);

  const fallback = (): GlmmRefit => {
    const opt = optimizeGlmm(objective, { start: betaStart, thetaStart: thetaStart > 0 ? thetaStart : undefined, skipHessian: true });
    return { theta: opt.theta, beta: opt.beta, converged: opt.converged, fallback: true };
  };
  if (!(thetaStart > 0)) return fallback();

  /** Profiles β at θ (warm, in place); returns the slope ∂dev/∂θ or NaN when the inner loop fails. */
  const profile = (theta: number): number => {
    let dev = objective.evaluate(theta, beta, grad);
    for (let iter = 0; iter < 60; iter++) {
      for (let j = 0; j < p; j++) step[j] = -grad[j + 1];
      choleskySolveInPlace(chol, p, step);
      let decrement = 0;
      for (let j = 0; j < p; j++) decrement -= grad[j + 1] * step[j];
      if (!(decrement > 1e-10)) return Number.isFinite(decrement) ? grad[0] : NaN;
      let t = 1;
      let accepted = false;
      for (let h = 0; h < 30; h++) {
        for (let j = 0; j < p; j++) trial[j] = beta[j] + t * step[j];
        const d = objective.evaluate(theta, trial, grad);
        if (d <= dev + 1e-13 * Math.abs(dev)) {
          beta.set(trial);
          dev = d;
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        objective.evaluate(theta, beta, grad);
        return decrement < 1e-6 ? grad[0] : NaN;
      }
    }
    return NaN;
  };

  let t0 = thetaStart;
  let s0 = profile(t0);
  if (!Number.isFinite(s0)) return fallback();
  // First step: Newton with the profile's curvature from the previous refit (the refits' profiles are alike), else a 3% step.
  let t1 = state.curvature > 0 ? t0 - s0 / state.curvature : s0 > 0 ? 0.97 * t0 : 1.03 * t0;
  if (!(t1 > thetaStart / 20 && t1 < 20 * thetaStart) || t1 === t0) t1 = s0 > 0 ? 0.97 * t0 : 1.03 * t0;
  let s1 = profile(t1);
  for (let k = 0; k < 40; k++) {
    if (!Number.isFinite(s1)) return fallback();
    const denominator = s1 - s0;
    if (!(denominator !== 0 && (s1 - s0) / (t1 - t0) > 0)) return fallback();
    const next = t1 - (s1 * (t1 - t0)) / denominator;
    if (!(next > thetaStart / 20 && next < 20 * thetaStart)) return fallback();
    t0 = t1;
    s0 = s1;
    t1 = next;
    s1 = profile(t1);
    if (Math.abs(t1 - t0) <= 1e-8 * t1) {
      if (!Number.isFinite(s1)) return fallback();
      state.curvature = (s1 - s0) / (t1 - t0) > 0 ? (s1 - s0) / (t1 - t0) : state.curvature;
      return { theta: t1, beta, converged: true, fallback: false };
    }
  }
  return fallback();
}
