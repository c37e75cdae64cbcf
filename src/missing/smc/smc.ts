/**
 * Substantive-model-compatible multilevel imputation (smc). Two models are
 * specified: the modifier's own model (the imputation formula, a logistic
 * random-intercept model for a binary modifier, a normal one for a
 * continuous modifier; it does not contain the outcome) and the
 * substantive model for the outcome given the modifier (a linear, or
 * logistic, random-intercept model). A Gibbs sampler (chain.ts) draws every
 * missing modifier value from its full conditional under both, so the
 * imputations are compatible with the substantive model by construction
 * (Bartlett et al. 2015; Goldstein et al. 2014 for the multilevel case), and
 * updates both models' parameters. D completed data sets per chain are
 * analysed by the outcome GEE and pooled by Rubin's rules, as for the other
 * methods. A categorical modifier has its own models and chain
 * (categorical-smc.ts): a multinomial random-intercept modifier model and a
 * k-point full conditional.
 *
 * Priors, in the spirit of the B-MMI defaults (GIBBS_DEFAULTS):
 * - logistic modifier model: α ~ N(α̂, σ²_α I) with σ²_α = priorVariance (100)
 *   around the glmer estimates, precision τ_m ~ Gamma(0.01, 0.01), exactly as B-MMI;
 * - normal modifier model: as the linear substantive model below (around the
 *   complete-case lmer fit of the modifier);
 * - linear substantive model: β ~ N(β̂, priorVariance·diag(V̂)) around the
 *   complete-case REML estimates β̂ with sampling variances V̂ (1% of the
 *   complete-case information: vague whatever the units of Y and of the
 *   covariates), 1/σ² and 1/σ²_u ~ Gamma(0.01, 0.01·σ̂²) (B-MMI's Gamma(0.01,
 *   0.01) on the scale of the complete-case residual variance σ̂²);
 * - logistic substantive model: β ~ N(β̂, priorVariance·I) around the
 *   complete-case glmer estimates, 1/σ²_u ~ Gamma(0.01, 0.01), as B-MMI.
 * Chains start at those estimates, with the fits' conditional modes as
 * random intercepts. A --tau-prior (sensitivity) replaces the prior on the
 * modifier model's τ only (for the normal model on the scale of σ̂²_m, as its
 * default); the substantive model keeps the defaults.
 *
 * A δ-adjustment (settings.delta/deltaBy, mnar.ts) shifts the modifier
 * model's logit (mean) by δ on the rows where the modifier is missing, inside
 * the full conditional of each missing value: the draw is
 * ∝ p(y | M, …)·p_δ(M | …), and both models are updated from those draws
 * (the modifier model with δ as an offset). δ = 0 is the MAR chain, bit for bit.
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { parseFormula } from "../../formula/index.ts";
import { effectiveSampleSize, splitRhat } from "../../inference/mcmc.ts";
import type { Rng } from "../../random/rng.ts";
import type { ChainTrace } from "../bmmi.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { GIBBS_DEFAULTS } from "../gibbs.ts";
import { meanImputed, unitShifts } from "../mnar.ts";
import { fitOutcomeModel, type OutcomeFit } from "../outcome.ts";
import { pooledResult, type ChainConvergence, type MethodResult, type MethodSettings } from "../result.ts";
import { runSmcChain, type OutcomeSampler, type SmcChain, type SmcSampler } from "./chain.ts";
import { categoricalSmcSampler } from "./categorical-smc.ts";
import { GaussianOutcome } from "./gaussian-outcome.ts";
import { fcsSampler } from "./fcs-chain.ts";
import { workingLayout, type WorkingLayout } from "./layout.ts";
import { LogisticOutcome } from "./logistic-outcome.ts";
import { ModifierModel } from "./modifier-model.ts";
import { NormalModifierModel } from "./normal-modifier.ts";
import { workingOutcomeDesign, type WorkingOutcomeDesign } from "./outcome-design.ts";
import { linearPrior, modifierStart, outcomeStart, positiveOr, substantivePrior, type ModelStart } from "./start.ts";
import type { SubstantiveDesign } from "./substantive.ts";

/** Split-R̂ above this, or an ESS below this, is reported (one warning each, naming the worst parameter). */
export const SMC_RHAT_LIMIT = 1.01;
export const SMC_ESS_LIMIT = 100;

/**
 * smc draws an individual-level modifier (binary, or continuous entering the
 * substantive model affinely) from its full conditional; the modifier model
 * must not contain the outcome: the substantive model carries it.
 */
