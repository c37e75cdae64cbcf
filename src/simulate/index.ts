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
export { isUsable, performanceMeasures, summarize, type PerformanceMeasures, type PerformanceSample, type SummarizableRow } from "./performance.ts";
export { readSimulationDirectory, summarizeDirectory, type DirectorySummary, type StoredCondition, type StoredStudy } from "./directory.ts";
export { estimandRow, failedRow } from "./rows.ts";
export { toyScenario, simulateToyTrial, type ToyTrial } from "./scenarios/toy.ts";
export * from "./power.ts";
export * from "./power-closed-form.ts";
