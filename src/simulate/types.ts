/**
 * The vocabulary of a simulation study (ADEMP; Morris, White & Crowther 2019):
 * a Scenario holds the Data-generating mechanism, the Estimands and their
 * true values, and the Methods; the runner produces one row per replicate,
 * method and estimand; `summarize` turns rows into Performance measures.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { Rng } from "../random/rng.ts";

/** A scenario parameter value (JSON-safe). */
export type ParamValue = number | string | boolean;

/** One full set of scenario parameters, e.g. `{ clusters: 50, beta3: 0, meanClusterSize: 50 }`. */
export type Parameters = Readonly<Record<string, ParamValue>>;

/** A grid of parameter values; the conditions are its Cartesian product, parameters in the order of the scenario's defaults, the first outermost. */
export type ParameterGrid = Readonly<Record<string, readonly ParamValue[]>>;

/** A method a scenario can apply. */
export interface MethodInfo {
  /** Name used on the command line and in rows, e.g. "cca", "mi". */
  readonly name: string;
  /** When true the method is run once per imputation model (e.g. "M ~ X1*A*Y"). */
  readonly usesImputationModel?: boolean;
  /** Its own imputation models when the caller names none (default: the scenario's). */
  readonly defaultImputationModels?: readonly string[];
  readonly description?: string;
}

/** One analysis applied to every replicate: a method and, where it has one, its imputation model ("" otherwise). */
export interface MethodSpec {
  readonly method: string;
  readonly imputationModel: string;
}

/**
 * What an analysis returns for one estimand. `df` is null for a normal
 * reference. A failed analysis has `converged: false`, an `error` and null
 * numbers; the runner also turns a thrown error into such rows.
 * `method` and `imputationModel`, when given, must match the MethodSpec.
 */
export interface AnalysisRow {
  readonly method?: string;
  readonly imputationModel?: string;
  readonly estimand: string;
  readonly estimate: number | null;
  readonly stdError: number | null;
  readonly df: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly pValue: number | null;
  readonly converged: boolean;
  /** Seconds spent by the method; the runner measures the call when absent. */
  readonly seconds?: number;
  readonly error?: string;
}

/** A stored result row: one replicate × method × estimand (long format). */
export interface ReplicateRow {
  /** Replicate number, 0-based. */
  readonly replicate: number;
  readonly method: string;
  readonly imputationModel: string;
  readonly estimand: string;
  readonly estimate: number | null;
  readonly stdError: number | null;
  readonly df: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly pValue: number | null;
  readonly converged: boolean;
  /** Wall-clock seconds of the method call; null when not recorded (timings are kept apart from the deterministic rows). */
  readonly seconds: number | null;
  readonly error?: string;
}

/**
 * A simulation scenario. Scenarios are registered by name (`registerScenario`)
 * so the runner, its worker threads and the CLI can find them.
 *
 * Contract: `generate` and `analyse` are pure functions of their arguments and
 * the random stream they are given (never a global generator), and `analyse`
 * must not modify `data` — every method of a replicate analyses the same
 * data set (paired comparison).
 *
 * @example
 * registerScenario({
 *   name: "my-study",
 *   module: import.meta.url, // lets worker threads load this scenario
 *   description: "…",
 *   defaults: { clusters: 20, effect: 0 },
 *   grid: { clusters: [10, 20, 40] },
 *   estimands: ["ate"],
 *   methods: [{ name: "cluster-t" }],
 *   truth: (p) => ({ ate: p.effect as number }),
 *   generate: (p, rng) => simulateTrial(p, rng),
 *   analyse: (data, p, spec, rng) => [analyseTrial(data)],
 * });
 */
export interface Scenario<Data = unknown> {
  /** Unique name, e.g. "missing-modifier-1"; also the output sub-directory. */
  readonly name: string;
  readonly description: string;
  /**
   * URL of a module that registers this scenario when imported (usually
   * `import.meta.url` of the module calling registerScenario). Needed to run
   * a non-built-in scenario on worker threads.
   */
  readonly module?: string;
  /** Every parameter with its default value; overrides must keep each value's type. */
  readonly defaults: Parameters;
  /**
   * Parameters that change only the analysis (e.g. the SE type): they are
   * left out of the condition's stream id, so changing one analyses the same
   * simulated data with the same draws, and adding one to a scenario keeps
   * its earlier results reproducible.
   */
  readonly analysisParameters?: readonly string[];
  /** The default conditions, as a grid over some of the parameters. */
  readonly grid: ParameterGrid;
  /** Estimand names, e.g. ["hte", "ate"]. Every analysis returns one row per estimand. */
  readonly estimands: readonly string[];
  readonly methods: readonly MethodInfo[];
  /** Methods run when the caller names none (default: all). */
  readonly defaultMethods?: readonly string[];
  /** Imputation models used by methods with `usesImputationModel` when the caller names none. */
  readonly defaultImputationModels?: readonly string[];
  /** Throws an InputError naming the parameter when a parameter set is invalid. */
  validate?(params: Parameters): void;
  /** True value of every estimand under `params`, computed from the data-generating mechanism. */
  truth(params: Parameters): Readonly<Record<string, number>>;
  /**
   * The analysis every method is scored against, per estimand, when the truth
   * is itself an estimate (impose-missingness: the complete-data analysis).
   * Its estimates must equal `truth`; its intervals add the reference measures.
   */
  reference?(params: Parameters): Readonly<Record<string, ReferenceInterval>>;
  /** Facts about a condition worth reporting with its results (e.g. how a true value was computed). */
  notes?(params: Parameters): readonly Diagnostic[];
  /** One simulated data set. */
  generate(params: Parameters, rng: Rng): Data;
  /** Applies one method to one data set; one row per estimand. */
  analyse(data: Data, params: Parameters, method: MethodSpec, rng: Rng): readonly AnalysisRow[];
}

