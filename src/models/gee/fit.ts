/**
 * Kernel-level GEE estimation, iteration for iteration as geepack's
 * `geese.fit` (which `geeglm` calls):
 *
 * - start: β from the GLM fit (caller-supplied), α = 0, scale φ = the
 *   unweighted mean of squared Pearson residuals at the start (geepack
 *   computes these without the offset; kept for an identical path);
 * - each iteration: one Fisher-scoring step for β with the current α and φ,
 *   Δβ = (Σ DᵢᵀVᵢ⁻¹Dᵢ)⁻¹ Σ DᵢᵀVᵢ⁻¹(yᵢ − μᵢ), halved while μ leaves its
 *   domain; then φ = Σ w·r² / Σ w (r = Pearson residuals at the new β, no
 *   N − p correction); then one Fisher-scoring step for α from the pairs of
 *   standardized residuals (see correlation.ts);
 * - stop when max(|Δβ|, |Δφ|, |Δα|) ≤ tolerance (geepack: 1e-4, absolute),
 *   at most maxIter (25) iterations.
 *
 * Prior weights enter as geepack's: √w on both sides of the working
 * covariance in the β equation, w in the scale mean, w_j·w_k for α pairs.
 * Rows with weight 0 must be removed by the caller (the API does so).
 *
 * Per cluster the work is O(n_i·p²): the rows' derivative and residual
 * columns are whitened in O(n_i·p) and cross-multiplied.
 */
import { ComputeError } from "../../core/errors.ts";
import { equilibratedCholesky, equilibratedSolveInPlace } from "../../linalg/equilibrated.ts";
import type { Family } from "../family/family.ts";
import type { Link } from "../family/link.ts";
import type { WorkingCorrelation } from "./correlation.ts";

export interface GeeFitOptions {
  /** Positive prior weights, length n (default 1). */
  readonly weights?: ArrayLike<number>;
  readonly offset?: ArrayLike<number>;
  /** Starting coefficients (geeglm: the GLM estimates). Required. */
  readonly start: ArrayLike<number>;
  /** Maximum Fisher-scoring iterations (geepack: 25). */
  readonly maxIter?: number;
  /** Absolute tolerance on the largest parameter change (geepack: 1e-4). */
  readonly tolerance?: number;
  /** AR(1) time gap of each row to the previous row of its cluster (rows in time order); default 1. See correlation.ts. */
  readonly gaps?: ArrayLike<number>;
}

export interface GeeKernelFit {
  readonly coefficients: Float64Array;
  /** Correlation parameter; 0 for independence. */
  readonly alpha: number;
  /** Scale φ (geepack's gamma). */
  readonly scale: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Largest parameter change at the last iteration. */
  readonly lastChange: number;
  /** Number of within-cluster pairs that informed α (0: α was not estimated). */
  readonly pairs: number;
}

/**
 * Estimates β, α and φ for the row-major n×p design `x` with clusters
 * `starts` (length C + 1, rows of cluster c are starts[c]..starts[c+1]−1).
 * Throws a ComputeError when α leaves the range where the working
 * correlation is positive definite, or when the β step cannot be taken.
 */
