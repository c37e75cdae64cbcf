/**
 * Per-cluster sufficient statistics of a Gaussian model with clustered rows,
 * for refits that leave one cluster out (the delete-one-cluster jackknife):
 * gee/refit.ts (exchangeable or independence GEE) and lmm/refit.ts
 * (random-intercept LMM by REML) work on these sums only.
 *
 * With the response replaced by its full-data OLS residual r⁰ = y − Xβ⁰
 * (so β = β⁰ + δ and the sums carry no cancellation), cluster i contributes
 *   Sᵢ = XᵢᵀXᵢ,  sᵢ = Xᵢᵀ1,  tᵢ = Xᵢᵀr⁰ᵢ,  uᵢ = 1ᵀr⁰ᵢ,  vᵢ = r⁰ᵢᵀr⁰ᵢ,  nᵢ.
 * Both models need only Σᵢ Sᵢ, Σᵢ tᵢ, Σᵢ vᵢ and, per distinct cluster
 * size n, the sums Σ sᵢsᵢᵀ, Σ sᵢuᵢ, Σ uᵢ² over the clusters of that size —
 * so leaving cluster g out is a subtraction, and one evaluation costs
 * O(K·p² + p³) for K distinct sizes, whatever the number of rows.
 */
import { qrLeastSquares } from "../../linalg/qr.ts";

/** Per-cluster and per-size sums of an n × p design and response. */
export interface ClusterSums {
  readonly n: number;
  readonly p: number;
  readonly m: number;
  /** OLS coefficients of the full data: β = beta0 + δ. */
  readonly beta0: Float64Array;
  readonly sizes: Int32Array;
  /** m × p × p: Sᵢ. */
  readonly xtx: Float64Array;
  /** m × p: sᵢ. */
  readonly colSums: Float64Array;
  /** m × p: tᵢ. */
  readonly xtr: Float64Array;
  /** m: uᵢ. */
  readonly rSum: Float64Array;
  /** m: vᵢ. */
  readonly rr: Float64Array;
  /** Σ Sᵢ, Σ tᵢ, Σ vᵢ. */
  readonly totalXtx: Float64Array;
  readonly totalXtr: Float64Array;
  readonly totalRr: number;
  /**
   * Columns whose cluster sums are not all zero (within-cluster deviations
   * have zero sums; the per-size sums below involve only these columns).
   */
  readonly active: Int32Array;
  /** Distinct cluster sizes, ascending, and each cluster's group. */
  readonly groupSize: Int32Array;
  readonly groupOf: Int32Array;
  /** Per group: cluster count, Σ sᵢsᵢᵀ (K × a × a over the a active columns), Σ sᵢuᵢ (K × a), Σ uᵢ² (K). */
  readonly groupCount: Float64Array;
  readonly groupSS: Float64Array;
  readonly groupSU: Float64Array;
  readonly groupUU: Float64Array;
}

/** Computes the sums of the design `x` (n × p) and response `y` with clusters `starts` (O(n·p²)). */
export function clusterSums(x: Float64Array, n: number, p: number, y: Float64Array, starts: Int32Array): ClusterSums {
  const m = starts.length - 1;
  const ols = qrLeastSquares(x, n, p, y);
  const beta0 = ols.coefficients;
  const r0 = ols.residuals;
  const pp = p * p;
  const xtx = new Float64Array(m * pp);
  const colSums = new Float64Array(m * p);
  const xtr = new Float64Array(m * p);
  const rSum = new Float64Array(m);
  const rr = new Float64Array(m);
  const sizes = new Int32Array(m);
  for (let c = 0; c < m; c++) {
    const oS = c * pp;
    const oV = c * p;
    let u = 0;
    let v = 0;
    for (let r = starts[c]; r < starts[c + 1]; r++) {
      const row = r * p;
      const e = r0[r];
      u += e;
      v += e * e;
      for (let i = 0; i < p; i++) {
        const xi = x[row + i];
        colSums[oV + i] += xi;
        xtr[oV + i] += xi * e;
        const oi = oS + i * p;
        for (let j = 0; j <= i; j++) xtx[oi + j] += xi * x[row + j];
      }
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) xtx[oS + j * p + i] = xtx[oS + i * p + j];
    rSum[c] = u;
    rr[c] = v;
    sizes[c] = starts[c + 1] - starts[c];
  }
  const totalXtx = new Float64Array(pp);
  const totalXtr = new Float64Array(p);
  let totalRr = 0;
  for (let c = 0; c < m; c++) {
    for (let k = 0; k < pp; k++) totalXtx[k] += xtx[c * pp + k];
    for (let k = 0; k < p; k++) totalXtr[k] += xtr[c * p + k];
    totalRr += rr[c];
  }
  // Columns with zero cluster sums (up to rounding: within-cluster deviations) are set to exactly 0.
  const activeList: number[] = [];
  for (let j = 0; j < p; j++) {
    let scale = 0;
    let largest = 0;
    for (let r = 0; r < n; r++) scale += Math.abs(x[r * p + j]);
    for (let c = 0; c < m; c++) largest = Math.max(largest, Math.abs(colSums[c * p + j]));
    if (largest > 1e-10 * scale) activeList.push(j);
    else for (let c = 0; c < m; c++) colSums[c * p + j] = 0;
  }
  const active = Int32Array.from(activeList);
  const pa = active.length;
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  const groupSize = Int32Array.from(distinct);
  const index = new Map(distinct.map((s, k) => [s, k]));
  const K = distinct.length;
  const groupOf = new Int32Array(m);
  const groupCount = new Float64Array(K);
  const groupSS = new Float64Array(K * pa * pa);
  const groupSU = new Float64Array(K * pa);
  const groupUU = new Float64Array(K);
  for (let c = 0; c < m; c++) {
    const k = index.get(sizes[c])!;
    groupOf[c] = k;
    addCluster(colSums, rSum, c, p, active, groupSS, groupSU, groupUU, groupCount, k, 1);
  }
  return {
    n, p, m, beta0, sizes, xtx, colSums, xtr, rSum, rr, totalXtx, totalXtr, totalRr,
    active, groupSize, groupOf, groupCount, groupSS, groupSU, groupUU,
  };
}

