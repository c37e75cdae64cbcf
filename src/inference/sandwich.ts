/**
 * Cluster-robust (sandwich) variances for linear models fitted by (weighted)
 * least squares, with the small-sample corrections of clubSandwich and its
 * Satterthwaite degrees of freedom.
 *
 * Notation: X (n×p, rows of each cluster contiguous), weights W (identity
 * when absent), residuals e = y − Xβ̂, bread B = (XᵀWX)⁻¹. For cluster j the
 * "adjusted score" is u_j = X_jᵀ W_j A_j e_j and the variance is
 * V = B·(Σ_j u_j u_jᵀ)·B, where A_j is
 *
 * - CR0: I;  CR1: √(m/(m−1))·I;  CR1p: √(m/(m−p))·I;
 *   CR1S: √(m(n−1)/((m−1)(n−p)))·I  (m clusters, n rows);
 * - CR2 (Bell & McCaffrey's bias-reduced linearization): the symmetric
 *   inverse square root of G_j = [(I − H)(I − H)ᵀ]_jj with H = X B Xᵀ W, the
 *   working model being independence with unit variances (clubSandwich's
 *   default for lm). Unweighted, G_j = I − H_jj. Eigenvalues ≤ 1e-12 are
 *   treated as zero (pseudo-inverse), as clubSandwich does.
 * - CR3 (jackknife-type): (I − H_jj)⁻¹.
 *
 * Nothing of size n_j × n_j (let alone N × N) is ever formed: H_jj has rank
 * ≤ p, so G_j = I + (low-rank), and A_j acts as the identity outside the
 * column span of Z_j = [X_j, W_j X_j] (just X_j when unweighted). Each cluster
 * costs O(n_j p²) plus a few p×p (2p×2p) eigen/Cholesky problems:
 * - CR2: with an orthonormal basis Q_j of span(Z_j), G_j = I + Q_j T_j Q_jᵀ,
 *   T_j = Q_jᵀ(G_j − I)Q_j; from T_j = VΛVᵀ, A_j = I + Q_j V((1+Λ)^(−1/2) − 1)Vᵀ Q_jᵀ.
 * - CR3: by Woodbury, X_jᵀW_j(I − H_jj)⁻¹ = F(F − S_j)⁻¹ X_jᵀW_j with
 *   F = XᵀWX and S_j = X_jᵀW_jX_j: the leave-one-cluster-out jackknife.
 *
 * Satterthwaite df (clubSandwich::coef_test(test = "Satterthwaite")): under
 * the working model e ~ N(0, Σ), Σ = (I − H)(I − H)ᵀ, the variance estimate of
 * coefficient i is a quadratic form Σ_j (g_ijᵀ e_j)² with g_ij the i-th row of
 * B X_jᵀ W_j A_j. Its mean is tr(P_i) and its variance 2‖P_i‖²_F, with the m×m
 * matrix P_i[j,k] = g_ijᵀ Σ_jk g_ik; df_i = 2 E²/Var = tr(P_i)²/‖P_i‖²_F.
 * Writing a_ij = X_jᵀ g_ij, b_ij = X_jᵀ W_j g_ij and Ω = B XᵀW²X B,
 * P_i = diag(‖g_ij‖²) − K_i with K_i = z_iᵀ C z_i, z_ij = (a_ij, b_ij),
 * C = [[−Ω, B], [B, 0]] (unweighted: z_ij = a_ij, C = B), so
 * ‖K_i‖²_F = tr(C S_i C S_i) with S_i = Σ_j z_ij z_ijᵀ, and no m×m matrix is needed.
 */
import { ComputeError, InputError } from "../core/errors.ts";
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { equilibratedCholesky, equilibratedInverse } from "../linalg/equilibrated.ts";
import { crossprod, multiply } from "../linalg/crossprod.ts";
import { jacobiEigenInPlace } from "../linalg/eigen.ts";

/** Cluster-robust variance types, named as clubSandwich names them. */
export type ClusterRobustType = "CR0" | "CR1" | "CR1p" | "CR1S" | "CR2" | "CR3";

export const CLUSTER_ROBUST_TYPES: readonly ClusterRobustType[] = Object.freeze([
  "CR0",
  "CR1",
  "CR1p",
  "CR1S",
  "CR2",
  "CR3",
]);

/** Eigenvalues of G_j at or below this are treated as zero (clubSandwich's matrix_power). */
const CR2_EIGEN_TOL = 1e-12;
/** A column of Z_j whose norm shrinks below this fraction when orthogonalized is in the span of earlier ones. */
const SPAN_TOL = 1e-10;