export function geeFit(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  starts: Int32Array,
  family: Family,
  link: Link,
  corr: WorkingCorrelation,
  options: GeeFitOptions,
): GeeKernelFit {
  const maxIter = options.maxIter ?? 25;
  const tolerance = options.tolerance ?? 1e-4;
  const weights = options.weights;
  const offset = options.offset;
  const nClusters = starts.length - 1;
  let maxSize = 0;
  for (let c = 0; c < nClusters; c++) maxSize = Math.max(maxSize, starts[c + 1] - starts[c]);

  const k = p + 1;
  const block = new Float64Array(maxSize * k);
  const hess = new Float64Array(p * p);
  const grad = new Float64Array(p);
  const l = new Float64Array(p * p);
  const sc = new Float64Array(p);
  const beta = Float64Array.from(options.start as ArrayLike<number>);
  const betaNew = new Float64Array(p);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const e = new Float64Array(n); // Pearson residuals, then standardized by √φ
  const acc = new Float64Array(2);

  let sumW = 0;
  for (let i = 0; i < n; i++) sumW += weights ? weights[i] : 1;

  // geepack's starting scale: mean of (y − μ)²/V(μ) with μ = g⁻¹(Xβ) (no offset, no weights).
  let scale = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += x[i * p + j] * beta[j];
    const m = link.linkinv(s);
    const r = y[i] - m;
    scale += (r * r) / family.variance(m);
  }
  scale /= n;
  let alpha = 0;
  let pairs = 0;
  for (let c = 0; c < nClusters; c++) {
    const m = starts[c + 1] - starts[c];
    pairs += (m * (m - 1)) / 2;
  }
  if (corr.nParameters === 0) pairs = 0;

  predict(x, n, p, beta, offset, link, eta, mu);
  let converged = false;
  let iter = 0;
  let change = Infinity;
  for (iter = 1; iter <= maxIter; iter++) {
    // --- β: one Fisher-scoring step at the current α (φ cancels) ---
    hess.fill(0);
    grad.fill(0);
    for (let c = 0; c < nClusters; c++) {
      const s0 = starts[c];
      const m = starts[c + 1] - s0;
      if (m === 0) continue;
      fillBlock(x, p, y, weights, family, link, eta, mu, s0, m, block);
      corr.whiten(block, m, k, alpha, options.gaps, s0);
      accumulate(block, m, p, hess, grad);
    }
    symmetrize(hess, p);
    if (!hess.every(Number.isFinite) || !grad.every(Number.isFinite)) {
      throw new ComputeError(`GEE: the estimating equations for the coefficients overflowed at iteration ${iter} (Σ DᵀV⁻¹D or Σ DᵀV⁻¹(y − μ) is not finite); rescale the outcome or covariates`);
    }
    const status = equilibratedCholesky(hess, p, l, sc, 0);
    if (status !== 0) throw new ComputeError(`GEE: the information matrix for the coefficients is singular at iteration ${iter} (pivot ${status} of ${p})`);
    equilibratedSolveInPlace(l, sc, p, grad); // grad now holds Δβ
    let halvings = 0;
    for (;;) {
      for (let j = 0; j < p; j++) betaNew[j] = beta[j] + grad[j];
      predict(x, n, p, betaNew, offset, link, eta, mu);
      if (allValid(mu, n, family)) break;
      if (++halvings > 60) throw new ComputeError(`GEE: cannot keep the fitted means valid for family '${family.name}' (step halving failed at iteration ${iter})`);
      for (let j = 0; j < p; j++) grad[j] *= 0.5;
    }
    let dBeta = 0;
    for (let j = 0; j < p; j++) dBeta = Math.max(dBeta, Math.abs(grad[j]));
    beta.set(betaNew);

    // --- φ: weighted mean squared Pearson residual at the new β ---
    let ssq = 0;
    for (let i = 0; i < n; i++) {
      const r = (y[i] - mu[i]) / Math.sqrt(family.variance(mu[i]));
      e[i] = r;
      ssq += (weights ? weights[i] : 1) * r * r;
    }
    const newScale = ssq / sumW;
    if (!Number.isFinite(newScale)) {
      throw new ComputeError(`GEE: the scale (mean squared Pearson residual) is ${newScale} at iteration ${iter}; the residuals overflowed: rescale the outcome`);
    }
    const dScale = Math.abs(newScale - scale);
    scale = newScale;

    // --- α: one Fisher-scoring step from standardized residual pairs ---
    let dAlpha = 0;
    if (corr.nParameters > 0 && pairs > 0) {
      const root = Math.sqrt(scale);
      for (let i = 0; i < n; i++) e[i] /= root;
      acc[0] = 0;
      acc[1] = 0;
      for (let c = 0; c < nClusters; c++) {
        const s0 = starts[c];
        corr.alphaSums(e, weights ?? null, s0, starts[c + 1] - s0, alpha, acc, options.gaps);
      }
      if (acc[1] > 0) {
        const step = acc[0] / acc[1];
        alpha += step;
        dAlpha = Math.abs(step);
      }
      if (!Number.isFinite(alpha)) {
        throw new ComputeError(`GEE: the ${corr.name} correlation estimate is ${alpha} at iteration ${iter}: its residual sums overflowed`);
      }
      if (!corr.valid(alpha, maxSize)) {
        const [lo, hi] = corr.range(maxSize);
        throw new ComputeError(
          `GEE: the ${corr.name} correlation estimate alpha = ${alpha.toPrecision(4)} at iteration ${iter} is outside (${lo.toPrecision(4)}, ${hi}), ` +
            `where the working correlation of the largest cluster (${maxSize} rows) is positive definite; try corstr independence`,
        );
      }
    }
    change = Math.max(dBeta, dScale, dAlpha);
    if (change <= tolerance) {
      converged = true;
      break;
    }
  }
  return {
    coefficients: beta,
    alpha,
    scale,
    converged,
    iterations: Math.min(iter, maxIter),
    lastChange: change,
    pairs,
  };
}

