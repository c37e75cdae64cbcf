/**
 * Sensitivity of the missing-modifier analysis to its assumptions: a
 * pattern-mixture δ grid away from MAR (mnar.ts) with the tipping points
 * where a 95% interval starts (or stops) containing the null, clusters with
 * much missingness left out, other priors on the B-MMI random-intercept
 * precision, and imputation stratified by a cluster-level column
 * (sensitivity-variants.ts). Every run is an ordinary analysis with the same
 * seed, so the δ = 0 run is `analyze` bit for bit. The analysis function is
 * passed in, so this module runs anywhere (threads are the caller's choice).
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Estimate } from "../core/records.ts";
import type { Dataset } from "../data/dataset.ts";
import type { AnalysisResult, AnalyzeOptions } from "./analyze.ts";
import { failed } from "./methods.ts";
import { uniqueDiagnostics, usesImputationModel, type MethodName, type MethodResult } from "./result.ts";
import { splitImputationModels } from "./smc/covariate-models.ts";
import { checkClusterLevel, excludeHighMissingness, parseTauPrior, stratifiedFormula, stratifyDiagnostic } from "./sensitivity-variants.ts";

export type SensitivityKind = "delta" | "exclude" | "tau-prior" | "stratify";
/** Which arm's missing modifiers the δ grid shifts. */
export const DELTA_ARMS = ["both", "treated", "control"] as const;
export type DeltaArm = (typeof DELTA_ARMS)[number];

export interface SensitivityOptions extends AnalyzeOptions {
  /** The δ grid (default −2, −1, 0, 1, 2; 0 is always run, as the reference). */
  readonly deltas?: readonly number[];
  readonly deltaArm?: DeltaArm;
  readonly excludeMissingAbove?: number;
  /** Priors on τ as written, e.g. ["gamma(0.01,0.01)", "gamma(1,1)"]. */
  readonly tauPriors?: readonly string[];
  readonly stratifyBy?: string;
  /** Bisection steps refining each tipping point between grid values (default 8). */
  readonly bisectionSteps?: number;
}

export interface SensitivityAnalysis {
  readonly kind: SensitivityKind;
  readonly setting: number | string;
  readonly method: MethodName;
  readonly imputationModel: string | null;
  readonly hte: Estimate;
  readonly ate: Estimate;
  readonly meanImputed: number | null;
  readonly nClusters: number;
  readonly nObs: number;
}

export interface TippingPoint {
  readonly method: MethodName;
  readonly imputationModel: string | null;
  readonly estimand: "hte" | "ate";
  /** Smallest |δ| at which the interval's verdict on the null changes; null if it does not on the grid. */
  readonly delta: number | null;
}

export interface SensitivityResult {
  readonly analyses: readonly SensitivityAnalysis[];
  readonly tippingPoint: readonly TippingPoint[];
  /** The δ = 0 analysis (as `analyze` gives it). */
  readonly reference: AnalysisResult;
  readonly diagnostics: readonly Diagnostic[];
}

export type Analyze = (data: Dataset, options: AnalyzeOptions) => Promise<AnalysisResult> | AnalysisResult;

const DEFAULT_DELTAS = [-2, -1, 0, 1, 2];
/** The methods whose imputed draws δ shifts. */
export const DELTA_METHODS: readonly MethodName[] = ["si", "mi", "mmi", "bmmi", "smc"];
/** Methods with a random-intercept precision τ whose prior --tau-prior replaces (smc: its modifier model's). */
const TAU_METHODS: readonly MethodName[] = ["bmmi", "smc"];

function shiftOptions(options: SensitivityOptions, delta: number): Partial<AnalyzeOptions> {
  const arm = options.deltaArm ?? "both";
  if (arm === "both") return { delta };
  return { deltaBy: { treated: arm === "treated" ? delta : 0, control: arm === "control" ? delta : 0 } };
}

function rows(kind: SensitivityKind, setting: number | string, result: AnalysisResult): SensitivityAnalysis[] {
  return result.results.map((r) => ({
    kind,
    setting,
    method: r.method,
    imputationModel: r.imputationModel,
    hte: r.hte,
    ate: r.ate,
    meanImputed: r.meanImputed ?? null,
    nClusters: result.data.nClusters,
    nObs: result.data.nObs,
  }));
}

