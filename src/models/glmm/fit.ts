/**
 * glmm(frame, options): the logistic (default) or Poisson random-intercept model, composed of the
 * exported stages glmmObjective → optimizeGlmm → glmmResult (lme4's
 * glFormula → mkGlmerDevfun → optimizeGlmer → mkMerMod).
 */
import type { ModelFrame } from "../../formula/types.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import { linearPredictor } from "../lmm/fit.ts";
import { checkModelFrame, requireFiniteFit } from "../validate.ts";
import { glmmObjective, type GlmmFamily } from "./objective.ts";
import { optimizeGlmm } from "./optimize.ts";
import { glmmResult, type GlmmFit } from "./result.ts";

export interface GlmmOptions {
  /** "binomial" (logit link, default) or "poisson" (log link). */
  readonly family?: GlmmFamily;
  /** 1 = Laplace (default, as glmer); 2–25 = adaptive Gauss–Hermite quadrature. */
  readonly nagq?: number;
  /** Starting fixed effects (default: the logistic regression without the random intercept). */
  readonly start?: ArrayLike<number>;
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
}

/**
 * Fits `y ~ X + (1 | cluster)` for a 0/1 response with the logit link, or
 * for counts with the log link (family "poisson"), matching
 * `lme4::glmer(..., family = binomial | poisson, nAGQ = nagq)`.
 *
 * @example
 * const frame = modelFrame(data, "M ~ X1*A*Y + (1 | cluster)");
 * const fit = glmm(frame);                 // Laplace
 * const agq = glmm(frame, { nagq: 10 });   // adaptive Gauss–Hermite
 * const counts = glmm(countFrame, { family: "poisson" });
 */
export function glmm(frame: ModelFrame, options: GlmmOptions = {}): GlmmFit {
  checkModelFrame(frame, { model: "glmm", family: options.family ?? "binomial" });
  const objective = glmmObjective(frame, { nagq: options.nagq, family: options.family });
  const optimum = optimizeGlmm(objective, { start: options.start });
  const fit = glmmResult(objective, optimum, { level: options.level });
  requireFiniteFit("glmm", fit.terms, fit.coefficients, fit.vcov, { "log-likelihood": fit.logLik });
  return fit;
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
  /** "response" (probabilities or means, default) or "link" (log-odds or log means). */
  readonly type?: "response" | "link";
}

/**
 * Predictions for the rows of X (columns as the fit's terms):
 * expit(Xβ + b̂[cluster]) when conditional, expit(Xβ) otherwise (exp for Poisson).
 */
export function predictGlmm(fit: GlmmFit, X: Matrix, options: GlmmPredictOptions): Float64Array {
  const eta = linearPredictor(fit.coefficients, fit.conditionalModes, X, options);
  if ((options.type ?? "response") === "link") return eta;
  if (fit.family === "poisson") {
    for (let i = 0; i < eta.length; i++) eta[i] = Math.exp(eta[i]);
    return eta;
  }
  for (let i = 0; i < eta.length; i++) {
    const e = Math.exp(-Math.abs(eta[i]));
    eta[i] = eta[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return eta;
}
