/**
 * Covariate-constrained randomization of m clusters, m₁ to intervention
 * (seed 002 §3.2; Raab & Butcher 2001, Stat Med 20:351; Li et al. 2016,
 * Stat Med 35:1565 and 2017, Stat Med 36:3791):
 *
 * 1. candidate schemes: all C(m, m₁) allocations when that is small enough
 *    (lexicographic order of the treated set, as R's `combn`), otherwise a
 *    simple random sample of unique allocations (duplicates removed by a hash
 *    of the allocation bitset);
 * 2. a balance score per scheme, from the difference of arm means of the
 *    cluster-level covariates d = x̄_treated − x̄_control:
 *    - "l2": B = Σ_k w_k d_k², w_k = 1/var(x_k) by default (Raab & Butcher);
 *    - "mahalanobis": B = dᵀS⁻¹d, S the covariance of the covariates;
 * 3. a threshold: the `quantile` of the scores (R's default type-7 quantile)
 *    or a fixed `value`; schemes with B ≤ threshold are acceptable;
 * 4. randomization probabilities π = 1ᵀT/R over the R acceptable rows of the
 *    allocation matrix T, and one scheme drawn uniformly from them.
 *
 * Each stage is exported and callable alone. With m₁ = m/2 a scheme and its
 * complement are scored from the same arithmetic (the sum over whichever arm
 * holds cluster 0), so they get bit-identical scores, the acceptable set is
 * closed under complement and π = ½ exactly. Full enumeration scores schemes
 * with prefix sums along the lexicographic order (O(q) per scheme on average)
 * and, for m₁ = m/2, scores only the first half: in lexicographic order the
 * complement of row r is row R − 1 − r.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { info, warning } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { choleskyInPlace, solveLowerInPlace, type Matrix } from "../linalg/index.ts";
import { fmix32, type Rng } from "../random/index.ts";
import { checkFinite, checkInteger } from "./validate.ts";

export type BalanceMetric = "l2" | "mahalanobis";
export type ThresholdSpec = { readonly quantile: number } | { readonly value: number };

/** Default largest C(m, m₁) enumerated when `enumerate` is "auto". */
export const DEFAULT_ENUMERATION_LIMIT = 200_000;
/** Hard cap on enumerated or sampled schemes (memory: R·m bytes). */
export const MAX_SCHEMES = 5_000_000;

export interface ConstrainedRandomizationInput {
  /** Cluster-level covariates, m rows × q columns (dummy-code categorical ones). */
  readonly covariates: Matrix | readonly (readonly number[])[];
  /** Number of clusters m₁ to assign to intervention. */
  readonly treated: number;
  /** Balance metric; default "l2". */
  readonly metric?: BalanceMetric;
  /** l2 weights w_k (non-negative); default 1/var(x_k). */
  readonly weights?: readonly number[];
  /** Default { quantile: 0.1 }. */
  readonly threshold?: ThresholdSpec;
  /** true: enumerate all schemes; false: sample; "auto" (default): enumerate when C(m, m₁) ≤ enumerationLimit. */
  readonly enumerate?: "auto" | boolean;
  /** Default 200,000. */
  readonly enumerationLimit?: number;
  /** Unique schemes to sample when not enumerating; default 10,000. */
  readonly samples?: number;
  /** Random stream for sampling schemes and choosing the allocation. */
  readonly rng: Rng;
  /** Cluster names used in messages and in `chosen.labels`. */
  readonly clusterLabels?: readonly string[];
}

export interface ConstrainedRandomizationResult {
  readonly nClusters: number;
  readonly nTreated: number;
  readonly nCovariates: number;
  readonly metric: BalanceMetric;
  /** l2 weights used (null for Mahalanobis). */
  readonly weights: Float64Array | null;
  readonly enumerated: boolean;
  /** C(m, m₁). */
  readonly totalSchemes: number;
  /** R: rows of `schemes`. */
  readonly nSchemes: number;
  /** R × m row-major 0/1 allocation matrix (1 = intervention). */
  readonly schemes: Uint8Array;
  /** Balance score of each scheme. */
  readonly scores: Float64Array;
  /** Schemes with score ≤ threshold are acceptable. */
  readonly threshold: number;
  /** Row indices of the acceptable schemes, ascending. */
  readonly acceptable: Uint32Array;
  /** π_i: proportion of acceptable schemes assigning cluster i to intervention. */
  readonly probabilities: Float64Array;
  /** The allocation drawn uniformly from the acceptable schemes. */
  readonly chosen: {
    readonly index: number;
    readonly scheme: Uint8Array;
    /** 0-based indices of the clusters assigned to intervention. */
    readonly treated: readonly number[];
    readonly labels: readonly string[] | null;
  };
  readonly diagnostics: readonly Diagnostic[];
}

