/**
 * Chain tasks (chain-task.ts) on worker threads. The caller receives the
 * results in task order whatever the number of threads. Tasks are dealt
 * round-robin to the threads up front (chains of one analysis are of equal
 * length), so a busy main thread never leaves a worker waiting for its next
 * task.
 */
import { ComputeError } from "../core/errors.ts";
import { startWorker } from "../core/threads.ts";
import { runChainTask, type ChainMessage, type ChainResult, type ChainTask } from "./chain-task.ts";

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
