/**
 * Simulation engine benchmarks on the toy scenario (one condition: 20
 * clusters × 50, effect 0.5, 3 methods incl. a 5000-resample cluster
 * bootstrap), 200 replicates.
 *
 * The harness times synchronous operations, and a run with worker threads is
 * asynchronous, so each whole-run benchmark starts a child process (this
 * file with --child MODE) that runs the simulation and exits. Read them as:
 *   seconds per replicate            (run − startup) / 200
 *   pool overhead per replicate      (threads1 − workers1) / 200
 *                                    (worker start-up, messages, re-ordering)
 * "simulate.toy.compute" times the same 200 replicates on this thread with
 * no runner at all: the pure cost of the work.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expandConditions, resolveMethods, hashString } from "../src/simulate/conditions.ts";
import { runTask } from "../src/simulate/replicate.ts";
import { runSimulation } from "../src/simulate/runner.ts";
import { toyScenario } from "../src/simulate/scenarios/toy.ts";
import type { Benchmark } from "./harness.ts";

const REPS = 200;
const PARAMETERS = { clusters: 20, clusterSize: 50, effect: 0.5, bootstrapReps: 5000 };
const SEED = 1;
type Mode = "startup" | "workers1" | "threads1" | "workers2";

async function child(mode: Mode): Promise<void> {
  if (mode === "startup") return;
  const workers = mode === "workers2" ? 2 : 1;
  const result = await runSimulation({ scenario: "toy", parameters: PARAMETERS, reps: REPS, seed: SEED, workers, useThreads: mode !== "workers1" });
  process.stdout.write(JSON.stringify({ mode, seconds: result.seconds }) + "\n");
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === "--child") {
  await child(process.argv[3] as Mode);
}

function inChild(mode: Mode): () => unknown {
  return () => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, "--child", mode], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`benchmark child '${mode}' failed with status ${r.status}`);
    return r.stdout;
  };
}

const runUnit = (what: string): string => `one process: ${what}, toy scenario, ${REPS} replicates (20 clusters × 50, 3 methods)`;

export const benchmarks: Benchmark[] = [
  {
    name: "simulate.toy.compute",
    unit: `${REPS} toy replicates computed on this thread without the runner (20 clusters × 50, 3 methods)`,
    setup: () => {
      const { conditions } = expandConditions(toyScenario, PARAMETERS);
      const ctx = { scenario: toyScenario, seed: SEED, scenarioId: hashString("toy"), conditions, methods: resolveMethods(toyScenario) };
      const replicates = Array.from({ length: REPS }, (_, r) => r);
      return () => runTask(ctx, { condition: 0, replicates });
    },
  },
  { name: "simulate.toy.startup", unit: "one process: start Node + tsx and load the simulation modules, no replicates", setup: () => inChild("startup"), warmup: 1, minMs: 3000 },
  { name: "simulate.toy.workers1", unit: runUnit("--workers 1 (main thread)"), setup: () => inChild("workers1"), warmup: 1, minMs: 3000 },
  { name: "simulate.toy.threads1", unit: runUnit("a pool of 1 worker thread"), setup: () => inChild("threads1"), warmup: 1, minMs: 3000 },
  { name: "simulate.toy.workers2", unit: runUnit("--workers 2 (2 worker threads)"), setup: () => inChild("workers2"), warmup: 1, minMs: 3000 },
];
