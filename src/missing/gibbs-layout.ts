/**
 * Pieces shared by the B-MMI Gibbs samplers (gibbs.ts, gibbs-normal.ts): the
 * working layout of the design and the Gaussian block draw of β.
 */
import { ComputeError } from "../core/errors.ts";
import { choleskyInPlace, solveLowerInPlace, solveLowerTransposeInPlace } from "../linalg/cholesky.ts";
import { columnSupport, type ColumnSupport } from "../linalg/columns.ts";
import type { Rng } from "../random/rng.ts";

export interface ChainLayout {
  /** Working cluster c owns working rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
  /** order[k]: the input row at working row k. */
  readonly order: Int32Array;
  /** W in working row order, column-major (n × p). */
  readonly columns: Float64Array;
  readonly support: ColumnSupport;
}

/**
 * Clusters sorted (stably) by which columns of W are entirely zero within
 * them, W copied column-major in that row order, and each column's support:
 * columns that vanish on whole clusters (interactions with a cluster-level
 * 0/1 treatment) are then zero on one contiguous block of rows, which the
 * products skip.
 */
export function chainLayout(W: Float64Array, n: number, p: number, inputStarts: Int32Array): ChainLayout {
  const C = inputStarts.length - 1;
  const signature: string[] = [];
  for (let c = 0; c < C; c++) {
    let key = "";
    for (let j = 0; j < p; j++) {
      let zero = true;
      for (let r = inputStarts[c]; r < inputStarts[c + 1] && zero; r++) zero = W[r * p + j] === 0;
      key += zero ? "0" : "1";
    }
    signature.push(key);
  }
  const clusterOrder = Array.from({ length: C }, (_, c) => c).sort((a, b) =>
    signature[a] < signature[b] ? -1 : signature[a] > signature[b] ? 1 : a - b,
  );
  const starts = new Int32Array(C + 1);
  const order = new Int32Array(n);
  let k = 0;
  clusterOrder.forEach((c, i) => {
    for (let r = inputStarts[c]; r < inputStarts[c + 1]; r++) order[k++] = r;
    starts[i + 1] = k;
  });
  const columns = new Float64Array(n * p);
  for (let kk = 0; kk < n; kk++) {
    const row = order[kk] * p;
    for (let j = 0; j < p; j++) columns[j * n + kk] = W[row + j];
  }
  return { starts, order, columns, support: columnSupport(columns, n, p) };
}

/**
 * Overwrites `rhs` with a draw from N(P⁻¹·rhs, P⁻¹) for the p × p precision
 * P in `precision` (destroyed: it becomes its Cholesky factor L, P = LLᵀ):
 * β = L⁻ᵀ(L⁻¹·rhs + z), z ~ N(0, I).
 */
export function drawGaussianInPlace(precision: Float64Array, p: number, rhs: Float64Array, rng: Rng, iteration: number): void {
  if (choleskyInPlace(precision, p) !== 0) {
    throw new ComputeError(`B-MMI: the posterior precision of the imputation coefficients is singular at iteration ${iteration}`);
  }
  solveLowerInPlace(precision, p, rhs);
  for (let j = 0; j < p; j++) rhs[j] += rng.normal();
  solveLowerTransposeInPlace(precision, p, rhs);
}
