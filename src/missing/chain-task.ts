/**
 * A B-MMI chain as a self-contained task: everything it needs as plain data,
 * run by the same function (runChainTask) on this thread or on a worker
 * thread (chain-pool.ts), so its output is the same bytes wherever it runs.
 * Its stream comes from its name path under the seed, never from another
 * stream or from a position in a queue.
 */
import { ComputeError, InputError } from "../core/errors.ts";
import { namedStream, type StreamPath } from "../random/streams.ts";
import { bmmiChain, type BmmiPlan, type ChainOutput } from "./bmmi.ts";
import { categoricalBmmiChain } from "./categorical/bmmi.ts";
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
    const chain = task.data.modifierType === "categorical" ? categoricalBmmiChain : bmmiChain;
    return { output: chain(task.data, task.design, task.settings, task.plan, task.chain, rng) };
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