/** C(m, k) as a double (exact below 2⁵³). */
export function binomialCoefficient(m: number, k: number): number {
  const kk = Math.min(k, m - k);
  let c = 1;
  for (let i = 1; i <= kk; i++) c = (c * (m - kk + i)) / i;
  return Math.round(c);
}

function toMatrix(covariates: ConstrainedRandomizationInput["covariates"]): Matrix {
  if (Array.isArray(covariates)) {
    const rows = covariates as readonly (readonly number[])[];
    const m = rows.length;
    const q = m === 0 ? 0 : rows[0].length;
    const data = new Float64Array(m * q);
    for (let i = 0; i < m; i++) {
      if (!Array.isArray(rows[i]) || rows[i].length !== q) {
        throw new InputError(`covariates row ${i} has ${Array.isArray(rows[i]) ? rows[i].length : "no"} entries, expected ${q}`);
      }
      for (let k = 0; k < q; k++) {
        const v: unknown = rows[i][k];
        if (typeof v !== "number") throw new InputError(`covariate ${k} of cluster ${i} is ${JSON.stringify(v)}, not a number`);
        data[i * q + k] = v;
      }
    }
    return { rows: m, cols: q, data };
  }
  const mat = covariates as Matrix;
  if (!mat || !(mat.data instanceof Float64Array) || mat.data.length !== mat.rows * mat.cols) {
    throw new InputError("covariates must be an m × q Matrix or an array of m rows of q numbers");
  }
  return mat;
}

function name(i: number, labels: readonly string[] | undefined): string {
  return labels ? `cluster ${labels[i]}` : `cluster ${i}`;
}

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

/** Stage 2a: all C(m, m₁) schemes, treated sets in lexicographic order (as R's combn). */
export function enumerateSchemes(m: number, treated: number): Uint8Array {
  const total = binomialCoefficient(m, treated);
  const out = new Uint8Array(total * m);
  const c = new Int32Array(treated);
  for (let j = 0; j < treated; j++) c[j] = j;
  for (let r = 0; r < total; r++) {
    const base = r * m;
    for (let j = 0; j < treated; j++) out[base + c[j]] = 1;
    // next combination: bump the rightmost index that can move, reset the rest
    let j = treated - 1;
    while (j >= 0 && c[j] === m - treated + j) j--;
    if (j < 0) break;
    c[j]++;
    for (let t = j + 1; t < treated; t++) c[t] = c[t - 1] + 1;
  }
  return out;
}

/** A 53-bit hash of the allocation bitset of row `r`. */
function rowHash(s: Uint8Array, base: number, m: number): number {
  let h1 = 0x9e3779b9;
  let h2 = 0x6a09e667;
  for (let start = 0; start < m; start += 32) {
    let word = 0;
    const end = Math.min(m, start + 32);
    for (let i = start; i < end; i++) if (s[base + i] === 1) word |= 1 << (i - start);
    h1 = fmix32((h1 ^ word) + 0x7f4a7c15);
    h2 = fmix32(Math.imul(h2 ^ (word >>> 0), 0x01000193) + start);
  }
  return h1 * 2097152 + (h2 >>> 11);
}

function sameRow(s: Uint8Array, a: number, b: number, m: number): boolean {
  for (let i = 0; i < m; i++) if (s[a * m + i] !== s[b * m + i]) return false;
  return true;
}

/**
 * Stage 2b: `count` unique schemes drawn uniformly (each a uniform m₁-subset
 * by partial Fisher–Yates), kept in order of first draw. `count` must not
 * exceed C(m, m₁).
 */
