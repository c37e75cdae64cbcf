/**
 * Running the replicates: the work cut into tasks, dispatched to worker
 * threads or run on the calling thread, and their outputs put back in
 * replicate order, whatever order they finish in.
 */
import { performance } from "node:perf_hooks";
import { runOnThreads, type WorkerInit } from "./pool.ts";
import { runTask, type ReplicateContext, type ReplicateOutput, type ReplicateTask, type TaskOutput } from "./replicate.ts";
import { appendRecords, appendText, closeFile } from "./storage.ts";
import type { Condition, Progress } from "./types.ts";
import type { RunPlan } from "./run-plan.ts";

/** Tasks of at most `chunk` replicates of one condition each. */
export function chunkTasks(pending: readonly number[][], chunk: number): ReplicateTask[] {
  const tasks: ReplicateTask[] = [];
  pending.forEach((todo, condition) => {
    for (let i = 0; i < todo.length; i += chunk) tasks.push({ condition, replicates: todo.slice(i, i + chunk) });
  });
  return tasks;
}

/**
 * Where finished replicates go: a condition's shard files (appended in
 * replicate order) or memory, with progress reported as outputs arrive.
 */
export class ReplicateSink {
  /** In-memory outputs by condition, in replicate order (conditions without files). */
  readonly memory: ReplicateOutput[][];
  private readonly files: ({ results: number; timings: number } | undefined)[] = [];
  private readonly pending: readonly number[][];
  /** Per condition: index in `pending` of the next replicate to write, and outputs that arrived early. */
  private readonly next: number[];
  private readonly waiting: Map<number, ReplicateOutput>[];
  private readonly total: number;
  private readonly start: number;
  private readonly onProgress: ((progress: Progress) => void) | undefined;
  private completed = 0;

  constructor(pending: readonly number[][], start: number, onProgress: ((progress: Progress) => void) | undefined) {
    this.pending = pending;
    this.total = pending.reduce((s, p) => s + p.length, 0);
    this.start = start;
    this.onProgress = onProgress;
    this.memory = pending.map(() => []);
    this.next = pending.map(() => 0);
    this.waiting = pending.map(() => new Map<number, ReplicateOutput>());
  }

  /** Sends condition c's outputs to its open shard files (file descriptors). */
  attachFiles(c: number, files: { results: number; timings: number }): void {
    this.files[c] = files;
  }

  accept(out: TaskOutput): void {
    const c = out.condition;
    const waiting = this.waiting[c];
    for (const o of out.outputs) waiting.set(o.replicate, o);
    const todo = this.pending[c];
    const next = this.next;
    while (next[c] < todo.length && waiting.has(todo[next[c]])) {
      const o = waiting.get(todo[next[c]])!;
      waiting.delete(o.replicate);
      next[c]++;
      const f = this.files[c];
      if (f) {
        appendRecords(f.results, o.text);
        appendText(f.timings, JSON.stringify({ replicate: o.replicate, generateSeconds: o.generateSeconds, seconds: o.seconds }) + "\n");
      } else {
        this.memory[c].push(o);
      }
    }
    this.completed += out.outputs.length;
    this.report();
  }

  report(): void {
    if (!this.onProgress) return;
    const { completed, total } = this;
    const elapsed = (performance.now() - this.start) / 1000;
    this.onProgress({
      completed,
      total,
      fraction: total === 0 ? 1 : completed / total,
      elapsedSeconds: elapsed,
      etaSeconds: completed === 0 ? null : (elapsed * (total - completed)) / completed,
    });
  }

  close(): void {
    for (const f of this.files) {
      if (!f) continue;
      closeFile(f.results);
      closeFile(f.timings);
    }
  }
}

/** Runs the tasks on `threads` worker threads, or on the calling thread when not `plan.useThreads`. */
export async function dispatchTasks(
  plan: RunPlan,
  conditions: readonly Condition[],
  tasks: readonly ReplicateTask[],
  threads: number,
  sink: ReplicateSink,
): Promise<void> {
  const { scenario, seed, scenarioId, methods } = plan;
  const onOutput = (out: TaskOutput): void => sink.accept(out);
  if (plan.useThreads) {
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
}
