/**
 * The missing-modifier analysis with the B-MMI chains on worker threads. The
 * chain steps are planned here, their chains sent to the threads as tasks
 * (chain-pool.ts), the other methods run here meanwhile, and the outcomes
 * are put back in step order: the same result, byte for byte, as
 * analyzeMissingModifier on one thread, whatever the number of workers.
 * (Kept apart from analyze.ts, which needs no Node.js module.)
 */
import { availableParallelism } from "node:os";
import { checkInteger } from "../core/check.ts";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import { analysisResult, startAnalysis, type AnalysisResult, type AnalyzeOptions } from "./analyze.ts";
import { runChainTasks } from "./chain-pool.ts";
import type { Outcome } from "./methods.ts";
import { finishChains, isChainStep, prepareChains, runHere, type AnalysisPlan, type ChainStep, type PreparedChains } from "./schedule.ts";

export interface ThreadOptions {
  /** Worker threads for the B-MMI chains; default min(chains, available cores); 1 runs everything on this thread. */
  readonly workers?: number;
}

/**
 * @example
 * const result = await analyzeMissingModifierOnThreads(data, { ...options, chains: 4, workers: 2 });
 */
export async function analyzeMissingModifierOnThreads(data: Dataset, options: AnalyzeOptions & ThreadOptions): Promise<AnalysisResult> {
  const { plan, progress } = startAnalysis(data, options);
  const workers = checkInteger(options.workers ?? Math.min(plan.settings.chains, availableParallelism()), "the number of workers", 1);
  const outcomes = workers > 1 && plan.steps.some(isChainStep) ? await runOnThreads(plan, workers, progress) : runHere(plan, progress);
  return analysisResult(plan, options, outcomes);
}

/**
 * Runs the B-MMI chains on `threads` worker threads and the other steps here
 * meanwhile. Bad input is reported at the step where one thread would have
 * met it: a chain step's planning error is raised when the steps before it
 * have run.
 */
async function runOnThreads(analysis: AnalysisPlan, threads: number, progress: (label: string) => void): Promise<Outcome[]> {
  const planned = new Map<number, PreparedChains | InputError>();
  analysis.steps.forEach((step, index) => {
    if (!isChainStep(step)) return;
    try {
      planned.set(index, prepareChains(analysis, step.design));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      planned.set(index, e);
    }
  });
  const tasks = [...planned.values()].flatMap((p) => (p instanceof InputError || !("tasks" in p) ? [] : p.tasks));
  const stop = new AbortController();
  const running = runChainTasks(tasks, threads, undefined, stop.signal);
  let outcomes: (Outcome | undefined)[];
  try {
    outcomes = analysis.steps.map((step, index) => {
      const prepared = planned.get(index);
      if (prepared instanceof InputError) throw prepared;
      if (isChainStep(step)) return undefined;
      const out = step.run();
      progress(step.label);
      return out;
    });
  } catch (e) {
    // End the chains' threads before reporting the bad input.
    stop.abort();
    await running.catch(() => {});
    throw e;
  }
  const results = await running;
  let next = 0;
  for (const [index, prepared] of planned) {
    if (prepared instanceof InputError) throw prepared; // (already raised in step order above)
    const step = analysis.steps[index] as ChainStep;
    const count = "tasks" in prepared ? prepared.tasks.length : 0;
    outcomes[index] = finishChains(analysis, step.design, prepared, results.slice(next, next + count));
    next += count;
    progress(step.label);
  }
  return outcomes as Outcome[];
}
