/**
 * Design matrices of the working models (Li et al. 2025, §3.3) and the per-cluster
 * predictions under A = 1 and A = 0 that standardization averages.
 *
 * - cluster level (Example 3.1, eq. 8): one row per cluster,
 *   [1, A_i, X̄_i, H_i];
 * - individual level (contextual-effect model, eqs. 10, 11, 13, 14): one row
 *   per individual, [1, A_i, X_ij − X̄_i, X̄_i, H_i], so each individual
 *   covariate enters through its within-cluster deviation and its cluster mean.
 *
 * The treatment is always column 1. Predictions set it to 1 and 0:
 * η_ij(a) = lin_ij + a·β_A with lin_ij = x_ijᵀβ − A_i·β_A.
 */
import { InputError } from "../core/errors.ts";
import type { MrsData } from "./data.ts";
import type { TreatmentCoefficient } from "./working-model.ts";

/** Column of the treatment in every working design. */
export const TREATMENT_COLUMN = 1;

/** The working model's treatment coefficient (column TREATMENT_COLUMN) with its SE from a p×p covariance. */
export function treatmentCoefficient(
  terms: readonly string[],
  beta: ArrayLike<number>,
  covariance: ArrayLike<number>,
  p: number,
  se: TreatmentCoefficient["se"],
  scale: string,
): TreatmentCoefficient {
  return Object.freeze({
    term: terms[TREATMENT_COLUMN],
    estimate: beta[TREATMENT_COLUMN],
    stdError: Math.sqrt(covariance[TREATMENT_COLUMN * p + TREATMENT_COLUMN]),
    se,
    scale,
  });
}

export interface WorkingDesign {
  /** Row-major rows × p. */
  readonly x: Float64Array;
  readonly rows: number;
  readonly p: number;
  readonly columnNames: readonly string[];
}

/** [1, A_i, X̄_i, H_i] per cluster (m rows). */
export function clusterDesign(d: MrsData): WorkingDesign {
  const m = d.nClusters;
  const q = d.individualNames.length;
  const h = d.clusterNames.length;
  const p = 2 + q + h;
  const x = new Float64Array(m * p);
  for (let c = 0; c < m; c++) {
    const o = c * p;
    x[o] = 1;
    x[o + 1] = d.treated[c];
    for (let k = 0; k < q; k++) x[o + 2 + k] = d.individualMeans[c * q + k];
    for (let k = 0; k < h; k++) x[o + 2 + q + k] = d.clusterCovariates[c * h + k];
  }
  return {
    x,
    rows: m,
    p,
    columnNames: Object.freeze(["(Intercept)", d.treatment, ...d.individualNames, ...d.clusterNames]),
  };
}

/**
 * [1, A_i, X_ij − X̄_i, X̄_i, H_i] per individual (n rows). Refuses an
 * individual covariate whose within-cluster deviation is 0 on every row (it
 * is a cluster-level covariate: it belongs inside cluster(...)).
 */
export function individualDesign(d: MrsData): WorkingDesign {
  const n = d.nObs;
  const m = d.nClusters;
  const q = d.individualNames.length;
  const h = d.clusterNames.length;
  const p = 2 + 2 * q + h;
  const x = new Float64Array(n * p);
  const spread = new Float64Array(q);
  for (let c = 0; c < m; c++) {
    for (let r = d.starts[c]; r < d.starts[c + 1]; r++) {
      const o = r * p;
      x[o] = 1;
      x[o + 1] = d.treated[c];
      for (let k = 0; k < q; k++) {
        const mean = d.individualMeans[c * q + k];
        const dev = d.individual[r * q + k] - mean;
        x[o + 2 + k] = dev;
        x[o + 2 + q + k] = mean;
        const a = Math.abs(dev);
        if (a > spread[k]) spread[k] = a;
      }
      for (let k = 0; k < h; k++) x[o + 2 + 2 * q + k] = d.clusterCovariates[c * h + k];
    }
  }
  for (let k = 0; k < q; k++) {
    let scale = 0;
    for (let c = 0; c < m; c++) scale = Math.max(scale, Math.abs(d.individualMeans[c * q + k]));
    if (!(spread[k] > 1e-12 * Math.max(1, scale))) {
      throw new InputError(
        `individual covariate '${d.individualNames[k]}' does not vary within any cluster, so its within-cluster deviation is 0 on every row; ` +
          `list it inside cluster(...)`,
      );
    }
  }
  return {
    x,
    rows: n,
    p,
    columnNames: Object.freeze([
      "(Intercept)",
      d.treatment,
      ...d.individualNames.map((s) => `within(${s})`),
      ...d.individualNames.map((s) => `mean(${s})`),
      ...d.clusterNames,
    ]),
  };
}

