/**
 * The substantive model's design in the chain's working order, split so that
 * imputing the modifier costs only work on the rows where it is missing.
 * A row is x_r(m) = x⁰_r + m·Δ_r, Δ_r = x¹_r − x⁰_r (exactly, for a binary
 * modifier; for a continuous one the design is affine in it, substantive.ts);
 * `fixed` holds every row at its observed modifier (x⁰ where it is missing),
 * `delta` holds Δ of the missing rows. Then, with m the imputed values,
 *   Xβ = fixed·β + m ⊙ (delta·β) on the missing rows,
 *   Σ w x xᵀ = Σ w fixed fixedᵀ + Σ_missing w·m·L + Σ_missing w·m²·Q,
 * L = x⁰Δᵀ + Δx⁰ᵀ, Q = ΔΔᵀ; for a binary modifier m² = m and the two are
 * kept as one, x¹x¹ᵀ − x⁰x⁰ᵀ. The sums run over the entries that involve
 * the modifier only.
 */
import { columnSupport, dotRange, type ColumnSupport } from "../../linalg/columns.ts";
import { columnsOf, type WorkingLayout } from "./layout.ts";
import type { SubstantiveDesign } from "./substantive.ts";

/**
 * The distinct columns (nMissing × q) among the entries (i ≥ j) of a
 * per-row symmetric matrix that are not zero on every missing row;
 * `productOf[i·p + j]` is the column of entry (i, j), −1 for an entry that is
 * always zero. Many coincide (M·M = M, A·(A:M) = A:M for 0/1 columns), so
 * each is summed once.
 */
export interface ProductPlan {
  readonly products: Float64Array;
  readonly support: ColumnSupport;
  readonly productOf: Int32Array;
  /** Scratch of the q sums. */
  readonly sums: Float64Array;
}

export interface WorkingOutcomeDesign {
  readonly n: number;
  readonly p: number;
  /** n × p column-major, working order. */
  readonly fixed: Float64Array;
  readonly fixedSupport: ColumnSupport;
  readonly nMissing: number;
  /** Δ of the missing rows (layout.missing order), nMissing × p column-major. */
  readonly delta: Float64Array;
  readonly deltaSupport: ColumnSupport;
  /** Columns j with Δ_j not all zero. */
  readonly modifierColumns: Int32Array;
  /** Missing rows of working cluster c: missingStarts[c] .. missingStarts[c+1]-1 (they are grouped by cluster). */
  readonly missingStarts: Int32Array;
  /** The entries weighted by m: x¹x¹ᵀ − x⁰x⁰ᵀ (binary) or L (continuous). */
  readonly linear: ProductPlan;
  /** The entries weighted by m²: none (binary) or Q (continuous). */
  readonly square: ProductPlan;
}

function productPlan(p: number, nMissing: number, entry: (i: number, j: number, k: number) => number): ProductPlan {
  const distinct: Float64Array[] = [];
  const byKey = new Map<string, number[]>();
  const productOf = new Int32Array(p * p).fill(-1);
  const d = new Float64Array(nMissing);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let nonzero = false;
      let fingerprint = 0;
      for (let k = 0; k < nMissing; k++) {
        d[k] = entry(i, j, k);
        if (d[k] !== 0) nonzero = true;
        fingerprint += d[k] * ((k % 7) + 1);
      }
      if (!nonzero) continue;
      const key = String(fingerprint);
      const candidates = byKey.get(key) ?? [];
      let e = candidates.find((c) => distinct[c].every((v, k) => v === d[k]));
      if (e === undefined) {
        e = distinct.length;
        distinct.push(Float64Array.from(d));
        candidates.push(e);
        byKey.set(key, candidates);
      }
      productOf[i * p + j] = e;
    }
  }
  const q = distinct.length;
  const products = new Float64Array(q * nMissing);
  distinct.forEach((column, e) => products.set(column, e * nMissing));
  return { products, support: columnSupport(products, nMissing, q), productOf, sums: new Float64Array(q) };
}