/** Warnings and errors of every run, each said with the run it came from. */
function runDiagnostics(kind: SensitivityKind, setting: number | string, result: AnalysisResult): Diagnostic[] {
  return result.results.flatMap((r) =>
    r.diagnostics
      .filter((d) => d.severity !== "info")
      .map((d) => ({ ...d, message: `${kind} ${setting}, ${r.method}${r.imputationModel ? ` [${r.imputationModel}]` : ""}: ${d.message}` })),
  );
}

/**
 * @example
 * const s = await sensitivityAnalysis(data, { ...analyzeOptions, deltas: [-1, 0, 1] }, analyzeMissingModifier);
 */
export async function sensitivityAnalysis(data: Dataset, options: SensitivityOptions, analyze: Analyze): Promise<SensitivityResult> {
  const deltas = [...new Set([0, ...(options.deltas ?? DEFAULT_DELTAS)])].sort((a, b) => a - b);
  for (const d of deltas) if (!Number.isFinite(d)) throw new InputError(`--delta: ${d} is not a finite number`);
  // smc runs only when named (it needs a substantive model), as in analyze.
  const requested = options.methods ?? DELTA_METHODS.filter((m) => m !== "smc");
  const methods = requested.filter((m) => DELTA_METHODS.includes(m));
  const skipped = requested.filter((m) => !DELTA_METHODS.includes(m));
  if (methods.length === 0) {
    throw new InputError(`the δ analyses need an imputing method (${DELTA_METHODS.join(", ")}); --methods gives ${requested.join(",")}${skipped.length > 0 ? `: ${notShifted(skipped)}` : ""}`);
  }
  const priors = (options.tauPriors ?? []).map(parseTauPrior);
  if (options.stratifyBy !== undefined) checkClusterLevel(data, options.cluster, options.stratifyBy);

  const analyses: SensitivityAnalysis[] = [];
  const diagnostics: Diagnostic[] = [];
  const byDelta = new Map<number, AnalysisResult>();
  for (const delta of deltas) {
    const result = await analyze(data, { ...options, methods, ...shiftOptions(options, delta) });
    byDelta.set(delta, result);
    analyses.push(...rows("delta", delta, result));
    diagnostics.push(...runDiagnostics("delta", delta, result));
  }
  const reference = byDelta.get(0)!;
  const covariateFormulas = splitImputationModels(options.imputation, options, methods.includes("smc")).covariateModels;
  const nullOf = (estimand: "hte" | "ate") => (estimand === "ate" && reference.outcome.ateScale !== "rd" ? 1 : 0);
  const tippingPoint: TippingPoint[] = [];
  for (const r of reference.results) {
    for (const estimand of ["hte", "ate"] as const) {
      // smc keeps its covariate models: they belong to every smc analysis.
      const imputation = [r.imputationModel!, ...(r.method === "smc" ? covariateFormulas : [])];
      const one = async (delta: number): Promise<MethodResult> =>
        (await analyze(data, { ...options, methods: [r.method], imputation, ...shiftOptions(options, delta) })).results[0];
      const gridResult = (delta: number) => byDelta.get(delta)!.results.find((x) => x.method === r.method && x.imputationModel === r.imputationModel)!;
      tippingPoint.push({
        method: r.method,
        imputationModel: r.imputationModel,
        estimand,
        delta: await tipping(deltas, gridResult, one, estimand, nullOf(estimand), options.bisectionSteps ?? 8),
      });
    }
  }

  if (options.excludeMissingAbove !== undefined) {
    const kept = excludeHighMissingness(data, options, options.excludeMissingAbove);
    diagnostics.push(kept.diagnostic);
    const result = await analyze(kept.data, options);
    analyses.push(...rows("exclude", options.excludeMissingAbove, result));
    diagnostics.push(...runDiagnostics("exclude", options.excludeMissingAbove, result));
  }
  // B-MMI always (as before); smc too when it is among the methods.
  const tauMethods = TAU_METHODS.filter((m) => m === "bmmi" || methods.includes(m));
  for (const prior of priors) {
    // smc's samplers take the Gamma prior only; a half-normal one is B-MMI's.
    const priorMethods = "halfNormal" in prior ? tauMethods.filter((m) => m !== "smc") : tauMethods;
    // Without smc, its substantive and covariate models have no method to serve.
    const withoutSmc = priorMethods.includes("smc") ? {} : { substantive: undefined, imputation: options.imputation.filter((f) => !covariateFormulas.includes(f)) };
    const result = await analyze(data, { ...options, methods: priorMethods, tauPrior: prior, ...withoutSmc });
    analyses.push(...rows("tau-prior", prior.label, result));
    diagnostics.push(...runDiagnostics("tau-prior", prior.label, result));
  }
  if (options.stratifyBy !== undefined) {
    const column = options.stratifyBy;
    const result = await analyze(data, { ...options, methods, imputation: options.imputation.map((f) => stratifiedFormula(f, column)) });
    diagnostics.push(stratifyDiagnostic(column));
    analyses.push(...rows("stratify", column, result));
    diagnostics.push(...runDiagnostics("stratify", column, result));
  }
  diagnostics.unshift(
    info(
      "delta-adjustment",
      `δ shifts the imputation model's ${reference.data.modifierType === "binary" ? "logit" : "mean"} for the missing modifiers ` +
        `${options.deltaArm === undefined || options.deltaArm === "both" ? "of both arms" : `of the ${options.deltaArm} arm only`}; ` +
        "the B-MMI chains update the imputation model as under MAR and shift only the imputed draws" +
        (methods.includes("smc")
          ? "; smc shifts the modifier model inside each missing value's full conditional, the draw ∝ p(Y | M, …)·p_δ(M | …), and updates both models from those draws (δ an offset of the modifier model)"
          : "") +
        "; δ = 0 is the MAR analysis",
    ),
  );
  if (skipped.length > 0) {
    diagnostics.push(info("delta-methods-skipped", `${notShifted(skipped)}, so the δ grid leaves ${skipped.length > 1 ? "them" : "it"} out${options.excludeMissingAbove !== undefined ? " (the exclude analysis runs every method)" : ""}`));
  }
  if (tippingPoint.some((t) => t.delta === null)) {
    diagnostics.push(info("no-tipping-point", `a null tippingPoint: the interval's verdict on the null does not change for δ anywhere in [${deltas[0]}, ${deltas.at(-1)}]`));
  }
  return { analyses, tippingPoint, reference, diagnostics: uniqueDiagnostics([...reference.diagnostics, ...diagnostics]) };
}

