/**
 * Logistic (default) or Poisson (log link) random-intercept model `y ~ X + (1 | g)` by Laplace or adaptive
 * Gauss–Hermite quadrature, matching lme4::glmer. Stages: glmmObjective
 * (deviance in (θ, β) with PIRLS inside) → optimizeGlmm → glmmResult;
 * `glmm` composes them; `predictGlmm` (alias `predict`) predicts with or
 * without the cluster random intercepts.
 */
export { glmm, predictGlmm, predictGlmm as predict, type GlmmOptions, type GlmmPredictOptions } from "./fit.ts";
export { glmmObjective, MAX_NAGQ, type GlmmFamily, type GlmmModes, type GlmmObjective, type GlmmObjectiveOptions } from "./objective.ts";
export { optimizeGlmm, type GlmmOptimizeOptions, type GlmmOptimum } from "./optimize.ts";
export { glmmStart, type GlmmStart } from "./start.ts";
export { finiteDifferenceHessian } from "./full-hessian.ts";
export { glmmResult, type GlmmFit, type GlmmResultOptions } from "./result.ts";
export { gaussHermite, type GaussHermiteRule } from "./gauss-hermite.ts";
