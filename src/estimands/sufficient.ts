/**
 * Gaussian individual-level working models on per-cluster sufficient
 * statistics, for the leave-one-cluster-out refits of the jackknife.
 *
 * With the response replaced by its full-data OLS residual r⁰ = y − Xβ⁰
 * (so β = β⁰ + δ and the sums carry no cancellation), cluster i contributes
 *   Sᵢ = XᵢᵀXᵢ,  sᵢ = Xᵢᵀ1,  tᵢ = Xᵢᵀr⁰ᵢ,  uᵢ = 1ᵀr⁰ᵢ,  vᵢ = r⁰ᵢᵀr⁰ᵢ,  nᵢ.
 * Both models below need only Σᵢ Sᵢ, Σᵢ tᵢ, Σᵢ vᵢ and, per distinct cluster
 * size n, the sums Σ sᵢsᵢᵀ, Σ sᵢuᵢ, Σ uᵢ² over the clusters of that size —
 * so leaving cluster g out is a subtraction, and one evaluation costs
 * O(K·p² + p³) for K distinct sizes, whatever the number of rows.
 *
 * - Exchangeable / independence GEE (identity link), iteration for iteration
 *   as src/models/gee's geeFit (geepack): start at OLS, scale = mean squared
 *   residual, one GLS step for β at the current α, the scale, then the
 *   moment step for α; stop when the largest change is ≤ 1e-4. With
 *   Rᵢ(α)⁻¹ = a²(I − J/nᵢ) + bᵢ²J/nᵢ, a² = 1/(1 − α), bᵢ² = 1/(1 + (nᵢ − 1)α):
 *     Σ XᵢᵀRᵢ⁻¹Xᵢ = a²ΣSᵢ + Σ (bᵢ² − a²) sᵢsᵢᵀ/nᵢ,
 *   and the pairwise residual products behind α are ½[Σᵢ(uᵢ − sᵢᵀδ)² − RSS].
 * - Random-intercept LMM by REML, as src/models/lmm (lme4): with ψ = θ² and
 *   kᵢ = ψ/(1 + nᵢψ), Xᵀ(I + ψZZᵀ)⁻¹X = ΣSᵢ − Σ kᵢ sᵢsᵢᵀ, and the profiled
 *   REML criterion Σ log(1 + nᵢψ) + log|·| + (n − p)(1 + log(2π r²/(n − p))).
 */
import { ComputeError } from "../core/errors.ts";
import { choleskyInPlace } from "../linalg/cholesky.ts";
import { equilibratedCholesky, equilibratedInverse, equilibratedSolveInPlace } from "../linalg/equilibrated.ts";
import { qrLeastSquares } from "../linalg/qr.ts";
import { minimizeNonNegative } from "../models/lmm/index.ts";

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

/** Workspace for the solvers, allocated once. */
export class SumsSolver {
  private readonly p: number;
  private readonly a: Float64Array;
  private readonly l: Float64Array;
  private readonly scale: Float64Array;
  private readonly b: Float64Array;
  private readonly delta: Float64Array;
  private readonly totSS: Float64Array;
  private readonly totSU: Float64Array;
  /** δ restricted to the active columns. */
  private readonly da: Float64Array;

  constructor(p: number) {
    this.p = p;
    this.a = new Float64Array(p * p);
    this.l = new Float64Array(p * p);
    this.scale = new Float64Array(p);
    this.b = new Float64Array(p);
    this.delta = new Float64Array(p);
    this.totSS = new Float64Array(p * p);
    this.totSU = new Float64Array(p);
    this.da = new Float64Array(p);
  }

