/**
 * Working correlation structures for GEE. Each works on one cluster's
 * contiguous rows in O(n_i) per column, never forming an n_i×n_i matrix:
 *
 * - `whiten` applies T⁻¹ with R(α) = T·Tᵀ, so that aᵀR⁻¹b = (T⁻¹a)ᵀ(T⁻¹b):
 *   exchangeable uses the symmetric root R^{-1/2} (closed form on the span
 *   of 1 and its complement), AR(1) the Prais–Winsten transform (the
 *   inverse Cholesky factor of the tridiagonal-inverse matrix).
 * - `alphaSums` adds one cluster's terms of geepack's Fisher-scoring
 *   equation for α: Σ_{j<k} w_j w_k ∂ρ_jk/∂α (e_j e_k − ρ_jk(α)) and its
 *   information Σ_{j<k} w_j w_k (∂ρ_jk/∂α)², with e the Pearson residuals
 *   divided by √scale and w the prior weights. For exchangeable one step
 *   gives the moment estimator Σ w_j w_k e_j e_k / Σ w_j w_k over all
 *   within-cluster pairs (no N − p correction, as geepack); for AR(1) the
 *   pairs at every lag d enter with ρ^d (not only adjacent pairs).
 *
 * Time gaps (AR(1) only; geepack's `waves`): with rows ordered by an integer
 * time t, `gaps[i]` = t_i − t_{i−1} ≥ 1 within the cluster, and the lag of a
 * pair is the difference of their times, as geepack's ρ^|t_j − t_k|. The
 * matrix stays Markov, so whitening stays O(n): u_j = (x_j − ρ^g x_{j−1}) /
 * √(1 − ρ^{2g}). Without gaps every gap is 1 (the row order within cluster).
 * Gaps are indexed like the data rows (offset `start`); the other structures
 * ignore them.
 */

export type CorStr = "independence" | "exchangeable" | "ar1";

export interface WorkingCorrelation {
  readonly name: CorStr;
  /** Number of correlation parameters (0 or 1). */
  readonly nParameters: 0 | 1;
  /** Whether R(α) is positive definite for every cluster size up to `maxSize`. */
  valid(alpha: number, maxSize: number): boolean;
  /** The open interval of valid α for clusters up to `maxSize`, for messages. */
  range(maxSize: number): readonly [number, number];
  /**
   * x ← T⁻¹x for each of the k columns of the row-major n×k block `x`
   * (rows 0..n−1, row stride k), where R(α) = T·Tᵀ for a cluster of n rows.
   * Block row j has time gap gaps[start + j] to row j − 1 (default 1).
   */
  whiten(x: Float64Array, n: number, k: number, alpha: number, gaps?: ArrayLike<number>, start?: number): void;
  /**
   * Adds one cluster's score and information for α to acc[0] and acc[1].
   * `e` holds standardized residuals and `w` prior weights (null = 1) at
   * offsets start..start+n−1.
   */
  alphaSums(e: Float64Array, w: ArrayLike<number> | null, start: number, n: number, alpha: number, acc: Float64Array, gaps?: ArrayLike<number>): void;
}

export const independence: WorkingCorrelation = Object.freeze({
  name: "independence" as const,
  nParameters: 0 as const,
  valid: () => true,
  range: () => [0, 0] as const,
  whiten: () => {},
  alphaSums: () => {},
});

export const exchangeable: WorkingCorrelation = Object.freeze({
  name: "exchangeable" as const,
  nParameters: 1 as const,
  valid(alpha: number, maxSize: number): boolean {
    return alpha < 1 && (maxSize < 2 || 1 + (maxSize - 1) * alpha > 0);
  },
  range(maxSize: number): readonly [number, number] {
    return [maxSize < 2 ? -Infinity : -1 / (maxSize - 1), 1];
  },
  whiten(x: Float64Array, n: number, k: number, alpha: number): void {
    if (n < 2 || alpha === 0) return;
    // R^{-1/2} = a(I − J/n) + b·J/n, a = (1−α)^{-1/2}, b = (1+(n−1)α)^{-1/2}.
    const a = 1 / Math.sqrt(1 - alpha);
    const b = 1 / Math.sqrt(1 + (n - 1) * alpha);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += x[j * k + c];
      const mb = (s / n) * (b - a);
      for (let j = 0; j < n; j++) x[j * k + c] = a * x[j * k + c] + mb;
    }
  },
  alphaSums(e: Float64Array, w: ArrayLike<number> | null, start: number, n: number, alpha: number, acc: Float64Array): void {
    if (n < 2) return;
    let s1 = 0;
    let s2 = 0;
    let w1 = 0;
    let w2 = 0;
    for (let j = start; j < start + n; j++) {
      const wj = w ? w[j] : 1;
      const we = wj * e[j];
      s1 += we;
      s2 += we * we;
      w1 += wj;
      w2 += wj * wj;
    }
    const pairsWE = 0.5 * (s1 * s1 - s2); // Σ_{j<k} w_j w_k e_j e_k
    const pairsW = 0.5 * (w1 * w1 - w2); // Σ_{j<k} w_j w_k
    acc[0] += pairsWE - alpha * pairsW;
    acc[1] += pairsW;
  },
});

