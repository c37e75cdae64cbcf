/**
 * The missingness that the impose-missingness scenario puts on the modifier
 * of a complete trial, after the data application of Blette et al. (2023)
 * (the Work, Family, and Health Study), with X₁, X₂ the covariates:
 *
 *   mcar         P(M missing) = p in every row
 *   mar          logit P(M missing) = γ₀ + b_Y·Y + b₁·X₁ + b₂·X₂
 *   mar-cluster  logit P(M missing) = γ₀ + b_Y·Y + b₁·X₁ + b₂·X₂
 *                  + b_Y1·Y·X₁ + b_Y2·Y·X₂ + b_Y12·Y·X₁·X₂ + ζᵢ,
 *                ζᵢ ~ N(0, (π²/3)·ρ/(1 − ρ)) per cluster (latent-scale ICC ρ)
 *
 * The paper writes the models for P(observed): 2 + 0.5·TA − 0.6·C − 0.3·J,
 * and in the third scenario also + 0.05·TA·C − 0.15·TA·J + 0.1·TA·C·J + ζ with
 * ρ = 0.1 (TA the outcome; C, J the 0/1 indicators "control of schedule ≥ 4"
 * and "job autonomy ≥ 4"). The defaults are these coefficients with the sign
 * turned (missing = not observed): b_Y = −0.5, b₁ = 0.6, b₂ = 0.3,
 * b_Y1 = −0.05, b_Y2 = 0.15, b_Y12 = −0.1. Variables enter as they are in the
 * file; terms of a covariate not given drop out. Instead of the paper's
 * intercept (which gave "about 20%"), γ₀ is calibrated so that the expected
 * share of missing values over the rows (and ζ) is exactly p.
 */
import { expit } from "../../core/math.ts";
import { gaussHermite } from "../../models/glmm/gauss-hermite.ts";
import type { Rng } from "../../random/rng.ts";
import { bernoulli } from "../../random/samplers.ts";
import type { CompleteTrial } from "./impose-missingness-data.ts";
import { latentInterceptVariance } from "./missing-modifier.ts";

export const MECHANISMS = ["mcar", "mar", "mar-cluster"] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/** Coefficients on the logit of P(M missing). */
export interface MissingnessCoefficients {
  readonly y: number;
  readonly x1: number;
  readonly x2: number;
  readonly yx1: number;
  readonly yx2: number;
  readonly yx1x2: number;
}

/** The paper's coefficients, turned from P(observed) to P(missing). */
export const PAPER_COEFFICIENTS: MissingnessCoefficients = { y: -0.5, x1: 0.6, x2: 0.3, yx1: -0.05, yx2: 0.15, yx1x2: -0.1 };

export interface MissingnessModel {
  readonly mechanism: Mechanism;
  /** Expected share of modifier values made missing, in (0, 1). */
  readonly share: number;
  readonly coefficients: MissingnessCoefficients;
  /** Latent-scale ICC of the cluster random intercept ζ (mar-cluster). */
  readonly icc: number;
}

/** A mechanism fitted to a trial: P(missing) of row j is expit(intercept + eta[j] + ζ of its cluster). */
export interface CalibratedMissingness {
  readonly model: MissingnessModel;
  readonly intercept: number;
  readonly eta: Float64Array;
  /** SD of ζ (0 unless mar-cluster). */
  readonly interceptSd: number;
}

/** The linear predictor of each row without γ₀ and ζ (zero for mcar). */
export function missingnessLinearPredictor(trial: CompleteTrial, model: MissingnessModel): Float64Array {
  const { data, roles } = trial;
  const eta = new Float64Array(data.nRows);
  if (model.mechanism === "mcar") return eta;
  const column = (name: string | undefined): Float64Array | null => {
    const col = name === undefined ? undefined : data.columns.get(name);
    return col?.kind === "numeric" ? col.values : null;
  };
  const y = column(roles.outcome)!;
  const x1 = column(roles.covariates[0]);
  const x2 = column(roles.covariates[1]);
  const b = model.coefficients;
  const interactions = model.mechanism === "mar-cluster";
  for (let j = 0; j < eta.length; j++) {
    let e = b.y * y[j];
    if (x1) e += b.x1 * x1[j] + (interactions ? b.yx1 * y[j] * x1[j] : 0);
    if (x2) e += b.x2 * x2[j] + (interactions ? b.yx2 * y[j] * x2[j] : 0);
    if (x1 && x2 && interactions) e += b.yx1x2 * y[j] * x1[j] * x2[j];
    eta[j] = e;
  }
  return eta;
}

