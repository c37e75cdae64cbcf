/**
 * Stage 2 of the GLMM: minimise the deviance over (θ, β), θ ≥ 0.
 *
 * The deviance is profiled over β: for each θ, β̂(θ) comes from Newton
 * iterations with the analytic gradient and the Laplace Gauss–Newton Hessian
 * 2(XᵀWX − θ²Σᵢaᵢaᵢᵀ/Hᵢ) (step halving guards each step; profile.ts). The profile
 * d(θ) = min_β dev(θ, β) has the exact derivative ∂dev/∂θ at β̂(θ) (envelope
 * theorem), so its minimum is found as the root of d'(ψ), ψ = θ², by Brent's
 * root finder, starting from a one-step score estimate of ψ and with
 * d'(0) = Σᵢ(Wᵢ − sᵢ²) known exactly. θ = 0 is accepted as a boundary fit
 * when d'(0) ≥ 0 (and lme4's start θ = 1 is not lower); a grid and Brent's
 * minimiser are the fallback (theta-search.ts). The optimum is the joint
 * optimum of (θ, β) that lme4's second stage seeks.
 * Finally the full (θ, β) Hessian is taken by central differences of the
 * analytic gradient (lme4 differences the deviance itself, step 1e-4), for the
 * covariance of β as `vcov.merMod(use.hessian = TRUE)` computes it
 * (full-hessian.ts). Starting values are the GLM's (start.ts).
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { finiteDifferenceHessian, newtonDecrement } from "./full-hessian.ts";
import type { GlmmObjective } from "./objective.ts";
import { ProfileDeviance } from "./profile.ts";
import { glmmStart } from "./start.ts";
import { searchTheta } from "./theta-search.ts";

export interface GlmmOptimizeOptions {
  /** Starting fixed effects (default: glmmStart). */
  readonly start?: ArrayLike<number>;
  /**
   * Starting random-intercept SD for the search over θ (e.g. the full-data
   * estimate when refitting leave-one-cluster-out); default: a one-step
   * estimate from the score at θ = 0.
   */
  readonly thetaStart?: number;
  /** Relative tolerance on θ² (default 1e-9). */
  readonly tolerance?: number;
  /** Newton iterations per profile evaluation (default 100). */
  readonly maxInner?: number;
  /** Skip the finite-difference Hessian (default false). */
  readonly skipHessian?: boolean;
}

export interface GlmmOptimum {
  readonly theta: number;
  readonly beta: Float64Array;
  readonly deviance: number;
  /** Gradient of the deviance in [θ, β] at the optimum. */
  readonly gradient: Float64Array;
  /**
   * Hessian of the deviance in [θ, β] ((p+1)×(p+1), row-major) by central
   * differences of the analytic gradient; null at a boundary fit (θ = 0),
   * where lme4's one-sided differences fail and it falls back to R_X.
   */
  readonly hessian: Float64Array | null;
  readonly converged: boolean;
  /** Profile evaluations over θ. */
  readonly iterations: number;
  /** Deviance evaluations in all. */
  readonly evaluations: number;
  readonly boundary: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Minimises the deviance of `objective` over (θ, β).
 *
 * @example
 * const obj = glmmObjective(frame, { nagq: 1 });
 * const opt = optimizeGlmm(obj);          // starts from the GLM
 * opt.theta; opt.beta; opt.deviance;
 */
export function optimizeGlmm(objective: GlmmObjective, options: GlmmOptimizeOptions = {}): GlmmOptimum {
  const p = objective.layout.p;
  const diagnostics: Diagnostic[] = [];
  const profiles = new ProfileDeviance(objective, startValues(objective, options, diagnostics), options.maxInner ?? 100);
  const search = searchTheta(objective, profiles, options.thetaStart, options.tolerance ?? 1e-9);
  const theta = search.best.theta;
  // Final state at the optimum (one Newton check from the stored estimate).
  profiles.beta.set(search.best.beta);
  const deviance = profiles.profile(theta);
  const gradient = Float64Array.from(profiles.grad);
  let converged = search.converged && profiles.lastInnerConverged;
  if (!search.converged) {
    diagnostics.push(warning("not-converged", `the search over θ did not converge (θ = ${theta}, deviance ${deviance})`));
  }
  if (!profiles.lastInnerConverged) {
    diagnostics.push(warning("not-converged", `the Newton iterations for the fixed effects did not converge at θ = ${theta}`));
  }
  const optimumBeta = Float64Array.from(profiles.beta);

  let hessian: Float64Array | null = null;
  if (!options.skipHessian && !search.boundary) {
    hessian = finiteDifferenceHessian(objective, theta, optimumBeta);
    profiles.evaluations += 2 * (p + 1);
    objective.evaluate(theta, optimumBeta); // leave the objective's state at the optimum
    profiles.evaluations++;
    const dec = newtonDecrement(hessian, gradient);
    if (dec !== null && dec > 1e-6) {
      converged = false;
      diagnostics.push(warning("not-converged", `the deviance is not at a minimum: Newton decrement ${dec.toPrecision(3)} at θ = ${theta}`));
    }
  }
  return Object.freeze({
    theta,
    beta: optimumBeta,
    deviance,
    gradient,
    hessian,
    converged,
    iterations: profiles.visited.length,
    evaluations: profiles.evaluations,
    boundary: search.boundary,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** The given start, or the GLM's (its diagnostics join the fit's). */
function startValues(objective: GlmmObjective, options: GlmmOptimizeOptions, diagnostics: Diagnostic[]): Float64Array {
  if (options.start) return Float64Array.from(options.start);
  const start = glmmStart(objective);
  diagnostics.push(...start.diagnostics);
  return start.beta;
}
