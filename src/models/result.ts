/**
 * The shape every model fit shares (glm, gee, lm, lmm, glmm), so that report
 * code, pooling and simulation can treat any fit alike. Each model's result
 * extends it with what is particular to that model (glm's `deviance`, gee's
 * `alpha`, lmm's `randomEffects`, …).
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { Coefficient } from "../core/records.ts";

export type ModelKind = "glm" | "gee" | "lm" | "lmm" | "glmm";

/**
 * A fitted model: a frozen plain object.
 *
 * @example
 * const fit: ModelFit = gee(frame, { corstr: "exchangeable" });
 * const p = fit.terms.length;
 * const seA = Math.sqrt(fit.vcov[1 * p + 1]); // = fit.table[1].stdError
 */
export interface ModelFit {
  readonly model: ModelKind;
  /** The formula as given. */
  readonly formula: string;
  readonly response: string;
  /** Coefficient names as R's model.matrix names them. */
  readonly terms: readonly string[];
  /** Rows the fit used. */
  readonly nObs: number;
  /** Rows dropped while building the frame (missing values). */
  readonly nDropped: number;
  /** Clusters with at least one row used; null for a fit without clusters. */
  readonly nClusters: number | null;
  /** Estimates, in the order of `terms`. */
  readonly coefficients: Float64Array;
  /** p×p row-major covariance matrix of `coefficients`, of kind `vcovType`. */
  readonly vcov: Float64Array;
  /** Which covariance `vcov` is: "model", "robust", "CR2", "hessian", … (see each model). */
  readonly vcovType: string;
  /** Coefficient records: Wald tests and `level` intervals from `vcov`. */
  readonly table: readonly Coefficient[];
  /** Confidence level of the intervals in `table`. */
  readonly level: number;
  /**
   * Residual scale √φ, with φ the dispersion in Var(y) = φ·V(μ): σ for lm,
   * lmm and a gaussian glm/gee; √glm's `dispersion` (1 for binomial and
   * poisson) and √gee's `scale` otherwise; 1 for a glmm (no residual scale).
   */
  readonly sigma: number;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}