// E[expit(a + σZ)], Z ~ N(0, 1), by a 40-point Gauss–Hermite rule (the integrand is smooth: error far below 1e-10).
const RULE = gaussHermite(40);

/** Expected share of missing values: the mean over rows of E[expit(γ₀ + ηⱼ + σZ)], with its derivative in γ₀. */
export function expectedMissingShare(intercept: number, eta: ArrayLike<number>, sd: number): { share: number; slope: number } {
  const nodes = sd === 0 ? [0] : RULE.nodes;
  const weights = sd === 0 ? [1] : RULE.weights;
  let share = 0;
  let slope = 0;
  for (let j = 0; j < eta.length; j++) {
    for (let k = 0; k < nodes.length; k++) {
      const p = expit(intercept + eta[j] + sd * nodes[k]);
      share += weights[k] * p;
      slope += weights[k] * p * (1 - p);
    }
  }
  return { share: share / eta.length, slope: slope / eta.length };
}

/** γ₀ with expected missing share `share`: Newton steps kept inside a shrinking bracket (the share increases with γ₀). */
export function calibrateIntercept(eta: ArrayLike<number>, sd: number, share: number): number {
  const target = Math.log(share / (1 - share));
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < eta.length; j++) {
    min = Math.min(min, eta[j]);
    max = Math.max(max, eta[j]);
  }
  // Every quadrature point lies below (above) the target logit at the lower (upper) end.
  const spread = sd * RULE.nodes[RULE.nodes.length - 1] + 1;
  let lo = target - max - spread;
  let hi = target - min + spread;
  let g = target - (min + max) / 2;
  for (let iter = 0; iter < 200; iter++) {
    const { share: s, slope } = expectedMissingShare(g, eta, sd);
    const f = s - share;
    if (Math.abs(f) < 1e-14) break;
    if (f < 0) lo = g;
    else hi = g;
    const newton = g - f / slope;
    g = newton > lo && newton < hi ? newton : (lo + hi) / 2;
    if (hi - lo < 1e-13) break;
  }
  return g;
}

/** The mechanism of `model` calibrated on `trial`. */
export function calibrateMissingness(trial: CompleteTrial, model: MissingnessModel): CalibratedMissingness {
  const eta = missingnessLinearPredictor(trial, model);
  const interceptSd = model.mechanism === "mar-cluster" ? Math.sqrt(latentInterceptVariance(model.icc)) : 0;
  const intercept = model.mechanism === "mcar" ? Math.log(model.share / (1 - model.share)) : calibrateIntercept(eta, interceptSd, model.share);
  return { model, intercept, eta, interceptSd };
}

/**
 * The modifier with imposed missing values (NaN). Draws: for mar-cluster, ζ
 * of each cluster first (in order of first appearance), then one Bernoulli
 * draw per row in file order.
 */
export function imposeMissingness(trial: CompleteTrial, mechanism: CalibratedMissingness, rng: Rng): Float64Array {
  const { data, roles, clusterOfRow, nClusters } = trial;
  const col = data.columns.get(roles.modifier);
  if (col?.kind !== "numeric") throw new Error(`modifier '${roles.modifier}' is not numeric`);
  const zeta = new Float64Array(nClusters);
  if (mechanism.interceptSd > 0) for (let c = 0; c < nClusters; c++) zeta[c] = mechanism.interceptSd * rng.normal();
  const out = new Float64Array(col.values);
  for (let j = 0; j < out.length; j++) {
    if (bernoulli(rng, expit(mechanism.intercept + mechanism.eta[j] + zeta[clusterOfRow[j]])) === 1) out[j] = NaN;
  }
  return out;
}
