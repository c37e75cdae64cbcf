/**
 * Sample size and power for treatment-effect heterogeneity (HTE) with an
 * individual-level effect modifier in a two-arm, 1:1 cluster-randomized trial,
 * and for the average treatment effect (ATE) in the same model.
 *
 * Source: Yang S, Li F, Starks MA, Hernandez AF, Mentz RJ, Choudhury KR (2020),
 * "Sample size requirements for detecting treatment effect heterogeneity in
 * cluster randomized trials", Stat Med 39:4218–4237.
 *
 * Model (random-intercept linear mixed model, analysed by GLS / REML):
 *
 *     Y_ij = β₁ + β₂W_i + β₃x_ij + β₄W_i·x_ij + γ_i + ε_ij,
 *
 * cluster-level treatment W_i ~ Bernoulli(½) independent of the modifier x;
 * given x, the outcome has variance σ²_{y|x} and ICC ρ_y (the "adjusted"
 * outcome ICC); the modifier has variance σ²_x (p(1 − p) for a binary
 * modifier) and ICC ρ_x (its marginal within-cluster correlation; ρ_x = 1 for
 * a cluster-level modifier).
 *
 * Derivation (equal cluster size n). With V = σ²_{y|x}[(1 − ρ_y)I + ρ_y J],
 * V⁻¹ = [I − c·J] / (σ²_{y|x}(1 − ρ_y)), c = ρ_y/(1 + (n − 1)ρ_y). Centring x
 * at its mean does not change β₄ and makes the expected per-cluster
 * information E[XᵢᵀV⁻¹Xᵢ] block-diagonal between (1, W) and (x, Wx); the
 * (x, Wx) block is E[xᵢᵀV⁻¹xᵢ]·[[1, ½], [½, ½]], whose inverse has (2, 2)
 * entry 4. With E[xᵀx] = nσ²_x and E[(1ᵀx)²] = nσ²_x(1 + (n − 1)ρ_x),
 *
 *     E[xᵢᵀV⁻¹xᵢ] = nσ²_x [1 + (n − 2)ρ_y − (n − 1)ρ_xρ_y] / (σ²_{y|x}(1 − ρ_y)(1 + (n − 1)ρ_y)),
 *
 * so with m clusters Var(β̂₄) = 4σ²_{y|x}·DE_HTE / (m·n·σ²_x) and
 *
 *     DE_HTE = (1 − ρ_y)(1 + (n − 1)ρ_y) / (1 + (n − 2)ρ_y − (n − 1)ρ_xρ_y)
 *
 * (Yang et al. 2020's design effect). The (1, W) block gives the ATE
 * (β₂, the effect at the mean modifier): Var(β̂₂) = 4σ²_{y|x}(1 + (n − 1)ρ_y)/(m·n),
 * the usual design effect with the conditional variance and ICC. The tests
 * check both by building the expected information matrix numerically.
 *
 * Per-cluster information is additive over clusters, so unequal cluster
 * sizes (a list of planned sizes, equally likely) use its mean over the
 * sizes: Ī = mean_i I(n_i), I(n) = n / DE_HTE(n) (or n/(1 + (n − 1)ρ_y) for the
 * ATE), in units of σ²_x/σ²_{y|x}. Clusters per arm k = U/Ī with
 * U = 2(z₁₋α/₂ + z₁₋β)²σ²_{y|x}/(Δ²σ²_x) (ATE: σ²_x ≡ 1).
 *
 * Attrition (outcome missing completely at random, rate r, retention q = 1 − r;
 * hte-attrition.ts):
 * - `method: "binomial"` (default): a cluster planned at size n is observed at
 *   size K and contributes E[I(K)] (I(0) = 0): the GLS information averaged
 *   over the observed sizes, as in Tong J, Li F, Harhay MO, Tong G (2023),
 *   "Accounting for expected attrition in the planning of cluster randomized
 *   trials for assessing treatment effect heterogeneity", BMC Med Res
 *   Methodol 23:85. With retention indicators uncorrelated within clusters
 *   K ~ Binomial(n, q); with a missingness ICC ρ_m (`icc`) the indicators are
 *   exchangeable with that correlation and K ~ BetaBinomial(n, q(1 − ρ_m)/ρ_m,
 *   (1 − q)(1 − ρ_m)/ρ_m), which has the same mean and the variance
 *   nq(1 − q)(1 + (n − 1)ρ_m).
 * - `method: "mean-size"`: the simple inflation that replaces n by the expected
 *   retained size n·q in the design effect (documented approximation; Tong et
 *   al. report it under-powers when attrition ≥ 30%).
 * `individualsPerArm` and `clustersPerArm` count enrolled individuals.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { info, warning } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { attritionDiagnostics, checkAttrition, checkRetainedSizes, meanInformation, type AttritionSpec, type CheckedAttrition } from "./hte-attrition.ts";
import { powerFromNoncentrality, powerTwoSidedFromNoncentrality, quantileFactor, criticalValue } from "./power.ts";
import {
  ceilClusters,
  checkAlphaPower,
  checkClusterSize,
  checkEffect,
  checkIcc,
  checkInteger,
  checkOpenUnit,
  checkPositive,
} from "./validate.ts";

export type { AttritionSpec } from "./hte-attrition.ts";

/** The effect modifier: its variance (or prevalence) and its ICC ρ_x in [0, 1]. */
export type ModifierSpec =
  | { readonly type: "continuous"; readonly variance: number; readonly icc: number }
  | { readonly type: "binary"; readonly prevalence: number; readonly icc: number };

