/**
 * Householder QR least squares for a row-major n×p matrix, with rank
 * detection in R's spirit: a column whose remaining norm falls below
 * `tol` times its original norm is linearly dependent on the columns before it.
 */
export interface QrLeastSquares {
  /** Coefficients; NaN for dependent columns (as R reports NA). */
  readonly coefficients: Float64Array;
  readonly residuals: Float64Array;
  readonly rank: number;
  /** Indices of columns found linearly dependent on earlier columns. */
  readonly dependent: readonly number[];
  /** R of X = QR over the kept columns: rank×rank, row-major, upper triangular. */
  readonly r: Float64Array;
}

export function qrLeastSquares(x: Float64Array, n: number, p: number, y: ArrayLike<number>, tol = 1e-7): QrLeastSquares {
  // Work column-major on the kept columns: each Householder reflection is applied to the rest and to y.
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = x[i * p + j];
    cols.push(c);
  }
  const qty = Float64Array.from(y as ArrayLike<number>);
  const kept: number[] = [];
  const dependent: number[] = [];
  const vs: Float64Array[] = [];
  const rdiag: number[] = [];
  const rcols: Float64Array[] = []; // column j of R restricted to kept rows
  for (let j = 0; j < p; j++) {
    const c = cols[j];
    let orig = 0;
    for (let i = 0; i < n; i++) orig += c[i] * c[i];
    orig = Math.sqrt(orig);
    // apply previous reflections to c
    const r = new Float64Array(kept.length + 1);
    for (let k = 0; k < vs.length; k++) {
      applyReflection(vs[k], k, n, c);
      r[k] = c[k];
    }
    const k = kept.length;
    let norm = 0;
    for (let i = k; i < n; i++) norm += c[i] * c[i];
    norm = Math.sqrt(norm);
    if (k >= n || norm <= tol * Math.max(orig, Number.MIN_VALUE) || orig === 0) {
      dependent.push(j);
      continue;
    }
    const alpha = c[k] > 0 ? -norm : norm;
    const v = new Float64Array(n);
    for (let i = k; i < n; i++) v[i] = c[i];
    v[k] -= alpha;
    let vnorm = 0;
    for (let i = k; i < n; i++) vnorm += v[i] * v[i];
    vnorm = Math.sqrt(vnorm);
    for (let i = k; i < n; i++) v[i] /= vnorm;
    vs.push(v);
    r[k] = alpha;
    rdiag.push(alpha);
    rcols.push(r);
    kept.push(j);
    applyReflection(v, k, n, qty);
  }
  // Back substitution R b = Qᵀy on kept columns.
  const m = kept.length;
  const b = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = qty[i];
    for (let j = i + 1; j < m; j++) s -= rcols[j][i] * b[j];
    b[i] = s / rdiag[i];
  }
  const coefficients = new Float64Array(p).fill(NaN);
  kept.forEach((j, i) => (coefficients[j] = b[i]));
  const residuals = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[r * p + kept[i]] * b[i];
    residuals[r] = (y as ArrayLike<number>)[r] - s;
  }
  const rFactor = new Float64Array(m * m);
  for (let j = 0; j < m; j++) for (let i = 0; i <= j; i++) rFactor[i * m + j] = rcols[j][i];
  return { coefficients, residuals, rank: m, dependent, r: rFactor };
}

function applyReflection(v: Float64Array, k: number, n: number, c: Float64Array): void {
  let s = 0;
  for (let i = k; i < n; i++) s += v[i] * c[i];
  s *= 2;
  for (let i = k; i < n; i++) c[i] -= s * v[i];
}
