/**
 * Gaussian (identity-link) GEE with exchangeable or independence working
 * correlation on per-cluster sums (../shared/cluster-sums.ts): the fit
 * without cluster g is a subtraction away, so every delete-one-cluster
 * refit costs O(K·p² + p³), K the number of distinct cluster sizes.
 *
 * Iteration for iteration as geeFit (fit.ts, geepack): start at OLS, scale =
 * mean squared residual, one GLS step for β at the current α, the scale,
 * then the moment step for α; stop when the largest change is ≤ 1e-4. With
 * Rᵢ(α)⁻¹ = a²(I − J/nᵢ) + bᵢ²J/nᵢ, a² = 1/(1 − α), bᵢ² = 1/(1 + (nᵢ − 1)α):
 *   Σ XᵢᵀRᵢ⁻¹Xᵢ = a²ΣSᵢ + Σ (bᵢ² − a²) sᵢsᵢᵀ/nᵢ,
 * and the pairwise residual products behind α are ½[Σᵢ(uᵢ − sᵢᵀδ)² − RSS].
 */
import { ComputeError } from "../../core/errors.ts";
import { equilibratedCholesky, equilibratedInverse, equilibratedSolveInPlace } from "../../linalg/equilibrated.ts";
import type { ClusterSums, SumsFit, SumsView } from "../shared/cluster-sums.ts";

/** Workspace for the GEE iterations, allocated once per design. */
export class GeeSumsSolver {
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
  fit(v: SumsView, exchangeable: boolean, tolerance = 1e-4, maxIter = 25): SumsFit & { readonly scale: number } {
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

  private solve(a: Float64Array, b: Float64Array, what: string): void {
    const status = equilibratedCholesky(a, this.p, this.l, this.scale, 0);
    if (status !== 0) throw new ComputeError(`the Gaussian working model's information matrix is singular at ${what} (pivot ${status} of ${this.p})`);
    equilibratedSolveInPlace(this.l, this.scale, this.p, b);
  }
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
export function sumsSandwich(sums: ClusterSums, delta: Float64Array, alpha: number, type: "md" | "robust"): Float64Array {
  const p = sums.p;
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