/** Why a method has no δ analysis: δ shifts imputed draws, which cca and indicator do not make. */
function notShifted(methods: readonly MethodName[]): string {
  return methods
    .map((m) => (usesImputationModel(m) ? `${m} has no δ-adjustment` : `${m} imputes nothing for δ to shift`))
    .join("; ");
}

const excludes = (e: Estimate, nullValue: number): boolean | null =>
  Number.isFinite(e.confLow) && Number.isFinite(e.confHigh) ? !(e.confLow <= nullValue && nullValue <= e.confHigh) : null;

/**
 * The smallest |δ| at which the interval's verdict on the null differs from
 * its verdict at δ = 0: the first grid value on each side where it differs,
 * then bisection between it and its neighbour towards 0.
 */
async function tipping(
  deltas: readonly number[],
  atGrid: (delta: number) => MethodResult,
  at: (delta: number) => Promise<MethodResult>,
  estimand: "hte" | "ate",
  nullValue: number,
  steps: number,
): Promise<number | null> {
  const base = atGrid(0);
  if (failed(base)) return null;
  const verdict0 = excludes(base[estimand], nullValue);
  if (verdict0 === null) return null;
  const zero = deltas.indexOf(0);
  const found: number[] = [];
  for (const direction of [1, -1]) {
    for (let i = zero + direction; i >= 0 && i < deltas.length; i += direction) {
      const v = excludes(atGrid(deltas[i])[estimand], nullValue);
      if (v === null || v === verdict0) continue;
      let inside = deltas[i - direction];
      let outside = deltas[i];
      for (let s = 0; s < steps; s++) {
        const mid = (inside + outside) / 2;
        if (excludes((await at(mid))[estimand], nullValue) === verdict0) inside = mid;
        else outside = mid;
      }
      found.push(outside);
      break;
    }
  }
  if (found.length === 0) return null;
  return found.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
}

