/**
 * Stage 2 of the GLMM: minimise the deviance over (θ, β), θ ≥ 0.
 *
 * The deviance is profiled over β: for each θ, β̂(θ) comes from Newton
 * iterations with the analytic gradient and the Laplace Gauss–Newton Hessian
 * 2(XᵀWX − θ²Σᵢaᵢaᵢᵀ/Hᵢ) (step halving guards each step). The profile
 * d(θ) = min_β dev(θ, β) has the exact derivative ∂dev/∂θ at β̂(θ) (envelope
 * theorem), so its minimum is found as the root of d'(ψ), ψ = θ², by Brent's
 * root finder, starting from a one-step score estimate of ψ and with
 * d'(0) = Σᵢ(Wᵢ − sᵢ²) known exactly. θ = 0 is accepted as a boundary fit
 * when d'(0) ≥ 0 (and lme4's start θ = 1 is not lower); a grid and Brent's
 * minimiser are the fallback. The optimum is the joint optimum of (θ, β)
 * that lme4's second stage seeks.
 * Finally the full (θ, β) Hessian is taken by central differences of the
 * analytic gradient (lme4 differences the deviance itself, step 1e-4), for the
 * covariance of β as `vcov.merMod(use.hessian = TRUE)` computes it.
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError } from "../../core/errors.ts";
import { choleskyInPlace, choleskySolveInPlace } from "../../linalg/cholesky.ts";
import { binomial, logitLink, logLink, poisson } from "../family/index.ts";
import { glmFit } from "../glm/index.ts";
import { minimizeNonNegative } from "../shared/brent.ts";
import type { GlmmObjective } from "./objective.ts";

const EPS = 2.220446049250313e-16;

/** Starting values: the logistic (Poisson) regression without the random intercept. */
export interface GlmmStart {
  readonly beta: Float64Array;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Fits the GLM `y ~ X` (logistic or Poisson IRLS, as R's glm) for starting
 * values and, for binomial, reports quasi-complete separation (fitted
 * probabilities numerically 0 or 1).
 */
export function glmmStart(objective: GlmmObjective): GlmmStart {
  const { frame, layout } = objective;
  const diagnostics: Diagnostic[] = [];
  const pois = objective.family === "poisson";
  const label = pois ? "Poisson" : "logistic";
  try {
    if (pois) {
      const fit = glmFit(frame.X.data, layout.n, layout.p, frame.y, poisson, logLink, { maxIter: 50 });
      return { beta: fit.coefficients, converged: fit.converged, diagnostics };
    }
    const fit = glmFit(frame.X.data, layout.n, layout.p, frame.y, binomial, logitLink, { maxIter: 50 });
    let k = 0;
    for (let i = 0; i < layout.n; i++) if (fit.mu[i] < 10 * EPS || fit.mu[i] > 1 - 10 * EPS) k++;
    if (k > 0) {
      diagnostics.push(
        warning(
          "separation",
          `the logistic regression without the random intercept has fitted probabilities numerically 0 or 1 for ${k} of ${layout.n} rows: ` +
            `'${frame.response}' is (quasi-)perfectly separated by the covariates, so some coefficients are not finite`,
        ),
      );
    }
    return { beta: fit.coefficients, converged: fit.converged, diagnostics };
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    diagnostics.push(warning("glm-start-failed", `the ${label} regression for starting values failed (${e.message}); starting from β = 0`));
    return { beta: new Float64Array(layout.p), converged: false, diagnostics };
  }
}

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

/** θ grid for bracketing the profile minimum (lme4 starts at θ = 1). */
const GRID = [0, 0.25, 0.5, 1, 2];

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
  let startBeta: Float64Array;
  if (options.start) {
    startBeta = Float64Array.from(options.start);
  } else {
    const start = glmmStart(objective);
    diagnostics.push(...start.diagnostics);
    startBeta = start.beta;
  }
  const maxInner = options.maxInner ?? 100;
  const beta = Float64Array.from(startBeta);
  const grad = new Float64Array(p + 1);
  const hess = new Float64Array(p * p);
  const chol = new Float64Array(p * p);
  const step = new Float64Array(p);
  const trial = new Float64Array(p);
  let evaluations = 0;
  let lastInnerConverged = true;

  /** min over β of the deviance at θ, starting from (and updating) `beta`. */
  function profile(theta: number): number {
    let dev = objective.evaluate(theta, beta, grad);
    evaluations++;
    let converged = false;
    for (let iter = 0; iter < maxInner; iter++) {
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
        evaluations++;
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
        evaluations++;
        converged = decrement < 1e-6;
        break;
      }
    }
    lastInnerConverged = converged;
    return dev;
  }

  /** Profiles visited, most recent last: warm starts and the final state come from here. */
  const visited: { theta: number; dev: number; slope: number; beta: Float64Array }[] = [];
  function visit(theta: number): { theta: number; dev: number; slope: number; beta: Float64Array } {
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
    const dev = profile(theta);
    const entry = { theta, dev, slope: grad[0], beta: Float64Array.from(beta) };
    visited.push(entry);
    return entry;
  }

