/**
 * The steps of an analysis and where they run. Every (method, imputation
 * model) is one step; B-MMI steps are planned on this thread and their
 * chains run as tasks (chain-pool.ts), on this thread or on worker threads,
 * while the other methods run here. Results come back in step order and
 * chain outputs in chain order, so the analysis is the same bytes whatever
 * the number of threads.
 */
import { ComputeError } from "../core/errors.ts";
import { namedStream } from "../random/streams.ts";
import { bmmiPlan, bmmiResult, type BmmiPlan } from "./bmmi.ts";
import { chainOutput, runChainTask, runChainTasks, type ChainResult, type ChainTask } from "./chain-pool.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { failedOutcome, runMethod, type Outcome } from "./methods.ts";
import type { MethodName, MethodSettings } from "./result.ts";

interface DirectStep {
  readonly label: string;
  readonly run: () => Outcome;
}

interface ChainStep {
  readonly label: string;
  readonly design: ImputationDesign;
}

type Step = DirectStep | ChainStep;

export interface AnalysisPlan {
  readonly steps: readonly Step[];
  readonly data: ModifierData;
  readonly settings: MethodSettings;
  readonly seed: number;
}

/** cca first, then every other method under every imputation model (model by model). */
export function analysisPlan(data: ModifierData, methods: readonly MethodName[], settings: MethodSettings, seed: number): AnalysisPlan {
  const steps: Step[] = [];
  if (methods.includes("cca")) {
    steps.push({ label: "cca", run: () => runMethod(data, "cca", null, settings, (chain) => namedStream(seed, "cca", chain)) });
  }
  for (const design of data.designs) {
    for (const method of methods) {
      if (method === "cca") continue;
      const label = `${method} ${design.formula}`;
      if (method === "bmmi") {
        steps.push({ label, design });
        continue;
      }
      const stream = (chain: number) => namedStream(seed, method, design.formula, chain);
      steps.push({ label, run: () => runMethod(data, method, design, settings, stream) });
    }
  }
  return { steps, data, settings, seed };
}

/** How many steps run chains (B-MMI under each imputation model). */
export function chainSteps(analysis: AnalysisPlan): number {
  return analysis.steps.filter((step) => !("run" in step)).length;
}

/** A planned B-MMI step: its chain tasks, or its failure. */
type Prepared = { readonly plan: BmmiPlan; readonly tasks: readonly ChainTask[] } | { readonly failed: Outcome };

function prepare(analysis: AnalysisPlan, design: ImputationDesign): Prepared {
  const { data, settings, seed } = analysis;
  let plan: BmmiPlan;
  try {
    plan = bmmiPlan(data, design, settings);
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    return { failed: failedOutcome("bmmi", design, e.message) };
  }
  // Workers get only the design they sample from.
  const chainData: ModifierData = { ...data, designs: [] };
  const tasks = Array.from({ length: settings.chains }, (_, chain): ChainTask => ({
    data: chainData,
    design,
    settings,
    plan,
    chain,
    seed,
    path: ["bmmi", design.formula, chain],
  }));
  return { plan, tasks };
}

function finish(analysis: AnalysisPlan, design: ImputationDesign, prepared: Prepared, results: readonly ChainResult[]): Outcome {
  if ("failed" in prepared) return prepared.failed;
  const outputs = results.map(chainOutput);
  const stopped = outputs.find((o) => typeof o === "string");
  if (typeof stopped === "string") return failedOutcome("bmmi", design, stopped);
  try {
    return bmmiResult(analysis.data, design, analysis.settings, prepared.plan, outputs as Exclude<(typeof outputs)[number], string>[]);
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    return failedOutcome("bmmi", design, e.message);
  }
}

/** Runs every step on this thread. */
export function runHere(analysis: AnalysisPlan, progress: (label: string) => void): Outcome[] {
  return analysis.steps.map((step) => {
    let out: Outcome;
    if ("run" in step) out = step.run();
    else {
      const prepared = prepare(analysis, step.design);
      out = finish(analysis, step.design, prepared, "tasks" in prepared ? prepared.tasks.map(runChainTask) : []);
    }
    progress(step.label);
    return out;
  });
}

/** Runs the B-MMI chains on `threads` worker threads and the other steps here meanwhile. */
export async function runOnThreads(analysis: AnalysisPlan, threads: number, progress: (label: string) => void): Promise<Outcome[]> {
  const chainSteps = analysis.steps.flatMap((step, index) => ("run" in step ? [] : [{ index, step, prepared: prepare(analysis, step.design) }]));
  const tasks = chainSteps.flatMap((c) => ("tasks" in c.prepared ? c.prepared.tasks : []));
  const stop = new AbortController();
  const running = runChainTasks(tasks, threads, undefined, stop.signal);
  let outcomes: (Outcome | undefined)[];
  try {
    outcomes = analysis.steps.map((step) => {
      if (!("run" in step)) return undefined;
      const out = step.run();
      progress(step.label);
      return out;
    });
  } catch (e) {
    // Bad input found by another method: end the chains' threads before reporting it.
    stop.abort();
    await running.catch(() => {});
    throw e;
  }
  const results = await running;
  let next = 0;
  for (const { index, step, prepared } of chainSteps) {
    const count = "tasks" in prepared ? prepared.tasks.length : 0;
    outcomes[index] = finish(analysis, step.design, prepared, results.slice(next, next + count));
    next += count;
    progress(step.label);
  }
  return outcomes as Outcome[];
}
