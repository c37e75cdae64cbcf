/**
 * A small pool of worker threads (node:worker_threads) for the simulation
 * runner. Each worker takes the next batch of replicates when it is idle; the
 * caller gets each batch's output as it arrives (in any order; the runner
 * restores replicate order). A worker that dies stops the run with a
 * ComputeError; a failing method never does (it is caught per replicate).
 *
 * Loading: compiled crtkit starts dist/simulate/worker.js; from the
 * TypeScript sources, worker.ts through tsx (src/core/threads.ts).
 */
import type { Worker } from "node:worker_threads";
import { ComputeError } from "../core/errors.ts";
import { startWorker } from "../core/threads.ts";
import type { ReplicateTask, TaskOutput } from "./replicate.ts";
import type { MethodSpec, Parameters } from "./types.ts";

/** What a worker needs to rebuild the replicate context. */
export interface WorkerInit {
  readonly scenario: string;
  /** Module to import first, which registers a non-built-in scenario. */
  readonly module?: string;
  readonly seed: number;
  readonly scenarioId: number;
  readonly conditions: readonly { readonly parameters: Parameters; readonly streamId: number }[];
  readonly methods: readonly MethodSpec[];
}

function startSimulationWorker(init: WorkerInit): Worker {
  return startWorker(import.meta.url, "./worker", init);
}

/**
 * Runs `tasks` on `threads` worker threads, calling `onOutput` with each
 * batch's output. Resolves when every task is done; all threads are ended.
 */
export function runOnThreads(
  threads: number,
  init: WorkerInit,
  tasks: readonly ReplicateTask[],
  onOutput: (output: TaskOutput) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const n = Math.max(1, Math.min(threads, tasks.length));
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      const stopping = workers.map((w) => w.terminate());
      Promise.all(stopping).then(
        () => (err ? reject(err) : resolve()),
        () => (err ? reject(err) : resolve()),
      );
    };
    if (tasks.length === 0) {
      settled = true;
      resolve();
      return;
    }
    const feed = (w: Worker): void => {
      if (next < tasks.length) w.postMessage(tasks[next++]);
    };
    for (let i = 0; i < n; i++) {
      let w: Worker;
      try {
        w = startSimulationWorker(init);
      } catch (e) {
        finish(e as Error);
        return;
      }
      workers.push(w);
      w.on("message", (msg: TaskOutput | "ready") => {
        if (settled) return;
        if (msg === "ready") {
          feed(w);
          return;
        }
        try {
          onOutput(msg);
        } catch (e) {
          finish(e as Error);
          return;
        }
        done++;
        if (done === tasks.length) finish();
        else feed(w);
      });
      w.on("error", (e: Error) => {
        finish(new ComputeError(`a simulation worker thread failed: ${e?.message ?? String(e)}`));
      });
      w.on("exit", (code) => {
        if (!settled) finish(new ComputeError(`a simulation worker thread exited early (exit code ${code})`));
      });
    }
  });
}