export const ar1: WorkingCorrelation = Object.freeze({
  name: "ar1" as const,
  nParameters: 1 as const,
  valid: (alpha: number) => alpha > -1 && alpha < 1,
  range: () => [-1, 1] as const,
  whiten(x: Float64Array, n: number, k: number, rho: number, gaps?: ArrayLike<number>, start = 0): void {
    if (n < 2 || rho === 0) return;
    // Prais–Winsten: u_0 = x_0, u_j = (x_j − ρ^g x_{j−1}) / √(1 − ρ^{2g}); backwards so it runs in place.
    const unit = 1 / Math.sqrt(1 - rho * rho);
    for (let j = n - 1; j >= 1; j--) {
      const g = gaps ? gaps[start + j] : 1;
      const rg = g === 1 ? rho : rho ** g;
      const s = g === 1 ? unit : 1 / Math.sqrt(1 - rg * rg);
      const r = j * k;
      const q = r - k;
      for (let c = 0; c < k; c++) x[r + c] = (x[r + c] - rg * x[q + c]) * s;
    }
  },
  alphaSums(e: Float64Array, w: ArrayLike<number> | null, start: number, n: number, rho: number, acc: Float64Array, gaps?: ArrayLike<number>): void {
    if (n < 2) return;
    // With lag d = k − j, ρ_jk = ρ^d and ∂ρ_jk/∂ρ = d·ρ^{d−1}. All-pairs sums by recurrences:
    //   G1 = Σ a_j a_k d ρ^{d−1}           (a = w·e)   = Σ_k a_k F'_k,  F_k = Σ_{j<k} a_j ρ^{k−j}
    //   G2 = Σ w_j w_k d ρ^{2d−1} = ρ·Q1,  Q1 = Σ w_j w_k d r^{d−1}     (r = ρ²) = Σ_k w_k P'_k
    //   H  = Σ w_j w_k d² r^{d−1} = Q1 + r Σ_k w_k P''_k,               P_k = Σ_{j<k} w_j r^{k−j}
    // A gap g multiplies the running sums by ρ^g (r^g) and their derivatives by the chain rule.
    const r = rho * rho;
    let f = 0;
    let fd = 0;
    let pp = 0;
    let pd = 0;
    let pdd = 0;
    let g1 = 0;
    let q1 = 0;
    let q2 = 0;
    let aPrev = (w ? w[start] : 1) * e[start];
    let wPrev = w ? w[start] : 1;
    for (let j = start + 1; j < start + n; j++) {
      const wj = w ? w[j] : 1;
      const aj = wj * e[j];
      const g = gaps ? gaps[j] : 1;
      // ρ^g, r^g and their derivatives in ρ and r; for g = 1 the same numbers as the unit-lag recurrence.
      const rg = g === 1 ? rho : rho ** g;
      const drg = g === 1 ? 1 : g * rho ** (g - 1);
      const sg = g === 1 ? r : r ** g;
      const dsg = g === 1 ? 1 : g * r ** (g - 1);
      const d2sg = g === 1 ? 0 : g * (g - 1) * r ** (g - 2);
      const base = f + aPrev;
      fd = drg * base + rg * fd;
      f = rg * base;
      const pbase = pp + wPrev;
      pdd = d2sg * pbase + 2 * dsg * pd + sg * pdd;
      pd = dsg * pbase + sg * pd;
      pp = sg * pbase;
      g1 += aj * fd;
      q1 += wj * pd;
      q2 += wj * pdd;
      aPrev = aj;
      wPrev = wj;
    }
    acc[0] += g1 - rho * q1;
    acc[1] += q1 + r * q2;
  },
});

export const CORRELATIONS: Readonly<Record<CorStr, WorkingCorrelation>> = Object.freeze({ independence, exchangeable, ar1 });
