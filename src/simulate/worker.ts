/**
 * Entry point of a simulation worker thread: loads the scenario (built-in,
 * or by importing the module that registers it), then runs the batches of
 * replicates the main thread sends and posts their output back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { getScenario } from "./registry.ts";
import { runTask, type ReplicateTask } from "./replicate.ts";
import type { WorkerInit } from "./pool.ts";

const init = workerData as WorkerInit;
if (init.module !== undefined) await import(init.module);
const ctx = {
  scenario: getScenario(init.scenario),
  seed: init.seed,
  scenarioId: init.scenarioId,
  conditions: init.conditions,
  methods: init.methods,
};
const port = parentPort!;
port.on("message", (task: ReplicateTask) => {
  port.postMessage(runTask(ctx, task));
});
port.postMessage("ready");