function checkModifierModel(data: ModifierData, design: ImputationDesign, substantive: SubstantiveDesign): void {
  const { outcome, modifier } = data.columns;
  if (substantive.nonAffineColumn !== null) {
    throw new InputError(
      `smc: the continuous modifier '${modifier}' must enter the substantive model '${substantive.formula}' linearly (itself and its interactions), ` +
        `so that its full conditional is normal; column '${substantive.nonAffineColumn}' is not linear in it`,
    );
  }
  if (data.level !== "individual") {
    throw new InputError(
      `smc imputes an individual-level modifier; '${modifier}' is constant within every cluster (a cluster-level variable): use mmi or bmmi for it`,
    );
  }
  if (parseFormula(design.formula).variables.some((v) => v.columns.includes(outcome))) {
    throw new InputError(
      `smc: imputation model '${design.formula}' contains the outcome '${outcome}'; in smc the substantive model carries '${outcome}', ` +
        `so the modifier's own model leaves it out (e.g. '${data.columns.modifier} ~ X1')`,
    );
  }
}

function outcomeSampler(
  layout: WorkingLayout,
  working: WorkingOutcomeDesign,
  data: ModifierData,
  design: SubstantiveDesign,
  start: ModelStart,
  settings: MethodSettings,
): OutcomeSampler {
  const { tauShape, tauRate } = GIBBS_DEFAULTS;
  const prior = substantivePrior(design, start, settings.gibbs.priorVariance, tauShape, tauRate);
  const spec = { ...prior, startIntercepts: start.intercepts };
  return prior.family === "binomial" ? new LogisticOutcome(layout, working, data.outcome, spec) : new GaussianOutcome(layout, working, data.outcome, spec);
}

/** A continuous modifier's normal model, with the priors of the linear substantive model (scaled by the complete-case fit). */
function normalModifier(
  layout: WorkingLayout,
  design: ImputationDesign,
  start: ModelStart,
  settings: MethodSettings,
  offset: Float64Array | null,
): NormalModifierModel {
  const { tauShape, tauRate } = GIBBS_DEFAULTS;
  const prior = linearPrior(design.formula, start, settings.gibbs.priorVariance, tauShape, tauRate);
  return new NormalModifierModel(layout, {
    W: design.W,
    p: design.p,
    ...prior,
    startIntercepts: start.intercepts,
    tauShape: settings.gibbs.tauShape,
    tauRate: settings.gibbs.tauRate * prior.startSigma2,
    offset,
  });
}

/** δ per working row (0 where the modifier is observed), or null under MAR. */
function workingOffset(data: ModifierData, layout: WorkingLayout, settings: MethodSettings): Float64Array | null {
  const shift = unitShifts(data, settings);
  if (shift === null) return null;
  const out = new Float64Array(layout.n);
  for (const w of layout.missing) out[w] = shift[layout.order[w]];
  return out;
}

/** δ per analysed row where the modifier is missing (0 elsewhere), or null under MAR. */
function analysedOffset(data: ModifierData, settings: MethodSettings): Float64Array | null {
  const shift = unitShifts(data, settings);
  if (shift === null) return null;
  return Float64Array.from(data.modifier, (m, r) => (Number.isNaN(m) ? shift[r] : 0));
}

export type { SmcSampler } from "./chain.ts";

/**
 * Checks the models, fits them to the complete cases for the priors and
 * starting values, and lays the data out for the chains.
 */
export function smcSampler(data: ModifierData, design: ImputationDesign, settings: MethodSettings): SmcSampler {
  const substantive = data.substantive;
  if (!substantive) throw new InputError("smc needs a substantive model, e.g. --substantive \"Y ~ A*M*X1 + (1 | cluster)\"");
  checkModifierModel(data, design, substantive);
  if (data.modifierType === "categorical") return categoricalSmcSampler(data, design, settings);
  if (data.smcCovariates) return fcsSampler(data, design, settings, analysedOffset(data, settings));
  const modifier = modifierStart(data, design);
  const outcome = outcomeStart(data, substantive);
  const layout = workingLayout(data.starts, [{ X: design.W, p: design.p }, { X: substantive.X0, p: substantive.p }, { X: substantive.X1, p: substantive.p }], data.modifier);
  const continuous = data.modifierType === "continuous";
  const working = workingOutcomeDesign(layout, substantive, data.modifier, continuous);
  const y = data.columns.outcome;
  const extra = substantive.family === "binomial" ? ["tau"] : ["sigma2", "tau"];
  const { gibbs } = settings;
  const offset = workingOffset(data, layout, settings);
  return {
    names: [...design.columnNames, "tau", ...(continuous ? ["sigma"] : []), ...[...substantive.columnNames, ...extra].map((t) => `${y}~${t}`)],
    tauColumn: design.p,
    diagnostics: [...modifier.diagnostics, ...outcome.diagnostics],
    chain: (rng, onImputation) => {
      const modifierModel = continuous ? normalModifier(layout, design, modifier, settings, offset) : new ModifierModel(layout, {
        W: design.W,
        p: design.p,
        priorMean: modifier.coefficients,
        priorVariance: gibbs.priorVariance,
        tauShape: gibbs.tauShape,
        tauRate: gibbs.tauRate,
        startIntercepts: modifier.intercepts,
        startTau: 1 / positiveOr(modifier.clusterVariance, 1 / gibbs.tauStart),
        offset,
      });
      const sampler = outcomeSampler(layout, working, data, substantive, outcome, settings);
      return runSmcChain(layout, data.modifier, modifierModel, sampler, gibbs, rng, onImputation);
    },
  };
}