/** What a cluster-robust variance of a least-squares fit needs. */
export interface LinearSandwichInput {
  /** n×p row-major design, each cluster's rows contiguous. */
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Raw residuals y − Xβ̂ (not multiplied by √w). */
  readonly residuals: ArrayLike<number>;
  /** Positive prior weights; omitted means unweighted. */
  readonly weights?: ArrayLike<number>;
  /** (XᵀWX)⁻¹, p×p. */
  readonly bread: Float64Array;
  /** Cluster j owns rows starts[j] .. starts[j+1]−1; length m + 1. */
  readonly starts: Int32Array;
  /** Cluster labels, for messages. */
  readonly clusterIds?: readonly string[];
}

export interface ClusterRobustVcov {
  readonly type: ClusterRobustType;
  /** p×p row-major variance matrix. */
  readonly vcov: Float64Array;
  /** Satterthwaite df per coefficient, or null when not requested. */
  readonly df: Float64Array | null;
  readonly nClusters: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The scalar of CR1-type corrections, applied to the scores (the variance scales by its square). */
export function cr1Factor(type: "CR0" | "CR1" | "CR1p" | "CR1S", m: number, n: number, p: number): number {
  switch (type) {
    case "CR0":
      return 1;
    case "CR1":
      return Math.sqrt(m / (m - 1));
    case "CR1p":
      return Math.sqrt(m / (m - p));
    case "CR1S":
      return Math.sqrt((m * (n - 1)) / ((m - 1) * (n - p)));
  }
}

/**
 * Cluster-robust variance of a (weighted) least-squares fit, and optionally
 * the Satterthwaite df of each coefficient's t test. Equals
 * `clubSandwich::vcovCR(fit, cluster, type)` and the `df_Satt` column of
 * `coef_test(fit, vcov, test = "Satterthwaite")` for an `lm` fit.
 *
 * @example
 * const v = clusterRobustLinear({ x, n, p, residuals, bread, starts }, "CR2", { satterthwaite: true });
 */
export function clusterRobustLinear(
  input: LinearSandwichInput,
  type: ClusterRobustType,
  options: { readonly satterthwaite?: boolean } = {},
): ClusterRobustVcov {
  const { x, n, p, residuals: e, weights: w, bread, starts } = input;
  const m = starts.length - 1;
  const label = (j: number): string => (input.clusterIds ? input.clusterIds[j] : String(j + 1));
  if (!CLUSTER_ROBUST_TYPES.includes(type)) {
    throw new InputError(`unknown cluster-robust variance type '${String(type)}'; use one of ${CLUSTER_ROBUST_TYPES.join(", ")}`);
  }
  if (m < 2) throw new InputError(`cluster-robust variance needs at least 2 clusters; the data have ${m}`);
  if (type === "CR1p" && m <= p) {
    throw new InputError(`CR1p needs more clusters than coefficients; the data have ${m} clusters and ${p} coefficients`);
  }
  const satterthwaite = options.satterthwaite ?? false;
  const weighted = w !== undefined;

  // Whole-sample pieces: F = XᵀWX, XᵀW²X and Ω = B·XᵀW²X·B (Ω = B unweighted).
  const xtwx = crossprod(x, n, p, w);
  let xtw2x = xtwx;
  let omega = bread;
  if (weighted) {
    const w2 = new Float64Array(n);
    for (let r = 0; r < n; r++) w2[r] = w[r] * w[r];
    xtw2x = crossprod(x, n, p, w2);
    omega = multiply(multiply(bread, xtw2x, p, p, p), bread, p, p, p);
  }

  // Scratch, allocated once.
  const pp = p * p;
  const sw = new Float64Array(pp); // X_jᵀW_jX_j
  const sw2 = new Float64Array(pp); // X_jᵀW_j²X_j
  const sv = new Float64Array(p); // X_jᵀW_j e_j
  const u = new Float64Array(p);
  const n1 = new Float64Array(pp);
  const n2 = new Float64Array(pp);
  const n3 = new Float64Array(pp);
  const t1 = new Float64Array(pp);
  const t2 = new Float64Array(pp);
  const meat = new Float64Array(pp);

  let maxSize = 0;
  for (let j = 0; j < m; j++) maxSize = Math.max(maxSize, starts[j + 1] - starts[j]);
  const k = weighted ? 2 * p : p; // columns of Z_j
  const cr2 = type === "CR2";
  const q = cr2 ? new Float64Array(k * maxSize) : null; // basis vectors, one per row of length maxSize
  const v = cr2 ? new Float64Array(maxSize) : null;
  const rx = cr2 ? new Float64Array(k * p) : null; // QᵀX_j (rank×p)
  const rwx = cr2 ? new Float64Array(k * p) : null; // QᵀW_jX_j
  const qe = cr2 ? new Float64Array(k) : null; // Qᵀe_j
  const tMat = cr2 ? new Float64Array(k * k) : null;
  const evec = cr2 ? new Float64Array(k * k) : null;
  const phi = cr2 ? new Float64Array(k * k) : null;
  const phi2 = cr2 ? new Float64Array(k * k) : null;
  const fVal = cr2 ? new Float64Array(k) : null;
  const f2Val = cr2 ? new Float64Array(k) : null;
  const wrk = cr2 ? new Float64Array(k * p) : null;
  const chol = type === "CR3" ? new Float64Array(pp) : null;
  const dInv = type === "CR3" ? new Float64Array(pp) : null;
  const fd = type === "CR3" ? new Float64Array(pp) : null;
  const eqScale = type === "CR3" ? new Float64Array(p) : null;
  const scale = type === "CR2" || type === "CR3" ? 1 : cr1Factor(type, m, n, p);

  // Satterthwaite accumulators, per coefficient.
  const zdim = weighted ? 2 * p : p;
  const cMat = new Float64Array(zdim * zdim); // C = [[−Ω, B], [B, 0]] or B
  if (weighted) {
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        cMat[a * zdim + b] = -omega[a * p + b];
        cMat[a * zdim + p + b] = bread[a * p + b];
        cMat[(p + a) * zdim + b] = bread[a * p + b];
      }
    }
  } else {
    cMat.set(bread);
  }
  const sAcc = satterthwaite ? new Float64Array(p * zdim * zdim) : null;
  const sumD = new Float64Array(p);
  const sumD2 = new Float64Array(p);
  const sumDK = new Float64Array(p);
  const sumK = new Float64Array(p);
  const amat = new Float64Array(pp);
  const bmat = new Float64Array(pp);
  const z = new Float64Array(zdim);
  const cz = new Float64Array(zdim);

  const singular: string[] = [];
  let smallest = Infinity;

  for (let j = 0; j < m; j++) {
    const r0 = starts[j];
    const r1 = starts[j + 1];
    const nj = r1 - r0;
    if (nj <= 0) throw new InputError(`cluster '${label(j)}' has no rows`);
    // Cluster Gram matrices.
    sw.fill(0);
    sw2.fill(0);
    sv.fill(0);
    for (let r = r0; r < r1; r++) {
      const wr = weighted ? w[r] : 1;
      const row = r * p;
      const er = wr * e[r];
      for (let a = 0; a < p; a++) {
        const xa = x[row + a];
        sv[a] += xa * er;
        const wxa = wr * xa;
        for (let b = 0; b <= a; b++) {
          const t = wxa * x[row + b];
          sw[a * p + b] += t;
          sw2[a * p + b] += wr * t;
        }
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) {
        sw[b * p + a] = sw[a * p + b];
        sw2[b * p + a] = sw2[a * p + b];
      }
    }

    if (cr2) {
      // Orthonormal basis of span(Z_j) by Gram–Schmidt with reorthogonalization.
      const Q = q!;
      const vv = v!;
      let rank = 0;
      for (let c = 0; c < k; c++) {
        const col = c % p;
        const useW = c >= p;
        let orig = 0;
        for (let i = 0; i < nj; i++) {
          const r = r0 + i;
          const val = useW ? w![r] * x[r * p + col] : x[r * p + col];
          vv[i] = val;
          orig += val * val;
        }
        if (orig === 0) continue;
        for (let pass = 0; pass < 2; pass++) {
          for (let l = 0; l < rank; l++) {
            const ql = l * maxSize;
            let d = 0;
            for (let i = 0; i < nj; i++) d += Q[ql + i] * vv[i];
            for (let i = 0; i < nj; i++) vv[i] -= d * Q[ql + i];
          }
        }
        let norm = 0;
        for (let i = 0; i < nj; i++) norm += vv[i] * vv[i];
        if (norm <= SPAN_TOL * SPAN_TOL * orig) continue;
        const inv = 1 / Math.sqrt(norm);
        const ql = rank * maxSize;
        for (let i = 0; i < nj; i++) Q[ql + i] = vv[i] * inv;
        rank++;
      }
      // Projections QᵀX_j, QᵀW_jX_j and Qᵀe_j.
      const RX = rx!;
      const RWX = rwx!;
      const QE = qe!;
      for (let l = 0; l < rank; l++) {
        const ql = l * maxSize;
        let de = 0;
        for (let a = 0; a < p; a++) {
          RX[l * p + a] = 0;
          RWX[l * p + a] = 0;
        }
        for (let i = 0; i < nj; i++) {
          const r = r0 + i;
          const qi = Q[ql + i];
          de += qi * e[r];
          const wq = weighted ? w![r] * qi : qi;
          const row = r * p;
          for (let a = 0; a < p; a++) {
            RX[l * p + a] += qi * x[row + a];
            RWX[l * p + a] += wq * x[row + a];
          }
        }
        QE[l] = de;
      }
      // T = −RX·B·RWXᵀ − RWX·B·RXᵀ + RX·Ω·RXᵀ (unweighted: −RX·B·RXᵀ).
      const T = tMat!;
      const W1 = wrk!;
      multiply(RX, bread, rank, p, p, W1); // RX·B
      for (let a = 0; a < rank; a++) {
        for (let b = 0; b <= a; b++) {
          let s = 0;
          if (weighted) {
            let s1 = 0;
            let s2 = 0;
            for (let c = 0; c < p; c++) {
              s1 += W1[a * p + c] * RWX[b * p + c];
              s2 += W1[b * p + c] * RWX[a * p + c];
            }
            s = -s1 - s2;
          } else {
            for (let c = 0; c < p; c++) s -= W1[a * p + c] * RX[b * p + c];
          }
          T[a * rank + b] = s;
          T[b * rank + a] = s;
        }
      }
      if (weighted) {
        multiply(RX, omega, rank, p, p, W1); // RX·Ω
        for (let a = 0; a < rank; a++) {
          for (let b = 0; b <= a; b++) {
            let s = 0;
            for (let c = 0; c < p; c++) s += W1[a * p + c] * RX[b * p + c];
            T[a * rank + b] += s;
            if (b !== a) T[b * rank + a] += s;
          }
        }
      }
      const V = evec!;
      if (jacobiEigenInPlace(T, rank, V) < 0) {
        throw new ComputeError(`CR2 adjustment for cluster '${label(j)}': eigendecomposition did not converge`);
      }
      const f = fVal!;
      const f2 = f2Val!;
      for (let l = 0; l < rank; l++) {
        const g = 1 + T[l * rank + l]; // eigenvalue of G_j
        smallest = Math.min(smallest, g);
        if (g > CR2_EIGEN_TOL) {
          f[l] = 1 / Math.sqrt(g) - 1;
          f2[l] = 1 / g - 1;
        } else {
          f[l] = -1;
          f2[l] = -1;
          if (singular.length === 0 || singular[singular.length - 1] !== label(j)) singular.push(label(j));
        }
      }
      const PHI = phi!;
      const PHI2 = phi2!;
      for (let a = 0; a < rank; a++) {
        for (let b = 0; b <= a; b++) {
          let s = 0;
          let s2 = 0;
          for (let l = 0; l < rank; l++) {
            const vv2 = V[a * rank + l] * V[b * rank + l];
            s += vv2 * f[l];
            s2 += vv2 * f2[l];
          }
          PHI[a * rank + b] = s;
          PHI[b * rank + a] = s;
          PHI2[a * rank + b] = s2;
          PHI2[b * rank + a] = s2;
        }
      }
      // u = X'We + RWXᵀΦ·Qᵀe; N1 = Sw + RWXᵀΦRX; N2 = Sw2 + RWXᵀΦRWX; N3 = Sw2 + RWXᵀΦ2RWX.
      multiply(PHI, RWX, rank, rank, p, W1); // Φ·RWX (rank×p); RWXᵀΦ = (Φ·RWX)ᵀ
      for (let a = 0; a < p; a++) {
        let s = sv[a];
        for (let l = 0; l < rank; l++) s += W1[l * p + a] * QE[l];
        u[a] = s;
        for (let b = 0; b < p; b++) {
          let s1 = sw[a * p + b];
          let s2 = sw2[a * p + b];
          for (let l = 0; l < rank; l++) {
            s1 += W1[l * p + a] * RX[l * p + b];
            s2 += W1[l * p + a] * RWX[l * p + b];
          }
          n1[a * p + b] = s1;
          n2[a * p + b] = s2;
        }
      }
      multiply(PHI2, RWX, rank, rank, p, W1);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) {
          let s = sw2[a * p + b];
          for (let l = 0; l < rank; l++) s += W1[l * p + a] * RWX[l * p + b];
          n3[a * p + b] = s;
        }
      }
    } else if (type === "CR3") {
      // D = (F − S_j)⁻¹; X_jᵀW_j(I − H_jj)⁻¹ = F·D·X_jᵀW_j.
      // Equilibrated, so that the singularity test does not depend on the columns' units.
      const L = chol!;
      for (let i = 0; i < pp; i++) dInv![i] = xtwx[i] - sw[i];
      if (equilibratedCholesky(dInv!, p, L, eqScale!) !== 0) {
        throw new ComputeError(
          `CR3 variance is undefined: I − H_jj is singular for cluster '${label(j)}' (the design without that cluster is singular)`,
        );
      }
      equilibratedInverse(L, eqScale!, p, dInv!);
      multiply(xtwx, dInv!, p, p, p, fd!);
      const FD = fd!;
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let b = 0; b < p; b++) s += FD[a * p + b] * sv[b];
        u[a] = s;
      }
      multiply(FD, sw, p, p, p, n1);
      multiply(FD, sw2, p, p, p, n2);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) {
          let s = 0;
          for (let c = 0; c < p; c++) s += n2[a * p + c] * FD[b * p + c];
          n3[a * p + b] = s;
        }
      }
    } else {
      for (let a = 0; a < p; a++) u[a] = scale * sv[a];
      for (let i = 0; i < pp; i++) {
        n1[i] = scale * sw[i];
        n2[i] = scale * sw2[i];
        n3[i] = scale * scale * sw2[i];
      }
    }

    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a * p + b] += u[a] * u[b];

    if (satterthwaite) {
      // Rows i of B·N1 and B·N2 are a_ij and b_ij; ‖g_ij‖² = (B·N3·B)_ii.
      multiply(bread, n1, p, p, p, amat);
      multiply(bread, n2, p, p, p, bmat);
      multiply(bread, n3, p, p, p, t1);
      multiply(t1, bread, p, p, p, t2);
      const S = sAcc!;
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
        sumD[i] += d;
        sumD2[i] += d * d;
        sumDK[i] += d * kjj;
        sumK[i] += kjj;
        const off = i * zdim * zdim;
        for (let a = 0; a < zdim; a++) for (let b = 0; b < zdim; b++) S[off + a * zdim + b] += z[a] * z[b];
      }
    }
  }

  const vcov = multiply(multiply(bread, meat, p, p, p), bread, p, p, p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < a; b++) {
      const s = 0.5 * (vcov[a * p + b] + vcov[b * p + a]);
      vcov[a * p + b] = s;
      vcov[b * p + a] = s;
    }
  }

  let df: Float64Array | null = null;
  if (satterthwaite) {
    df = new Float64Array(p);
    const S = sAcc!;
    const cs = new Float64Array(zdim * zdim);
    for (let i = 0; i < p; i++) {
      multiply(cMat, S.subarray(i * zdim * zdim, (i + 1) * zdim * zdim), zdim, zdim, zdim, cs);
      let k2 = 0; // ‖K_i‖²_F = tr(CS·CS)
      for (let a = 0; a < zdim; a++) for (let b = 0; b < zdim; b++) k2 += cs[a * zdim + b] * cs[b * zdim + a];
      const mean = sumD[i] - sumK[i];
      const sumSq = sumD2[i] - 2 * sumDK[i] + k2;
      df[i] = (mean * mean) / sumSq;
    }
  }

  const diagnostics: Diagnostic[] = [];
  if (singular.length > 0) {
    const shown = singular.slice(0, 5).map((s) => `'${s}'`).join(", ");
    diagnostics.push(
      warning(
        "cr2-singular-adjustment",
        `CR2: I − H_jj is singular (smallest eigenvalue ${smallest.toExponential(2)}) for ${singular.length} cluster(s): ` +
          `${shown}${singular.length > 5 ? ", …" : ""}; their adjustment uses the pseudo-inverse square root, as clubSandwich does`,
      ),
    );
  }
  return Object.freeze({ type, vcov, df, nClusters: m, diagnostics: Object.freeze(diagnostics) });
}
