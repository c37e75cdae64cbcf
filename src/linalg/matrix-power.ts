/**
 * Sorted eigendecomposition and powers of small symmetric matrices, built on
 * the Jacobi kernel of eigen.ts: A^(−1/2) for CR2-type bias corrections
 * (lm, GEE), or any A^power with the pseudo-inverse convention for
 * near-zero eigenvalues. Fine for n up to a few hundred.
 */
import { jacobiEigenInPlace } from "./eigen.ts";

/** Eigenvalues (decreasing, as R's `eigen`) and unit eigenvectors (column k of row-major `vectors`). */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/**
 * Eigendecomposition A = V·diag(λ)·Vᵀ of a symmetric n×n row-major matrix
 * (`a` is not modified), eigenvalues in decreasing order. Throws a
 * RangeError if the Jacobi iteration does not converge (not seen for finite input).
 *
 * @example
 * const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2); // values 3, 1
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const work = Float64Array.from(a.subarray(0, n * n));
  const v = new Float64Array(n * n);
  if (jacobiEigenInPlace(work, n, v) < 0) throw new RangeError(`Jacobi eigendecomposition of a ${n}×${n} matrix did not converge`);
  const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => work[j * n + j] - work[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((k, col) => {
    values[col] = work[k * n + k];
    for (let i = 0; i < n; i++) vectors[i * n + col] = v[i * n + k];
  });
  return { values, vectors };
}

/**
 * out = V·diag(f(λ))·Vᵀ with f(λ) = λ^power for λ > tol and 0 otherwise: for
 * negative powers of a positive semi-definite matrix this is the
 * Moore–Penrose version (clubSandwich's `matrix_power` convention, whose
 * tolerance is the absolute 1e-12).
 */
export function symmetricPower(
  a: Float64Array,
  n: number,
  power: number,
  tol = 1e-12,
  out: Float64Array = new Float64Array(n * n),
): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const f = new Float64Array(n);
  for (let k = 0; k < n; k++) f[k] = values[k] > tol ? Math.pow(values[k], power) : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k] * f[k] * vectors[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * Symmetric inverse square root A^(−1/2) of a symmetric positive
 * (semi-)definite n×n matrix; eigenvalues ≤ `tol` count as zero
 * (pseudo-inverse), as in clubSandwich's CR2 adjustment matrices.
 *
 * @example
 * const a = inverseSqrtSymmetric(Float64Array.from([4, 0, 0, 9]), 2); // diag(1/2, 1/3)
 */
export function inverseSqrtSymmetric(a: Float64Array, n: number, tol = 1e-12, out?: Float64Array): Float64Array {
  return symmetricPower(a, n, -0.5, tol, out);
}
