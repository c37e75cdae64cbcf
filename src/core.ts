/**
 * crtkit's browser-safe core: everything of the library that needs no Node
 * module (no file system, threads, OS or crypto), so it bundles for a web
 * page or worker as it is. `crtkit` (index.ts) is this plus the Node-only
 * parts: reading CSV files from disk and simulation studies on worker threads.
 *
 * The data path: readCsv → Dataset → modelFrame(formula) → fit (glm, gee,
 * lm, lmm, glmm; each a ModelFit) → results with diagnostics; methods
 * (missing-modifier imputation, pooling) compose fits; report builders
 * (glmReport, …) turn results into summaries that renderText and renderCsv draw.
 *
 * @example
 * import { readCsvBytes, analyzeMissingModifier } from "crtkit/core";
 */
export { ComputeError, InputError } from "./core/errors.ts";
export type { Diagnostic } from "./core/diagnostics.ts";
export type { Coefficient, Estimate } from "./core/records.ts";

export { readCsv, readCsvBytes, MISSING_CELLS } from "./data/csv-reader.ts";
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
export * as distributions from "./distributions/index.ts";
/** The distribution functions under their earlier name. */
export * as dist from "./distributions/index.ts";
export {
  createRng,
  namedStream,
  hashName,
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

export type { ModelFit, ModelKind } from "./models/result.ts";
export { getFamily, getLink, resolveFamily, type Family, type FamilyName, type Link, type LinkName } from "./models/family/index.ts";
export { glm, glmFit, type GlmOptions, type GlmResult } from "./models/glm/index.ts";
export { gee, geeData, geeFit, geeVariance, type CorStr, type GeeOptions, type GeeResult, type GeeSe } from "./models/gee/index.ts";
export { lm, lmCovariance, olsFit, type LmCovariance, type LmOptions, type LmResult, type LmVcovType, type OlsFit } from "./models/lm/index.ts";
export { lmm, lmmObjective, optimizeLmm, lmmResult, predictLmm, type LmmFit, type LmmOptions } from "./models/lmm/index.ts";
export { withSmallSampleDf } from "./models/lmm/fit.ts";
export { lmmSmallSample, LMM_DF_METHODS, type LmmDfMethod, type LmmSmallSample } from "./models/lmm/small-sample.ts";
export { glmm, glmmObjective, optimizeGlmm, glmmResult, predictGlmm, type GlmmFit, type GlmmOptions } from "./models/glmm/index.ts";

export { pool, POOLING_DF, type PoolOptions, type PoolResult, type PoolingDf } from "./inference/pool.ts";
export { waldEstimate, coefficientTable } from "./inference/wald.ts";
export { effectiveSampleSize, splitRhat } from "./inference/mcmc.ts";
export { poolD1, waldJointTest, type JointTest } from "./inference/pool-multivariate.ts";

export { analyzeMissingModifier, type AnalyzeOptions, type AnalysisResult } from "./missing/analyze.ts";
export type { ChainTrace } from "./missing/bmmi.ts";
export { prepareModifierData, type ModifierData, type ModifierColumns, type PrepareOptions } from "./missing/data.ts";
export { runGibbsChain, GIBBS_DEFAULTS, type GibbsSettings, type GibbsChain } from "./missing/gibbs.ts";
export { runNormalGibbsChain, type NormalGibbsInput } from "./missing/gibbs-normal.ts";
export { MODIFIER_TYPES, type ModifierLevel, type ModifierType } from "./missing/modifier.ts";
export { multinomialFit, type MultinomialFit } from "./missing/categorical/multinomial.ts";
export { runCategoricalGibbsChain, type CategoricalGibbsInput, type CategoricalGibbsChain } from "./missing/categorical/gibbs.ts";
export type { HteTerm } from "./missing/categorical/pooling.ts";
export { DEFAULT_METHODS, METHOD_NAMES, type MethodName, type MethodResult, type PoolingRecord } from "./missing/result.ts";
export { OUTCOME_FAMILIES, OUTCOME_SE, type OutcomeOptions, type OutcomeSettings, type OutcomeFamily, type OutcomeSe } from "./missing/outcome-model.ts";

export {
  diagnoseMissingness,
  missingnessData,
  thetaProfile,
  latentIcc,
  type MissingnessOptions,
  type MissingnessResult,
  type ClusterCount,
  type ArmCount,
  type MissingnessIcc,
  type ZeroVarianceTest,
  type IndicatorModel,
  type RepresentationRow,
  type ArmComparison,
} from "./missingness/index.ts";

export type { Cell, JsonResult, Report, Summary, Table } from "./report/summary.ts";
export { renderText, renderTable, formatCell } from "./report/text.ts";
export { renderCsv, csvField } from "./report/csv.ts";
export { toJson } from "./report/json.ts";
export { coefficientsTable, estimatesTable, ESTIMATE_COLUMNS } from "./report/tables.ts";
export { glmReport, geeReport, lmReport, lmmReport, glmmReport, iccReport, randomEffectsTable } from "./report/models.ts";
export { analysisReport } from "./report/missing.ts";
export { missingnessReport } from "./report/missingness.ts";
export { traceCsv } from "./report/trace.ts";
export { mrsReport } from "./report/mrs.ts";
export { sampleSizeReport, powerReport, simulatedPowerReport, randomizationReport } from "./report/design.ts";
export { simulationRunReport, simulationDirectoryReport, performanceTable } from "./report/simulate.ts";
export { selectRows } from "./data/select.ts";
export { anovaIccInterval, profileIccInterval, iccInterval, type IccInterval } from "./design/icc-interval.ts";
export { iccEstimate, iccByGroup, type IccEstimate, type IccEstimateOptions, type IccGroup } from "./design/icc-groups.ts";
export { permutationTest, type PermutationTestOptions, type PermutationTestResult } from "./design/permutation-test.ts";
export {
  armDifference,
  countAllocations,
  drawAllocations,
  enumerateAllocations,
  invertPermutationTest,
  permutationPValue,
  schemeAllocations,
  type AllocationStatistics,
  type ClusterLevel,
} from "./design/permutation.ts";
export { parseSchemeFile, type SchemeFile } from "./design/scheme-file.ts";
export { clusterStrata } from "./design/cluster-covariates.ts";
export { enumerateStratifiedSchemes, sampleStratifiedSchemes, strataDesign, stratifiedTotal, type StrataDesign } from "./design/stratified-schemes.ts";
export { mediation, type MediationOptions, type MediationResult } from "./estimands/mediation.ts";
export { mediationReport, permutationReport } from "./report/multilevel.ts";
export { designEffectReport, hteSampleSizeReport } from "./report/design.ts";
export { formatSchemeFile } from "./report/schemes.ts";
export { renderChart, kernelDensity, silvermanBandwidth } from "./report/charts/index.ts";
export {
  renderHtmlDocument,
  RESULT_SCRIPT_ID,
  analyzeHtml,
  mrsHtml,
  designPowerHtml,
  simulateSummaryHtml,
  missingnessHtml,
  sensitivityHtml,
  type Block,
  type DocumentShell,
  type HtmlCell,
  type HtmlReport,
  type HtmlSection,
  type HtmlTable,
  type ReportContext,
} from "./report/html/index.ts";
export type {
  AxisReference,
  BarDatum,
  BarsSpec,
  ChartBase,
  ChartKind,
  ChartSpec,
  DensitySeries,
  DensitySpec,
  ForestRow,
  ForestSpec,
  KernelDensity,
  KernelDensityOptions,
  LinePoint,
  LineSeries,
  LinesSpec,
  MarkedPoint,
  PointIntervalDatum,
  PointIntervalPanel,
  PointIntervalsSpec,
  ReferenceLine,
  ValueFormat,
} from "./report/charts/index.ts";

export {
  CLUSTER_SIZE_NAME,
  clusterDesign,
  type ClusterWeightSpec,
  type CoefficientSe,
  contrast,
  EFFECT_SCALES,
  type EffectScale,
  fitWorking,
  type IcsTest,
  individualDesign,
  jackknifeMeans,
  type JackknifeMeans,
  jackknifeStdError,
  type JackknifeType,
  logitMarginalDivisor,
  type MeanMap,
  mrs,
  mrsData,
  type MrsData,
  type MrsDataOptions,
  type MrsOptions,
  type MrsResult,
  mrsSummary,
  type PotentialOutcomeMeans,
  predictClusters,
  probabilitiesFromSchemes,
  type ProbabilitySpec,
  type RefitStatus,
  resolveProbabilities,
  standardize,
  standardizeInto,
  TREATMENT_COLUMN,
  type TreatmentCoefficient,
  WORKING_MODELS,
  type WorkingCoefficient,
  type WorkingDesign,
  type WorkingFit,
  workingLink,
  type WorkingModel,
  type WorkingName,
  type WorkingOptions,
} from "./estimands/index.ts";
// design's effectiveSampleSize (n over the design effect) is not exported here:
// the name belongs to the MCMC effective sample size above.
export {
  acceptableSchemes,
  ateClusterInformation,
  atePower,
  type AtePowerInput,
  ateSampleSize,
  type AteSampleSizeInput,
  type AttritionSpec,
  type BalanceMetric,
  balanceScores,
  balanceTransform,
  binomialCoefficient,
  clusterSizeFor,
  type ClusterSizeInput,
  type ClusterSizeResult,
  constrainedRandomization,
  type ConstrainedRandomizationInput,
  type ConstrainedRandomizationResult,
  criticalValue,
  DEFAULT_ENUMERATION_LIMIT,
  designEffect,
  type DesignEffectInput,
  type DesignEffectResult,
  designEffectValue,
  type EffectiveSampleSizeInput,
  type EffectiveSampleSizeResult,
  enumerateSchemes,
  enumerateScoredSchemes,
  hteClusterInformation,
  hteDesignEffectValue,
  type HteInputs,
  htePower,
  type HtePowerInput,
  type HtePowerResult,
  hteSampleSize,
  type HteSampleSizeInput,
  type HteSampleSizeResult,
  icc,
  type IccDataOptions,
  iccFromData,
  type IccMethod,
  type IccOptions,
  type IccResult,
  MAX_SCHEMES,
  type ModifierSpec,
  type NormalizedOutcome,
  normalizeOutcome,
  oneWayAnova,
  type OneWayAnova,
  type OutcomeSpec,
  power,
  powerFromNoncentrality,
  type PowerInput,
  type PowerResult,
  powerTwoSidedFromNoncentrality,
  quantileFactor,
  randomizationProbabilities,
  sampleSchemes,
  sampleSize,
  type SampleSizeInput,
  type SampleSizeResult,
  schemeRow,
  smallSampleDf,
  type ThresholdSpec,
  unadjustedPerArmValue,
} from "./design/index.ts";