  const tolerance = options.tolerance ?? 1e-9;
  const zero = visit(0);
  const score = objective.scoreAtZero(zero.beta);
  let chosen: { theta: number; dev: number; beta: Float64Array } | null = null;
  let boundary = false;
  let searchConverged = true;
  let fallback = false;
  if (score.slope >= 0) {
    // θ = 0 is a local minimum; accept it unless lme4's starting point θ = 1 is lower.
    const one = visit(1);
    if (one.dev >= zero.dev) {
      chosen = zero;
      boundary = true;
    } else {
      fallback = true;
    }
  } else {
    // Root of h(ψ) = d profile / d(θ²) on ψ > 0, h(0) = slope < 0.
    const h = (psi: number): number => {
      const e = visit(Math.sqrt(psi));
      return e.slope / (2 * e.theta);
    };
    let a = 0;
    let fa = score.slope;
    const guess = options.thetaStart !== undefined && options.thetaStart > 0 ? options.thetaStart ** 2 : -score.slope / score.information;
    let b = Math.min(Math.max(guess, 1e-4), 1e4);
    let fb = h(b);
    for (let k = 0; fb < 0 && k < 40 && b < 1e6; k++) {
      let next = b - (fb * (b - a)) / (fb - fa);
      if (!(next > b) || next > 10 * b) next = 4 * b;
      a = b;
      fa = fb;
      b = Math.min(next, 1e6);
      fb = h(b);
    }
    if (fb < 0) {
      fallback = true;
    } else {
      const root = zeroin(h, a, fa, b, fb, tolerance);
      searchConverged = root.converged;
      const theta = Math.sqrt(root.x);
      chosen = visited.find((e) => e.theta === theta) ?? null;
      if (!chosen) fallback = true;
    }
  }
  if (fallback) {
    // Derivative-free search over θ ≥ 0 on a grid and Brent's method.
    const m = minimizeNonNegative((t) => visit(t).dev, {
      grid: GRID,
      relTolerance: 1e-8,
      absTolerance: 1e-10,
      maxIter: 100,
      upper: 1e3,
      slopeAtZero: () => score.slope,
    });
    searchConverged = m.converged;
    boundary = m.boundary;
    chosen = boundary ? zero : (visited.find((e) => e.theta === m.x) ?? visit(m.x));
  }
  const best = chosen as { theta: number; dev: number; beta: Float64Array };
  const theta = best.theta;
  // Final state at the optimum (one Newton check from the stored estimate).
  beta.set(best.beta);
  const deviance = profile(theta);
  const gradient = Float64Array.from(grad);
  let converged = searchConverged && lastInnerConverged;
  if (!searchConverged) {
    diagnostics.push(warning("not-converged", `the search over θ did not converge (θ = ${theta}, deviance ${deviance})`));
  }
  if (!lastInnerConverged) {
    diagnostics.push(warning("not-converged", `the Newton iterations for the fixed effects did not converge at θ = ${theta}`));
  }
  const optimumBeta = Float64Array.from(beta);

  let hessian: Float64Array | null = null;
  if (!options.skipHessian && !boundary) {
    hessian = finiteDifferenceHessian(objective, theta, optimumBeta);
    evaluations += 2 * (p + 1);
    objective.evaluate(theta, optimumBeta); // leave the objective's state at the optimum
    evaluations++;
    // Convergence check as lme4's: the Newton step from the full Hessian should be tiny.
    const l = Float64Array.from(hessian);
    if (choleskyInPlace(l, p + 1, 0) === 0) {
      const s = Float64Array.from(gradient);
      choleskySolveInPlace(l, p + 1, s);
      let dec = 0;
      for (let j = 0; j <= p; j++) dec += gradient[j] * s[j];
      if (dec > 1e-6) {
        converged = false;
        diagnostics.push(warning("not-converged", `the deviance is not at a minimum: Newton decrement ${dec.toPrecision(3)} at θ = ${theta}`));
      }
    }
  }
  return Object.freeze({
    theta,
    beta: optimumBeta,
    deviance,
    gradient,
    hessian,
    converged,
    iterations: visited.length,
    evaluations,
    boundary,
    diagnostics: Object.freeze(diagnostics),
  });
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

/**
 * Hessian of the deviance in [θ, β] by central differences of the analytic
 * gradient (step 1e-4 as lme4's deriv12), symmetrized.
 */
export function finiteDifferenceHessian(objective: GlmmObjective, theta: number, beta: ArrayLike<number>, h = 1e-4): Float64Array {
  const p = objective.layout.p;
  const q = p + 1;
  const out = new Float64Array(q * q);
  const gPlus = new Float64Array(q);
  const gMinus = new Float64Array(q);
  const b = Float64Array.from(beta);
  for (let k = 0; k < q; k++) {
    if (k === 0) {
      objective.evaluate(theta + h, b, gPlus);
      objective.evaluate(theta - h, b, gMinus);
    } else {
      const v = b[k - 1];
      b[k - 1] = v + h;
      objective.evaluate(theta, b, gPlus);
      b[k - 1] = v - h;
      objective.evaluate(theta, b, gMinus);
      b[k - 1] = v;
    }
    for (let j = 0; j < q; j++) out[j * q + k] = (gPlus[j] - gMinus[j]) / (2 * h);
  }
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * q + j] + out[j * q + i]);
      out[i * q + j] = v;
      out[j * q + i] = v;
    }
  }
  return out;
}

/**
 * Brent's root finder (Dekker's secant/bisection with inverse quadratic
 * interpolation) for h on [a, b] with h(a)·h(b) < 0. Returns an evaluated
 * point within the relative tolerance of the root.
 */
function zeroin(h: (x: number) => number, a: number, fa: number, b: number, fb: number, rel: number): { x: number; converged: boolean } {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 100; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * EPS * Math.abs(b) + 0.5 * (rel * Math.abs(b) + 1e-300);
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return { x: b, converged: true };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number;
      let q: number;
      if (a === c) {
        pp = 2 * xm * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) q = -q;
      else pp = -pp;
      if (2 * pp < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = pp / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    // The interpolation step is below tolerance: b is the root to within tol1.
    if (Math.abs(d) <= tol1 && e !== d) return { x: b, converged: true };
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = h(b);
  }
  return { x: b, converged: false };
}
