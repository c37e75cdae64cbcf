/**
 * The first stage of a simulation run: the options checked and the study
 * planned (conditions, methods and the manifest this run records), before
 * anything is read from or written to an output directory.
 */
import { availableParallelism } from "node:os";
import { checkInteger } from "../core/check.ts";
import { InputError } from "../core/errors.ts";
import { checkShard, expandConditions, hashString, parseShard, resolveMethods } from "./conditions.ts";
import { getScenario } from "./registry.ts";
import { MAX_REPLICATES } from "./storage.ts";
import { builtinScenarios } from "./scenarios/index.ts";
import type { Condition, Manifest, MethodSpec, ParamValue, ParameterGrid, Progress, Scenario, Shard } from "./types.ts";
import { crtkitVersion } from "./version.ts";

export interface SimulationOptions {
  /** A registered scenario's name, or a scenario object. */
  readonly scenario: string | Scenario;
  /** Fixed parameter values (override the defaults; a scenario grid parameter given here is no longer varied). */
  readonly parameters?: Readonly<Record<string, ParamValue>>;
  /** Grid dimensions replacing or adding to the scenario's grid. */
  readonly grid?: ParameterGrid;
  /** Replicates per condition (numbered 0 … reps − 1). */
  readonly reps: number;
  /** Method names (or explicit specs); default: the scenario's default methods. */
  readonly methods?: readonly (string | MethodSpec)[];
  /** Imputation models for the methods that use one. */
  readonly imputationModels?: readonly string[];
  /** Non-negative integer seed. */
  readonly seed: number;
  /** Worker count; default os.availableParallelism(). 1 runs on the calling thread. */
  readonly workers?: number;
  /** Use worker threads even for 1 worker (default: workers > 1). */
  readonly useThreads?: boolean;
  /** Replicates per message to a worker (default: chosen from the amount of work). */
  readonly chunkSize?: number;
  /** Run only replicates with r mod count = index − 1: `{ index, count }` or "I/N". */
  readonly shard?: Shard | string;
  /** Output directory (results go to outDir/<scenario>/…); without it results stay in memory. */
  readonly outDir?: string;
  /** Significance level of the rejection rate (default 0.05). */
  readonly alpha?: number;
  /** Called as replicates finish (and once at the end). */
  readonly onProgress?: (progress: Progress) => void;
}

/** A checked simulation run. */
export interface RunPlan {
  readonly scenario: Scenario;
  readonly reps: number;
  readonly seed: number;
  readonly workers: number;
  readonly useThreads: boolean;
  readonly shard: Shard;
  readonly alpha: number;
  readonly gridParameters: readonly string[];
  readonly methods: readonly MethodSpec[];
  readonly scenarioId: number;
  /** This run's conditions, with truths as computed now. */
  readonly conditions: readonly Condition[];
  /** The study as this run alone would record it. */
  readonly manifest: Manifest;
}

/** Checks the options and expands the scenario's conditions and methods. */
export function planSimulation(options: SimulationOptions): RunPlan {
  const scenario = typeof options.scenario === "string" ? getScenario(options.scenario) : options.scenario;
  const reps = checkInteger(options.reps, "the number of replicates", 1, MAX_REPLICATES);
  const seed = checkInteger(options.seed, "the seed", 0);
  const workers = checkInteger(options.workers ?? availableParallelism(), "the number of workers", 1);
  const shard = typeof options.shard === "string" ? parseShard(options.shard) : checkShard(options.shard ?? { index: 1, count: 1 });
  if (options.chunkSize !== undefined) checkInteger(options.chunkSize, "the chunk size", 1);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`alpha must be in (0, 1); got ${alpha}`);
  const useThreads = options.useThreads ?? workers > 1;
  if (useThreads && scenario.module === undefined && !builtinScenarios.includes(scenario)) {
    throw new InputError(
      `scenario '${scenario.name}' has no 'module' (the URL of a module that registers it), so worker threads cannot load it; set module: import.meta.url where it is registered, or run with 1 worker`,
    );
  }
  const { conditions, gridParameters } = expandConditions(scenario, options.parameters, options.grid);
  const methods = resolveMethods(scenario, options.methods, options.imputationModels);
  const scenarioId = hashString(scenario.name);
  const manifest: Manifest = {
    format: "crtkit-simulation",
    formatVersion: 1,
    crtkitVersion: crtkitVersion(),
    scenario: scenario.name,
    scenarioId,
    seed,
    reps,
    estimands: [...scenario.estimands],
    methods,
    gridParameters,
    conditions,
  };
  return { scenario, reps, seed, workers, useThreads, shard, alpha, gridParameters, methods, scenarioId, conditions, manifest };
}
