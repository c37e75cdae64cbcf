/**
 * The random-intercept LMM by REML on per-cluster sums
 * (../shared/cluster-sums.ts), for delete-one-cluster refits: with ψ = θ²
 * and kᵢ = ψ/(1 + nᵢψ), Xᵀ(I + ψZZᵀ)⁻¹X = ΣSᵢ − Σ kᵢ sᵢsᵢᵀ, and the profiled
 * REML criterion is that of objective.ts,
 *   Σ log(1 + nᵢψ) + log|·| + (n − p)(1 + log(2π r²/(n − p))),
 * evaluated from the sums of the selected clusters. The arithmetic is not
 * shared with lmmObjective: that one forms r² as a sum of squares from
 * per-cluster (not per-size) sums, so the two agree to rounding, not bit for
 * bit, and the jackknife's numbers are defined by this one.
 */
import { ComputeError } from "../../core/errors.ts";
import { choleskyInPlace } from "../../linalg/cholesky.ts";
import { minimizeNonNegative } from "../shared/brent.ts";
import type { SumsFit, SumsView } from "../shared/cluster-sums.ts";

/** Workspace for the REML criterion, allocated once per design. */
export class RemlSumsSolver {
  private readonly p: number;
  private readonly a: Float64Array;
  private readonly l: Float64Array;
  private readonly b: Float64Array;
  private readonly delta: Float64Array;

  constructor(p: number) {
    this.p = p;
    this.a = new Float64Array(p * p);
    this.l = new Float64Array(p * p);
    this.b = new Float64Array(p);
    this.delta = new Float64Array(p);
  }

  /** The REML criterion at θ on the selected clusters; leaves δ(θ) in this.delta. */
  criterion(v: SumsView, theta: number): number {
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
  fit(v: SumsView, thetaStart: number, tolerance = 1e-8): SumsFit {
    const grid = thetaStart > 0 ? [0, 0.7 * thetaStart, thetaStart, 1.4 * thetaStart] : [0, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
    const opt = minimizeNonNegative((t) => this.criterion(v, t), {
      grid,
      relTolerance: tolerance,
      absTolerance: 1e-12,
      maxIter: 200,
      upper: 1e6,
    });
    this.criterion(v, opt.x);
    return { delta: this.delta, converged: opt.converged, iterations: opt.iterations, parameter: opt.x };
  }
}
