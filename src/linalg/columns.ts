/**
 * Column-major kernels: X stored as p columns of length n (column j is
 * x[j*n .. j*n + n)). Hot loops that repeat a crossproduct with new weights
 * (Gibbs samplers) use these: each inner loop runs over a whole column, which
 * V8 compiles far better than the short per-row loops of the row-major forms.
 * Optional `support` gives, per column, a row range [lo, hi) outside which
 * the column is zero; products then skip the zero rows (interaction columns
 * with a cluster-level 0/1 factor are zero for half the clusters), and
 * crossproducts take columns of equal support two at a time. Repeated
 * weighted Gram matrices have their own kernel in gram.ts.
 */

/** Per-column row ranges [lo[j], hi[j]) that hold every nonzero entry. */
export interface ColumnSupport {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** The columns paired by equal support (supportPairs), for products that take a pair in one pass. */
  readonly pairs?: SupportPairs;
}

/** Columns with equal support in pairs (first[i], second[i]); `single` holds the unpaired ones. */
export interface SupportPairs {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly single: Int32Array;
}

/** Pairs of columns with equal support, in column order; the unpaired ones apart. */
export function supportPairs(lo: Int32Array, hi: Int32Array): SupportPairs {
  const first: number[] = [];
  const second: number[] = [];
  const waiting = new Map<string, number>();
  for (let k = 0; k < lo.length; k++) {
    const key = `${lo[k]}:${hi[k]}`;
    const other = waiting.get(key);
    if (other === undefined) waiting.set(key, k);
    else {
      first.push(other);
      second.push(k);
      waiting.delete(key);
    }
  }
  return { first: Int32Array.from(first), second: Int32Array.from(second), single: Int32Array.from([...waiting.values()].sort((a, b) => a - b)) };
}

/** The tightest support of each column of a column-major matrix (an all-zero column gets [0, 0)). */
export function columnSupport(x: Float64Array, n: number, p: number): ColumnSupport {
  const lo = new Int32Array(p);
  const hi = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const c = j * n;
    let first = 0;
    while (first < n && x[c + first] === 0) first++;
    let last = n;
    while (last > first && x[c + last - 1] === 0) last--;
    lo[j] = first === n ? 0 : first;
    hi[j] = first === n ? 0 : last;
  }
  return { lo, hi, pairs: supportPairs(lo, hi) };
}

function fullSupport(n: number, p: number): ColumnSupport {
  return { lo: new Int32Array(p), hi: new Int32Array(p).fill(n) };
}

/** out = Xᵀ·v for column-major X. */
export function crossprodVectorColumns(
  x: Float64Array,
  n: number,
  p: number,
  v: Float64Array,
  out: Float64Array = new Float64Array(p),
  support: ColumnSupport = fullSupport(n, p),
): Float64Array {
  const { lo, hi, pairs } = support;
  if (pairs === undefined) {
    for (let j = 0; j < p; j++) out[j] = dotRange(v, x, j * n, lo[j], hi[j]);
    return out;
  }
  const { first, second, single } = pairs;
  for (let i = 0; i < first.length; i++) {
    const a = first[i];
    dotRangePair(v, x, a * n, second[i] * n, lo[a], hi[a], out, a, second[i]);
  }
  for (let i = 0; i < single.length; i++) {
    const j = single[i];
    out[j] = dotRange(v, x, j * n, lo[j], hi[j]);
  }
  return out;
}

/** out = X·b for column-major X. */
export function multiplyVectorColumns(
  x: Float64Array,
  n: number,
  p: number,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
  support: ColumnSupport = fullSupport(n, p),
): Float64Array {
  // Columns four at a time over their joint support: one load and store of out[r] per four products.
  // The first four are stored as 0 + their sum (what adding them to a zeroed out[r] gives), not added.
  let j = 0;
  if (p >= 4) {
    const from = Math.min(support.lo[0], support.lo[1], support.lo[2], support.lo[3]);
    const to = Math.max(from, support.hi[0], support.hi[1], support.hi[2], support.hi[3]);
    const b0 = b[0];
    const b1 = b[1];
    const b2 = b[2];
    const b3 = b[3];
    const c1 = n;
    const c2 = 2 * n;
    const c3 = 3 * n;
    out.fill(0, 0, from);
    for (let r = from; r < to; r++) out[r] = 0 + (b0 * x[r] + b1 * x[c1 + r] + (b2 * x[c2 + r] + b3 * x[c3 + r]));
    out.fill(0, to, n);
    j = 4;
  } else out.fill(0);
  for (; j + 3 < p; j += 4) {
    const from = Math.min(support.lo[j], support.lo[j + 1], support.lo[j + 2], support.lo[j + 3]);
    const to = Math.max(support.hi[j], support.hi[j + 1], support.hi[j + 2], support.hi[j + 3]);
    const b0 = b[j];
    const b1 = b[j + 1];
    const b2 = b[j + 2];
    const b3 = b[j + 3];
    const c0 = j * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let r = from; r < to; r++) out[r] += b0 * x[c0 + r] + b1 * x[c1 + r] + (b2 * x[c2 + r] + b3 * x[c3 + r]);
  }
  for (; j < p; j++) {
    const bj = b[j];
    const cj = j * n;
    for (let r = support.lo[j]; r < support.hi[j]; r++) out[r] += bj * x[cj + r];
  }
  return out;
}

/**
 * Σ_{r in [from, to)} w[r]·x[base + r], with four accumulators: a single
 * running sum is bound by the latency of each addition.
 */
export function dotRange(w: Float64Array, x: Float64Array, base: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let r = from;
  for (; r + 3 < to; r += 4) {
    s0 += w[r] * x[base + r];
    s1 += w[r + 1] * x[base + r + 1];
    s2 += w[r + 2] * x[base + r + 2];
    s3 += w[r + 3] * x[base + r + 3];
  }
  for (; r < to; r++) s0 += w[r] * x[base + r];
  return s0 + s1 + (s2 + s3);
}

/**
 * dotRange over two columns at once (bases `a` and `b`, the same range):
 * out[ka] and out[kb] get exactly the sums dotRange gives, one pass over w.
 */
export function dotRangePair(w: Float64Array, x: Float64Array, a: number, b: number, from: number, to: number, out: Float64Array, ka: number, kb: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let r = from;
  for (; r + 3 < to; r += 4) {
    const w0 = w[r];
    const w1 = w[r + 1];
    const w2 = w[r + 2];
    const w3 = w[r + 3];
    s0 += w0 * x[a + r];
    s1 += w1 * x[a + r + 1];
    s2 += w2 * x[a + r + 2];
    s3 += w3 * x[a + r + 3];
    t0 += w0 * x[b + r];
    t1 += w1 * x[b + r + 1];
    t2 += w2 * x[b + r + 2];
    t3 += w3 * x[b + r + 3];
  }
  for (; r < to; r++) {
    s0 += w[r] * x[a + r];
    t0 += w[r] * x[b + r];
  }
  out[ka] = s0 + s1 + (s2 + s3);
  out[kb] = t0 + t1 + (t2 + t3);
}
