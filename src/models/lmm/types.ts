/** Result pieces shared by the mixed models. */
import type { ModelFit } from "../result.ts";

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

/**
 * The fields every random-intercept fit (LMM, GLMM) reports beyond ModelFit:
 * `coefficients` are the fixed effects (lme4's `fixef`), `vcov` their
 * covariance (lme4's `vcov`), `table` normal-reference Wald inference.
 */
export interface RandomInterceptFit extends ModelFit {
  readonly model: "lmm" | "glmm";
  readonly nClusters: number;
  readonly randomEffects: readonly RandomEffectVariance[];
  readonly logLik: number;
  readonly conditionalModes: ConditionalModes;
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
  /** θ = 0: the between-cluster variance is estimated as 0. */
  readonly boundary: boolean;
}