function addCluster(
  colSums: Float64Array,
  rSum: Float64Array,
  c: number,
  p: number,
  active: Int32Array,
  ss: Float64Array,
  su: Float64Array,
  uu: Float64Array,
  count: Float64Array,
  k: number,
  sign: 1 | -1,
): void {
  const s = c * p;
  const u = rSum[c];
  const pa = active.length;
  const oS = k * pa * pa;
  for (let i = 0; i < pa; i++) {
    const si = sign * colSums[s + active[i]];
    su[k * pa + i] += si * u;
    for (let j = 0; j < pa; j++) ss[oS + i * pa + j] += si * colSums[s + active[j]];
  }
  uu[k] += sign * u * u;
  count[k] += sign;
}

/**
 * The sums without cluster `skip` (−1: all clusters), in reusable buffers:
 * call `select(g)` before each refit; the group sums of the one affected
 * size are patched and restored, everything else is shared.
 */
export class SumsView {
  readonly sums: ClusterSums;
  /** Σ Sᵢ, Σ tᵢ over the selected clusters. */
  readonly xtx: Float64Array;
  readonly xtr: Float64Array;
  rr = 0;
  n = 0;
  nClusters = 0;
  pairs = 0;
  maxSize = 0;
  readonly groupCount: Float64Array;
  readonly groupSS: Float64Array;
  readonly groupSU: Float64Array;
  readonly groupUU: Float64Array;
  private patched = -1;

  constructor(sums: ClusterSums) {
    this.sums = sums;
    this.xtx = new Float64Array(sums.p * sums.p);
    this.xtr = new Float64Array(sums.p);
    this.groupCount = Float64Array.from(sums.groupCount);
    this.groupSS = Float64Array.from(sums.groupSS);
    this.groupSU = Float64Array.from(sums.groupSU);
    this.groupUU = Float64Array.from(sums.groupUU);
  }

  select(skip: number): void {
    const s = this.sums;
    const { p } = s;
    const pp = p * p;
    const pa = s.active.length;
    if (this.patched >= 0) {
      const k = this.patched;
      this.groupSS.set(s.groupSS.subarray(k * pa * pa, (k + 1) * pa * pa), k * pa * pa);
      this.groupSU.set(s.groupSU.subarray(k * pa, (k + 1) * pa), k * pa);
      this.groupUU[k] = s.groupUU[k];
      this.groupCount[k] = s.groupCount[k];
      this.patched = -1;
    }
    this.xtx.set(s.totalXtx);
    this.xtr.set(s.totalXtr);
    this.rr = s.totalRr;
    this.n = s.n;
    this.nClusters = s.m;
    if (skip >= 0) {
      for (let k = 0; k < pp; k++) this.xtx[k] -= s.xtx[skip * pp + k];
      for (let k = 0; k < p; k++) this.xtr[k] -= s.xtr[skip * p + k];
      this.rr -= s.rr[skip];
      this.n -= s.sizes[skip];
      this.nClusters--;
      const k = s.groupOf[skip];
      addCluster(s.colSums, s.rSum, skip, p, s.active, this.groupSS, this.groupSU, this.groupUU, this.groupCount, k, -1);
      this.patched = k;
    }
    let pairs = 0;
    let maxSize = 0;
    for (let k = 0; k < s.groupSize.length; k++) {
      const size = s.groupSize[k];
      const count = this.groupCount[k];
      pairs += (count * size * (size - 1)) / 2;
      if (count > 0 && size > maxSize) maxSize = size;
    }
    this.pairs = pairs;
    this.maxSize = maxSize;
  }
}

/** Result of a refit on sums. */
export interface SumsFit {
  /** δ = β − beta0 (a view of the solver's workspace: copy it or use it before the next call). */
  readonly delta: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
  /** α (GEE) or θ (LMM). */
  readonly parameter: number;
}

/** β = β⁰ + δ. */
export function addBeta0(sums: ClusterSums, delta: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < sums.p; j++) out[j] = sums.beta0[j] + delta[j];
  return out;
}
