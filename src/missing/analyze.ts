/**
 * The missing-effect-modifier analysis: every requested method under every
 * imputation model on the same prepared data. Each (method, imputation model,
 * chain) has its own random stream named by them under the seed, so a
 * method's result does not depend on which other methods or models run, nor
 * on the order in which they are listed. B-MMI chains may run on worker
 * threads (analyze-threads.ts) with the same result, byte for byte, as here.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { checkInteger, checkPositive } from "../core/check.ts";
import { InputError } from "../core/errors.ts";
import { parseFormula } from "../formula/index.ts";
import type { Dataset } from "../data/dataset.ts";
import type { ChainTrace } from "./bmmi.ts";
import { categoricalMethods } from "./categorical/methods.ts";
import { prepareModifierData, type ClusterMissingness, type ModifierColumns, type ModifierData } from "./data.ts";
import { GIBBS_DEFAULTS, type GibbsSettings } from "./gibbs.ts";
import type { Outcome } from "./methods.ts";
import { armDeltas, type ArmDeltas } from "./mnar.ts";
import type { ModifierLevel, ModifierType } from "./modifier.ts";
import type { OutcomeCorrelation } from "./outcome.ts";
import type { OutcomeOptions, OutcomeSettings } from "./outcome-model.ts";
import { DEFAULT_METHODS, METHOD_NAMES, usesImputationModel, type MethodName, type MethodResult, type MethodSettings } from "./result.ts";
import { analysisPlan, runHere, type AnalysisPlan } from "./schedule.ts";
import { splitImputationModels } from "./smc/covariate-models.ts";
import type { SubstantiveSpec } from "./smc/substantive.ts";
import type { TauPrior } from "./tau-prior.ts";

export interface AnalyzeOptions extends ModifierColumns {
  /**
   * Imputation models, e.g. ["M ~ X1*A*Y"]; the response must be the modifier. With smc, a
   * formula whose response is another column (e.g. "X2 ~ X1 + A") is a covariate model:
   * that covariate is imputed in every smc chain (smc/covariate-models.ts).
   */
  readonly imputation: readonly string[];
  /** Default: cca, si, mi, mmi, bmmi (smc and indicator when named). */
  readonly methods?: readonly MethodName[];
  /**
   * smc's substantive model, e.g. "Y ~ A*M*X1 + (1 | cluster)" (needed by smc, and only by it): a linear
   * mixed model, or a logistic one when the outcome model's family is binomial.
   */
  readonly substantive?: string;
  /** Completed data sets for mi, mmi and bmmi (default 15). */
  readonly imputations?: number;
  readonly burnin?: number;
  readonly thin?: number;
  readonly chains?: number;
  readonly priorVariance?: number;
  /**
   * B-MMI prior on the random-intercept variance: Gamma(shape, rate) on the precision τ (default Gamma(0.01, 0.01)),
   * or `{ halfNormal: s }`, a half-normal(s) prior on the SD (tau-prior.ts; bmmi only).
   */
  readonly tauPrior?: TauPrior;
  /** MNAR δ-adjustment of the imputed modifiers (mnar.ts; default 0: MAR). */
  readonly delta?: number;
  /** δ by arm, overriding `delta`. */
  readonly deltaBy?: ArmDeltas;
  /** Default: binary when every observed value is 0 or 1, else continuous. */
  readonly modifierType?: ModifierType;
  /** Outcome GEE working correlation (default exchangeable). */
  readonly corstr?: OutcomeCorrelation;
  /** The outcome GEE: mean model, family, link, SEs, ATE scale and pooling df (default `Y ~ A*M`, gaussian, robust, rd, Barnard–Rubin). */
  readonly outcomeModel?: OutcomeOptions;
  readonly level?: number;
  readonly seed: number;
  readonly onProgress?: (fraction: number, label: string) => void;
}