export function sampleSchemes(m: number, treated: number, count: number, rng: Rng): Uint8Array {
  const out = new Uint8Array(count * m);
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  const seen = new Map<number, number[]>();
  let r = 0;
  while (r < count) {
    for (let j = 0; j < treated; j++) {
      const pick = j + Math.floor(rng.uniform() * (m - j));
      const t = perm[j];
      perm[j] = perm[pick];
      perm[pick] = t;
    }
    const base = r * m;
    out.fill(0, base, base + m);
    for (let j = 0; j < treated; j++) out[base + perm[j]] = 1;
    const h = rowHash(out, base, m);
    const bucket = seen.get(h);
    if (bucket === undefined) {
      seen.set(h, [r]);
    } else {
      if (bucket.some((b) => sameRow(out, b, r, m))) continue; // duplicate: draw again into the same row
      bucket.push(r);
    }
    r++;
  }
  return out;
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

/**
 * Rearranges `a` so that a[k] holds the value it would have if sorted, with
 * smaller-or-equal values before it and larger-or-equal after (Hoare's
 * selection with median-of-three pivots; O(n) on average).
 */
function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // median of three as pivot
    let x = a[left];
    let y = a[mid];
    let zz = a[right];
    if (x > y) [x, y] = [y, x];
    if (y > zz) [y, zz] = [zz, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** R's type-7 quantile (kept bit-compatible with R's quantile.default), by selection rather than a full sort. */
function quantileType7(values: Float64Array, p: number): number {
  const work = Float64Array.from(values);
  const n = work.length;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  selectInPlace(work, lo);
  const a = work[lo];
  let b = a;
  if (hi !== lo) {
    // the next order statistic is the smallest value above position lo
    b = Infinity;
    for (let i = lo + 1; i < n; i++) if (work[i] < b) b = work[i];
  }
  const h = index - lo;
  if (h === 0 || a === b) return a;
  return (1 - h) * a + h * b;
}

/** Stage 4: the threshold and the indices of schemes scoring at or below it. */
export function acceptableSchemes(scores: Float64Array, threshold: ThresholdSpec): { readonly threshold: number; readonly acceptable: Uint32Array } {
  let t: number;
  if ("quantile" in threshold) {
    t = quantileType7(scores, threshold.quantile);
  } else {
    t = threshold.value;
  }
  let count = 0;
  for (let r = 0; r < scores.length; r++) if (scores[r] <= t) count++;
  const acceptable = new Uint32Array(count);
  count = 0;
  for (let r = 0; r < scores.length; r++) if (scores[r] <= t) acceptable[count++] = r;
  return { threshold: t, acceptable };
}

/** Stage 5: π = 1ᵀT/R over the acceptable rows of T. */
export function randomizationProbabilities(schemes: Uint8Array, m: number, acceptable: Uint32Array): Float64Array {
  const counts = new Float64Array(m);
  for (let a = 0; a < acceptable.length; a++) {
    const base = acceptable[a] * m;
    for (let i = 0; i < m; i++) counts[i] += schemes[base + i];
  }
  for (let i = 0; i < m; i++) counts[i] /= acceptable.length;
  return counts;
}

/** Row r of a scheme matrix (a view, not a copy). */
export function schemeRow(schemes: Uint8Array, m: number, r: number): Uint8Array {
  return schemes.subarray(r * m, (r + 1) * m);
}

/** Validity checks on the acceptable set: clusters always/never treated, pairs always together/apart. */
function validityDiagnostics(
  schemes: Uint8Array,
  m: number,
  treated: number,
  acceptable: Uint32Array,
  probabilities: Float64Array,
  labels: readonly string[] | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const nAcc = acceptable.length;
  const fixed: string[] = [];
  for (let i = 0; i < m; i++) {
    if (probabilities[i] === 0) fixed.push(`${name(i, labels)} never`);
    else if (probabilities[i] === 1) fixed.push(`${name(i, labels)} always`);
  }
  if (fixed.length > 0) {
    out.push(
      warning(
        "deterministic-allocation",
        `in all ${nAcc} acceptable schemes ${fixed.slice(0, 10).join(", ")}${fixed.length > 10 ? ` (and ${fixed.length - 10} more)` : ""} assigned to intervention: ` +
          "π ∈ {0, 1} makes the design invalid for randomization inference; relax the threshold",
      ),
    );
  }
  if (nAcc > 1) {
    // same-arm count for (i, j) = R − n_i − n_j + 2·(times both treated)
    const both = new Float64Array(m * m);
    const idx = new Int32Array(treated);
    for (let a = 0; a < nAcc; a++) {
      const base = acceptable[a] * m;
      let t = 0;
      for (let i = 0; i < m; i++) if (schemes[base + i] === 1) idx[t++] = i;
      for (let u = 0; u < treated; u++) for (let v = u + 1; v < treated; v++) both[idx[u] * m + idx[v]]++;
    }
    const pairs: string[] = [];
    let nPairs = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        if (probabilities[i] === 0 || probabilities[i] === 1 || probabilities[j] === 0 || probabilities[j] === 1) continue;
        const same = nAcc - probabilities[i] * nAcc - probabilities[j] * nAcc + 2 * both[i * m + j];
        const rounded = Math.round(same);
        if (rounded === nAcc || rounded === 0) {
          nPairs++;
          if (pairs.length < 10) pairs.push(`${name(i, labels)} & ${name(j, labels)} ${rounded === 0 ? "always apart" : "always together"}`);
        }
      }
    }
    if (nPairs > 0) {
      out.push(
        warning(
          "constrained-pairs",
          `${nPairs} pair(s) of clusters are never separated or never together across the ${nAcc} acceptable schemes (${pairs.join("; ")}${nPairs > pairs.length ? "; …" : ""}): the constraint is very tight`,
        ),
      );
    }
  }
  if (nAcc < 20) {
    out.push(
      warning(
        "few-acceptable-schemes",
        `only ${nAcc} acceptable scheme(s): a randomization test cannot reach p < 0.05 (its smallest p-value is 1/${nAcc})`,
      ),
    );
  }
  return out;
}

