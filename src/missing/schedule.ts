/**
 * The steps of an analysis. Every (method, imputation model) is one step; a
 * B-MMI step is planned (prepareChains), its chains run as tasks
 * (chain-task.ts), here (runHere) or on worker threads (analyze-threads.ts)
 * while the other steps run here, and it is finished from their results in
 * chain order (finishChains). Outcomes are kept in step order, so the
 * analysis is the same bytes wherever the chains ran.
 */
import { ComputeError } from "../core/errors.ts";
import { namedStream } from "../random/streams.ts";
import { bmmiPlan, bmmiResult, type BmmiPlan, type ChainOutput } from "./bmmi.ts";
import { categoricalBmmiPlan } from "./categorical/bmmi.ts";
import { chainOutput, runChainTask, type ChainResult, type ChainTask } from "./chain-task.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { failedOutcome, runMethod, type Outcome } from "./methods.ts";
import { NON_IMPUTING_METHODS, usesImputationModel, type MethodName, type MethodSettings } from "./result.ts";

interface DirectStep {
  readonly label: string;
  readonly run: () => Outcome;
}

export interface ChainStep {
  readonly label: string;
  readonly design: ImputationDesign;
}

export type Step = DirectStep | ChainStep;

export interface AnalysisPlan {
  readonly steps: readonly Step[];
  readonly data: ModifierData;
  readonly settings: MethodSettings;
  readonly seed: number;
}

/** cca and indicator first (they impute nothing, so run once), then every other method under every imputation model (model by model). */
export function analysisPlan(data: ModifierData, methods: readonly MethodName[], settings: MethodSettings, seed: number): AnalysisPlan {
  const steps: Step[] = [];
  for (const method of NON_IMPUTING_METHODS) {
    if (!methods.includes(method)) continue;
    steps.push({ label: method, run: () => runMethod(data, method, null, settings, (chain) => namedStream(seed, method, chain)) });
  }
  for (const design of data.designs) {
    for (const method of methods) {
      if (!usesImputationModel(method)) continue;
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

export function isChainStep(step: Step): step is ChainStep {
  return !("run" in step);
}

/** A planned B-MMI step: its chain tasks, or its failure. */
export type PreparedChains = { readonly plan: BmmiPlan; readonly tasks: readonly ChainTask[] } | { readonly failed: Outcome };

export function prepareChains(analysis: AnalysisPlan, design: ImputationDesign): PreparedChains {
  const { data, settings, seed } = analysis;
  let plan: BmmiPlan;
  try {
    plan = data.modifierType === "categorical" ? categoricalBmmiPlan(data, design, settings) : bmmiPlan(data, design, settings);
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

export function finishChains(analysis: AnalysisPlan, design: ImputationDesign, prepared: PreparedChains, results: readonly ChainResult[]): Outcome {
  if ("failed" in prepared) return prepared.failed;
  const outputs = results.map(chainOutput);
  const stopped = outputs.find((o) => typeof o === "string");
  if (typeof stopped === "string") return failedOutcome("bmmi", design, stopped);
  try {
    return bmmiResult(analysis.data, design, analysis.settings, prepared.plan, outputs.filter((o): o is ChainOutput => typeof o !== "string"));
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    return failedOutcome("bmmi", design, e.message);
  }
}

/** Runs every step on this thread. */
export function runHere(analysis: AnalysisPlan, progress: (label: string) => void): Outcome[] {
  return analysis.steps.map((step) => {
    let out: Outcome;
    if (!isChainStep(step)) out = step.run();
    else {
      const prepared = prepareChains(analysis, step.design);
      out = finishChains(analysis, step.design, prepared, "tasks" in prepared ? prepared.tasks.map(runChainTask) : []);
    }
    progress(step.label);
    return out;
  });
}
