/**
 * Random-intercept linear mixed model `y ~ X + (1 | g)` by REML or ML,
 * matching lme4::lmer. Stages: lmmObjective (profiled deviance in θ) →
 * optimizeLmm (1-D minimisation, θ ≥ 0) → lmmResult; `lmm` composes them.
 */
export { lmm, predictLmm, linearPredictor, type LmmOptions, type LmmPredictOptions } from "./fit.ts";
export { lmmObjective, type LmmEvaluation, type LmmMethod, type LmmObjective, type LmmObjectiveOptions } from "./objective.ts";
export { optimizeLmm, type LmmOptimizeOptions, type LmmOptimum } from "./optimize.ts";
export { lmmResult, SINGULAR_TOLERANCE, type LmmFit, type LmmResultOptions } from "./result.ts";
export { clusterLayout, type ClusterLayout } from "../shared/cluster-layout.ts";
export { brentMinimize, minimizeNonNegative, type BrentOptions, type Minimum1d, type NonNegativeMinimum, type NonNegativeOptions } from "../shared/brent.ts";
export type { ConditionalModes, RandomEffectVariance, RandomInterceptFit } from "./types.ts";
