/** What each method returns, and the two ways of turning outcome fits into inference. */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import type { Estimate } from "../core/records.ts";
import type { EffectScale } from "../estimands/estimator.ts";
import { pool, pooledEstimate, type PoolResult } from "../inference/pool.ts";
import type { JointTest } from "../inference/pool-multivariate.ts";
import { waldEstimate } from "../inference/wald.ts";
import { pooledTerms, singleFitTerms, type HteTerm, type HteTermsInference } from "./categorical/pooling.ts";
import type { GibbsSettings } from "./gibbs.ts";
import type { MnarShift } from "./mnar.ts";
import type { OutcomeCorrelation, OutcomeFit } from "./outcome.ts";

export const METHOD_NAMES = ["cca", "si", "mi", "mmi", "bmmi", "smc", "indicator"] as const;
export type MethodName = (typeof METHOD_NAMES)[number];
/**
 * Methods run when none are named: smc only when asked for, since it needs a
 * substantive model; indicator only when asked for, as a comparison whose
 * HTE is valid under narrower conditions than the imputations' (indicator.ts).
 */
export const DEFAULT_METHODS: readonly MethodName[] = METHOD_NAMES.filter((m) => m !== "smc" && m !== "indicator");
/** Methods that impute nothing, so take no imputation model and run once per analysis. */
export const NON_IMPUTING_METHODS: readonly MethodName[] = ["cca", "indicator"];

/** True for a method that draws the missing modifiers from an imputation model. */
export function usesImputationModel(method: string): boolean {
  return !(NON_IMPUTING_METHODS as readonly string[]).includes(method);
}

/** Convergence summary of the B-MMI chains. */
export interface ChainConvergence {
  readonly chains: number;
  readonly iterations: number;
  /** Per parameter (imputation-model coefficients, then "tau"): post-burn-in ESS and split-R̂. */
  readonly parameters: readonly { readonly name: string; readonly ess: number; readonly rhat: number }[];
}

/**
 * Rubin's rules for one estimand, with mice's names and definitions
 * (`mice::pool`): D completed data sets, Ū, B, T, the complete-data df
 * (null for Rubin's large-sample df), the pooled df, riv = (1 + 1/m)B/Ū,
 * lambda = (1 + 1/m)B/T and fmi = (riv + 2/(df + 3))/(1 + riv).
 */
export interface PoolingRecord {
  readonly m: number;
  /** Q̄, the pooled estimate on the analysis scale (mice's `estimate`). */
  readonly estimate: number;
  readonly ubar: number;
  readonly b: number;
  readonly t: number;
  readonly dfcom: number | null;
  readonly df: number;
  readonly riv: number;
  readonly lambda: number;
  readonly fmi: number;
}

