/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi
 * rotations: accurate to working precision for every eigenvalue, simple, and
 * fast enough for the p×p matrices (p ≲ 50) that sandwich corrections need.
 */

/**
 * Diagonalizes the symmetric n×n row-major matrix `a` in place: on return
 * its diagonal holds the eigenvalues (unordered, off-diagonal zeroed) and
 * column k of `vectors` (row-major, vectors[i * n + k]) is the unit
 * eigenvector of eigenvalue a[k * n + k], so A = V·diag·Vᵀ.
 * Returns the number of sweeps used, or −1 if `maxSweeps` were not enough.
 */
export function jacobiEigenInPlace(a: Float64Array, n: number, vectors: Float64Array, maxSweeps = 60): number {
  vectors.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm += a[i] * a[i];
  norm = Math.sqrt(norm);
  for (let sweep = 0; sweep <= maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (Math.sqrt(off) <= 1e-16 * norm || off < 1e-300) {
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) if (p !== q) a[p * n + q] = 0;
      return sweep;
    }
    if (sweep === maxSweeps) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // tan of the rotation angle that zeroes a_pq, the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = a[r * n + p];
          const arq = a[r * n + q];
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          a[r * n + p] = np;
          a[p * n + r] = np;
          a[r * n + q] = nq;
          a[q * n + r] = nq;
        }
        for (let r = 0; r < n; r++) {
          const vrp = vectors[r * n + p];
          const vrq = vectors[r * n + q];
          vectors[r * n + p] = c * vrp - s * vrq;
          vectors[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return -1;
}

/**
 * Convenience form: eigenvalues into `values`, eigenvectors as the columns of
 * `vectors`; `a` is destroyed. Returns the sweeps used, or −1 on failure.
 */
export function symmetricEigenInPlace(
  a: Float64Array,
  n: number,
  values: Float64Array = new Float64Array(n),
  vectors: Float64Array = new Float64Array(n * n),
): number {
  const sweeps = jacobiEigenInPlace(a, n, vectors);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return sweeps;
}
