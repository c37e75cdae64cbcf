/**
 * lmm(frame, options): the random-intercept linear mixed model, composed of
 * the exported stages lmmObjective → optimizeLmm → lmmResult (lme4's
 * lFormula → mkLmerDevfun → optimizeLmer → mkMerMod).
 */
import type { Matrix } from "../../linalg/matrix.ts";
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { checkModelFrame, requireFiniteFit } from "../validate.ts";
import { lmmObjective, type LmmMethod } from "./objective.ts";
import { optimizeLmm } from "./optimize.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { lmmResult, type LmmFit } from "./result.ts";
import { lmmSmallSample, type LmmDfMethod } from "./small-sample.ts";
import type { ConditionalModes } from "./types.ts";

export interface LmmOptions {
  /** "reml" (default, as lmer) or "ml". */
  readonly method?: LmmMethod;
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
  /** Relative tolerance on θ (default 1e-10). */
  readonly tolerance?: number;
  /**
   * Degrees of freedom of the coefficient table: "none" (default: normal
   * reference, as lme4's summary), "satterthwaite" (lmerTest) or
   * "kenward-roger" (pbkrtest; also adjusts the covariance, REML only).
   */
  readonly df?: LmmDfMethod;
}

/**
 * Fits `y ~ X + (1 | cluster)` by REML or ML, matching `lme4::lmer`.
 * The frame must carry clusters (contiguous rows); X excludes the random term.
 *
 * @example
 * const frame = modelFrame(data, "Y ~ A*M + X1 + (1 | cluster)");
 * const fit = lmm(frame);              // REML
 * const ml = lmm(frame, { method: "ml" });
 */
export function lmm(frame: ModelFrame, options: LmmOptions = {}): LmmFit {
  checkModelFrame(frame, { model: "lmm", family: "gaussian" });
  const objective = lmmObjective(frame, { method: options.method });
  const optimum = optimizeLmm(objective, { tolerance: options.tolerance });
  const fit = lmmResult(objective, optimum, { level: options.level });
  requireFiniteFit("lmm", fit.terms, fit.coefficients, fit.vcov, { "residual variance": fit.residualVariance, "log-likelihood": fit.logLik });
  return options.df === undefined || options.df === "none" ? fit : withSmallSampleDf(frame, fit, options.df);
}

/** The fit with its coefficient table on Satterthwaite or Kenward–Roger df (and KR's covariance). */
export function withSmallSampleDf(frame: ModelFrame, fit: LmmFit, method: Exclude<LmmDfMethod, "none">): LmmFit {
  const small = lmmSmallSample(frame, fit, method);
  const p = fit.coefficients.length;
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(small.vcov[j * p + j]));
  const table = coefficientTable(fit.terms, fit.coefficients, se, small.df, fit.level);
  return Object.freeze({
    ...fit,
    vcov: small.vcov,
    vcovType: method === "kenward-roger" ? ("kenward-roger" as const) : fit.vcovType,
    dfMethod: method,
    table: Object.freeze(table),
    diagnostics: Object.freeze([...fit.diagnostics, ...small.diagnostics]),
  });
}

export interface LmmPredictOptions {
  /** Add each row's cluster conditional mode (default false: population-level Xβ). */
  readonly conditional?: boolean;
  /**
   * Fitted-cluster index (0-based, frame order) of each row of X; −1 for a
   * cluster without a conditional mode (its random intercept is taken as 0).
   * Default when conditional: the fit's own rows (X must have nObs rows).
   */
  readonly clusterIndex?: Int32Array;
}

/** Predictions Xβ (+ b̂ of the row's cluster when conditional). */
export function predictLmm(fit: LmmFit, X: Matrix, options: LmmPredictOptions = {}): Float64Array {
  return linearPredictor(fit.coefficients, fit.conditionalModes, X, options);
}

/**
 * η = Xβ (+ b[cluster]) shared by the LMM and GLMM predictors. Validates the
 * shape of X and the cluster index.
 */
export function linearPredictor(
  beta: Float64Array,
  conditionalModes: ConditionalModes,
  X: Matrix,
  options: LmmPredictOptions,
): Float64Array {
  const p = beta.length;
  if (X.cols !== p) throw new InputError(`prediction matrix has ${X.cols} columns; the model has ${p} coefficients`);
  const n = X.rows;
  const eta = new Float64Array(n);
  const x = X.data;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * p;
    for (let j = 0; j < p; j++) s += x[row + j] * beta[j];
    eta[i] = s;
  }
  if (!options.conditional) return eta;
  const { values: modes, starts } = conditionalModes;
  let index = options.clusterIndex;
  if (!index) {
    if (n !== starts[starts.length - 1]) {
      throw new InputError(`conditional predictions for ${n} new rows need a clusterIndex (one fitted-cluster index per row)`);
    }
    index = new Int32Array(n);
    for (let c = 0; c + 1 < starts.length; c++) index.fill(c, starts[c], starts[c + 1]);
  }
  if (index.length !== n) throw new InputError(`clusterIndex has length ${index.length}; expected one entry per row (${n})`);
  for (let i = 0; i < n; i++) {
    const c = index[i];
    if (c === -1) continue;
    if (!Number.isInteger(c) || c < 0 || c >= modes.length) {
      throw new InputError(`clusterIndex row ${i + 1} is ${c}; fitted clusters are numbered 0 to ${modes.length - 1} (−1 for none)`);
    }
    eta[i] += modes[c];
  }
  return eta;
}
