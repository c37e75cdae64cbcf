/**
 * The per-cluster stages of the linear sandwich (see sandwich.ts for the
 * notation): the cluster's Gram matrices, and the adjustment A_j of each
 * cluster-robust type, applied without forming anything n_j × n_j.
 *
 * An adjustment writes, for cluster j, the adjusted score u = X_jᵀW_jA_je_j
 * and the p×p matrices the Satterthwaite df need:
 * N1 = X_jᵀW_jA_jX_j, N2 = X_jᵀW_jA_jW_jX_j, N3 = X_jᵀW_jA_j²W_jX_j.
 */
import { ComputeError } from "../core/errors.ts";
import { multiply } from "../linalg/crossprod.ts";
import { equilibratedCholesky, equilibratedInverse } from "../linalg/equilibrated.ts";
import type { Diagnostic } from "../core/diagnostics.ts";

/** The rows a cluster-robust variance works on (a subset of LinearSandwichInput). */
export interface SandwichRows {
  readonly x: Float64Array;
  readonly p: number;
  readonly residuals: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
}

/** Cluster sums: S_j = X_jᵀW_jX_j, S2_j = X_jᵀW_j²X_j and s_j = X_jᵀW_je_j. */
export class ClusterGram {
  readonly sw: Float64Array;
  readonly sw2: Float64Array;
  readonly sv: Float64Array;

  constructor(readonly p: number) {
    this.sw = new Float64Array(p * p);
    this.sw2 = new Float64Array(p * p);
    this.sv = new Float64Array(p);
  }

  /** Fills the sums over rows r0 .. r1 − 1. */
  compute({ x, residuals: e, weights: w }: SandwichRows, r0: number, r1: number): void {
    const { p, sw, sw2, sv } = this;
    sw.fill(0);
    sw2.fill(0);
    sv.fill(0);
    for (let r = r0; r < r1; r++) {
      const wr = w !== undefined ? w[r] : 1;
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
  }
}

/** What an adjustment writes for one cluster (scratch, reused). */
export class AdjustedScore {
  readonly u: Float64Array;
  readonly n1: Float64Array;
  readonly n2: Float64Array;
  readonly n3: Float64Array;

  constructor(p: number) {
    this.u = new Float64Array(p);
    this.n1 = new Float64Array(p * p);
    this.n2 = new Float64Array(p * p);
    this.n3 = new Float64Array(p * p);
  }
}

export interface ClusterAdjustment {
  /** Writes cluster j's (rows r0 .. r1 − 1) adjusted score and N matrices into `out`. */
  apply(j: number, r0: number, r1: number, gram: ClusterGram, out: AdjustedScore): void;
  /** Anything worth telling after all clusters (e.g. singular CR2 adjustments). */
  diagnostics(): Diagnostic[];
}

/** CR0, CR1, CR1p, CR1S: A_j = c·I for a scalar c. */
export function scalarAdjustment(c: number, p: number): ClusterAdjustment {
  const pp = p * p;
  return {
    apply(_j, _r0, _r1, { sw, sw2, sv }, { u, n1, n2, n3 }) {
      for (let a = 0; a < p; a++) u[a] = c * sv[a];
      for (let i = 0; i < pp; i++) {
        n1[i] = c * sw[i];
        n2[i] = c * sw2[i];
        n3[i] = c * c * sw2[i];
      }
    },
    diagnostics: () => [],
  };
}

/**
 * CR3: by Woodbury, X_jᵀW_j(I − H_jj)⁻¹ = F·D·X_jᵀW_j with F = XᵀWX and
 * D = (F − S_j)⁻¹, the leave-one-cluster-out jackknife. F − S_j is factored
 * after equilibration, so the singularity test does not depend on the columns' units.
 */
export function cr3Adjustment(xtwx: Float64Array, p: number, label: (j: number) => string): ClusterAdjustment {
  const pp = p * p;
  const l = new Float64Array(pp);
  const dInv = new Float64Array(pp);
  const fd = new Float64Array(pp);
  const eqScale = new Float64Array(p);
  return {
    apply(j, _r0, _r1, { sw, sw2, sv }, { u, n1, n2, n3 }) {
      for (let i = 0; i < pp; i++) dInv[i] = xtwx[i] - sw[i];
      if (equilibratedCholesky(dInv, p, l, eqScale) !== 0) {
        throw new ComputeError(
          `CR3 variance is undefined: I − H_jj is singular for cluster '${label(j)}' (the design without that cluster is singular)`,
        );
      }
      equilibratedInverse(l, eqScale, p, dInv);
      multiply(xtwx, dInv, p, p, p, fd);
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let b = 0; b < p; b++) s += fd[a * p + b] * sv[b];
        u[a] = s;
      }
      multiply(fd, sw, p, p, p, n1);
      multiply(fd, sw2, p, p, p, n2);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) {
          let s = 0;
          for (let c = 0; c < p; c++) s += n2[a * p + c] * fd[b * p + c];
          n3[a * p + b] = s;
        }
      }
    },
    diagnostics: () => [],
  };
}
