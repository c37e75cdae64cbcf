/**
 * The least-squares stage of lm: Householder QR on √w·X and √w·y, residuals,
 * and the bread (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ from the QR's R factor. Inverting R rather
 * than XᵀWX keeps the variances equivariant to a column's units: a covariate
 * of magnitude 1e6 next to a 0/1 indicator squares the condition number of
 * XᵀWX but not that of R.
 */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { qrLeastSquares } from "../../linalg/index.ts";
import { checkFrame, checkWeights } from "./validate.ts";

/** The least-squares stage. Arrays are row-major; `bread` is (XᵀWX)⁻¹. */
export interface OlsFit {
  readonly n: number;
  readonly p: number;
  readonly coefficients: Float64Array;
  /** y − Xβ̂ (raw, not multiplied by √w). */
  readonly residuals: Float64Array;
  readonly weights: Float64Array | null;
  readonly bread: Float64Array;
  /** Σ w·e². */
  readonly rss: number;
  readonly dfResidual: number;
  /** √(rss / (n − p)). */
  readonly sigma: number;
}

/**
 * Least squares by Householder QR (weighted: on √w·X and √w·y). A column
 * that is a linear combination of earlier ones is refused with an InputError
 * naming it (R would report NA for it).
 */
export function olsFit(frame: ModelFrame, weights?: ArrayLike<number>): OlsFit {
  checkFrame(frame);
  const { X, y, columnNames } = frame;
  const n = X.rows;
  const p = X.cols;
  const wIn = weights ?? frame.weights;
  const w = wIn === undefined ? null : checkWeights(frame, wIn);
  let xs = X.data;
  let ys: Float64Array = y;
  if (w) {
    xs = new Float64Array(n * p);
    ys = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const sw = Math.sqrt(w[r]);
      ys[r] = sw * y[r];
      for (let c = 0; c < p; c++) xs[r * p + c] = sw * X.data[r * p + c];
    }
  }
  const qr = qrLeastSquares(xs, n, p, ys);
  if (qr.dependent.length > 0) {
    const names = qr.dependent.map((c) => `'${columnNames[c]}'`);
    throw new InputError(
      names.length === 1
        ? `singular design: column ${names[0]} is a linear combination of earlier columns`
        : `singular design: columns ${names.join(", ")} are linear combinations of earlier columns`,
    );
  }
  const beta = qr.coefficients;
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += X.data[r * p + c] * beta[c];
    const e = y[r] - s;
    residuals[r] = e;
    rss += (w ? w[r] : 1) * e * e;
  }
  const dfResidual = n - p;
  return Object.freeze({
    n,
    p,
    coefficients: beta,
    residuals,
    weights: w,
    bread: inverseGramFromR(qr.r, p),
    rss,
    dfResidual,
    sigma: Math.sqrt(rss / dfResidual),
  });
}

/** (RᵀR)⁻¹ = R⁻¹R⁻ᵀ for an upper-triangular, nonsingular p×p row-major R. */
export function inverseGramFromR(r: Float64Array, p: number): Float64Array {
  // U = R⁻¹ (upper triangular), column by column: R·u_j = e_j.
  const u = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    u[j * p + j] = 1 / r[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s -= r[i * p + k] * u[k * p + j];
      u[i * p + j] = s / r[i * p + i];
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += u[i * p + k] * u[j * p + k];
      out[i * p + j] = s;
      out[j * p + i] = s;
    }
  }
  return out;
}
