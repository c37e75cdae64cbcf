/**
 * glmm(frame, options): the logistic random-intercept model, composed of the
 * exported stages glmmObjective → optimizeGlmm → glmmResult (lme4's
 * glFormula → mkGlmerDevfun → optimizeGlmer → mkMerMod).
 */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import { linearPredictor } from "../lmm/fit.ts";
import { glmmObjective } from "./objective.ts";
import { optimizeGlmm } from "./optimize.ts";
import { glmmResult, type GlmmFit } from "./result.ts";

export interface GlmmOptions {
  /** Only "binomial" (logit link) is supported. */
  readonly family?: "binomial";
  /** 1 = Laplace (default, as glmer); 2–25 = adaptive Gauss–Hermite quadrature. */
  readonly nagq?: number;
  /** Starting fixed effects (default: the logistic regression without the random intercept). */
  readonly start?: ArrayLike<number>;
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
}

/**
 * Fits `y ~ X + (1 | cluster)` for a 0/1 response with the logit link,
 * matching `lme4::glmer(..., family = binomial, nAGQ = nagq)`.
 *
 * @example
 * const frame = modelFrame(data, "M ~ X1*A*Y + (1 | cluster)");
 * const fit = glmm(frame);                 // Laplace
 * const agq = glmm(frame, { nagq: 10 });   // adaptive Gauss–Hermite
 */
export function glmm(frame: ModelFrame, options: GlmmOptions = {}): GlmmFit {
  if (options.family !== undefined && options.family !== "binomial") {
    throw new InputError(`glmm: family '${String(options.family)}' is not supported; only 'binomial' (logit link) is`);
  }
  const objective = glmmObjective(frame, { nagq: options.nagq });
  const optimum = optimizeGlmm(objective, { start: options.start });
  return glmmResult(objective, optimum, { level: options.level });
}

export interface GlmmPredictOptions {
  /** Include each row's cluster random intercept b̂ᵢ (conditional) or not (population-level, b = 0). */
  readonly conditional: boolean;
  /**
   * Fitted-cluster index (0-based, frame order) of each row of X; −1 for a
   * cluster with no conditional mode (its random intercept is taken as 0).
   * Default when conditional: the fit's own rows (X must have nObs rows).
   */
  readonly clusterIndex?: Int32Array;
  /** "response" (probabilities, default) or "link" (log-odds). */
  readonly type?: "response" | "link";
}

/**
 * Predictions for the rows of X (columns as the fit's terms):
 * expit(Xβ + b̂[cluster]) when conditional, expit(Xβ) otherwise.
 */
export function predictGlmm(fit: GlmmFit, X: Matrix, options: GlmmPredictOptions): Float64Array {
  const eta = linearPredictor(fit.coefficients, fit.conditionalModes, X, options);
  if ((options.type ?? "response") === "link") return eta;
  for (let i = 0; i < eta.length; i++) {
    const e = Math.exp(-Math.abs(eta[i]));
    eta[i] = eta[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return eta;
}
