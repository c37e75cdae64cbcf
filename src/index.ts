/**
 * crtkit: analysis of cluster-randomized trials.
 *
 * The data path: readCsv → Dataset → modelFrame(formula) → fit (glm, gee,
 * lm, lmm, glmm; each a ModelFit) → results with diagnostics; methods
 * (missing-modifier imputation, pooling, simulation) compose fits; report
 * builders (glmReport, …) turn results into summaries that renderText and
 * renderCsv draw. The part that runs in browsers too is `crtkit/core`
 * (core.ts); this adds the Node-only parts.
 *
 * @example
 * import { readCsv, modelFrame, gee, pool } from "crtkit";
 */
export * from "./core.ts";

// Node only: files from disk, SHA-256 provenance, simulation studies on worker threads.
export { readCsvFile } from "./data/csv.ts";
export { analyzeMissingModifierOnThreads, type ThreadOptions } from "./missing/analyze-threads.ts";
export { provenanceOf, sha256Hex, withProvenance, type Provenance } from "./report/provenance.ts";
export {
  type AnalysisRow,
  type Condition,
  type DirectorySummary,
  estimandRow,
  expandConditions,
  failedRow,
  getScenario,
  integerParameter,
  isUsable,
  listScenarios,
  type Manifest,
  type MethodInfo,
  type MethodSpec,
  numberParameter,
  type ParameterGrid,
  type Parameters,
  type ParamValue,
  parseParameterOptions,
  parseShard,
  performanceMeasures,
  type PerformanceMeasures,
  type PerformanceRow,
  type PerformanceSample,
  type Progress,
  readSimulationDirectory,
  referenceMeasures,
  type ReferenceInterval,
  type ReferenceMeasures,
  applicationImputationModel,
  imposeMissingnessScenario,
  checkStudyDataFile,
  completeTrialParameters,
  type TrialRoles,
  MECHANISMS,
  PAPER_COEFFICIENTS,
  type Mechanism,
  type MissingnessCoefficients,
  registerScenario,
  type ReplicateRow,
  resolveMethods,
  runSimulation,
  type Scenario,
  type Shard,
  simulateToyTrial,
  type SimulationOptions,
  type SimulationResult,
  type StoredCondition,
  type StoredStudy,
  stringParameter,
  type SummarizableRow,
  summarize,
  summarizeDirectory,
  type SummaryRow,
  toyScenario,
  type ToyTrial,
  closedFormFor,
  type ClosedFormPower,
  designParameters,
  noncentralTPower,
  powerBySimulation,
  type PowerEstimate,
  type PowerMethod,
  type PowerSimulationOptions,
  type PowerSimulationResult,
  type SimulatedDesign,
} from "./simulate/index.ts";
