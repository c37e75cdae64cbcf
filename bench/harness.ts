/**
 * A tiny benchmark harness: runs `fn` until at least `minMs` have passed
 * (after a warm-up) and reports the time per operation; an operation may
 * return a promise, which is awaited. Every bench file
 * exports `benchmarks: Benchmark[]`; bench/run.ts runs them and prints JSON.
 */
import { performance } from "node:perf_hooks";

export interface Benchmark {
  readonly name: string;
  /** What one operation is, e.g. "one GEE fit, 100 clusters × 50 rows, 4 coefficients". */
  readonly unit: string;
  /**
   * Reference timing to compare against, if any (ms per operation), and where
   * it comes from; `clock: "cpu"` when it is CPU time (compared with cpuMsPerOp,
   * which a loaded machine inflates less than wall-clock time).
   */
  readonly reference?: { readonly msPerOp: number; readonly source: string; readonly clock?: "wall" | "cpu" };
  /** Prepares inputs (not timed) and returns the operation to time. */
  readonly setup: () => () => unknown | Promise<unknown>;
  readonly minMs?: number;
  readonly warmup?: number;
}

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly ops: number;
  readonly msPerOp: number;
  /** CPU time (user + system, all threads of the process) per operation. */
  readonly cpuMsPerOp: number;
  readonly opsPerSecond: number;
  readonly reference?: { readonly msPerOp: number; readonly source: string; readonly clock?: "wall" | "cpu"; readonly speedup: number };
}

export async function runBenchmark(b: Benchmark): Promise<BenchResult> {
  const op = b.setup();
  for (let i = 0; i < (b.warmup ?? 3); i++) await op();
  const minMs = b.minMs ?? 1000;
  let ops = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  do {
    await op();
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  const msPerOp = elapsed / ops;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerOp = (cpu.user + cpu.system) / 1000 / ops;
  return {
    name: b.name,
    unit: b.unit,
    ops,
    msPerOp,
    cpuMsPerOp,
    opsPerSecond: 1000 / msPerOp,
    ...(b.reference
      ? { reference: { ...b.reference, speedup: b.reference.msPerOp / (b.reference.clock === "cpu" ? cpuMsPerOp : msPerOp) } }
      : {}),
  };
}
