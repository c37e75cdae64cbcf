/**
 * Repeated weighted Gram matrices XᵀΩX with the same X and new weights (one
 * per Gibbs iteration). Entry (i, j) is Σ_r w_r·x_ri·x_rj = wᵀ(x_i ⊙ x_j), so
 * the elementwise products are formed once and each iteration is a single
 * pass of dot products. Identical product columns are computed once: in
 * designs with interactions many coincide (A·A = A for a 0/1 treatment,
 * (X:A)·Y = X·(A:Y), …), typically halving the work. Each product column is
 * summed only over the rows where it is nonzero (its support), and columns
 * with the same support two at a time (one load of each weight per pair),
 * each sum with exactly the operations of dotRange.
 */
import { columnSupport, dotRange, dotRangePair, supportPairs } from "./columns.ts";

export interface GramPlan {
  readonly n: number;
  readonly p: number;
  /** Distinct product columns. */
  readonly q: number;
  /** q product columns, column-major. */
  readonly products: Float64Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** For entry i·p + j of the Gram matrix, its product column. */
  readonly entry: Int32Array;
  /** Per-iteration scratch: the q sums. */
  readonly sums: Float64Array;
  /**
   * Product columns with the same support, in pairs (first[i], second[i]):
   * summed in one pass over the weights; `single` holds those left over.
   */
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly single: Int32Array;
}

/** Plans XᵀΩX for column-major X (p columns of length n). */
export function gramPlan(columns: Float64Array, n: number, p: number): GramPlan {
  // A fixed pseudo-random probe vector fingerprints each product column; candidates are verified exactly.
  const probe = new Float64Array(n);
  let h = 0x2545f491;
  for (let r = 0; r < n; r++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(h ^ (h >>> 12), 0x297a2d39);
    probe[r] = ((h >>> 0) / 4294967296) - 0.5;
  }
  const distinct: Float64Array[] = [];
  const byFingerprint = new Map<number, number[]>();
  const entry = new Int32Array(p * p);
  const product = new Float64Array(n);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let fingerprint = 0;
      for (let r = 0; r < n; r++) {
        product[r] = columns[i * n + r] * columns[j * n + r];
        fingerprint += product[r] * probe[r];
      }
      const candidates = byFingerprint.get(fingerprint) ?? [];
      let k = candidates.find((c) => distinct[c].every((v, r) => v === product[r]));
      if (k === undefined) {
        k = distinct.length;
        distinct.push(Float64Array.from(product));
        candidates.push(k);
        byFingerprint.set(fingerprint, candidates);
      }
      entry[i * p + j] = k;
      entry[j * p + i] = k;
    }
  }
  const q = distinct.length;
  const products = new Float64Array(q * n);
  distinct.forEach((c, k) => products.set(c, k * n));
  const { lo, hi } = columnSupport(products, n, q);
  return { n, p, q, products, lo, hi, entry, sums: new Float64Array(q), ...supportPairs(lo, hi) };
}

/** out = XᵀΩX (p×p, full symmetric) with Ω = diag(w), using a plan from gramPlan. */
export function gramWithPlan(plan: GramPlan, w: Float64Array, out: Float64Array = new Float64Array(plan.p * plan.p)): Float64Array {
  const { n, products, lo, hi, entry, sums, first, second, single } = plan;
  for (let i = 0; i < first.length; i++) {
    const a = first[i];
    const b = second[i];
    dotRangePair(w, products, a * n, b * n, lo[a], hi[a], sums, a, b);
  }
  for (let i = 0; i < single.length; i++) {
    const k = single[i];
    sums[k] = dotRange(w, products, k * n, lo[k], hi[k]);
  }
  for (let e = 0; e < entry.length; e++) out[e] = sums[entry[e]];
  return out;
}
