/**
 * The CR2 adjustment (Bell & McCaffrey's bias-reduced linearization, as
 * clubSandwich computes it for lm): A_j is the symmetric inverse square root
 * of G_j = [(I − H)(I − H)ᵀ]_jj. H_jj has rank ≤ p, so with an orthonormal
 * basis Q_j of span(Z_j), Z_j = [X_j, W_jX_j] (just X_j unweighted),
 * G_j = I + Q_j T_j Q_jᵀ and, from T_j = VΛVᵀ,
 * A_j = I + Q_j V((1+Λ)^(−1/2) − 1)Vᵀ Q_jᵀ: a (2p)×(2p) eigenproblem per cluster.
 * Eigenvalues of G_j ≤ 1e-12 are treated as zero (pseudo-inverse), as clubSandwich does.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { ComputeError } from "../core/errors.ts";
import { multiply } from "../linalg/crossprod.ts";
import { jacobiEigenInPlace } from "../linalg/eigen.ts";
import type { ClusterAdjustment, SandwichRows } from "./sandwich-adjust.ts";

/** Eigenvalues of G_j at or below this are treated as zero (clubSandwich's matrix_power). */
const CR2_EIGEN_TOL = 1e-12;
/** A column of Z_j whose norm shrinks below this fraction when orthogonalized is in the span of earlier ones. */
const SPAN_TOL = 1e-10;

/**
 * `bread` is B = (XᵀWX)⁻¹, `omega` Ω = B·XᵀW²X·B (= B unweighted), `maxSize`
 * the largest cluster's row count.
 */
export function cr2Adjustment(
  rows: SandwichRows,
  bread: Float64Array,
  omega: Float64Array,
  maxSize: number,
  label: (j: number) => string,
): ClusterAdjustment {
  const { x, p, residuals: e, weights: w } = rows;
  const weighted = w !== undefined;
  const k = weighted ? 2 * p : p; // columns of Z_j
  const q = new Float64Array(k * maxSize); // basis vectors, one per row of length maxSize
  const v = new Float64Array(maxSize);
  const rx = new Float64Array(k * p); // QᵀX_j (rank×p)
  const rwx = new Float64Array(k * p); // QᵀW_jX_j
  const qe = new Float64Array(k); // Qᵀe_j
  const tMat = new Float64Array(k * k);
  const evec = new Float64Array(k * k);
  const phi = new Float64Array(k * k);
  const phi2 = new Float64Array(k * k);
  const fVal = new Float64Array(k);
  const f2Val = new Float64Array(k);
  const wrk = new Float64Array(k * p);
  const singular: string[] = [];
  let smallest = Infinity;

  return {
    apply(j, r0, r1, { sw, sw2, sv }, { u, n1, n2, n3 }) {
      const nj = r1 - r0;
      // Orthonormal basis of span(Z_j) by Gram–Schmidt with reorthogonalization.
      const Q = q;
      const vv = v;
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
      const RX = rx;
      const RWX = rwx;
      const QE = qe;
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
      const T = tMat;
      const W1 = wrk;
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
      const V = evec;
      if (jacobiEigenInPlace(T, rank, V) < 0) {
        throw new ComputeError(`CR2 adjustment for cluster '${label(j)}': eigendecomposition did not converge`);
      }
      const f = fVal;
      const f2 = f2Val;
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
      const PHI = phi;
      const PHI2 = phi2;
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
    },
    diagnostics(): Diagnostic[] {
      if (singular.length === 0) return [];
      const shown = singular.slice(0, 5).map((s) => `'${s}'`).join(", ");
      return [
        warning(
          "cr2-singular-adjustment",
          `CR2: I − H_jj is singular (smallest eigenvalue ${smallest.toExponential(2)}) for ${singular.length} cluster(s): ` +
            `${shown}${singular.length > 5 ? ", …" : ""}; their adjustment uses the pseudo-inverse square root, as clubSandwich does`,
        ),
      ];
    },
  };
}
