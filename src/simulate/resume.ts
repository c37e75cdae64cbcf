/**
 * Resuming a study stored in an output directory: the manifest merged with
 * the stored one, the replicates of this shard still to compute, and this
 * shard's files reopened (cut back to their last complete replicate).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import type { ReplicateSink } from "./dispatch.ts";
import type { RunPlan } from "./run-plan.ts";
import {
  conditionDirectory,
  MANIFEST_FILE,
  mergeManifest,
  openShardFiles,
  readConditionRows,
  readManifest,
  scenarioDirectory,
  writeManifest,
} from "./storage.ts";
import type { Condition, Manifest } from "./types.ts";

/** The study this run adds to, and the conditions it runs. */
export interface Study {
  /** The study as recorded (for an output directory: its manifest after this run). */
  readonly manifest: Manifest;
  /** This run's conditions (from an output directory: as stored, with their recorded truths). */
  readonly conditions: readonly Condition[];
}

/** Merges this run's manifest into the stored one (writing it back); in memory the plan is the study. */
export function openStudy(plan: RunPlan, outDir: string | null, diagnostics: Diagnostic[]): Study {
  if (outDir === null) return { manifest: plan.manifest, conditions: plan.conditions };
  const dir = scenarioDirectory(outDir, plan.scenario.name);
  const path = join(dir, MANIFEST_FILE);
  const merged = mergeManifest(existsSync(path) ? readManifest(path) : undefined, plan.manifest, dir, plan.scenario.defaults);
  const manifest = merged.manifest;
  diagnostics.push(...merged.diagnostics);
  writeManifest(dir, manifest);
  // The stored conditions (with their recorded truths) under this run's keys;
  // the parameters are this run's, which may name ones added since at their defaults.
  const conditions = plan.conditions.map((c) => {
    const stored = manifest.conditions.find((m) => m.key === c.key);
    return stored ? { ...stored, parameters: c.parameters } : c;
  });
  return { manifest, conditions };
}

/** This shard's replicates still to compute, by condition, and how many are already stored. */
export function pendingReplicates(plan: RunPlan, study: Study, outDir: string | null): { pending: number[][]; skipped: number } {
  const { reps, shard, methods } = plan;
  const pending: number[][] = [];
  let skipped = 0;
  for (const c of study.conditions) {
    let present = new Set<number>();
    if (outDir !== null) {
      const read = readConditionRows(conditionDirectory(outDir, plan.scenario.name, c.key), methods, study.manifest.estimands, `condition ${c.key}`);
      present = new Set(read.replicates);
    }
    const todo: number[] = [];
    for (let r = shard.index - 1; r < reps; r += shard.count) {
      if (present.has(r)) skipped++;
      else todo.push(r);
    }
    pending.push(todo);
  }
  return { pending, skipped };
}

/** Opens this shard's files of every condition with work left, for appending. */
export function openShardOutputs(plan: RunPlan, study: Study, outDir: string, pending: readonly number[][], sink: ReplicateSink, diagnostics: Diagnostic[]): void {
  study.conditions.forEach((c, i) => {
    if (pending[i].length === 0) return;
    const opened = openShardFiles(conditionDirectory(outDir, plan.scenario.name, c.key), plan.shard, plan.methods, study.manifest.estimands);
    sink.attachFiles(i, opened);
    if (opened.truncatedBytes > 0) {
      diagnostics.push(info("simulate-resume", `condition ${c.key}: cut ${opened.truncatedBytes} bytes of unfinished output from the end of this shard's file before resuming`));
    }
  });
}
