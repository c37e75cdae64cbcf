/**
 * The `crtkit analyze` JSON result as the report reads it (docs/cli.md,
 * "Missing effect modifier analysis"): the fields the contract fixes, and
 * those it may carry (pooling records, further settings) as optional.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { EstimateJson } from "./common.ts";

/** mice's names: m imputations, within/between/total variance, df, relative increase in variance, λ, fraction of missing information. */
export interface PoolingJson {
  readonly m: number;
  readonly ubar?: number | null;
  readonly b?: number | null;
  readonly t?: number | null;
  readonly dfcom?: number | null;
  readonly df?: number | null;
  readonly riv: number | null;
  readonly lambda: number | null;
  readonly fmi: number | null;
}

export interface ConvergenceJson {
  readonly chains: number;
  readonly iterations: number;
  readonly parameters: readonly { readonly name: string; readonly ess: number | null; readonly rhat: number | null }[];
}

/** The joint test of a categorical modifier's contrasts (F scale; df2 null for the χ² reference). */
export interface HteTestJson {
  readonly statistic: number | null;
  readonly df1: number;
  readonly df2: number | null;
  readonly pValue: number | null;
  readonly method: "wald" | "D1";
}

export interface AnalyzeResultJson {
  readonly method: string;
  readonly imputationModel: string | null;
  /** smc: its substantive model. */
  readonly substantiveModel?: string;
  readonly hte: EstimateJson;
  /** A categorical modifier: every treatment-by-level contrast, and their joint test. */
  readonly hteTerms?: readonly ({ readonly term: string } & EstimateJson)[];
  readonly hteTest?: HteTestJson | null;
  readonly ate: EstimateJson;
  readonly nImputations: number;
  readonly convergence?: ConvergenceJson;
  readonly pooling?: { readonly hte?: PoolingJson; readonly ate?: PoolingJson };
  readonly diagnostics: readonly Diagnostic[];
}

export interface AnalyzeJson {
  readonly data: {
    readonly nObs: number;
    readonly nClusters: number;
    readonly nMissing: number;
    readonly nDropped?: number;
    readonly modifierType?: string;
    /** A categorical modifier's levels (the first is the reference). */
    readonly modifierLevels?: readonly string[];
    readonly missingByCluster: readonly { readonly cluster: string; readonly n: number; readonly nMissing: number }[];
  };
  readonly results: readonly AnalyzeResultJson[];
  readonly seed?: number;
  readonly settings?: {
    readonly imputations?: number;
    readonly burnin?: number;
    readonly thin?: number;
    readonly chains?: number;
    readonly priorVariance?: number;
    readonly corstr?: string;
    readonly level?: number;
    readonly [setting: string]: unknown;
  };
  readonly diagnostics: readonly Diagnostic[];
}

/** Short and long names of the methods, as the report writes them. */
export const METHOD_LABELS: Readonly<Record<string, readonly [string, string]>> = {
  cca: ["CCA", "complete-case analysis"],
  si: ["SI", "single imputation"],
  mi: ["MI", "multiple imputation"],
  mmi: ["MMI", "multilevel multiple imputation"],
  bmmi: ["B-MMI", "Bayesian multilevel multiple imputation"],
  smc: ["SMC", "substantive-model-compatible multilevel imputation"],
  indicator: ["Indicator", "missing-indicator analysis"],
};

export function methodLabel(method: string): string {
  return METHOD_LABELS[method]?.[0] ?? method;
}

export function methodName(method: string): string {
  return METHOD_LABELS[method]?.[1] ?? method;
}

/** "B-MMI [M ~ X1*A*Y]", or "CCA" for an analysis without imputation model. */
export function resultLabel(r: Pick<AnalyzeResultJson, "method" | "imputationModel">): string {
  return r.imputationModel ? `${methodLabel(r.method)} [${r.imputationModel}]` : methodLabel(r.method);
}