/**
 * Kernel: the HTE design effect (1 − ρ_y)(1 + (n − 1)ρ_y)/(1 + (n − 2)ρ_y − (n − 1)ρ_xρ_y)
 * (Yang et al. 2020). No validation.
 */
export function hteDesignEffectValue(clusterSize: number, outcomeIcc: number, modifierIcc: number): number {
  const n = clusterSize;
  const r = outcomeIcc;
  return ((1 - r) * (1 + (n - 1) * r)) / (1 + (n - 2) * r - (n - 1) * modifierIcc * r);
}

/** Kernel: GLS information on β₄ from one cluster of size n, in units of σ²_x/σ²_{y|x} (0 for n = 0). */
export function hteClusterInformation(clusterSize: number, outcomeIcc: number, modifierIcc: number): number {
  if (clusterSize === 0) return 0;
  return clusterSize / hteDesignEffectValue(clusterSize, outcomeIcc, modifierIcc);
}

/** Kernel: GLS information on the ATE from one cluster of size n, in units of 1/σ²_{y|x}: n/(1 + (n − 1)ρ_y). */
export function ateClusterInformation(clusterSize: number, outcomeIcc: number): number {
  return clusterSize / (1 + (clusterSize - 1) * outcomeIcc);
}

interface CommonHteInput {
  /** Variance of the outcome given the modifier, σ²_{y|x} (between- plus within-cluster). */
  readonly outcomeVariance: number;
  /** Outcome ICC given the modifier, ρ_y in [0, 1). */
  readonly outcomeIcc: number;
  /** Planned cluster size, or a list of planned sizes (equally likely) for unequal sizes. */
  readonly clusterSize: number | readonly number[];
  readonly attrition?: AttritionSpec;
  /** Two-sided significance level; default 0.05. */
  readonly alpha?: number;
}

export interface HteSampleSizeInput extends CommonHteInput {
  /** Interaction effect β₄: difference in treatment effect per unit of the modifier (binary: between modifier levels). */
  readonly delta: number;
  readonly modifier: ModifierSpec;
  /** Target power; default 0.8. */
  readonly power?: number;
}

export interface HtePowerInput extends CommonHteInput {
  readonly delta: number;
  readonly modifier: ModifierSpec;
  /** Clusters per arm (1:1 allocation). */
  readonly clustersPerArm: number;
}

export interface AteSampleSizeInput extends CommonHteInput {
  /** Average treatment effect β₂ (at the mean modifier). */
  readonly delta: number;
  readonly power?: number;
}

export interface AtePowerInput extends CommonHteInput {
  readonly delta: number;
  readonly clustersPerArm: number;
}

/** Validated inputs of an HTE or ATE calculation, echoed in results. */
export interface HteInputs {
  readonly estimand: "hte" | "ate";
  readonly delta: number;
  readonly outcomeVariance: number;
  readonly outcomeIcc: number;
  /** Modifier variance σ²_x (1 for the ATE) and ICC ρ_x (null for the ATE). */
  readonly modifierVariance: number;
  readonly modifierIcc: number | null;
  readonly modifierType: "continuous" | "binary" | null;
  readonly clusterSizes: readonly number[];
  readonly meanClusterSize: number;
  readonly attrition: CheckedAttrition | null;
  readonly alpha: number;
}

