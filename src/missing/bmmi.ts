/**
 * Bayesian multilevel multiple imputation, in three stages so that chains
 * can run anywhere (this thread or worker threads, chain-pool.ts):
 *
 *   bmmiPlan    the prior: centred at the random-intercept model's estimates
 *               (glmer for a binary modifier, lmer REML for a continuous one;
 *               the single-level regression when that fit fails, with a
 *               diagnostic, or for a cluster-level modifier, which has no
 *               random intercept: cluster-level.ts);
 *   bmmiChain   one chain of the Gibbs sampler (Pólya-Gamma logistic,
 *               gibbs.ts, or normal, gibbs-normal.ts) with the outcome GEE
 *               fitted on each saved completed data set; a δ-adjustment
 *               (mnar.ts) shifts only the saved draws of missing values,
 *               the imputation-model parameters being updated as under MAR;
 *   bmmiResult  all K·D fits pooled by Rubin's rules, chains in chain order;
 *               split-R̂ and ESS per parameter over the chains' post-burn-in
 *               draws, summarised in one warning each when they fall short.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { effectiveSampleSize, splitRhat } from "../inference/mcmc.ts";
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { runNormalGibbsChain } from "./gibbs-normal.ts";
import { runGibbsChain, type GibbsChain } from "./gibbs.ts";
import { mixedImputationModel, type ImputationMixedModel } from "./glmm-imputation.ts";
import { observedRows, unitsToRows } from "./impute.ts";
import { singleLevelModel } from "./imputation-model.ts";
import { meanImputed, unitShifts } from "./mnar.ts";
import { fitOutcomeModel, type OutcomeFit } from "./outcome.ts";
import { pooledResult, type ChainConvergence, type MethodResult, type MethodSettings } from "./result.ts";

/** One chain's draws, for convergence checks and the --trace file. */
export interface ChainTrace {
  readonly imputationModel: string;
  readonly chain: number;
  /** Imputation-model terms, then "tau" (with a random intercept), then "sigma" (continuous modifier). */
  readonly parameterNames: readonly string[];
  /** How many of parameterNames are imputation-model terms (the first ones). */
  readonly nTerms: number;
  readonly iterations: number;
  /** The first `burnin` iterations are warm-up. */
  readonly burnin: number;
  /** iterations × parameterNames.length, row-major. */
  readonly draws: Float64Array;
  /** The method whose chain it is (bmmi when absent). */
  readonly method?: string;
}

/** What a chain hands back: its outcome fits (in saved order) and its trace. */
export interface ChainOutput {
  readonly fits: readonly OutcomeFit[];
  /** The mean imputed modifier of each saved data set. */
  readonly meanImputed: readonly number[];
  readonly trace: ChainTrace;
}

