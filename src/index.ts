/**
 * crtkit: analysis of cluster-randomized trials.
 *
 * The data path: readCsv → Dataset → modelFrame(formula) → fit (glm, gee,
 * lm, lmm, glmm) → results with diagnostics; methods (missing-modifier
 * imputation, pooling, simulation) compose fits.
 *
 * @example
 * import { readCsv, modelFrame, gee, pool } from "crtkit";
 */
export { ComputeError, InputError } from "./core/errors.ts";
export type { Diagnostic } from "./core/diagnostics.ts";
export type { Coefficient, Estimate } from "./core/records.ts";

export { readCsv, readCsvFile, MISSING_CELLS } from "./data/csv.ts";
export { dataset, datasetFromRecord, getColumn, numericColumn, type Column, type Dataset } from "./data/dataset.ts";
export { clusterIndex, clusterSizes, type ClusterIndex } from "./data/clusters.ts";

export {
  modelFrame,
  parseFormula,
  modelMatrixFor,
  designMatrix,
  evaluateVariable,
  type ModelFrame,
  type FormulaModelFrame,
  type ParsedFormula,
  type DesignSpec,
} from "./formula/index.ts";

export * as linalg from "./linalg/index.ts";
export * as dist from "./dist/index.ts";
export {
  createRng,
  bernoulli,
  gamma,
  multivariateNormal,
  normal,
  poisson,
  polyaGamma,
  polyaGammaFill,
  polyaGammaMean,
  polyaGammaVariance,
  type Rng,
} from "./random/index.ts";

export { getFamily, getLink, resolveFamily, type Family, type FamilyName, type Link, type LinkName } from "./models/family/index.ts";
export { glm, glmFit, type GlmOptions, type GlmResult } from "./models/glm/index.ts";
export { gee, geeData, geeFit, geeVariance, type CorStr, type GeeOptions, type GeeResult, type GeeSe } from "./models/gee/index.ts";
export { lm, lmCovariance, olsFit, type LmOptions, type LmResult, type LmVcovType } from "./models/lm/index.ts";
export { lmm, lmmObjective, optimizeLmm, lmmResult, predictLmm, type LmmFit, type LmmOptions } from "./models/lmm/index.ts";
export { glmm, glmmObjective, optimizeGlmm, glmmResult, predictGlmm, type GlmmFit, type GlmmOptions } from "./models/glmm/index.ts";

export { pool, type PoolOptions, type PoolResult } from "./inference/pool.ts";
export { waldEstimate, coefficientTable } from "./inference/wald.ts";
export { effectiveSampleSize, splitRhat } from "./inference/mcmc.ts";

export { analyzeMissingModifier, type AnalyzeOptions, type AnalysisResult } from "./missing/analyze.ts";
export { prepareModifierData, type ModifierData, type ModifierColumns } from "./missing/data.ts";
export { runGibbsChain, GIBBS_DEFAULTS, type GibbsSettings, type GibbsChain } from "./missing/gibbs.ts";
export { METHOD_NAMES, type MethodName, type MethodResult } from "./missing/result.ts";

export * from "./estimands/index.ts";
export * from "./design/index.ts";
export * from "./simulate/index.ts";