export interface HteSampleSizeResult {
  /** Enrolled individuals per arm before rounding: unadjustedPerArm × designEffect. */
  readonly individualsPerArm: number;
  /** Clusters per arm, rounded up. */
  readonly clustersPerArm: number;
  /** n̄ / Ī: variance inflation relative to individual randomization of the same enrolment without attrition. */
  readonly designEffect: number;
  /** 2(z₁₋α/₂ + z₁₋β)²σ²_{y|x}/(Δ²σ²_x): individuals per arm under individual randomization. */
  readonly unadjustedPerArm: number;
  /** Mean GLS information per cluster Ī (units σ²_x/σ²_{y|x}). */
  readonly meanInformation: number;
  /** Power with `clustersPerArm` clusters per arm. */
  readonly achievedPower: number;
  readonly inputs: HteInputs & { readonly power: number };
  readonly diagnostics: readonly Diagnostic[];
}

export interface HtePowerResult {
  /** SE of β̂₄ (or of the ATE): √(2σ²_{y|x}/(k·Ī·σ²_x)). */
  readonly standardError: number;
  readonly noncentrality: number;
  readonly criticalValue: number;
  /** One-tail power Φ(|Δ|/SE − z₁₋α/₂) (the inverse of the sample-size formula). */
  readonly power: number;
  readonly powerTwoSided: number;
  readonly designEffect: number;
  readonly meanInformation: number;
  readonly inputs: HteInputs & { readonly clustersPerArm: number };
  readonly diagnostics: readonly Diagnostic[];
}

function validateModifier(modifier: ModifierSpec): { variance: number; icc: number; type: "continuous" | "binary" } {
  if (modifier === null || typeof modifier !== "object") {
    throw new InputError(`modifier must be { type: "continuous", variance, icc } or { type: "binary", prevalence, icc }, got ${String(modifier)}`);
  }
  const icc = checkIcc(modifier.icc, "modifier.icc", true);
  if (modifier.type === "continuous") return { variance: checkPositive(modifier.variance, "modifier.variance"), icc, type: "continuous" };
  if (modifier.type === "binary") {
    const p = checkOpenUnit(modifier.prevalence, "modifier.prevalence");
    return { variance: p * (1 - p), icc, type: "binary" };
  }
  throw new InputError(`modifier.type must be "continuous" or "binary", got ${JSON.stringify((modifier as { type: unknown }).type)}`);
}

function validateCommon(
  input: CommonHteInput,
  estimand: "hte" | "ate",
  delta: unknown,
  modifier: ModifierSpec | undefined,
  diagnostics: Diagnostic[],
): HteInputs {
  const d = checkEffect(delta, "delta");
  const outcomeVariance = checkPositive(input.outcomeVariance, "outcomeVariance");
  const outcomeIcc = checkIcc(input.outcomeIcc, "outcomeIcc");
  const alpha = checkOpenUnit(input.alpha ?? 0.05, "alpha");
  const attrition = checkAttrition(input.attrition);
  const raw = input.clusterSize;
  const list: readonly unknown[] = typeof raw === "number" ? [raw] : Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new InputError("clusterSize list is empty");
  const integer = attrition !== null && attrition.rate > 0 && attrition.method === "binomial";
  const clusterSizes = list.map((v, i) =>
    checkClusterSize(v, typeof raw === "number" ? "clusterSize" : `clusterSize[${i}]`, integer),
  );
  checkRetainedSizes(clusterSizes, attrition);
  const meanClusterSize = clusterSizes.reduce((s, n) => s + n, 0) / clusterSizes.length;
  let modifierVariance = 1;
  let modifierIcc: number | null = null;
  let modifierType: HteInputs["modifierType"] = null;
  if (estimand === "hte") {
    const m = validateModifier(modifier as ModifierSpec);
    modifierVariance = m.variance;
    modifierIcc = m.icc;
    modifierType = m.type;
    if (m.type === "binary") {
      diagnostics.push(info("binary-modifier", `binary modifier with prevalence ${(modifier as { prevalence: number }).prevalence}: σ²_x = p(1 − p) = ${m.variance}`));
    }
    if (m.icc === 1) {
      diagnostics.push(info("cluster-level-modifier", "modifier ICC 1 (cluster-level modifier): the HTE design effect reduces to 1 + (n − 1)ρ_y"));
    }
  }
  attritionDiagnostics(attrition, diagnostics);
  return {
    estimand,
    delta: d,
    outcomeVariance,
    outcomeIcc,
    modifierVariance,
    modifierIcc,
    modifierType,
    clusterSizes: Object.freeze(clusterSizes),
    meanClusterSize,
    attrition,
    alpha,
  };
}

