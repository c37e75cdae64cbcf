/** What each method returns, and the two ways of turning outcome fits into inference. */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { Estimate } from "../core/records.ts";
import { pool } from "../inference/pool.ts";
import { waldEstimate } from "../inference/wald.ts";
import type { GibbsSettings } from "./gibbs.ts";
import type { OutcomeCorrelation, OutcomeFit } from "./outcome.ts";

export const METHOD_NAMES = ["cca", "si", "mi", "mmi", "bmmi"] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Convergence summary of the B-MMI chains. */
export interface ChainConvergence {
  readonly chains: number;
  readonly iterations: number;
  /** Per parameter (imputation-model coefficients, then "tau"): post-burn-in ESS and split-R̂. */
  readonly parameters: readonly { readonly name: string; readonly ess: number; readonly rhat: number }[];
}

export interface MethodResult {
  readonly method: MethodName;
  /** The imputation model, or null for complete-case analysis. */
  readonly imputationModel: string | null;
  readonly hte: Estimate;
  readonly ate: Estimate;
  readonly nImputations: number;
  readonly convergence?: ChainConvergence;
  readonly diagnostics: readonly Diagnostic[];
}

export interface MethodSettings {
  /** Completed data sets for mi, mmi and bmmi (per chain for bmmi). */
  readonly imputations: number;
  readonly corstr: OutcomeCorrelation;
  readonly level: number;
  readonly gibbs: GibbsSettings;
  readonly chains: number;
}

/** Normal-reference Wald inference from a single outcome fit (cca, si). */
export function singleFitEstimates(fit: OutcomeFit, level: number): { hte: Estimate; ate: Estimate } {
  return {
    hte: waldEstimate(fit.hte, Math.sqrt(fit.hteVariance), null, level),
    ate: waldEstimate(fit.ate, Math.sqrt(fit.ateVariance), null, level),
  };
}

function toEstimate(p: ReturnType<typeof pool>): Estimate {
  return {
    estimate: p.estimate,
    stdError: p.stdError,
    df: Number.isFinite(p.df) ? p.df : null,
    statistic: p.statistic,
    pValue: p.pValue,
    confLow: p.confLow,
    confHigh: p.confHigh,
  };
}

/** Rubin's rules with Barnard–Rubin df (complete-data df = clusters − 2) over the completed-data fits. */
export function pooledEstimates(
  fits: readonly OutcomeFit[],
  clusters: number,
  level: number,
): { hte: Estimate; ate: Estimate; diagnostics: readonly Diagnostic[] } {
  const dfcom = clusters - 2;
  const hte = pool(fits.map((f) => f.hte), fits.map((f) => f.hteVariance), { dfcom, level });
  const ate = pool(fits.map((f) => f.ate), fits.map((f) => f.ateVariance), { dfcom, level });
  return { hte: toEstimate(hte), ate: toEstimate(ate), diagnostics: [...hte.diagnostics, ...ate.diagnostics] };
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
    nImputations: fits.length,
    ...(convergence ? { convergence } : {}),
    diagnostics: uniqueDiagnostics([...diagnostics, ...fits.flatMap((f) => f.diagnostics), ...pooled.diagnostics]),
  };
}