/** `continuous`: the modifier takes any value (the design is affine in it), not only 0 and 1. */
export function workingOutcomeDesign(layout: WorkingLayout, design: SubstantiveDesign, modifier: Float64Array, continuous = false): WorkingOutcomeDesign {
  const { n, order, missing, clusters, clusterOf } = layout;
  const { p, X0, X1 } = design;
  const fixedColumns = new Float64Array(n * p);
  for (let k = 0; k < n; k++) {
    const o = order[k] * p;
    const m = modifier[order[k]];
    const at = Number.isNaN(m) ? 0 : m;
    for (let j = 0; j < p; j++) fixedColumns[j * n + k] = at === 0 ? X0[o + j] : at === 1 ? X1[o + j] : X0[o + j] + at * (X1[o + j] - X0[o + j]);
  }
  const nMissing = missing.length;
  const missingRows = Int32Array.from(missing, (w) => order[w]);
  const deltaRows = new Float64Array(nMissing * p);
  for (let k = 0; k < nMissing; k++) {
    const o = missingRows[k] * p;
    for (let j = 0; j < p; j++) deltaRows[k * p + j] = X1[o + j] - X0[o + j];
  }
  const delta = columnsOf(deltaRows, p, Int32Array.from({ length: nMissing }, (_, k) => k));
  const modifierColumns: number[] = [];
  for (let j = 0; j < p; j++) if (delta.support.hi[j] > delta.support.lo[j]) modifierColumns.push(j);
  const missingStarts = new Int32Array(clusters + 1);
  for (let k = 0; k < nMissing; k++) missingStarts[clusterOf[missing[k]] + 1]++;
  for (let c = 0; c < clusters; c++) missingStarts[c + 1] += missingStarts[c];

  const x0 = (k: number, i: number) => X0[missingRows[k] * p + i];
  const x1 = (k: number, i: number) => X1[missingRows[k] * p + i];
  const dk = (k: number, i: number) => deltaRows[k * p + i];
  const linear = continuous
    ? productPlan(p, nMissing, (i, j, k) => x0(k, i) * dk(k, j) + dk(k, i) * x0(k, j))
    : productPlan(p, nMissing, (i, j, k) => x1(k, i) * x1(k, j) - x0(k, i) * x0(k, j));
  const square = productPlan(p, continuous ? nMissing : 0, (i, j, k) => dk(k, i) * dk(k, j));
  return {
    n,
    p,
    fixed: fixedColumns,
    fixedSupport: columnSupport(fixedColumns, n, p),
    nMissing,
    delta: delta.columns,
    deltaSupport: delta.support,
    modifierColumns: Int32Array.from(modifierColumns),
    missingStarts,
    linear,
    square,
  };
}

function addPlan(plan: ProductPlan, nMissing: number, p: number, v: Float64Array, gram: Float64Array): void {
  const { products, support, productOf, sums } = plan;
  if (sums.length === 0) return;
  for (let e = 0; e < sums.length; e++) sums[e] = dotRange(v, products, e * nMissing, support.lo[e], support.hi[e]);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      const e = productOf[i * p + j];
      if (e >= 0) gram[i * p + j] += sums[e];
    }
  }
}

/**
 * gram += Σ_missing (v_k·L_k + s_k·Q_k) (lower triangle): v the weights of the
 * imputed values (w·m), s those of their squares (w·m²; unused for a binary modifier).
 */
export function addModifierGram(design: WorkingOutcomeDesign, v: Float64Array, s: Float64Array, gram: Float64Array): void {
  addPlan(design.linear, design.nMissing, design.p, v, gram);
  addPlan(design.square, design.nMissing, design.p, s, gram);
}

/** sums[c] += Σ_{missing k in c} v_k·Δ_k (C × p row-major). */
export function addModifierClusterSums(design: WorkingOutcomeDesign, v: Float64Array, sums: Float64Array): void {
  const { nMissing, p, delta, deltaSupport, modifierColumns, missingStarts } = design;
  const C = missingStarts.length - 1;
  for (let t = 0; t < modifierColumns.length; t++) {
    const j = modifierColumns[t];
    const lo = deltaSupport.lo[j];
    const hi = deltaSupport.hi[j];
    for (let c = 0; c < C; c++) {
      const from = Math.max(lo, missingStarts[c]);
      const to = Math.min(hi, missingStarts[c + 1]);
      if (from < to) sums[c * p + j] += dotRange(v, delta, j * nMissing, from, to);
    }
  }
}

/** out[c·p + j] = Σ_{r in cluster c} w_r·x_rj for column-major X (n × p); rows outside a column's support are skipped. */
export function weightedClusterSums(
  columns: Float64Array,
  support: ColumnSupport,
  n: number,
  p: number,
  starts: Int32Array,
  w: Float64Array,
  out: Float64Array,
): void {
  const C = starts.length - 1;
  for (let j = 0; j < p; j++) {
    const lo = support.lo[j];
    const hi = support.hi[j];
    const base = j * n;
    for (let c = 0; c < C; c++) {
      const from = Math.max(lo, starts[c]);
      const to = Math.min(hi, starts[c + 1]);
      out[c * p + j] = from < to ? dotRange(w, columns, base, from, to) : 0;
    }
  }
}

/** Σ_{r in cluster c} v_r for each cluster. */
export function clusterTotals(v: Float64Array, starts: Int32Array, out: Float64Array): void {
  for (let c = 0; c + 1 < starts.length; c++) {
    let s = 0;
    for (let r = starts[c]; r < starts[c + 1]; r++) s += v[r];
    out[c] = s;
  }
}
