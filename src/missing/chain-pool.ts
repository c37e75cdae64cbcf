/**
 * B-MMI chains as self-contained tasks, run on this thread or on worker
 * threads with the same function (runChainTask), so a chain's output is the
 * same bytes wherever it runs: its stream comes from its name path under the
 * seed (never from another stream or a position in a queue), and the caller
 * receives the outputs in task order whatever the number of threads.
 *
 * Tasks are dealt round-robin to the threads up front (chains of one
 * analysis are of equal length), so a busy main thread never leaves a worker
 * waiting for its next task.
 */
import { ComputeError, InputError } from "../core/errors.ts";
import { startWorker } from "../core/threads.ts";
import { namedStream, type StreamPath } from "../random/streams.ts";
import { bmmiChain, type BmmiPlan, type ChainOutput } from "./bmmi.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import type { MethodSettings } from "./result.ts";

/** One chain and everything it needs, as plain data (sent to a worker thread as it is). */
export interface ChainTask {
  readonly data: ModifierData;
  readonly design: ImputationDesign;
  readonly settings: MethodSettings;
  readonly plan: BmmiPlan;
  readonly chain: number;
  readonly seed: number;
  /** The chain's stream path under the seed, e.g. ["bmmi", "M ~ X1*A*Y", 0]. */
  readonly path: StreamPath;
}

/** A chain's output, or the message of the error that stopped it. */
export type ChainResult =
  | { readonly output: ChainOutput }
  | { readonly error: string; readonly kind: "compute" | "input" };

export function runChainTask(task: ChainTask): ChainResult {
  try {
    const rng = namedStream(task.seed, ...task.path);
    return { output: bmmiChain(task.data, task.design, task.settings, task.plan, task.chain, rng) };
  } catch (e) {
    if (e instanceof ComputeError) return { error: e.message, kind: "compute" };
    if (e instanceof InputError) return { error: e.message, kind: "input" };
    throw e;
  }
}

/** A chain's output; an input error stopping a chain is rethrown, a computation failure is returned. */
export function chainOutput(result: ChainResult): ChainOutput | string {
  if ("output" in result) return result.output;
  if (result.kind === "input") throw new InputError(result.error);
  return result.error;
}

export interface ChainMessage {
  readonly index: number;
  readonly result: ChainResult;
}

/**
 * Runs `tasks` on `threads` worker threads (on this thread when 1), calling
 * `onResult` as each finishes; resolves with the results in task order.
 * Aborting `signal` ends the threads and rejects.
 */
export function runChainTasks(
  tasks: readonly ChainTask[],
  threads: number,
  onResult: (index: number) => void = () => {},
  signal?: AbortSignal,
): Promise<ChainResult[]> {
  const n = Math.max(1, Math.min(threads, tasks.length));
  if (n === 1) {
    return Promise.resolve(
      tasks.map((t, i) => {
        const r = runChainTask(t);
        onResult(i);
        return r;
      }),
    );
  }
  return new Promise<ChainResult[]>((resolve, reject) => {
    const results: (ChainResult | undefined)[] = new Array(tasks.length);
    let done = 0;
    let settled = false;
    const workers: ReturnType<typeof startWorker>[] = [];
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      const end = (): void => (err ? reject(err) : resolve(results as ChainResult[]));
      Promise.all(workers.map((w) => w.terminate())).then(end, end);
    };
    signal?.addEventListener("abort", () => finish(new ComputeError("the B-MMI chains were stopped")), { once: true });
    try {
      for (let i = 0; i < n; i++) workers.push(startWorker(import.meta.url, "./chain-worker", undefined));
    } catch (e) {
      finish(e as Error);
      return;
    }
    workers.forEach((w) => {
      w.on("message", (msg: ChainMessage) => {
        if (settled) return;
        results[msg.index] = msg.result;
        onResult(msg.index);
        if (++done === tasks.length) finish();
      });
      w.on("error", (e: Error) => finish(new ComputeError(`a B-MMI chain worker thread failed: ${e?.message ?? String(e)}`)));
      w.on("exit", (code) => {
        if (!settled) finish(new ComputeError(`a B-MMI chain worker thread exited early (exit code ${code})`));
      });
    });
    try {
      tasks.forEach((task, index) => workers[index % n].postMessage({ index, task }));
    } catch (e) {
      finish(e as Error);
    }
  });
}