/**
 * Writes one cluster's rows into `block` (row stride p + 1): the derivative
 * row √w·(dμ/dη)/√V · xᵢ and, in the last column, the Pearson residual
 * √w·(y − μ)/√V.
 */
export function fillBlock(
  x: Float64Array,
  p: number,
  y: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  family: Family,
  link: Link,
  eta: Float64Array,
  mu: Float64Array,
  start: number,
  m: number,
  block: Float64Array,
): void {
  const k = p + 1;
  for (let j = 0; j < m; j++) {
    const row = start + j;
    const sw = weights ? Math.sqrt(weights[row]) : 1;
    const rootV = Math.sqrt(family.variance(mu[row]));
    const f = (sw * link.muEta(eta[row])) / rootV;
    const xo = row * p;
    const bo = j * k;
    for (let c = 0; c < p; c++) block[bo + c] = f * x[xo + c];
    block[bo + p] = (sw * (y[row] - mu[row])) / rootV;
  }
}

/** hess += GᵀG (lower triangle), grad += Gᵀe for a whitened block [G | e] of m rows. */
export function accumulate(block: Float64Array, m: number, p: number, hess: Float64Array, grad: Float64Array): void {
  const k = p + 1;
  // Column a's products with columns 0..a (hess) and with e (grad, column p),
  // four running sums per pass over the rows: each is a chain of dependent
  // additions, so four chains overlap; each sum keeps its row order, hence its value.
  for (let a = 0; a < p; a++) {
    const count = a + 2;
    let t = 0;
    for (; t + 3 < count; t += 4) {
      const c0 = t <= a ? t : p;
      const c1 = t + 1 <= a ? t + 1 : p;
      const c2 = t + 2 <= a ? t + 2 : p;
      const c3 = t + 3 <= a ? t + 3 : p;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0, o = 0; j < m; j++, o += k) {
        const xa = block[o + a];
        s0 += xa * block[o + c0];
        s1 += xa * block[o + c1];
        s2 += xa * block[o + c2];
        s3 += xa * block[o + c3];
      }
      addSum(hess, grad, p, a, c0, s0);
      addSum(hess, grad, p, a, c1, s1);
      addSum(hess, grad, p, a, c2, s2);
      addSum(hess, grad, p, a, c3, s3);
    }
    for (; t < count; t++) {
      const c = t <= a ? t : p;
      let s = 0;
      for (let j = 0, o = 0; j < m; j++, o += k) s += block[o + a] * block[o + c];
      addSum(hess, grad, p, a, c, s);
    }
  }
}

/** Adds the sum of column a times column c to hess (c < p) or to grad (c = p, the residuals). */
function addSum(hess: Float64Array, grad: Float64Array, p: number, a: number, c: number, s: number): void {
  if (c === p) grad[a] += s;
  else hess[a * p + c] += s;
}

export function symmetrize(a: Float64Array, p: number): void {
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) a[j * p + i] = a[i * p + j];
}

export function predict(
  x: Float64Array,
  n: number,
  p: number,
  beta: ArrayLike<number>,
  offset: ArrayLike<number> | undefined,
  link: Link,
  eta: Float64Array,
  mu: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let s = offset ? offset[i] : 0;
    for (let j = 0; j < p; j++) s += x[o + j] * beta[j];
    eta[i] = s;
    mu[i] = link.linkinv(s);
  }
}

function allValid(mu: Float64Array, n: number, family: Family): boolean {
  for (let i = 0; i < n; i++) if (!family.validmu(mu[i])) return false;
  return true;
}