export interface AnalysisResult {
  readonly data: {
    readonly nObs: number;
    readonly nClusters: number;
    readonly nMissing: number;
    readonly nDropped: number;
    readonly missingByCluster: readonly ClusterMissingness[];
    readonly modifierType: ModifierType;
    readonly modifierLevel: ModifierLevel;
    /** A categorical modifier's levels in R's order (the first is the reference). */
    readonly modifierLevels?: readonly string[];
  };
  readonly results: readonly MethodResult[];
  readonly seed: number;
  readonly settings: MethodSettings;
  /** The outcome model as analysed, and the name of its interaction term (e.g. "A:M"). */
  readonly outcome: OutcomeSettings & { readonly hteTerm: string; readonly hteTerms?: readonly string[] };
  /** B-MMI chains (for convergence checks and --trace). */
  readonly traces: readonly ChainTrace[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * @example
 * const result = analyzeMissingModifier(data, {
 *   cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y",
 *   imputation: ["M ~ X1*A*Y"], seed: 1,
 * });
 */
export function analyzeMissingModifier(data: Dataset, options: AnalyzeOptions): AnalysisResult {
  const { plan, progress } = startAnalysis(data, options);
  return analysisResult(plan, options, runHere(plan, progress));
}

/** Validates the options, prepares the data and plans the steps (shared with analyze-threads.ts). */
export function startAnalysis(data: Dataset, options: AnalyzeOptions): { plan: AnalysisPlan; progress: (label: string) => void } {
  const methods = options.methods ?? DEFAULT_METHODS;
  for (const m of methods) {
    if (!METHOD_NAMES.includes(m)) throw new InputError(`unknown method '${m}'; use any of ${METHOD_NAMES.join(", ")}`);
  }
  const imputing = methods.some(usesImputationModel);
  if (imputing && options.imputation.length === 0) {
    throw new InputError("the imputation methods need an imputation model, e.g. --imputation \"M ~ X1*A*Y\"");
  }
  const gibbs: GibbsSettings = {
    ...GIBBS_DEFAULTS,
    burnin: checkInteger(options.burnin ?? GIBBS_DEFAULTS.burnin, "burn-in", 0),
    thin: checkInteger(options.thin ?? GIBBS_DEFAULTS.thin, "thin", 1),
    imputations: checkInteger(options.imputations ?? GIBBS_DEFAULTS.imputations, "imputations", 2),
    priorVariance: checkPositive(options.priorVariance ?? GIBBS_DEFAULTS.priorVariance, "prior variance"),
    ...precisionPrior(options.tauPrior, methods),
  };
  const deltas = armDeltas(options);
  const settings: MethodSettings = {
    imputations: gibbs.imputations,
    corstr: options.corstr ?? "exchangeable",
    level: options.level ?? 0.95,
    gibbs,
    chains: checkInteger(options.chains ?? 1, "chains", 1),
    // Only a non-zero δ is recorded, so a MAR analysis is planned exactly as before.
    ...(deltas.treated !== 0 || deltas.control !== 0 ? { deltaBy: deltas } : {}),
  };
  checkInteger(options.seed, "seed", 0);
  const substantive = substantiveSpec(options, methods);
  const { modifierModels, covariateModels } = splitImputationModels(imputing ? options.imputation : [], options, methods.includes("smc"));
  const fitted = prepareModifierData(data, options, modifierModels, {
    ...options.outcomeModel,
    modifierType: options.modifierType,
    ...(substantive ? { substantive } : {}),
    ...(covariateModels.length > 0 ? { covariateModels } : {}),
  });
  // An imputation model no requested method uses is left unchecked and unfitted; say so rather than drop it silently.
  let prepared: ModifierData =
    !imputing && options.imputation.length > 0
      ? {
          ...fitted,
          diagnostics: [
            ...fitted.diagnostics,
            info("imputation-unused", `imputation model${options.imputation.length > 1 ? "s" : ""} ${options.imputation.map((f) => `'${f}'`).join(", ")} not used: ${methods.join(" and ")} impute${methods.length > 1 ? "" : "s"} nothing`),
          ],
        }
      : fitted;
  let planned = methods;
  if (prepared.modifierType === "categorical") {
    // The default list (also when spelled out, as the command line does) leaves mmi out; naming it otherwise is refused.
    const explicit = options.methods !== undefined && options.methods.join() !== DEFAULT_METHODS.join();
    const available = categoricalMethods(methods, explicit, prepared.columns.modifier);
    planned = available.methods;
    prepared = { ...prepared, diagnostics: [...prepared.diagnostics, ...available.diagnostics] };
  }
  checkImputedCovariatesUnused(prepared, planned);
  const plan = analysisPlan(prepared, planned, settings, options.seed);
  let done = 0;
  const progress = (label: string): void => options.onProgress?.(++done / plan.steps.length, label);
  return { plan, progress };
}

/** The analysis from the steps' outcomes, in step order. */
export function analysisResult(plan: AnalysisPlan, options: AnalyzeOptions, outcomes: readonly Outcome[]): AnalysisResult {
  const prepared = plan.data;
  return {
    data: {
      nObs: prepared.n,
      nClusters: prepared.clusterIds.length,
      nMissing: prepared.nMissing,
      nDropped: prepared.nDropped,
      missingByCluster: prepared.missingByCluster,
      modifierType: prepared.modifierType,
      modifierLevel: prepared.level,
      ...(prepared.levels ? { modifierLevels: prepared.levels } : {}),
    },
    results: outcomes.map((o) => o.result),
    seed: options.seed,
    settings: plan.settings,
    outcome: {
      ...prepared.outcomeModel.settings,
      hteTerm: prepared.outcomeModel.hteTerm,
      ...(prepared.outcomeModel.hteTerms ? { hteTerms: prepared.outcomeModel.hteTerms } : {}),
    },
    traces: outcomes.flatMap((o) => o.traces),
    diagnostics: prepared.diagnostics,
  };
}

/** The B-MMI prior settings of `tauPrior`, checked; the half-normal one is refused for smc, whose samplers keep the Gamma prior. */
function precisionPrior(prior: TauPrior | undefined, methods: readonly MethodName[]): Partial<GibbsSettings> {
  if (prior === undefined) return {};
  if ("halfNormal" in prior) {
    if (methods.includes("smc")) throw new InputError(`tau prior half-normal(${prior.halfNormal}) is available for bmmi only; smc takes a Gamma(shape, rate) prior on the precision`);
    return { halfNormalScale: checkPositive(prior.halfNormal, "tau prior half-normal scale") };
  }
  return { tauShape: checkPositive(prior.shape, "tau prior shape"), tauRate: checkPositive(prior.rate, "tau prior rate") };
}

/** A covariate only smc imputes leaves the other imputing methods' models with missing values: refused, naming both. */
function checkImputedCovariatesUnused(prepared: ModifierData, methods: readonly MethodName[]): void {
  const imputed = prepared.smcCovariates?.models ?? [];
  if (imputed.length === 0) return;
  const others = methods.filter((m) => usesImputationModel(m) && m !== "smc");
  if (others.length === 0) return;
  for (const design of prepared.designs) {
    const columns = new Set(parseFormula(design.formula).variables.flatMap((v) => v.columns));
    const used = imputed.find((m) => columns.has(m.response));
    if (used) {
      throw new InputError(
        `imputation model '${design.formula}' uses '${used.response}', which only smc imputes (covariate model '${used.formula}'); ` +
          `${others.join(", ")} would see it missing in ${used.nMissing} rows: run them in a separate analysis, or leave '${used.response}' out of the modifier model`,
      );
    }
  }
}

/** smc's substantive model: required by smc, refused without it. */
function substantiveSpec(options: AnalyzeOptions, methods: readonly MethodName[]): SubstantiveSpec | undefined {
  const formula = options.substantive?.trim();
  const smc = methods.includes("smc");
  if (smc && !formula) {
    throw new InputError(
      `smc needs a substantive model for the outcome, e.g. --substantive "${options.outcome} ~ ${options.treatment}*${options.modifier}*X1 + (1 | ${options.cluster})"`,
    );
  }
  if (!smc && formula) throw new InputError("--substantive is the substantive model of the smc method; add smc to --methods");
  return smc ? { formula: formula!, family: options.outcomeModel?.family ?? "gaussian" } : undefined;
}