/** One condition of a run: a full parameter set, its directory key and its random-stream id. */
export interface Condition {
  /** Directory-safe key from the grid parameters, e.g. "clusters=50_beta3=0". */
  readonly key: string;
  readonly parameters: Parameters;
  /** 32-bit hash of the canonical parameter set; a stream id of every replicate of the condition. */
  readonly streamId: number;
  readonly truth: Readonly<Record<string, number>>;
  readonly notes: readonly Diagnostic[];
  /** The scenario's reference analysis, computed once when the study was planned (scenarios with `reference`). */
  readonly reference?: Readonly<Record<string, ReferenceInterval>>;
}

/** One estimand of a reference analysis: its estimate and interval. */
export interface ReferenceInterval {
  readonly estimate: number;
  readonly stdError: number;
  readonly confLow: number;
  readonly confHigh: number;
}

/**
 * Measures against a reference analysis (its interval [L, H]), for
 * conditions that have one. With n usable replicates and intervals [lᵢ, hᵢ]:
 * mean limits l̄, h̄ (MCSE sd/√n); narrowerThanComplete = share with
 * hᵢ − lᵢ < H − L, coversCompleteCi = share with lᵢ ≤ L and H ≤ hᵢ
 * (MCSE √(P(1 − P)/n)).
 */
export interface ReferenceMeasures {
  readonly completeStdError: number;
  readonly completeConfLow: number;
  readonly completeConfHigh: number;
  readonly meanConfLow: number | null;
  readonly meanConfLowMcse: number | null;
  readonly meanConfHigh: number | null;
  readonly meanConfHighMcse: number | null;
  readonly narrowerThanComplete: number | null;
  readonly narrowerThanCompleteMcse: number | null;
  readonly coversCompleteCi: number | null;
  readonly coversCompleteCiMcse: number | null;
}

/** Which replicates a run computes: those with r mod count = index − 1 (index is 1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Progress of a run, for a progress bar. */
export interface Progress {
  /** Replicates finished in this run. */
  readonly completed: number;
  /** Replicates this run has to compute (already stored ones excluded). */
  readonly total: number;
  readonly fraction: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left; null until something is finished. */
  readonly etaSeconds: number | null;
}

/** The manifest of an output directory: DIR/<scenario>/manifest.json. */
export interface Manifest {
  readonly format: "crtkit-simulation";
  readonly formatVersion: 1;
  /** Version of crtkit that started the directory. */
  readonly crtkitVersion: string;
  readonly scenario: string;
  /** 32-bit hash of the scenario name: the first stream id of every replicate. */
  readonly scenarioId: number;
  readonly seed: number;
  /** Replicates per condition (numbered 0 … reps − 1). */
  readonly reps: number;
  readonly estimands: readonly string[];
  readonly methods: readonly MethodSpec[];
  /** Parameters that index the conditions (shown in summaries). */
  readonly gridParameters: readonly string[];
  readonly conditions: readonly Condition[];
}

/** A performance summary of one method × imputation model × estimand in one condition (reference measures only where the condition has a reference). */
export interface PerformanceRow extends Partial<ReferenceMeasures> {
  readonly method: string;
  readonly imputationModel: string;
  readonly estimand: string;
  readonly truth: number;
  /** Replicates used (converged, with finite estimate, SE, interval and p-value): the n of the MCSE formulas. */
  readonly nReps: number;
  /** Replicates excluded because the method failed (not converged, error or non-finite output). */
  readonly nFailed: number;
  readonly bias: number | null;
  readonly biasMcse: number | null;
  readonly empSe: number | null;
  readonly empSeMcse: number | null;
  readonly modelSe: number | null;
  readonly modelSeMcse: number | null;
  /** 100·(modelSe / empSe − 1). */
  readonly relErrorModelSe: number | null;
  readonly relErrorModelSeMcse: number | null;
  readonly coverage: number | null;
  readonly coverageMcse: number | null;
  readonly biasElimCoverage: number | null;
  readonly biasElimCoverageMcse: number | null;
  /** Proportion with p ≤ α: power, or type I error when the truth is 0. */
  readonly rejection: number | null;
  readonly rejectionMcse: number | null;
  readonly mse: number | null;
  readonly mseMcse: number | null;
}

/** A summary row: scenario, the condition's parameters, then the performance measures. */
export type SummaryRow = { readonly scenario: string } & Readonly<Record<string, ParamValue | null>> & PerformanceRow;