function informationOf(v: HteInputs): number {
  const rho = v.outcomeIcc;
  const rhoX = v.modifierIcc;
  const per = v.estimand === "hte" ? (n: number) => hteClusterInformation(n, rho, rhoX as number) : (n: number) => ateClusterInformation(n, rho);
  return meanInformation(v.clusterSizes, v.attrition, per);
}

function fewClusters(k: number, diagnostics: Diagnostic[]): void {
  if (k < 10) {
    diagnostics.push(
      warning("few-clusters", `only ${k} clusters per arm: the normal approximation behind this formula is optimistic with so few clusters`),
    );
  }
}

function sampleSizeFor(v: HteInputs, target: number, diagnostics: Diagnostic[]): HteSampleSizeResult {
  const unadjusted = (2 * quantileFactor(v.alpha, target, null) * v.outcomeVariance) / (v.delta * v.delta * v.modifierVariance);
  const info = informationOf(v);
  const k = ceilClusters(unadjusted / info);
  fewClusters(k, diagnostics);
  const se = Math.sqrt((2 * v.outcomeVariance) / (k * info * v.modifierVariance));
  return Object.freeze({
    individualsPerArm: (unadjusted * v.meanClusterSize) / info,
    clustersPerArm: k,
    designEffect: v.meanClusterSize / info,
    unadjustedPerArm: unadjusted,
    meanInformation: info,
    achievedPower: powerFromNoncentrality(Math.abs(v.delta) / se, v.alpha, null),
    inputs: Object.freeze({ ...v, power: target }),
    diagnostics: Object.freeze(diagnostics),
  });
}

function powerFor(v: HteInputs, k: number, diagnostics: Diagnostic[]): HtePowerResult {
  const info = informationOf(v);
  fewClusters(k, diagnostics);
  const se = Math.sqrt((2 * v.outcomeVariance) / (k * info * v.modifierVariance));
  const ncp = Math.abs(v.delta) / se;
  return Object.freeze({
    standardError: se,
    noncentrality: ncp,
    criticalValue: criticalValue(v.alpha, null),
    power: powerFromNoncentrality(ncp, v.alpha, null),
    powerTwoSided: powerTwoSidedFromNoncentrality(ncp, v.alpha, null),
    designEffect: v.meanClusterSize / info,
    meanInformation: info,
    inputs: Object.freeze({ ...v, clustersPerArm: k }),
    diagnostics: Object.freeze(diagnostics),
  });
}

/**
 * Clusters and individuals per arm to detect the interaction β₄ (Yang et al. 2020).
 *
 * @example
 * hteSampleSize({ delta: 0.2, outcomeVariance: 1, outcomeIcc: 0.05, clusterSize: 20,
 *   modifier: { type: "continuous", variance: 1, icc: 0.1 } });
 * // designEffect = 0.95·1.95/(1 + 18·0.05 − 19·0.1·0.05) ≈ 1.0263, clustersPerArm 21
 */
export function hteSampleSize(input: HteSampleSizeInput): HteSampleSizeResult {
  const diagnostics: Diagnostic[] = [];
  const v = validateCommon(input, "hte", input.delta, input.modifier, diagnostics);
  const { power } = checkAlphaPower(v.alpha, input.power ?? 0.8);
  return sampleSizeFor(v, power, diagnostics);
}

/** Power to detect the interaction β₄ with `clustersPerArm` clusters per arm. */
export function htePower(input: HtePowerInput): HtePowerResult {
  const diagnostics: Diagnostic[] = [];
  const v = validateCommon(input, "hte", input.delta, input.modifier, diagnostics);
  return powerFor(v, checkInteger(input.clustersPerArm, "clustersPerArm", 1), diagnostics);
}

/** Clusters and individuals per arm for the ATE in the same covariate-adjusted model (conditional variance and ICC). */
export function ateSampleSize(input: AteSampleSizeInput): HteSampleSizeResult {
  const diagnostics: Diagnostic[] = [];
  const v = validateCommon(input, "ate", input.delta, undefined, diagnostics);
  const { power } = checkAlphaPower(v.alpha, input.power ?? 0.8);
  return sampleSizeFor(v, power, diagnostics);
}

/** Power for the ATE in the same model. */
export function atePower(input: AtePowerInput): HtePowerResult {
  const diagnostics: Diagnostic[] = [];
  const v = validateCommon(input, "ate", input.delta, undefined, diagnostics);
  return powerFor(v, checkInteger(input.clustersPerArm, "clustersPerArm", 1), diagnostics);
}
