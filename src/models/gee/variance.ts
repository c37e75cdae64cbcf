/**
 * Covariance matrices of GEE coefficients, evaluated at (β, α, φ):
 *
 * - model ("naive"):  A = (Σ Bᵢ)⁻¹,  Bᵢ = DᵢᵀVᵢ⁻¹Dᵢ,  Vᵢ = φ·Aᵢ^{1/2}Rᵢ(α)Aᵢ^{1/2}
 * - robust (Liang–Zeger, geepack "san.se"):  A (Σ UᵢUᵢᵀ) A,  Uᵢ = DᵢᵀVᵢ⁻¹(yᵢ − μᵢ)
 * - md (Mancl–DeRouen 2001):      Uᵢ replaced by DᵢᵀVᵢ⁻¹(I − Hᵢ)⁻¹(yᵢ − μᵢ)
 * - kc (Kauermann–Carroll 2001):  Uᵢ replaced by DᵢᵀVᵢ⁻¹(I − Hᵢ)^{-1/2}(yᵢ − μᵢ)
 *   with Hᵢ = DᵢADᵢᵀVᵢ⁻¹ and the principal inverse square root.
 *
 * No n_i×n_i matrix is formed. With Vᵢ = TTᵀ (the whitening of
 * correlation.ts), Gᵢ = T⁻¹Dᵢ and eᵢ = T⁻¹rᵢ: Bᵢ = GᵢᵀGᵢ, Uᵢ = Gᵢᵀeᵢ, and
 * (I − Hᵢ) = T(I − Sᵢ)T⁻¹ with Sᵢ = GᵢAGᵢᵀ symmetric of rank ≤ p. Writing
 * A = LLᵀ and LᵀBᵢL = QΛQᵀ (p×p), any f with f(0) = 1 gives
 *   DᵢᵀVᵢ⁻¹ f(Hᵢ) rᵢ = Gᵢᵀ f(Sᵢ) eᵢ = Uᵢ + Bᵢ L Q diag(c(λ)) Qᵀ Lᵀ Uᵢ,
 * c(λ) = (f(λ) − 1)/λ: 1/(1 − λ) for md and 1/(√(1−λ)(1 + √(1−λ))) for kc.
 * So each cluster costs O(n_i·p²) plus one p×p eigenproblem (md/kc only).
 */
import { ComputeError } from "../../core/errors.ts";
import { choleskyInPlace } from "../../linalg/cholesky.ts";
import { jacobiEigenInPlace } from "../../linalg/eigen.ts";
import { equilibratedCholesky, equilibratedInverse } from "../../linalg/equilibrated.ts";
import type { Family } from "../family/family.ts";
import type { Link } from "../family/link.ts";
import type { WorkingCorrelation } from "./correlation.ts";
import { accumulate, fillBlock, predict, symmetrize } from "./fit.ts";

export type GeeSe = "robust" | "model" | "md" | "kc";

export interface GeeVarianceOptions {
  readonly weights?: ArrayLike<number>;
  readonly offset?: ArrayLike<number>;
  /** Which matrices to compute (default: all four). */
  readonly types?: readonly GeeSe[];
  /** Cluster labels for error messages (default: 1-based cluster numbers). */
  readonly clusterIds?: readonly string[];
  /** AR(1) time gaps, as GeeFitOptions.gaps. */
  readonly gaps?: ArrayLike<number>;
}

/** p×p row-major covariance matrices; only the requested ones are present. */
export type GeeVariances = { readonly [K in GeeSe]?: Float64Array };

/**
 * Computes the requested covariance matrices at (β, α, φ). Throws a
 * ComputeError when Σ Bᵢ is singular, or (md/kc) when a cluster has
 * leverage 1 (removing it leaves a coefficient unidentified).
 */
