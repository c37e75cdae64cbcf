/**
 * Satterthwaite df of cluster-robust linear variances
 * (clubSandwich::coef_test(test = "Satterthwaite")), accumulated cluster by
 * cluster. Under the working model e ~ N(0, Σ), Σ = (I − H)(I − H)ᵀ, the
 * variance estimate of coefficient i is a quadratic form Σ_j (g_ijᵀ e_j)²
 * with g_ij the i-th row of B X_jᵀ W_j A_j. Its mean is tr(P_i) and its
 * variance 2‖P_i‖²_F, with the m×m matrix P_i[j,k] = g_ijᵀ Σ_jk g_ik;
 * df_i = 2 E²/Var = tr(P_i)²/‖P_i‖²_F. Writing a_ij = X_jᵀ g_ij,
 * b_ij = X_jᵀ W_j g_ij and Ω = B XᵀW²X B, P_i = diag(‖g_ij‖²) − K_i with
 * K_i = z_iᵀ C z_i, z_ij = (a_ij, b_ij), C = [[−Ω, B], [B, 0]] (unweighted:
 * z_ij = a_ij, C = B), so ‖K_i‖²_F = tr(C S_i C S_i) with
 * S_i = Σ_j z_ij z_ijᵀ, and no m×m matrix is needed.
 */
import { multiply } from "../linalg/crossprod.ts";
import type { AdjustedScore } from "./sandwich-adjust.ts";

export class SatterthwaiteDf {
  private readonly zdim: number;
  private readonly cMat: Float64Array;
  private readonly sAcc: Float64Array;
  private readonly sumD: Float64Array;
  private readonly sumD2: Float64Array;
  private readonly sumDK: Float64Array;
  private readonly sumK: Float64Array;
  private readonly amat: Float64Array;
  private readonly bmat: Float64Array;
  private readonly t1: Float64Array;
  private readonly t2: Float64Array;
  private readonly z: Float64Array;
  private readonly cz: Float64Array;

  /** `bread` is B = (XᵀWX)⁻¹; `omega` is Ω (ignored unweighted). */
  constructor(
    private readonly bread: Float64Array,
    omega: Float64Array,
    private readonly p: number,
    private readonly weighted: boolean,
  ) {
    const zdim = weighted ? 2 * p : p;
    this.zdim = zdim;
    this.cMat = new Float64Array(zdim * zdim); // C = [[−Ω, B], [B, 0]] or B
    if (weighted) {
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) {
          this.cMat[a * zdim + b] = -omega[a * p + b];
          this.cMat[a * zdim + p + b] = bread[a * p + b];
          this.cMat[(p + a) * zdim + b] = bread[a * p + b];
        }
      }
    } else {
      this.cMat.set(bread);
    }
    this.sAcc = new Float64Array(p * zdim * zdim);
    this.sumD = new Float64Array(p);
    this.sumD2 = new Float64Array(p);
    this.sumDK = new Float64Array(p);
    this.sumK = new Float64Array(p);
    this.amat = new Float64Array(p * p);
    this.bmat = new Float64Array(p * p);
    this.t1 = new Float64Array(p * p);
    this.t2 = new Float64Array(p * p);
    this.z = new Float64Array(zdim);
    this.cz = new Float64Array(zdim);
  }

  /** Adds cluster j's contribution from its adjusted N matrices. */
  add({ n1, n2, n3 }: AdjustedScore): void {
    const { bread, p, zdim, cMat, amat, bmat, t1, t2, z, cz, weighted } = this;
    const S = this.sAcc;
    // Rows i of B·N1 and B·N2 are a_ij and b_ij; ‖g_ij‖² = (B·N3·B)_ii.
    multiply(bread, n1, p, p, p, amat);
    multiply(bread, n2, p, p, p, bmat);
    multiply(bread, n3, p, p, p, t1);
    multiply(t1, bread, p, p, p, t2);
    for (let i = 0; i < p; i++) {
      for (let a = 0; a < p; a++) {
        z[a] = amat[i * p + a];
        if (weighted) z[p + a] = bmat[i * p + a];
      }
      let kjj = 0;
      for (let a = 0; a < zdim; a++) {
        let s = 0;
        for (let b = 0; b < zdim; b++) s += cMat[a * zdim + b] * z[b];
        cz[a] = s;
        kjj += z[a] * s;
      }
      const d = t2[i * p + i];
      this.sumD[i] += d;
      this.sumD2[i] += d * d;
      this.sumDK[i] += d * kjj;
      this.sumK[i] += kjj;
      const off = i * zdim * zdim;
      for (let a = 0; a < zdim; a++) for (let b = 0; b < zdim; b++) S[off + a * zdim + b] += z[a] * z[b];
    }
  }

  /** df per coefficient over the clusters added. */
  df(): Float64Array {
    const { p, zdim, cMat } = this;
    const df = new Float64Array(p);
    const cs = new Float64Array(zdim * zdim);
    for (let i = 0; i < p; i++) {
      multiply(cMat, this.sAcc.subarray(i * zdim * zdim, (i + 1) * zdim * zdim), zdim, zdim, zdim, cs);
      let k2 = 0; // ‖K_i‖²_F = tr(CS·CS)
      for (let a = 0; a < zdim; a++) for (let b = 0; b < zdim; b++) k2 += cs[a * zdim + b] * cs[b * zdim + a];
      const mean = this.sumD[i] - this.sumK[i];
      const sumSq = this.sumD2[i] - 2 * this.sumDK[i] + k2;
      df[i] = (mean * mean) / sumSq;
    }
    return df;
  }
}
