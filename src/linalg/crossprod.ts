/** Weighted crossproducts of a row-major n×p matrix X. */

/** out = Xᵀ·diag(w)·X (p×p, full symmetric); w omitted means unit weights. */
export function crossprod(
  x: Float64Array,
  n: number,
  p: number,
  w?: ArrayLike<number>,
  out: Float64Array = new Float64Array(p * p),
): Float64Array {
  out.fill(0);
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    if (wr === 0) continue;
    const row = r * p;
    for (let i = 0; i < p; i++) {
      const xi = wr * x[row + i];
      if (xi === 0) continue;
      const oi = i * p;
      for (let j = 0; j <= i; j++) out[oi + j] += xi * x[row + j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[j * p + i] = out[i * p + j];
  return out;
}

/** out = Xᵀ·diag(w)·y (length p). */
export function crossprodVector(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  w?: ArrayLike<number>,
  out: Float64Array = new Float64Array(p),
): Float64Array {
  out.fill(0);
  for (let r = 0; r < n; r++) {
    const v = (w ? w[r] : 1) * y[r];
    if (v === 0) continue;
    const row = r * p;
    for (let i = 0; i < p; i++) out[i] += x[row + i] * v;
  }
  return out;
}

/** out = X·b (length n). */
export function multiplyVector(
  x: Float64Array,
  n: number,
  p: number,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let r = 0; r < n; r++) {
    const row = r * p;
    let s = 0;
    for (let i = 0; i < p; i++) s += x[row + i] * b[i];
    out[r] = s;
  }
  return out;
}

/** out = A·B for row-major A (n×k) and B (k×m). */
export function multiply(
  a: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
  m: number,
  out: Float64Array = new Float64Array(n * m),
): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l];
      if (ail === 0) continue;
      const rb = l * m;
      const ro = i * m;
      for (let j = 0; j < m; j++) out[ro + j] += ail * b[rb + j];
    }
  }
  return out;
}

/** out = Aᵀ (A row-major n×m, out m×n). */
export function transpose(a: Float64Array, n: number, m: number, out: Float64Array = new Float64Array(n * m)): Float64Array {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j];
  return out;
}