/**
 * Covariate-constrained randomization.
 *
 * @example
 * const res = constrainedRandomization({
 *   covariates: [[1.2, 30], [0.8, 25], [1.5, 40], [0.9, 22], [1.1, 35], [1.3, 28]],
 *   treated: 3,
 *   threshold: { quantile: 0.25 },
 *   rng: createRng(2024),
 * });
 * res.chosen.treated;    // e.g. [0, 3, 4]
 * res.probabilities;     // π_i = 0.5 for every cluster (m₁ = m/2, symmetric metric)
 */
export function constrainedRandomization(input: ConstrainedRandomizationInput): ConstrainedRandomizationResult {
  if (input === null || typeof input !== "object") throw new InputError("constrainedRandomization needs an options object");
  const x = toMatrix(input.covariates);
  const m = x.rows;
  const q = x.cols;
  const labels = input.clusterLabels;
  if (m < 2) throw new InputError(`need at least 2 clusters, got ${m}`);
  if (q < 1) throw new InputError("covariates has no columns");
  if (labels !== undefined && labels.length !== m) throw new InputError(`clusterLabels has ${labels.length} entries for ${m} clusters`);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < q; k++) {
      const v = x.data[i * q + k];
      if (!Number.isFinite(v)) throw new InputError(`covariate ${k} of ${name(i, labels)} (row ${i}) is ${v}; covariates must be finite numbers`);
    }
  }
  const treated = checkInteger(input.treated, "treated", 1);
  if (treated > m - 1) throw new InputError(`treated must be between 1 and ${m - 1} for ${m} clusters, got ${treated}`);
  const metric = input.metric ?? "l2";
  if (metric !== "l2" && metric !== "mahalanobis") throw new InputError(`metric must be "l2" or "mahalanobis", got ${JSON.stringify(metric)}`);
  if (input.weights !== undefined) {
    if (metric !== "l2") throw new InputError("weights apply to the l2 metric only");
    if (input.weights.length !== q) throw new InputError(`weights has ${input.weights.length} entries for ${q} covariates`);
    input.weights.forEach((w, k) => {
      if (!(checkFinite(w, `weights[${k}]`) >= 0)) throw new InputError(`weights[${k}] must be non-negative, got ${w}`);
    });
  }
  const threshold: ThresholdSpec = input.threshold ?? { quantile: 0.1 };
  if ("quantile" in threshold) {
    const p = checkFinite(threshold.quantile, "threshold.quantile");
    if (!(p > 0 && p <= 1)) throw new InputError(`threshold.quantile must be in (0, 1], got ${p}`);
  } else if ("value" in threshold) {
    const v = checkFinite(threshold.value, "threshold.value");
    if (v < 0) throw new InputError(`threshold.value must be non-negative, got ${v}`);
  } else {
    throw new InputError("threshold must be { quantile } or { value }");
  }
  const enumerate = input.enumerate ?? "auto";
  if (enumerate !== "auto" && enumerate !== true && enumerate !== false) {
    throw new InputError(`enumerate must be "auto", true or false, got ${JSON.stringify(enumerate)}`);
  }
  const limit = input.enumerationLimit === undefined ? DEFAULT_ENUMERATION_LIMIT : checkInteger(input.enumerationLimit, "enumerationLimit", 1);
  const samples = input.samples === undefined ? 10_000 : checkInteger(input.samples, "samples", 1);
  if (samples > MAX_SCHEMES) throw new InputError(`samples must be at most ${MAX_SCHEMES}, got ${samples}`);
  if (!input.rng || typeof input.rng.uniform !== "function") throw new InputError("rng is required (createRng(seed))");
  const rng = input.rng;

  const diagnostics: Diagnostic[] = [];
  const total = binomialCoefficient(m, treated);
  let doEnumerate = enumerate === true || (enumerate === "auto" && total <= limit);
  if (doEnumerate && total > MAX_SCHEMES) {
    throw new InputError(`C(${m}, ${treated}) = ${total} schemes is too many to enumerate (limit ${MAX_SCHEMES}); use enumerate: "auto" or false`);
  }
  if (!doEnumerate && samples >= total) {
    doEnumerate = true;
    diagnostics.push(info("enumerated-instead", `samples (${samples}) ≥ C(${m}, ${treated}) = ${total}: enumerated every scheme instead`));
  }

  const transform = balanceTransform(x, metric, input.weights);
  diagnostics.push(...transform.diagnostics);
  let schemes: Uint8Array;
  let scores: Float64Array;
  if (doEnumerate) {
    ({ schemes, scores } = enumerateScoredSchemes(transform.z, m, q, treated));
  } else {
    schemes = sampleSchemes(m, treated, samples, rng);
    scores = balanceScores(transform.z, m, q, schemes, treated);
  }
  const nSchemes = schemes.length / m;
  diagnostics.push(
    info(
      "schemes",
      doEnumerate
        ? `enumerated all ${nSchemes} schemes assigning ${treated} of ${m} clusters to intervention`
        : `sampled ${nSchemes} unique schemes of C(${m}, ${treated}) = ${total}; π = 1ᵀT/R is estimated from them`,
    ),
  );
  const acc = acceptableSchemes(scores, threshold);
  if (acc.acceptable.length === 0) {
    let best = Infinity;
    for (let r = 0; r < nSchemes; r++) best = Math.min(best, scores[r]);
    throw new InputError(`threshold value ${acc.threshold} accepts none of the ${nSchemes} schemes (smallest balance score ${best})`);
  }
  diagnostics.push(
    info("acceptable", `${acc.acceptable.length} of ${nSchemes} schemes have balance score ≤ ${acc.threshold} (${metric})`),
  );
  const probabilities = randomizationProbabilities(schemes, m, acc.acceptable);
  diagnostics.push(...validityDiagnostics(schemes, m, treated, acc.acceptable, probabilities, labels));

  const pick = acc.acceptable[Math.floor(rng.uniform() * acc.acceptable.length)];
  const scheme = Uint8Array.from(schemeRow(schemes, m, pick));
  const chosenTreated: number[] = [];
  for (let i = 0; i < m; i++) if (scheme[i] === 1) chosenTreated.push(i);
  return Object.freeze({
    nClusters: m,
    nTreated: treated,
    nCovariates: q,
    metric,
    weights: transform.weights,
    enumerated: doEnumerate,
    totalSchemes: total,
    nSchemes,
    schemes,
    scores,
    threshold: acc.threshold,
    acceptable: acc.acceptable,
    probabilities,
    chosen: Object.freeze({
      index: pick,
      scheme,
      treated: Object.freeze(chosenTreated),
      labels: labels === undefined ? null : Object.freeze(chosenTreated.map((i) => labels[i])),
    }),
    diagnostics: Object.freeze(diagnostics),
  });
}
