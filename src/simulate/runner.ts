/**
 * The simulation runner: conditions × replicates × methods, on the main
 * thread or on worker threads, optionally one shard of the replicates,
 * optionally stored in (and resumed from) an output directory.
 *
 * Results never depend on the number of workers, the shards or the order of
 * work: each replicate has its own random streams (see replicate.ts), its
 * rows are serialized where they are computed, and they are written to the
 * shard file in replicate order.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { checkInteger } from "../core/check.ts";
import { InputError } from "../core/errors.ts";
import { checkShard, expandConditions, hashString, parseShard, resolveMethods } from "./conditions.ts";
import { runOnThreads, type WorkerInit } from "./pool.ts";
import { getScenario } from "./registry.ts";
import { runTask, type ReplicateContext, type ReplicateOutput, type ReplicateTask, type TaskOutput } from "./replicate.ts";
import { builtinScenarios } from "./scenarios/index.ts";
import {
  appendRecords,
  appendText,
  closeFile,
  conditionDirectory,
  MANIFEST_FILE,
  MAX_REPLICATES,
  mergeManifest,
  openShardFiles,
  readConditionRows,
  readManifest,
  scenarioDirectory,
  writeManifest,
} from "./storage.ts";
import { buildSummary } from "./summary.ts";
import type { Condition, Manifest, MethodSpec, ParamValue, ParameterGrid, Progress, ReplicateRow, Scenario, Shard, SummaryRow } from "./types.ts";
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

export interface SimulationResult {
  /** The study as recorded (for an output directory: its manifest after this run). */
  readonly manifest: Manifest;
  readonly shard: Shard;
  readonly outDir: string | null;
  readonly workers: number;
  /** Replicates computed by this run (all conditions). */
  readonly replicatesRun: number;
  /** Replicates of this shard already stored in outDir, so not recomputed. */
  readonly replicatesSkipped: number;
  /** Every row of this run's replicates, by condition then replicate (in-memory runs only; null with outDir). */
  readonly rows: readonly (ReplicateRow & { readonly condition: string })[] | null;
  /** Performance of this shard's replicates 0 … reps − 1 (the whole study when unsharded). */
  readonly summary: readonly SummaryRow[];
  readonly diagnostics: readonly Diagnostic[];
  /** Wall-clock seconds of the run. */
  readonly seconds: number;
}

/** The rows of in-memory replicate outputs, with their timings. */
function parseRows(outputs: readonly ReplicateOutput[], condition: string, estimands: number): (ReplicateRow & { condition: string })[] {
  const out: (ReplicateRow & { condition: string })[] = [];
  for (const o of outputs) {
    o.text.split("\n").forEach((line, i) => {
      if (line === "") return;
      const row = JSON.parse(line) as Omit<ReplicateRow, "seconds">;
      out.push({ condition, ...row, seconds: o.seconds[Math.floor(i / estimands)] ?? null });
    });
  }
  return out;
}