/** What every chain starts from (plain data: it is sent to worker threads). */
export interface BmmiPlan {
  readonly priorMean: Float64Array;
  /** Starting residual variance and random-intercept precision of the normal sampler. */
  readonly sigma2Start: number;
  readonly tauStart: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** Split-R̂ above this, or an ESS below this, earns a warning. */
export const RHAT_LIMIT = 1.01;
export const ESS_LIMIT = 100;
/** Floor of the starting random-intercept variance, relative to σ̂² (a boundary LMM fit has σ̂_b = 0). */
const MIN_START_VARIANCE_RATIO = 0.01;

export function bmmiPlan(data: ModifierData, design: ImputationDesign, settings: MethodSettings): BmmiPlan {
  const kind = data.modifierType === "binary" ? "logistic" : "linear";
  if (data.level === "cluster") {
    const model = singleLevelModel(data, design);
    const fitted = observedRows(data.units.observed).length;
    const note = info(
      "bmmi-cluster-level",
      `the modifier is cluster-level: B-MMI draws one value for each of the ${data.units.n - fitted} clusters without it from a Bayesian ${kind} regression of the ${fitted} clusters with it ` +
        `(the Gibbs sampler without a random intercept, prior N(β̂, ${settings.gibbs.priorVariance}·I) around the regression estimates); with one value per cluster a cluster random intercept is not identified`,
    );
    return { priorMean: model.coefficients, sigma2Start: model.sigma ** 2, tauStart: settings.gibbs.tauStart, diagnostics: [note, ...model.diagnostics] };
  }
  const diagnostics: Diagnostic[] = [];
  let mixed: ImputationMixedModel | null = null;
  try {
    mixed = mixedImputationModel(data, design);
    diagnostics.push(...mixed.diagnostics);
    if (!mixed.converged) throw new Error(`the ${kind} mixed model did not converge`);
  } catch (e) {
    mixed = null;
    diagnostics.push(
      warning("bmmi-prior-fallback", `B-MMI prior centred at the ${kind} regression estimates: the mixed-model fit failed (${(e as Error).message})`),
    );
  }
  if (mixed === null) {
    const fallback = singleLevelModel(data, design);
    diagnostics.push(...fallback.diagnostics);
    const sigma2 = fallback.sigma ** 2;
    return { priorMean: fallback.coefficients, sigma2Start: sigma2, tauStart: tauStart(0, sigma2, settings), diagnostics };
  }
  const sigma2 = mixed.sigma ** 2;
  return { priorMean: mixed.coefficients, sigma2Start: sigma2, tauStart: tauStart(mixed.sd ** 2, sigma2, settings), diagnostics };
}

/** The logistic sampler starts at the authors' τ₀; the normal one at 1/σ̂_b², floored at 1% of σ̂². */
function tauStart(variance: number, sigma2: number, settings: MethodSettings): number {
  return sigma2 > 0 ? 1 / Math.max(variance, MIN_START_VARIANCE_RATIO * sigma2) : settings.gibbs.tauStart;
}

/** Units grouped one per group: the layout of a cluster-level modifier's clusters. */
function singletons(n: number): Int32Array {
  return Int32Array.from({ length: n + 1 }, (_, i) => i);
}

/** Runs chain `chain` with stream `rng`, fitting the outcome GEE on every saved completed data set. */
export function bmmiChain(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  plan: BmmiPlan,
  chain: number,
  rng: Rng,
): ChainOutput {
  const randomIntercept = data.level === "individual";
  const input = {
    W: design.W,
    n: data.units.n,
    p: design.p,
    starts: randomIntercept ? data.starts : singletons(data.units.n),
    modifier: data.units.observed,
    priorMean: plan.priorMean,
    randomIntercept,
    shift: unitShifts(data, settings),
  };
  const rows = new Float64Array(data.n);
  const fits: OutcomeFit[] = [];
  const imputed: number[] = [];
  const onImputation = (m: Float64Array): void => {
    const completed = unitsToRows(data, m, rows);
    imputed.push(meanImputed(data, completed));
    fits.push(fitOutcomeModel(data, completed, settings.corstr));
  };
  const draws =
    data.modifierType === "binary"
      ? runGibbsChain(input, settings.gibbs, rng, onImputation)
      : runNormalGibbsChain({ ...input, sigma2Start: plan.sigma2Start, tauStart: plan.tauStart }, settings.gibbs, rng, onImputation);
  return { fits, meanImputed: imputed, trace: chainTrace(design, chain, settings.gibbs.burnin, draws) };
}

function chainTrace(design: ImputationDesign, chain: number, burnin: number, g: GibbsChain): ChainTrace {
  const names = [...design.columnNames, ...(g.tau.length > 0 ? ["tau"] : []), ...(g.sigma.length > 0 ? ["sigma"] : [])];
  const q = names.length;
  const p = design.p;
  const draws = new Float64Array(g.iterations * q);
  for (let it = 0; it < g.iterations; it++) {
    draws.set(g.beta.subarray(it * p, it * p + p), it * q);
    let j = p;
    if (g.tau.length > 0) draws[it * q + j++] = g.tau[it];
    if (g.sigma.length > 0) draws[it * q + j] = g.sigma[it];
  }
  return { imputationModel: design.formula, chain, parameterNames: names, nTerms: p, iterations: g.iterations, burnin, draws };
}

/** Pools the chains' fits in chain order and summarises their convergence. */
export function bmmiResult(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  plan: BmmiPlan,
  outputs: readonly ChainOutput[],
): { result: MethodResult; traces: ChainTrace[] } {
  const traces = outputs.map((o) => o.trace);
  const convergence = chainConvergence(traces);
  const diagnostics = [...plan.diagnostics, ...convergenceDiagnostics(convergence)];
  const fits = outputs.flatMap((o) => o.fits);
  const imputed = outputs.flatMap((o) => o.meanImputed);
  const pooled = pooledResult("bmmi", design.formula, fits, data.clusterIds.length, settings.level, diagnostics, convergence);
  return { result: { ...pooled, meanImputed: imputed.reduce((a, b) => a + b, 0) / imputed.length }, traces };
}

/** The three stages on this thread, chain k on stream(k). */
export function bayesianMultilevelImputation(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  stream: (chain: number) => Rng,
): { result: MethodResult; traces: ChainTrace[] } {
  const plan = bmmiPlan(data, design, settings);
  const outputs = Array.from({ length: settings.chains }, (_, k) => bmmiChain(data, design, settings, plan, k, stream(k)));
  return bmmiResult(data, design, settings, plan, outputs);
}

/** Post-burn-in split-R̂ and ESS of every traced parameter over the chains. */
export function chainConvergence(traces: readonly ChainTrace[]): ChainConvergence {
  const { iterations, burnin, parameterNames } = traces[0];
  const q = parameterNames.length;
  const kept = iterations - burnin;
  const parameters = parameterNames.map((name, j) => {
    const draws = traces.map((t) => Float64Array.from({ length: kept }, (_, i) => t.draws[(burnin + i) * q + j]));
    return { name, ess: effectiveSampleSize(draws), rhat: splitRhat(draws) };
  });
  return { chains: traces.length, iterations, parameters };
}

/** One warning for the parameters with split-R̂ above the limit, one for those with a small ESS. */
export function convergenceDiagnostics(convergence: ChainConvergence): Diagnostic[] {
  const { parameters, chains, iterations } = convergence;
  const out: Diagnostic[] = [];
  const total = parameters.length;
  const highRhat = parameters.filter((p) => p.rhat > RHAT_LIMIT);
  if (highRhat.length > 0) {
    const worst = highRhat.reduce((a, b) => (b.rhat > a.rhat ? b : a));
    out.push(
      warning(
        "bmmi-rhat",
        `B-MMI: split-R̂ > ${RHAT_LIMIT} for ${highRhat.length} of ${total} parameters (max ${worst.rhat.toFixed(3)} for ${worst.name}) ` +
          `over ${chains} chain${chains === 1 ? "" : "s"} of ${iterations} iterations; run longer (burn-in, thin) or more chains`,
      ),
    );
  }
  const lowEss = parameters.filter((p) => p.ess < ESS_LIMIT);
  if (lowEss.length > 0) {
    const worst = lowEss.reduce((a, b) => (b.ess < a.ess ? b : a));
    out.push(
      warning("bmmi-ess", `B-MMI: effective sample size < ${ESS_LIMIT} for ${lowEss.length} of ${total} parameters (min ${worst.ess.toFixed(0)} for ${worst.name})`),
    );
  }
  return out;
}