/** How predictions on the linear-predictor scale map to means. */
export type MeanMap =
  | { readonly kind: "identity" }
  | { readonly kind: "expit"; readonly divisor: number }
  | { readonly kind: "exp"; readonly shift: number };

/**
 * Per-cluster means of g⁻¹(η_ij(a)) for a = 1 (into eta1) and a = 0 (eta0),
 * for every cluster except `skip` (−1: none; its entries are set to NaN).
 * `rows` = m for a cluster-level design, n for an individual-level one.
 * - identity: mean of η; expit: mean of expit(η / divisor) (divisor 1 for a
 *   plain logit link, √(1 + 3σ²/π²) for the marginalized GLMM);
 * - exp: mean of exp(η + shift) (shift σ²/2 for the log-link GLMM).
 */
export function predictClusters(
  x: Float64Array,
  p: number,
  beta: ArrayLike<number>,
  starts: Int32Array | null,
  m: number,
  map: MeanMap,
  skip: number,
  eta1: Float64Array,
  eta0: Float64Array,
): void {
  const bA = beta[TREATMENT_COLUMN];
  for (let c = 0; c < m; c++) {
    if (c === skip) {
      eta1[c] = NaN;
      eta0[c] = NaN;
      continue;
    }
    const r0 = starts ? starts[c] : c;
    const r1 = starts ? starts[c + 1] : c + 1;
    let s1 = 0;
    let s0 = 0;
    for (let r = r0; r < r1; r++) {
      const o = r * p;
      let lin = x[o] * beta[0];
      for (let j = 2; j < p; j++) lin += x[o + j] * beta[j];
      const e1 = lin + bA;
      switch (map.kind) {
        case "identity":
          s1 += e1;
          s0 += lin;
          break;
        case "expit":
          s1 += 1 / (1 + Math.exp(-e1 / map.divisor));
          s0 += 1 / (1 + Math.exp(-lin / map.divisor));
          break;
        case "exp":
          s1 += Math.exp(e1 + map.shift);
          s0 += Math.exp(lin + map.shift);
          break;
      }
    }
    eta1[c] = s1 / (r1 - r0);
    eta0[c] = s0 / (r1 - r0);
  }
}

/**
 * Copies the rows of every cluster except `skip` into `xOut`/`yOut` and their
 * boundaries into `startsOut` (length m); returns the number of rows copied.
 */
export function leaveClusterOut(
  x: Float64Array,
  p: number,
  y: Float64Array,
  starts: Int32Array,
  skip: number,
  xOut: Float64Array,
  yOut: Float64Array,
  startsOut: Int32Array,
): number {
  const m = starts.length - 1;
  const a = starts[skip];
  const b = starts[skip + 1];
  const n = starts[m];
  xOut.set(x.subarray(0, a * p), 0);
  xOut.set(x.subarray(b * p, n * p), a * p);
  yOut.set(y.subarray(0, a), 0);
  yOut.set(y.subarray(b, n), a);
  const len = b - a;
  for (let c = 0, k = 0; c <= m; c++) {
    if (c === skip) continue;
    startsOut[k++] = c < skip ? starts[c] : starts[c] - len;
  }
  return n - len;
}
