/**
 * Cholesky of a symmetric positive definite matrix after symmetric diagonal
 * scaling (A = D⁻¹·L·Lᵀ·D⁻¹ with D = diag(1/√a_ii)). Scaling to a unit
 * diagonal makes the singularity test independent of the columns' units, so
 * a covariate measured in dollars next to a 0/1 indicator is not mistaken for
 * a dependent column. Kernels: no validation, output arrays may be supplied.
 */
import { choleskyInPlace, solveLowerInPlace, solveLowerTransposeInPlace } from "./cholesky.ts";

/**
 * Factors `a` (p×p, row-major, not modified) into `l` and `scale`.
 * Returns 0 on success, or k + 1 when pivot k is not positive (A singular or
 * not positive definite at relative tolerance `tol`).
 */
export function equilibratedCholesky(
  a: Float64Array,
  p: number,
  l: Float64Array = new Float64Array(p * p),
  scale: Float64Array = new Float64Array(p),
  tol = 1e-12,
): number {
  for (let i = 0; i < p; i++) {
    const d = a[i * p + i];
    if (!(d > 0) || !Number.isFinite(d)) return i + 1;
    scale[i] = 1 / Math.sqrt(d);
  }
  for (let i = 0; i < p; i++) {
    const si = scale[i];
    for (let j = 0; j < p; j++) l[i * p + j] = a[i * p + j] * si * scale[j];
  }
  return choleskyInPlace(l, p, tol);
}

/** Solves A·x = b in place from an equilibrated factor. */
export function equilibratedSolveInPlace(l: Float64Array, scale: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) b[i] *= scale[i];
  solveLowerInPlace(l, p, b);
  solveLowerTransposeInPlace(l, p, b);
  for (let i = 0; i < p; i++) b[i] *= scale[i];
}

/** Writes A⁻¹ (full symmetric) into `out` from an equilibrated factor. */
export function equilibratedInverse(
  l: Float64Array,
  scale: Float64Array,
  p: number,
  out: Float64Array = new Float64Array(p * p),
): Float64Array {
  const col = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    col.fill(0);
    col[j] = 1;
    equilibratedSolveInPlace(l, scale, p, col);
    for (let i = 0; i < p; i++) out[i * p + j] = col[i];
  }
  // Symmetrize (the two triangles differ only by rounding).
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * p + j] + out[j * p + i]);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  }
  return out;
}