export interface MethodResult {
  readonly method: MethodName;
  /** The imputation model, or null for the methods that impute nothing (cca, indicator). */
  readonly imputationModel: string | null;
  /** For a categorical modifier the first treatment-by-level contrast (hteTerms[0]). */
  readonly hte: Estimate;
  readonly ate: Estimate;
  /** A categorical modifier: every treatment-by-level contrast, named as R names it (`A:Mlow`). */
  readonly hteTerms?: readonly HteTerm[];
  /** A categorical modifier: the joint test of all contrasts (Wald for one fit, D1 pooled). */
  readonly hteTest?: JointTest;
  readonly nImputations: number;
  /** Pooled methods (mi, mmi, bmmi): the pooling of each estimand (the ATE's on its analysis scale: log for rr and or). */
  readonly pooling?: { readonly hte: PoolingRecord; readonly ate: PoolingRecord };
  /** smc: the substantive model the imputations are compatible with. */
  readonly substantiveModel?: string;
  readonly convergence?: ChainConvergence;
  /** Imputing methods: the mean imputed modifier over the rows where it is missing, averaged over the completed data sets. */
  readonly meanImputed?: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The δ-adjustment (mnar.ts) applies to the draws of missing modifiers by si, mi, mmi and bmmi. */
export interface MethodSettings extends MnarShift {
  /** Completed data sets for mi, mmi and bmmi (per chain for bmmi). */
  readonly imputations: number;
  readonly corstr: OutcomeCorrelation;
  readonly level: number;
  readonly gibbs: GibbsSettings;
  readonly chains: number;
}

/**
 * The ATE as reported: on the rd scale as estimated; for rr and or the
 * estimate and interval limits are exponentiated (ratios) while stdError,
 * statistic and pValue stay on the log scale, as `mrs` reports them.
 */
export function ateOnScale(e: Estimate, scale: EffectScale): Estimate {
  if (scale === "rd") return e;
  return { ...e, estimate: Math.exp(e.estimate), confLow: Math.exp(e.confLow), confHigh: Math.exp(e.confHigh) };
}

/** The reference df of one fit: null (normal) for robust SEs, C − p for md/kc. */
function referenceDf(fit: OutcomeFit): number | null {
  return fit.settings.se === "robust" ? null : fit.nClusters - fit.nCoefficients;
}

/** Wald inference from a single outcome fit (cca, si): normal with robust SEs, t(C − p) with md/kc. */
export function singleFitEstimates(fit: OutcomeFit, level: number): { hte: Estimate; ate: Estimate } & Partial<HteTermsInference> {
  const df = referenceDf(fit);
  return {
    hte: waldEstimate(fit.hte, Math.sqrt(fit.hteVariance), df, level),
    ate: ateOnScale(waldEstimate(fit.ate, Math.sqrt(fit.ateVariance), df, level), fit.settings.ateScale),
    ...(fit.hteTerms ? singleFitTerms(fit.hteTerms, df, level) : {}),
  };
}

function poolingRecord(p: PoolResult): PoolingRecord {
  return { m: p.m, estimate: p.estimate, ubar: p.within, b: p.between, t: p.total, dfcom: p.dfcom ?? null, df: p.df, riv: p.riv, lambda: p.lambda, fmi: p.fmi };
}

const show = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

/** What the chosen df rule needs said: Rubin's has no ν_com; the paper's is for comparison, and may leave no t reference. */
function dfDiagnostics(estimand: string, p: PoolResult, barnardRubin: () => PoolResult): Diagnostic[] {
  if (p.dfMethod === "rubin") {
    return [info("pooling-df-rubin", "pooled df: Rubin's (1987) large-sample (D − 1)(1 + 1/riv)², without a complete-data df (dfcom null)")];
  }
  if (p.dfMethod !== "paper") return [];
  const out = [
    warning(
      "pooling-df-paper",
      `${estimand}: df ${show(p.df)} from the formula printed in Blette et al. (2023), whose ν_obs divides (1 + 1/D)·B by the pooled estimate ` +
        `${show(p.estimate)} instead of Ū = ${show(p.within)}: for comparison only; Barnard–Rubin gives df ${show(barnardRubin().df)}`,
    ),
  ];
  if (!(p.df > 0)) {
    out.push(warning("pooling-df-undefined", `${estimand}: the paper's df ${show(p.df)} is not positive: no t reference, so pValue, confLow and confHigh are null`));
  }
  return out;
}

/**
 * Rubin's rules over the completed-data fits, with the df rule of the
 * outcome settings; complete-data df ν_com = C − 2 with robust SEs, C − p
 * with md/kc (p outcome-model coefficients).
 */
export function pooledEstimates(
  fits: readonly OutcomeFit[],
  clusters: number,
  level: number,
): { hte: Estimate; ate: Estimate; pooling: { hte: PoolingRecord; ate: PoolingRecord }; diagnostics: readonly Diagnostic[] } & Partial<HteTermsInference> {
  const { settings, nCoefficients } = fits[0];
  const dfcom = settings.se === "robust" ? clusters - 2 : clusters - nCoefficients;
  const one = (estimand: string, q: number[], u: number[]) => {
    const p = pool(q, u, { dfcom, level, dfMethod: settings.poolingDf });
    return { p, diagnostics: [...p.diagnostics, ...dfDiagnostics(estimand, p, () => pool(q, u, { dfcom, level }))] };
  };
  const hte = one("hte", fits.map((f) => f.hte), fits.map((f) => f.hteVariance));
  const ate = one("ate", fits.map((f) => f.ate), fits.map((f) => f.ateVariance));
  const terms = fits[0].hteTerms ? pooledTerms(fits.map((f) => f.hteTerms!), dfcom, level, settings.poolingDf) : null;
  return {
    hte: pooledEstimate(hte.p),
    ate: ateOnScale(pooledEstimate(ate.p), settings.ateScale),
    ...(terms ? { hteTerms: terms.hteTerms, hteTest: terms.hteTest } : {}),
    pooling: { hte: poolingRecord(hte.p), ate: poolingRecord(ate.p) },
    diagnostics: [...hte.diagnostics, ...ate.diagnostics, ...(terms?.diagnostics ?? [])],
  };
}

/** Keeps one diagnostic per code (the first), so repeated fits do not repeat messages. */
export function uniqueDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The result of a method that pools D completed-data fits (mi, mmi, bmmi). */
export function pooledResult(
  method: MethodName,
  imputationModel: string,
  fits: readonly OutcomeFit[],
  clusters: number,
  level: number,
  diagnostics: readonly Diagnostic[],
  convergence?: ChainConvergence,
): MethodResult {
  const pooled = pooledEstimates(fits, clusters, level);
  return {
    method,
    imputationModel,
    hte: pooled.hte,
    ate: pooled.ate,
    ...(pooled.hteTerms ? { hteTerms: pooled.hteTerms, hteTest: pooled.hteTest } : {}),
    nImputations: fits.length,
    pooling: pooled.pooling,
    ...(convergence ? { convergence } : {}),
    diagnostics: uniqueDiagnostics([...diagnostics, ...fits.flatMap((f) => f.diagnostics), ...pooled.diagnostics]),
  };
}
