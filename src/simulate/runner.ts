/**
 * The simulation runner: conditions × replicates × methods, on the main
 * thread or on worker threads, optionally one shard of the replicates,
 * optionally stored in (and resumed from) an output directory.
 *
 * Results never depend on the number of workers, the shards or the order of
 * work: each replicate has its own random streams (see replicate.ts), its
 * rows are serialized where they are computed, and they are written to the
 * shard file in replicate order.
 *
 * Stages: plan (run-plan.ts), resume (resume.ts), dispatch (dispatch.ts),
 * then the rows collected and summarized here.
 */
import { performance } from "node:perf_hooks";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { chunkTasks, dispatchTasks, ReplicateSink } from "./dispatch.ts";
import type { ReplicateOutput } from "./replicate.ts";
import { openShardOutputs, openStudy, pendingReplicates, type Study } from "./resume.ts";
import { planSimulation, type RunPlan, type SimulationOptions } from "./run-plan.ts";
import { conditionDirectory, readConditionRows } from "./storage.ts";
import { buildSummary } from "./summary.ts";
import type { Manifest, ReplicateRow, Shard, SummaryRow } from "./types.ts";

export type { SimulationOptions } from "./run-plan.ts";

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

/**
 * Runs a simulation study (or one shard of it).
 *
 * @example
 * const result = await runSimulation({ scenario: "toy", reps: 1000, seed: 1, outDir: "sim" });
 * result.summary; // one row per condition × method × estimand
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const start = performance.now();
  const plan = planSimulation(options);
  const diagnostics: Diagnostic[] = [];
  const outDir = options.outDir ?? null;
  const study = openStudy(plan, outDir, diagnostics);
  const { pending, skipped } = pendingReplicates(plan, study, outDir);
  const total = pending.reduce((s, p) => s + p.length, 0);
  const threads = plan.useThreads ? Math.min(plan.workers, Math.max(1, total)) : 1;
  const chunk = options.chunkSize ?? Math.max(1, Math.min(50, Math.ceil(total / (threads * 8))));
  const sink = new ReplicateSink(pending, start, options.onProgress);
  try {
    if (outDir !== null) openShardOutputs(plan, study, outDir, pending, sink, diagnostics);
    await dispatchTasks(plan, study.conditions, chunkTasks(pending, chunk), threads, sink);
  } finally {
    sink.close();
  }
  sink.report();

  const { rows, rowsByCondition } = collectRows(plan, study, outDir, sink.memory, diagnostics);
  const built = buildSummary(plan.scenario.name, plan.gridParameters, study.conditions, rowsByCondition, plan.alpha);
  diagnostics.push(...built.diagnostics);
  if (skipped > 0) diagnostics.push(info("simulate-skipped", `${skipped} replicate(s) already stored in ${outDir} were not recomputed`));
  const { shard } = plan;
  if (shard.count > 1) {
    diagnostics.push(info("simulate-shard", `this summary covers shard ${shard.index} of ${shard.count} only; summarize the output directory once every shard has finished`));
  }
  return Object.freeze({
    manifest: study.manifest,
    shard,
    outDir,
    workers: plan.useThreads ? threads : 1,
    replicatesRun: total,
    replicatesSkipped: skipped,
    rows: rows === null ? null : Object.freeze(rows),
    summary: Object.freeze(built.summary),
    diagnostics: Object.freeze(diagnostics),
    seconds: (performance.now() - start) / 1000,
  });
}

/**
 * Rows for the summary, this shard's replicates 0 … reps − 1: this run's own
 * (in memory), or everything stored for the shard (output directory).
 */
function collectRows(
  plan: RunPlan,
  study: Study,
  outDir: string | null,
  memory: readonly ReplicateOutput[][],
  diagnostics: Diagnostic[],
): { rows: (ReplicateRow & { condition: string })[] | null; rowsByCondition: Map<string, ReplicateRow[]> } {
  const { conditions, manifest } = study;
  const rowsByCondition = new Map<string, ReplicateRow[]>();
  if (outDir === null) {
    const rows: (ReplicateRow & { condition: string })[] = [];
    conditions.forEach((c, i) => {
      const parsed = parseRows(memory[i], c.key, manifest.estimands.length);
      rowsByCondition.set(c.key, parsed);
      rows.push(...parsed);
    });
    return { rows, rowsByCondition };
  }
  const { shard, reps } = plan;
  const inShard = (r: number): boolean => r % shard.count === shard.index - 1;
  for (const c of conditions) {
    const read = readConditionRows(conditionDirectory(outDir, plan.scenario.name, c.key), plan.methods, manifest.estimands, `condition ${c.key}`);
    diagnostics.push(...read.diagnostics);
    rowsByCondition.set(c.key, read.rows.filter((r) => r.replicate < reps && inShard(r.replicate)));
  }
  return { rows: null, rowsByCondition };
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
