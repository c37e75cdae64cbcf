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
  /** Reference timing to compare against, if any (ms per operation), and where it comes from. */
  readonly reference?: { readonly msPerOp: number; readonly source: string };
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
  readonly opsPerSecond: number;
  readonly reference?: { readonly msPerOp: number; readonly source: string; readonly speedup: number };
}

export async function runBenchmark(b: Benchmark): Promise<BenchResult> {
  const op = b.setup();
  for (let i = 0; i < (b.warmup ?? 3); i++) await op();
  const minMs = b.minMs ?? 1000;
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    await op();
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  const msPerOp = elapsed / ops;
  return {
    name: b.name,
    unit: b.unit,
    ops,
    msPerOp,
    opsPerSecond: 1000 / msPerOp,
    ...(b.reference
      ? { reference: { ...b.reference, speedup: b.reference.msPerOp / msPerOp } }
      : {}),
  };
}