/**
 * Runs a simulation study (or one shard of it).
 *
 * @example
 * const result = await runSimulation({ scenario: "toy", reps: 1000, seed: 1, outDir: "sim" });
 * result.summary; // one row per condition × method × estimand
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const start = performance.now();
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
  const { conditions: runConditions, gridParameters } = expandConditions(scenario, options.parameters, options.grid);
  const methods = resolveMethods(scenario, options.methods, options.imputationModels);
  const scenarioId = hashString(scenario.name);
  let manifest: Manifest = {
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
    conditions: runConditions,
  };
  const diagnostics: Diagnostic[] = [];
  const outDir = options.outDir ?? null;
  let conditions: readonly Condition[] = runConditions;
  if (outDir !== null) {
    const dir = scenarioDirectory(outDir, scenario.name);
    const path = join(dir, MANIFEST_FILE);
    const merged = mergeManifest(existsSync(path) ? readManifest(path) : undefined, manifest, dir);
    manifest = merged.manifest;
    diagnostics.push(...merged.diagnostics);
    writeManifest(dir, manifest);
    // The stored conditions (with their recorded truths) under this run's keys.
    conditions = runConditions.map((c) => manifest.conditions.find((m) => m.key === c.key) ?? c);
  }
  const inShard = (r: number): boolean => r % shard.count === shard.index - 1;

  // Work still to do, by condition.
  const pending: number[][] = [];
  let skipped = 0;
  for (const c of conditions) {
    let present = new Set<number>();
    if (outDir !== null) {
      const read = readConditionRows(conditionDirectory(outDir, scenario.name, c.key), methods, manifest.estimands, `condition ${c.key}`);
      present = new Set(read.replicates);
    }
    const todo: number[] = [];
    for (let r = shard.index - 1; r < reps; r += shard.count) {
      if (present.has(r)) skipped++;
      else todo.push(r);
    }
    pending.push(todo);
  }
  const total = pending.reduce((s, p) => s + p.length, 0);
  const threads = useThreads ? Math.min(workers, Math.max(1, total)) : 1;
  const chunk = options.chunkSize ?? Math.max(1, Math.min(50, Math.ceil(total / (threads * 8))));
  const tasks: ReplicateTask[] = [];
  pending.forEach((todo, condition) => {
    for (let i = 0; i < todo.length; i += chunk) tasks.push({ condition, replicates: todo.slice(i, i + chunk) });
  });

  // Sinks: files (appended in replicate order) or memory.
  const files: ({ results: number; timings: number } | undefined)[] = [];
  const memory: ReplicateOutput[][] = conditions.map(() => []);
  const next = pending.map(() => 0);
  const waiting = pending.map(() => new Map<number, ReplicateOutput>());
  let completed = 0;
  const report = (): void => {
    if (!options.onProgress) return;
    const elapsed = (performance.now() - start) / 1000;
    options.onProgress({
      completed,
      total,
      fraction: total === 0 ? 1 : completed / total,
      elapsedSeconds: elapsed,
      etaSeconds: completed === 0 ? null : (elapsed * (total - completed)) / completed,
    });
  };
  const onOutput = (out: TaskOutput): void => {
    const c = out.condition;
    for (const o of out.outputs) waiting[c].set(o.replicate, o);
    const todo = pending[c];
    while (next[c] < todo.length && waiting[c].has(todo[next[c]])) {
      const o = waiting[c].get(todo[next[c]])!;
      waiting[c].delete(o.replicate);
      next[c]++;
      const f = files[c];
      if (f) {
        appendRecords(f.results, o.text);
        appendText(f.timings, JSON.stringify({ replicate: o.replicate, generateSeconds: o.generateSeconds, seconds: o.seconds }) + "\n");
      } else {
        memory[c].push(o);
      }
    }
    completed += out.outputs.length;
    report();
  };

  try {
    if (outDir !== null) {
      conditions.forEach((c, i) => {
        if (pending[i].length === 0) return;
        const opened = openShardFiles(conditionDirectory(outDir, scenario.name, c.key), shard, methods, manifest.estimands);
        files[i] = opened;
        if (opened.truncatedBytes > 0) {
          diagnostics.push(info("simulate-resume", `condition ${c.key}: cut ${opened.truncatedBytes} bytes of unfinished output from the end of this shard's file before resuming`));
        }
      });
    }
    if (useThreads) {
      const init: WorkerInit = {
        scenario: scenario.name,
        ...(scenario.module !== undefined ? { module: scenario.module } : {}),
        seed,
        scenarioId,
        conditions: conditions.map((c) => ({ parameters: c.parameters, streamId: c.streamId })),
        methods,
      };
      await runOnThreads(threads, init, tasks, onOutput);
    } else {
      const ctx: ReplicateContext = { scenario, seed, scenarioId, conditions, methods };
      for (const task of tasks) {
        onOutput(runTask(ctx, task));
        // Let timers, signals and progress output through between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    for (const f of files) {
      if (!f) continue;
      closeFile(f.results);
      closeFile(f.timings);
    }
  }
  report();

  // Rows for the summary: this shard's replicates 0 … reps − 1.
  const rowsByCondition = new Map<string, ReplicateRow[]>();
  let rows: (ReplicateRow & { condition: string })[] | null = null;
  if (outDir === null) {
    rows = [];
    conditions.forEach((c, i) => {
      const parsed = parseRows(memory[i], c.key, manifest.estimands.length);
      rowsByCondition.set(c.key, parsed);
      rows!.push(...parsed);
    });
  } else {
    for (const c of conditions) {
      const read = readConditionRows(conditionDirectory(outDir, scenario.name, c.key), methods, manifest.estimands, `condition ${c.key}`);
      diagnostics.push(...read.diagnostics);
      rowsByCondition.set(c.key, read.rows.filter((r) => r.replicate < reps && inShard(r.replicate)));
    }
  }
  const built = buildSummary(scenario.name, gridParameters, conditions, rowsByCondition, alpha);
  diagnostics.push(...built.diagnostics);
  if (skipped > 0) diagnostics.push(info("simulate-skipped", `${skipped} replicate(s) already stored in ${outDir} were not recomputed`));
  if (shard.count > 1) {
    diagnostics.push(info("simulate-shard", `this summary covers shard ${shard.index} of ${shard.count} only; summarize the output directory once every shard has finished`));
  }
  return Object.freeze({
    manifest,
    shard,
    outDir,
    workers: useThreads ? threads : 1,
    replicatesRun: total,
    replicatesSkipped: skipped,
    rows: rows === null ? null : Object.freeze(rows),
    summary: Object.freeze(built.summary),
    diagnostics: Object.freeze(diagnostics),
    seconds: (performance.now() - start) / 1000,
  });
}
