/**
 * Starting a worker thread on a crtkit module, both from the compiled
 * package (dist/…/name.js) and from the TypeScript sources (`node --import
 * tsx`, in development and tests). A worker thread does not inherit the
 * parent's module hooks on Node 20, so from the sources the worker starts
 * through a two-line bootstrap that registers tsx in the thread and then
 * imports the .ts module.
 */
import { Worker } from "node:worker_threads";
import { ComputeError } from "./errors.ts";

/**
 * Starts the worker module `name` (without extension) that sits next to the
 * module whose `import.meta.url` is `callerUrl`.
 *
 * @example
 * const w = startWorker(import.meta.url, "./chain-worker", undefined);
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith(".ts");
  const entry = new URL(`${name}${fromSource ? ".ts" : ".js"}`, callerUrl);
  if (!fromSource) return new Worker(entry, { workerData });
  let tsxApi: string;
  try {
    tsxApi = import.meta.resolve("tsx/esm/api");
  } catch {
    throw new ComputeError(
      "running on worker threads from the TypeScript sources needs the 'tsx' package (a dev dependency); install it, use the compiled crtkit, or run with 1 worker",
    );
  }
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
