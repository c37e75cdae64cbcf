/**
 * The full (θ, β) Hessian of the deviance at the optimum, for the covariance
 * of β as `vcov.merMod(use.hessian = TRUE)` computes it, and the convergence
 * check lme4 makes with it.
 */
import { choleskyInPlace, choleskySolveInPlace } from "../../linalg/cholesky.ts";
import type { GlmmObjective } from "./objective.ts";

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
 * gᵀH⁻¹g, the Newton decrement of the full Hessian at gradient g (lme4's
 * check that the Newton step from the optimum is tiny); null when the Hessian
 * is not positive definite.
 */
export function newtonDecrement(hessian: Float64Array, gradient: Float64Array): number | null {
  const q = gradient.length;
  const l = Float64Array.from(hessian);
  if (choleskyInPlace(l, q, 0) !== 0) return null;
  const s = Float64Array.from(gradient);
  choleskySolveInPlace(l, q, s);
  let dec = 0;
  for (let j = 0; j < q; j++) dec += gradient[j] * s[j];
  return dec;
}
