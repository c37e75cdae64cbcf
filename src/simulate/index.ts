/** Simulation studies: scenarios, the runner (workers, shards, resumable output), performance measures. */
export type {
  AnalysisRow,
  Condition,
  Manifest,
  MethodInfo,
  MethodSpec,
  ParamValue,
  ParameterGrid,
  Parameters,
  PerformanceRow,
  Progress,
  ReferenceInterval,
  ReferenceMeasures,
  ReplicateRow,
  Scenario,
  Shard,
  SummaryRow,
} from "./types.ts";
export { getScenario, listScenarios, registerScenario } from "./registry.ts";
export {
  expandConditions,
  integerParameter,
  numberParameter,
  parseParameterOptions,
  parseShard,
  resolveMethods,
  stringParameter,
} from "./conditions.ts";
export { runSimulation, type SimulationOptions, type SimulationResult } from "./runner.ts";
export { isUsable, performanceMeasures, referenceMeasures, summarize, type PerformanceMeasures, type PerformanceSample, type SummarizableRow } from "./performance.ts";
export { readSimulationDirectory, summarizeDirectory, type DirectorySummary, type StoredCondition, type StoredStudy } from "./directory.ts";
export { estimandRow, failedRow } from "./rows.ts";
export { toyScenario, simulateToyTrial, type ToyTrial } from "./scenarios/toy.ts";
export { applicationImputationModel, imposeMissingnessScenario } from "./scenarios/impose-missingness.ts";
export { checkStudyDataFile, completeTrialParameters, type TrialRoles } from "./scenarios/impose-missingness-data.ts";
export { MECHANISMS, PAPER_COEFFICIENTS, type Mechanism, type MissingnessCoefficients } from "./scenarios/impose-missingness-mechanism.ts";
export * from "./power.ts";
export * from "./power-closed-form.ts";
