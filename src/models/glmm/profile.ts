/**
 * The profile deviance d(θ) = min_β dev(θ, β): Newton iterations over β with
 * the analytic gradient and the Laplace Gauss–Newton Hessian (step halving
 * guards each step), warm-started from the profiles already visited.
 */
import { choleskyInPlace, choleskySolveInPlace } from "../../linalg/cholesky.ts";
import type { GlmmObjective } from "./objective.ts";

/** One profile evaluation: θ, d(θ), ∂dev/∂θ at β̂(θ) (= d'(θ), envelope theorem) and β̂(θ). */
export interface Profile {
  readonly theta: number;
  readonly dev: number;
  readonly slope: number;
  readonly beta: Float64Array;
}

export class ProfileDeviance {
  /** The current β (updated by every profile) and the gradient of its last evaluation. */
  readonly beta: Float64Array;
  readonly grad: Float64Array;
  /** Profiles visited, most recent last: warm starts and the final state come from here. */
  readonly visited: Profile[] = [];
  /** Deviance evaluations in all. */
  evaluations = 0;
  /** Whether the Newton iterations of the last profile converged. */
  lastInnerConverged = true;
  private readonly objective: GlmmObjective;
  private readonly maxInner: number;
  private readonly hess: Float64Array;
  private readonly chol: Float64Array;
  private readonly step: Float64Array;
  private readonly trial: Float64Array;

  constructor(objective: GlmmObjective, startBeta: Float64Array, maxInner: number) {
    const p = objective.layout.p;
    this.objective = objective;
    this.maxInner = maxInner;
    this.beta = Float64Array.from(startBeta);
    this.grad = new Float64Array(p + 1);
    this.hess = new Float64Array(p * p);
    this.chol = new Float64Array(p * p);
    this.step = new Float64Array(p);
    this.trial = new Float64Array(p);
  }

  /** min over β of the deviance at θ, starting from (and updating) `beta`. */
  profile(theta: number): number {
    const { objective, beta, grad, hess, chol, step, trial } = this;
    const p = this.objective.layout.p;
    let dev = objective.evaluate(theta, beta, grad);
    this.evaluations++;
    let converged = false;
    for (let iter = 0; iter < this.maxInner; iter++) {
      objective.approximateHessian(hess);
      if (!factor(hess, chol, p)) break;
      for (let j = 0; j < p; j++) step[j] = -grad[j + 1];
      choleskySolveInPlace(chol, p, step);
      let decrement = 0;
      for (let j = 0; j < p; j++) decrement -= grad[j + 1] * step[j];
      if (!(decrement > 1e-12)) {
        converged = true;
        break;
      }
      let t = 1;
      let accepted = false;
      for (let h = 0; h < 40; h++) {
        for (let j = 0; j < p; j++) trial[j] = beta[j] + t * step[j];
        const d = objective.evaluate(theta, trial, grad);
        this.evaluations++;
        if (d <= dev + 1e-13 * Math.abs(dev)) {
          beta.set(trial);
          dev = d;
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        // No decrease along the Newton direction: at the optimum to rounding.
        dev = objective.evaluate(theta, beta, grad);
        this.evaluations++;
        converged = decrement < 1e-6;
        break;
      }
    }
    this.lastInnerConverged = converged;
    return dev;
  }

  /** The profile at θ, recorded in `visited`. */
  visit(theta: number): Profile {
    const { beta, visited } = this;
    const p = this.objective.layout.p;
    // Warm start: linear extrapolation in θ from the last two profiles when the step is comparable.
    const k = visited.length;
    if (k >= 1) {
      const last = visited[k - 1];
      beta.set(last.beta);
      if (k >= 2) {
        const prev = visited[k - 2];
        const span = last.theta - prev.theta;
        const ratio = (theta - last.theta) / span;
        if (span !== 0 && Math.abs(ratio) <= 2) {
          for (let j = 0; j < p; j++) beta[j] += ratio * (last.beta[j] - prev.beta[j]);
        }
      }
    }
    const dev = this.profile(theta);
    const entry = { theta, dev, slope: this.grad[0], beta: Float64Array.from(beta) };
    visited.push(entry);
    return entry;
  }
}

/** Cholesky of a symmetric matrix, with increasing ridge when it is not positive definite. */
function factor(a: Float64Array, l: Float64Array, p: number): boolean {
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  let ridge = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    l.set(a);
    if (ridge > 0) for (let i = 0; i < p; i++) l[i * p + i] += ridge;
    if (choleskyInPlace(l, p, 0) === 0) return true;
    ridge = ridge === 0 ? 1e-10 * Math.max(maxDiag, 1e-300) : ridge * 10;
  }
  return false;
}
