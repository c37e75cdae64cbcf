/** Result pieces shared by the mixed models. */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { Coefficient } from "../../core/records.ts";

/** One variance component (spec: `randomEffects` entries). */
export interface RandomEffectVariance {
  /** Grouping column, e.g. "cluster". */
  readonly group: string;
  /** Random term, "(Intercept)". */
  readonly term: string;
  readonly variance: number;
  readonly sd: number;
}

/**
 * Conditional modes of the random intercepts (lme4's `ranef`), one per
 * cluster in frame order, with their conditional variances (lme4's
 * `condVar`/`postVar`).
 */
export interface ConditionalModes {
  readonly group: string;
  readonly ids: readonly string[];
  readonly values: Float64Array;
  readonly conditionalVariance: Float64Array;
  /** Rows of the fitted frame per cluster: cluster c owns rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
}

/** The fields every random-intercept fit (LMM, GLMM) reports. */
export interface RandomInterceptFit {
  readonly formula: string;
  readonly response: string;
  readonly terms: readonly string[];
  readonly nObs: number;
  /** Rows dropped while building the frame (missing values). */
  readonly nDropped: number;
  readonly nClusters: number;
  /** Fixed effects (lme4's `fixef`). */
  readonly coefficients: Float64Array;
  /** p×p row-major covariance of the fixed effects (lme4's `vcov`). */
  readonly vcov: Float64Array;
  /** Coefficient table with normal-reference Wald inference. */
  readonly table: readonly Coefficient[];
  readonly randomEffects: readonly RandomEffectVariance[];
  readonly logLik: number;
  readonly conditionalModes: ConditionalModes;
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
  /** θ = 0: the between-cluster variance is estimated as 0. */
  readonly boundary: boolean;
  readonly diagnostics: readonly Diagnostic[];
}
