/**
 * Covariate-constrained randomization of m clusters, m₁ to intervention
 * (Li et al. 2025, §3.2; Raab & Butcher 2001, Stat Med 20:351; Li et al. 2016,
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
import { info } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Matrix } from "../linalg/index.ts";
import type { Rng } from "../random/index.ts";
import { balanceScores, balanceTransform, enumerateScoredSchemes, type BalanceMetric } from "./balance.ts";
import { binomialCoefficient, sampleSchemes, schemeRow } from "./schemes.ts";
import { enumerateStratifiedSchemes, sampleStratifiedSchemes, strataDesign, stratifiedTotal, type StrataDesign } from "./stratified-schemes.ts";
import { checkFinite, checkInteger } from "./validate.ts";
import { clusterName as name, matchedPairs, validityDiagnostics } from "./randomize-validity.ts";

export type { BalanceMetric } from "./balance.ts";
export type ThresholdSpec = { readonly quantile: number } | { readonly value: number };

/** Default largest C(m, m₁) enumerated when `enumerate` is "auto". */
export const DEFAULT_ENUMERATION_LIMIT = 200_000;
/** Hard cap on enumerated or sampled schemes (memory: R·m bytes). */
export const MAX_SCHEMES = 5_000_000;

export interface ConstrainedRandomizationInput {
  /** Cluster-level covariates, m rows × q columns (dummy-code categorical ones). */
  readonly covariates: Matrix | readonly (readonly number[])[];
  /** Number of clusters m₁ to assign to intervention (with `strata`: may be omitted). */
  readonly treated?: number;
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
  /**
   * Stratum index of each cluster (matched pairs: strata of two): ⌊nₛ/2⌋
   * clusters of each stratum are treated, so `treated` must be Σ⌊nₛ/2⌋ or omitted.
   */
  readonly strata?: Int32Array;
}

export interface ConstrainedRandomizationResult {
  readonly nClusters: number;
  readonly nTreated: number;
  readonly nCovariates: number;
  readonly metric: BalanceMetric;
  /** l2 weights used (null for Mahalanobis). */
  readonly weights: Float64Array | null;
  readonly enumerated: boolean;
  /** C(m, m₁), or Π C(nₛ, tₛ) within strata. */
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

function checkStrata(strata: Int32Array, m: number): Int32Array {
  if (!(strata instanceof Int32Array) || strata.length !== m) throw new InputError(`strata must be an Int32Array with one entry per cluster (${m})`);
  return strata;
}

function stratifiedTreated(strata: StrataDesign, treated: number | undefined): number {
  const total = strata.treated.reduce((a, b) => a + b, 0);
  if (treated !== undefined && treated !== total) {
    throw new InputError(`with strata, ⌊nₛ/2⌋ clusters of each stratum are treated (${total} in all); treated was ${treated}`);
  }
  return total;
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
  const strata = input.strata === undefined ? null : strataDesign(checkStrata(input.strata, m), labels);
  const treated = strata === null ? checkInteger(input.treated, "treated", 1) : stratifiedTreated(strata, input.treated);
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
  const total = strata === null ? binomialCoefficient(m, treated) : stratifiedTotal(strata);
  let doEnumerate = enumerate === true || (enumerate === "auto" && total <= limit);
  if (doEnumerate && total > MAX_SCHEMES) {
    throw new InputError(`${total} schemes is too many to enumerate (limit ${MAX_SCHEMES}); use enumerate: "auto" or false`);
  }
  if (!doEnumerate && samples >= total) {
    doEnumerate = true;
    diagnostics.push(info("enumerated-instead", `samples (${samples}) ≥ C(${m}, ${treated}) = ${total}: enumerated every scheme instead`));
  }

  const transform = balanceTransform(x, metric, input.weights);
  diagnostics.push(...transform.diagnostics);
  let schemes: Uint8Array;
  let scores: Float64Array;
  if (strata !== null) {
    schemes = doEnumerate ? enumerateStratifiedSchemes(strata, m) : sampleStratifiedSchemes(strata, m, samples, rng);
    scores = balanceScores(transform.z, m, q, schemes, treated);
  } else if (doEnumerate) {
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
        ? `enumerated all ${nSchemes} schemes assigning ${treated} of ${m} clusters to intervention${strata ? ` within ${strata.members.length} strata` : ""}`
        : `sampled ${nSchemes} unique schemes of ${total}${strata ? ` (within ${strata.members.length} strata)` : ""}; π = 1ᵀT/R is estimated from them`,
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
  const pairOf = strata === null ? null : matchedPairs(strata, m);
  diagnostics.push(...validityDiagnostics(schemes, m, treated, acc.acceptable, probabilities, labels, (i, j) => pairOf !== null && pairOf[i] === j));

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
