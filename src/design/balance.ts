/**
 * Balance scores of constrained randomization (randomize.ts): the covariates
 * are transformed once so that every score is ‖z̄_treated − z̄_control‖², then
 * scored per scheme (or, under full enumeration, with prefix sums along the
 * lexicographic order).
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { info } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { choleskyInPlace, solveLowerInPlace, type Matrix } from "../linalg/index.ts";
import { binomialCoefficient } from "./schemes.ts";

export type BalanceMetric = "l2" | "mahalanobis";

/**
 * Stage 1: a transformed, centred covariate matrix Z (m × q) such that the
 * balance score is ‖z̄_treated − z̄_control‖²: columns scaled by √w_k for
 * "l2", rows multiplied by L⁻¹ (S = LLᵀ) for "mahalanobis".
 */
export function balanceTransform(
  covariates: Matrix,
  metric: BalanceMetric,
  weights?: readonly number[],
): { readonly z: Float64Array; readonly weights: Float64Array | null; readonly diagnostics: readonly Diagnostic[] } {
  const m = covariates.rows;
  const q = covariates.cols;
  const x = covariates.data;
  const diagnostics: Diagnostic[] = [];
  const z = new Float64Array(m * q);
  const mean = new Float64Array(q);
  for (let i = 0; i < m; i++) for (let k = 0; k < q; k++) mean[k] += x[i * q + k];
  for (let k = 0; k < q; k++) mean[k] /= m;
  for (let i = 0; i < m; i++) for (let k = 0; k < q; k++) z[i * q + k] = x[i * q + k] - mean[k];
  const cov = new Float64Array(q * q);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) cov[a * q + b] += z[i * q + a] * z[i * q + b];
  }
  for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) {
    cov[a * q + b] /= m - 1;
    cov[b * q + a] = cov[a * q + b];
  }
  if (metric === "l2") {
    const w = new Float64Array(q);
    for (let k = 0; k < q; k++) {
      if (weights !== undefined) {
        w[k] = weights[k];
      } else if (cov[k * q + k] > 0) {
        w[k] = 1 / cov[k * q + k];
      } else {
        w[k] = 0;
        diagnostics.push(info("constant-covariate", `covariate ${k} is constant across clusters: weight 0 (it is balanced in every scheme)`));
      }
    }
    for (let i = 0; i < m; i++) for (let k = 0; k < q; k++) z[i * q + k] *= Math.sqrt(w[k]);
    return { z, weights: w, diagnostics };
  }
  if (m <= q) throw new InputError(`the Mahalanobis metric needs more clusters (${m}) than covariates (${q})`);
  const status = choleskyInPlace(cov, q);
  if (status !== 0) {
    throw new InputError(
      `covariate ${status - 1} is constant or a linear combination of earlier covariates: their covariance matrix is singular, so the Mahalanobis metric is undefined`,
    );
  }
  const row = new Float64Array(q);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < q; k++) row[k] = z[i * q + k];
    solveLowerInPlace(cov, q, row);
    for (let k = 0; k < q; k++) z[i * q + k] = row[k];
  }
  return { z, weights: null, diagnostics };
}

/** Column totals T_k = Σ_i z_ik, summed in cluster order. */
function columnTotals(z: Float64Array, m: number, q: number): Float64Array {
  const t = new Float64Array(q);
  for (let i = 0; i < m; i++) for (let k = 0; k < q; k++) t[k] += z[i * q + k];
  return t;
}

/**
 * The score from the sum s over one arm (in cluster order) and the totals:
 * with equal arms s is the sum over the arm holding cluster 0 and
 * d = s/h − (T − s)/h (the sign is irrelevant); otherwise s is the treated
 * sum and d = s/m₁ − (T − s)/m₀.
 */
function scoreFromSum(s: Float64Array, sOffset: number, totals: Float64Array, q: number, treated: number, m0: number): number {
  let b = 0;
  for (let k = 0; k < q; k++) {
    const sk = s[sOffset + k];
    const d = sk / treated - (totals[k] - sk) / m0;
    b += d * d;
  }
  return b;
}

/** Stage 3: balance score ‖z̄_treated − z̄_control‖² of every scheme (Z from balanceTransform). */
export function balanceScores(z: Float64Array, m: number, q: number, schemes: Uint8Array, treated: number): Float64Array {
  const nSchemes = schemes.length / m;
  const scores = new Float64Array(nSchemes);
  const totals = columnTotals(z, m, q);
  const m0 = m - treated;
  const equal = treated === m0;
  const s = new Float64Array(q);
  for (let r = 0; r < nSchemes; r++) {
    s.fill(0);
    const base = r * m;
    // the arm summed: treated, or with equal arms whichever holds cluster 0
    const arm = equal ? schemes[base] : 1;
    for (let i = 0; i < m; i++) {
      if (schemes[base + i] !== arm) continue;
      const zi = i * q;
      for (let k = 0; k < q; k++) s[k] += z[zi + k];
    }
    scores[r] = scoreFromSum(s, 0, totals, q, treated, m0);
  }
  return scores;
}

/**
 * Stages 2a and 3 fused for full enumeration: the schemes of enumerateSchemes
 * and the scores balanceScores would give them (bit for bit), computed with
 * prefix sums over the lexicographic order of the treated set.
 */
export function enumerateScoredSchemes(
  z: Float64Array,
  m: number,
  q: number,
  treated: number,
): { readonly schemes: Uint8Array; readonly scores: Float64Array } {
  const total = binomialCoefficient(m, treated);
  const schemes = new Uint8Array(total * m);
  const scores = new Float64Array(total);
  const totals = columnTotals(z, m, q);
  const m0 = m - treated;
  const equal = treated === m0;
  // with equal arms only rows whose treated set holds cluster 0 are scored: the first half
  const scored = equal ? total / 2 : total;
  const c = new Int32Array(treated);
  for (let j = 0; j < treated; j++) c[j] = j;
  // prefix[(j + 1)·q + k] = Σ_{t ≤ j} z[c[t]]_k, added in cluster order
  const prefix = new Float64Array((treated + 1) * q);
  let from = 0; // first prefix row to refresh
  for (let r = 0; r < total; r++) {
    const base = r * m;
    for (let j = 0; j < treated; j++) schemes[base + c[j]] = 1;
    if (r < scored) {
      for (let j = from; j < treated; j++) {
        const zi = c[j] * q;
        for (let k = 0; k < q; k++) prefix[(j + 1) * q + k] = prefix[j * q + k] + z[zi + k];
      }
      scores[r] = scoreFromSum(prefix, treated * q, totals, q, treated, m0);
    }
    let j = treated - 1;
    while (j >= 0 && c[j] === m - treated + j) j--;
    if (j < 0) break;
    c[j]++;
    for (let t = j + 1; t < treated; t++) c[t] = c[t - 1] + 1;
    from = j;
  }
  if (equal) for (let r = 0; r < scored; r++) scores[total - 1 - r] = scores[r];
  return { schemes, scores };
}
