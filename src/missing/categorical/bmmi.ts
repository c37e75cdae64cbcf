/**
 * B-MMI for a categorical modifier, in the stages of bmmi.ts (plan, chains,
 * result) so that its chains run as the same tasks on this thread or on
 * worker threads (schedule.ts and chain-task.ts dispatch here). The prior
 * is centred at the single-level multinomial estimates (impute.ts): no
 * multinomial GLMM is fitted. The chains are gibbs.ts here; pooling and the
 * convergence summary are bmmi.ts's. The trace names each coefficient
 * `level:term` (as nnet names them) and each level's random-intercept
 * precision `tau:level`.
 */
import { info } from "../../core/diagnostics.ts";
import type { Rng } from "../../random/rng.ts";
import { bmmiResult, type BmmiPlan, type ChainOutput, type ChainTrace } from "../bmmi.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { unitsToRows } from "../impute.ts";
import { fitOutcomeModel, type OutcomeFit } from "../outcome.ts";
import type { MethodResult, MethodSettings } from "../result.ts";
import { runCategoricalGibbsChain } from "./gibbs.ts";
import { multinomialImputationModel } from "./impute.ts";
import { refuseShift } from "./shift.ts";

export function categoricalBmmiPlan(data: ModifierData, design: ImputationDesign, settings: MethodSettings): BmmiPlan {
  refuseShift(data, settings);
  const model = multinomialImputationModel(data, design);
  const levels = data.levels!;
  const note = info(
    "bmmi-categorical",
    `B-MMI of the categorical modifier: a multinomial-logit model with ${data.level === "individual" ? `one cluster random intercept per non-reference level (${levels.slice(1).join(", ")}), each with its own precision, ` : "no random intercept (the modifier is cluster-level), "}` +
      `updated level by level with Pólya-Gamma draws (Holmes & Held 2006); prior N(β̂, ${settings.gibbs.priorVariance}·I) around the single-level multinomial estimates`,
  );
  return { priorMean: model.fit.coefficients, sigma2Start: 0, tauStart: settings.gibbs.tauStart, diagnostics: [note, ...model.diagnostics] };
}

function singletons(n: number): Int32Array {
  return Int32Array.from({ length: n + 1 }, (_, i) => i);
}

export function categoricalBmmiChain(data: ModifierData, design: ImputationDesign, settings: MethodSettings, plan: BmmiPlan, chain: number, rng: Rng): ChainOutput {
  const levels = data.levels!;
  const k = levels.length;
  const randomIntercept = data.level === "individual";
  const rows = new Float64Array(data.n);
  const fits: OutcomeFit[] = [];
  const draws = runCategoricalGibbsChain(
    {
      W: design.W,
      n: data.units.n,
      p: design.p,
      k,
      starts: randomIntercept ? data.starts : singletons(data.units.n),
      modifier: data.units.observed,
      priorMean: plan.priorMean,
      randomIntercept,
    },
    settings.gibbs,
    rng,
    (m) => fits.push(fitOutcomeModel(data, unitsToRows(data, m, rows), settings.corstr)),
  );
  const nTerms = (k - 1) * design.p;
  const names = [
    ...levels.slice(1).flatMap((l) => design.columnNames.map((t) => `${l}:${t}`)),
    ...(randomIntercept ? levels.slice(1).map((l) => `tau:${l}`) : []),
  ];
  const width = names.length;
  const trace = new Float64Array(draws.iterations * width);
  for (let it = 0; it < draws.iterations; it++) {
    trace.set(draws.beta.subarray(it * nTerms, (it + 1) * nTerms), it * width);
    if (randomIntercept) trace.set(draws.tau.subarray(it * (k - 1), (it + 1) * (k - 1)), it * width + nTerms);
  }
  const chainTrace: ChainTrace = { imputationModel: design.formula, chain, parameterNames: names, nTerms, iterations: draws.iterations, burnin: settings.gibbs.burnin, draws: trace };
  // The mean imputed value has no meaning for level codes.
  return { fits, meanImputed: [], trace: chainTrace };
}

/** The three stages on this thread, chain c on stream(c). */
export function categoricalBayesianImputation(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  stream: (chain: number) => Rng,
): { result: MethodResult; traces: ChainTrace[] } {
  const plan = categoricalBmmiPlan(data, design, settings);
  const outputs = Array.from({ length: settings.chains }, (_, c) => categoricalBmmiChain(data, design, settings, plan, c, stream(c)));
  const { result, traces } = bmmiResult(data, design, settings, plan, outputs);
  const { meanImputed: _none, ...rest } = result;
  return { result: rest, traces };
}