/**
 * The smc runner: `settings.chains` chains, each from stream(k), each
 * handing out `settings.gibbs.imputations` completed data sets.
 */
export function substantiveModelImputation(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  stream: (chain: number) => Rng,
): { result: MethodResult; traces: ChainTrace[] } {
  const sampler = smcSampler(data, design, settings);
  const fits: OutcomeFit[] = [];
  const buffer = new Float64Array(data.n * data.outcomeModel.complete.p);
  const chains: SmcChain[] = [];
  let imputedSum = 0;
  for (let k = 0; k < settings.chains; k++) {
    chains.push(
      sampler.chain(stream(k), (m) => {
        fits.push(fitOutcomeModel(data, m, settings.corstr, buffer));
        imputedSum += meanImputed(data, m);
      }),
    );
  }
  const convergence = chainConvergence(chains, sampler.names, settings.gibbs.burnin);
  const { names, tauColumn } = sampler;
  const traces = chains.map(
    (c, k): ChainTrace => ({
      imputationModel: design.formula,
      chain: k,
      parameterNames: names,
      nTerms: tauColumn,
      iterations: c.iterations,
      burnin: settings.gibbs.burnin,
      draws: c.draws,
      method: "smc",
    }),
  );
  const diagnostics = [...sampler.diagnostics, ...convergenceWarnings(convergence)];
  const result = pooledResult("smc", design.formula, fits, data.clusterIds.length, settings.level, diagnostics, convergence);
  // The mean imputed value has no meaning for level codes.
  const mean = data.modifierType === "categorical" ? {} : { meanImputed: imputedSum / fits.length };
  return { result: { ...result, substantiveModel: data.substantive!.formula, ...mean }, traces };
}

function chainConvergence(chains: readonly SmcChain[], names: readonly string[], burnin: number): ChainConvergence {
  const { iterations, width } = chains[0];
  const kept = iterations - burnin;
  const parameters = names.map((name, j) => {
    const draws = chains.map((c) => Float64Array.from({ length: kept }, (_, t) => c.draws[(burnin + t) * width + j]));
    return { name, ess: effectiveSampleSize(draws), rhat: splitRhat(draws) };
  });
  return { chains: chains.length, iterations, parameters };
}

/** At most one warning for R̂ and one for ESS, each counting the parameters and naming the worst. */
export function convergenceWarnings(convergence: ChainConvergence): Diagnostic[] {
  const out: Diagnostic[] = [];
  const total = convergence.parameters.length;
  const high = convergence.parameters.filter((p) => p.rhat > SMC_RHAT_LIMIT);
  if (high.length > 0) {
    const worst = high.reduce((a, b) => (b.rhat > a.rhat ? b : a));
    out.push(
      warning(
        "smc-rhat",
        `smc: split-R̂ above ${SMC_RHAT_LIMIT} for ${high.length} of ${total} parameters (largest ${worst.rhat.toFixed(3)}, ${worst.name}); run a longer burn-in or more chains`,
      ),
    );
  }
  const low = convergence.parameters.filter((p) => p.ess < SMC_ESS_LIMIT);
  if (low.length > 0) {
    const worst = low.reduce((a, b) => (b.ess < a.ess ? b : a));
    out.push(
      warning(
        "smc-ess",
        `smc: effective sample size below ${SMC_ESS_LIMIT} for ${low.length} of ${total} parameters (smallest ${worst.ess.toFixed(0)}, ${worst.name}); thin more or run longer`,
      ),
    );
  }
  return out;
}