  /** RSS(δ) = Σv − 2δᵀΣt + δᵀ(ΣS)δ. */
  private rss(v: SumsView, delta: Float64Array): number {
    const p = this.p;
    let quad = 0;
    let lin = 0;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += v.xtx[i * p + j] * delta[j];
      quad += delta[i] * s;
      lin += delta[i] * v.xtr[i];
    }
    return v.rr - 2 * lin + quad;
  }

  /**
   * Gaussian GEE (identity link) with exchangeable (`exchangeable` true) or
   * independence working correlation on the selected clusters, following
   * geepack's iterations (tolerance on the largest change, at most maxIter).
   */
  gee(v: SumsView, exchangeable: boolean, tolerance = 1e-4, maxIter = 25): SumsFit & { readonly scale: number } {
    const p = this.p;
    const pp = p * p;
    const s = v.sums;
    const K = s.groupSize.length;
    const { a, b, delta } = this;
    // Start: OLS on the selected rows (geeglm's GLM start).
    a.set(v.xtx);
    b.set(v.xtr);
    this.solve(a, b, "the OLS start");
    delta.set(b);
    const act = s.active;
    const pa = act.length;
    const da = this.da;
    const totSS = this.totSS;
    const totSU = this.totSU;
    let totUU = 0;
    if (exchangeable) {
      totSS.fill(0);
      totSU.fill(0);
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < pa * pa; j++) totSS[j] += v.groupSS[k * pa * pa + j];
        for (let j = 0; j < pa; j++) totSU[j] += v.groupSU[k * pa + j];
        totUU += v.groupUU[k];
      }
    }
    let phi = this.rss(v, delta) / v.n;
    let alpha = 0;
    const pairs = exchangeable ? v.pairs : 0;
    let converged = false;
    let iter = 0;
    for (iter = 1; iter <= maxIter; iter++) {
      // β step: Δ = H⁻¹ g at the current α.
      const a2 = 1 / (1 - alpha);
      for (let j = 0; j < pp; j++) a[j] = a2 * v.xtx[j];
      for (let i = 0; i < p; i++) {
        let sd = 0;
        for (let j = 0; j < p; j++) sd += v.xtx[i * p + j] * delta[j];
        b[i] = a2 * (v.xtr[i] - sd);
      }
      if (alpha !== 0) {
        for (let j = 0; j < pa; j++) da[j] = delta[act[j]];
        for (let k = 0; k < K; k++) {
          if (v.groupCount[k] === 0) continue;
          const size = s.groupSize[k];
          const c = (1 / (1 + (size - 1) * alpha) - a2) / size;
          const oS = k * pa * pa;
          for (let i = 0; i < pa; i++) {
            const row = act[i] * p;
            let sd = 0;
            for (let j = 0; j < pa; j++) {
              const g = v.groupSS[oS + i * pa + j];
              a[row + act[j]] += c * g;
              sd += g * da[j];
            }
            b[act[i]] += c * (v.groupSU[k * pa + i] - sd);
          }
        }
      }
      this.solve(a, b, `iteration ${iter}`);
      let dBeta = 0;
      for (let j = 0; j < p; j++) {
        delta[j] += b[j];
        dBeta = Math.max(dBeta, Math.abs(b[j]));
      }
      const rssNew = this.rss(v, delta);
      const phiNew = rssNew / v.n;
      const dScale = Math.abs(phiNew - phi);
      phi = phiNew;
      let dAlpha = 0;
      if (pairs > 0) {
        // Σ_i (u_i − s_iᵀδ)² = ΣU² − 2δᵀΣsu + δᵀ(Σssᵀ)δ (active columns only).
        for (let j = 0; j < pa; j++) da[j] = delta[act[j]];
        let quad = 0;
        let lin = 0;
        for (let i = 0; i < pa; i++) {
          let t = 0;
          for (let j = 0; j < pa; j++) t += totSS[i * pa + j] * da[j];
          quad += da[i] * t;
          lin += da[i] * totSU[i];
        }
        const sumSq = totUU - 2 * lin + quad;
        const pairProducts = (0.5 * (sumSq - rssNew)) / phi;
        const step = (pairProducts - alpha * pairs) / pairs;
        alpha += step;
        dAlpha = Math.abs(step);
        // Like geepack, α outside the positive-definite range is kept as long as R(α) is invertible.
        if (!Number.isFinite(alpha) || alpha === 1) throw new ComputeError(`GEE: the exchangeable correlation estimate is ${alpha} at iteration ${iter}`);
        for (let k = 0; k < K; k++) {
          if (v.groupCount[k] > 0 && s.groupSize[k] > 1 && 1 + (s.groupSize[k] - 1) * alpha === 0) {
            throw new ComputeError(`GEE: the exchangeable working correlation is singular for clusters of ${s.groupSize[k]} rows (alpha = ${alpha})`);
          }
        }
      }
      if (Math.max(dBeta, dScale, dAlpha) <= tolerance) {
        converged = true;
        break;
      }
    }
    return { delta, converged, iterations: Math.min(iter, maxIter), parameter: alpha, scale: phi };
  }

  /** The REML criterion at θ on the selected clusters; leaves δ(θ) in this.delta. */
  remlCriterion(v: SumsView, theta: number): number {
    const p = this.p;
    const s = v.sums;
    const K = s.groupSize.length;
    const { a, l, b } = this;
    const act = s.active;
    const pa = act.length;
    const psi = theta * theta;
    a.set(v.xtx);
    b.set(v.xtr);
    let q = v.rr;
    let logDetL = 0;
    if (psi > 0) {
      for (let k = 0; k < K; k++) {
        const count = v.groupCount[k];
        if (count === 0) continue;
        const size = s.groupSize[k];
        const kk = psi / (1 + size * psi);
        logDetL += count * Math.log1p(size * psi);
        const oS = k * pa * pa;
        for (let i = 0; i < pa; i++) {
          const row = act[i] * p;
          for (let j = 0; j < pa; j++) a[row + act[j]] -= kk * v.groupSS[oS + i * pa + j];
          b[act[i]] -= kk * v.groupSU[k * pa + i];
        }
        q -= kk * v.groupUU[k];
      }
    }
    l.set(a);
    const status = choleskyInPlace(l, p, 0);
    if (status !== 0) throw new ComputeError(`lmm: Xᵀ V⁻¹ X is not positive definite at θ = ${theta} (pivot ${status} of ${p})`);
    let logDetRX = 0;
    for (let i = 0; i < p; i++) logDetRX += 2 * Math.log(l[i * p + i]);
    // δ = A⁻¹b, r² = q − bᵀδ.
    const d = this.delta;
    d.set(b);
    for (let i = 0; i < p; i++) {
      let t = d[i];
      for (let j = 0; j < i; j++) t -= l[i * p + j] * d[j];
      d[i] = t / l[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let t = d[i];
      for (let j = i + 1; j < p; j++) t -= l[j * p + i] * d[j];
      d[i] = t / l[i * p + i];
    }
    let bd = 0;
    for (let i = 0; i < p; i++) bd += b[i] * d[i];
    const r2 = Math.max(q - bd, 0);
    const df = v.n - p;
    return logDetL + logDetRX + df * (1 + Math.log((2 * Math.PI * r2) / df));
  }

  /**
   * REML fit of the random-intercept LMM on the selected clusters: Brent's
   * method on θ ≥ 0 from a grid around `thetaStart` (the full-data θ̂).
   */
  reml(v: SumsView, thetaStart: number, tolerance = 1e-8): SumsFit {
    const grid = thetaStart > 0 ? [0, 0.7 * thetaStart, thetaStart, 1.4 * thetaStart] : [0, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
    const opt = minimizeNonNegative((t) => this.remlCriterion(v, t), {
      grid,
      relTolerance: tolerance,
      absTolerance: 1e-12,
      maxIter: 200,
      upper: 1e6,
    });
    this.remlCriterion(v, opt.x);
    return { delta: this.delta, converged: opt.converged, iterations: opt.iterations, parameter: opt.x };
  }

  /**
   * The Mancl–DeRouen (`md`) or Liang–Zeger (`robust`) sandwich covariance of
   * a Gaussian identity-link model with exchangeable working correlation α
   * (0: independence) at β = beta0 + δ, over all clusters. With Bᵢ = XᵢᵀRᵢ⁻¹Xᵢ,
   * A = (ΣBᵢ)⁻¹ and uᵢ = XᵢᵀRᵢ⁻¹rᵢ, the MD score is
   * XᵢᵀRᵢ⁻¹(I − XᵢAXᵢᵀRᵢ⁻¹)⁻¹rᵢ = uᵢ + Bᵢ(A⁻¹ − Bᵢ)⁻¹uᵢ (Woodbury), so each
   * cluster costs O(p³) whatever its size, and no square root of Rᵢ is needed
   * (geepack's α may exceed 1). The scale φ cancels. For the random-intercept
   * LMM (α = θ²/(1 + θ²)) `md` is clubSandwich's CR3.
   */
  sandwich(sums: ClusterSums, delta: Float64Array, alpha: number, type: "md" | "robust"): Float64Array {
    const p = this.p;
    const pp = p * p;
    const m = sums.m;
    const a2 = 1 / (1 - alpha);
    const bAll = new Float64Array(m * pp);
    const uAll = new Float64Array(m * p);
    const total = new Float64Array(pp);
    for (let c = 0; c < m; c++) {
      const n = sums.sizes[c];
      const cc = n > 1 ? (1 / (1 + (n - 1) * alpha) - a2) / n : 1 - a2;
      const oS = c * pp;
      const oV = c * p;
      let ru = sums.rSum[c];
      for (let j = 0; j < p; j++) ru -= sums.colSums[oV + j] * delta[j];
      for (let i = 0; i < p; i++) {
        const si = sums.colSums[oV + i];
        let xr = sums.xtr[oV + i];
        for (let j = 0; j < p; j++) {
          const sij = sums.xtx[oS + i * p + j];
          xr -= sij * delta[j];
          const b = a2 * sij + cc * si * sums.colSums[oV + j];
          bAll[oS + i * p + j] = b;
          total[i * p + j] += b;
        }
        uAll[oV + i] = a2 * xr + cc * si * ru;
      }
    }
    const l = new Float64Array(pp);
    const sc = new Float64Array(p);
    if (equilibratedCholesky(total, p, l, sc, 0) !== 0) throw new ComputeError("the GEE information matrix is not positive definite");
    const bread = equilibratedInverse(l, sc, p);
    const meat = new Float64Array(pp);
    const u = new Float64Array(p);
    const w = new Float64Array(p);
    const rest = new Float64Array(pp);
    for (let c = 0; c < m; c++) {
      const oS = c * pp;
      u.set(uAll.subarray(c * p, (c + 1) * p));
      if (type === "md") {
        // w = (A⁻¹ − Bᵢ)⁻¹ uᵢ, then u += Bᵢ w.
        for (let k = 0; k < pp; k++) rest[k] = total[k] - bAll[oS + k];
        if (equilibratedCholesky(rest, p, l, sc, 0) !== 0) {
          throw new ComputeError(`cluster ${c + 1} has leverage 1: without it a coefficient is not identified, so the Mancl–DeRouen correction is undefined`);
        }
        w.set(u);
        equilibratedSolveInPlace(l, sc, p, w);
        for (let i = 0; i < p; i++) {
          let t = 0;
          for (let j = 0; j < p; j++) t += bAll[oS + i * p + j] * w[j];
          u[i] += t;
        }
      }
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) meat[i * p + j] += u[i] * u[j];
    }
    // bread · meat · bread
    const tmp = new Float64Array(pp);
    const out = new Float64Array(pp);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let t = 0;
      for (let k = 0; k < p; k++) t += bread[i * p + k] * meat[k * p + j];
      tmp[i * p + j] = t;
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let t = 0;
      for (let k = 0; k < p; k++) t += tmp[i * p + k] * bread[k * p + j];
      out[i * p + j] = t;
    }
    return out;
  }

  private solve(a: Float64Array, b: Float64Array, what: string): void {
    const status = equilibratedCholesky(a, this.p, this.l, this.scale, 0);
    if (status !== 0) throw new ComputeError(`the Gaussian working model's information matrix is singular at ${what} (pivot ${status} of ${this.p})`);
    equilibratedSolveInPlace(this.l, this.scale, this.p, b);
  }
}

/** β = β⁰ + δ. */
export function addBeta0(sums: ClusterSums, delta: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < sums.p; j++) out[j] = sums.beta0[j] + delta[j];
  return out;
}