export function geeVariance(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  starts: Int32Array,
  family: Family,
  link: Link,
  corr: WorkingCorrelation,
  beta: ArrayLike<number>,
  alpha: number,
  scale: number,
  options: GeeVarianceOptions = {},
): GeeVariances {
  const types = options.types ?? (["robust", "model", "md", "kc"] as const);
  const nClusters = starts.length - 1;
  let maxSize = 0;
  for (let c = 0; c < nClusters; c++) maxSize = Math.max(maxSize, starts[c + 1] - starts[c]);
  const k = p + 1;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  predict(x, n, p, beta, options.offset, link, eta, mu);

  const corrected = types.includes("md") || types.includes("kc");
  const pp = p * p;
  const bAll = corrected ? new Float64Array(nClusters * pp) : null; // Bᵢ per cluster
  const uAll = new Float64Array(nClusters * p); // Uᵢ per cluster
  const bSum = new Float64Array(pp);
  const bi = new Float64Array(pp);
  const block = new Float64Array(maxSize * k);
  const invPhi = 1 / scale;
  for (let c = 0; c < nClusters; c++) {
    const s0 = starts[c];
    const m = starts[c + 1] - s0;
    if (m === 0) continue;
    fillBlock(x, p, y, options.weights, family, link, eta, mu, s0, m, block);
    corr.whiten(block, m, k, alpha, options.gaps, s0);
    bi.fill(0);
    const ui = uAll.subarray(c * p, (c + 1) * p);
    accumulate(block, m, p, bi, ui);
    symmetrize(bi, p);
    for (let t = 0; t < pp; t++) {
      bi[t] *= invPhi;
      bSum[t] += bi[t];
    }
    for (let a = 0; a < p; a++) ui[a] *= invPhi;
    if (bAll) bAll.set(bi, c * pp);
  }
  const l = new Float64Array(pp);
  const sc = new Float64Array(p);
  const status = equilibratedCholesky(bSum, p, l, sc, 0);
  if (status !== 0) throw new ComputeError(`GEE: the model-based information matrix is singular (pivot ${status} of ${p})`);
  const bread = equilibratedInverse(l, sc, p);

  const out: { [K in GeeSe]?: Float64Array } = {};
  if (types.includes("model")) out.model = Float64Array.from(bread);
  if (types.includes("robust")) out.robust = sandwich(bread, uAll, nClusters, p);
  if (corrected && bAll) {
    const lA = Float64Array.from(bread);
    if (choleskyInPlace(lA, p, 0) !== 0) throw new ComputeError("GEE: the model-based covariance matrix is not positive definite");
    for (const type of ["md", "kc"] as const) {
      if (!types.includes(type)) continue;
      const scores = correctedScores(type, bAll, uAll, lA, nClusters, p, options.clusterIds);
      out[type] = sandwich(bread, scores, nClusters, p);
    }
  }
  return out;
}

/** A (Σ sᵢsᵢᵀ) A for per-cluster scores sᵢ stored row by row. */
function sandwich(bread: Float64Array, scores: Float64Array, nClusters: number, p: number): Float64Array {
  const meat = new Float64Array(p * p);
  for (let c = 0; c < nClusters; c++) {
    const o = c * p;
    for (let a = 0; a < p; a++) {
      const sa = scores[o + a];
      if (sa === 0) continue;
      for (let b = 0; b <= a; b++) meat[a * p + b] += sa * scores[o + b];
    }
  }
  symmetrize(meat, p);
  const tmp = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += bread[i * p + t] * meat[t * p + j];
      tmp[i * p + j] = s;
    }
  }
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += tmp[i * p + t] * bread[t * p + j];
      v[i * p + j] = s;
      v[j * p + i] = s;
    }
  }
  return v;
}

/** sᵢ = Uᵢ + Bᵢ L Q diag(c(λ)) Qᵀ Lᵀ Uᵢ for every cluster. */
function correctedScores(
  type: "md" | "kc",
  bAll: Float64Array,
  uAll: Float64Array,
  lA: Float64Array,
  nClusters: number,
  p: number,
  ids: readonly string[] | undefined,
): Float64Array {
  const pp = p * p;
  const out = new Float64Array(nClusters * p);
  const kmat = new Float64Array(pp);
  const tmp = new Float64Array(pp);
  const q = new Float64Array(pp);
  const t1 = new Float64Array(p);
  const t2 = new Float64Array(p);
  for (let c = 0; c < nClusters; c++) {
    const b = bAll.subarray(c * pp, (c + 1) * pp);
    const u = uAll.subarray(c * p, (c + 1) * p);
    // K = Lᵀ B L (L lower triangular).
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let t = j; t < p; t++) s += b[i * p + t] * lA[t * p + j];
        tmp[i * p + j] = s; // (B L)_ij
      }
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = i; t < p; t++) s += lA[t * p + i] * tmp[t * p + j];
        kmat[i * p + j] = s;
        kmat[j * p + i] = s;
      }
    }
    if (jacobiEigenInPlace(kmat, p, q) < 0) throw new ComputeError(`GEE ${type}: eigendecomposition failed for cluster '${label(ids, c)}'`);
    // t1 = Lᵀ u
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let t = i; t < p; t++) s += lA[t * p + i] * u[t];
      t1[i] = s;
    }
    // t2 = diag(c) Qᵀ t1
    for (let j = 0; j < p; j++) {
      let lambda = kmat[j * p + j];
      if (lambda < 0) lambda = 0; // rounding: Sᵢ is positive semi-definite
      if (lambda >= 1 - 1e-12) {
        throw new ComputeError(
          `GEE ${type} correction: cluster '${label(ids, c)}' has leverage 1 (some coefficient is identified by this cluster alone); use se robust or model`,
        );
      }
      const om = 1 - lambda;
      const cj = type === "md" ? 1 / om : 1 / (Math.sqrt(om) * (1 + Math.sqrt(om)));
      let s = 0;
      for (let i = 0; i < p; i++) s += q[i * p + j] * t1[i];
      t2[j] = cj * s;
    }
    // t1 = Q t2, then s = u + (B L) t1
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += q[i * p + j] * t2[j];
      t1[i] = s;
    }
    const o = c * p;
    for (let i = 0; i < p; i++) {
      let s = u[i];
      for (let j = 0; j < p; j++) s += tmp[i * p + j] * t1[j];
      out[o + i] = s;
    }
  }
  return out;
}

function label(ids: readonly string[] | undefined, c: number): string {
  return ids && ids[c] !== undefined ? ids[c] : String(c + 1);
}
