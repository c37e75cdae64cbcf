/**
 * Input checks shared by the GLM and GEE API layers. Every check throws an
 * InputError naming the column, data row and value at fault; kernels then
 * run without checks.
 */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { crossprod } from "../../linalg/crossprod.ts";
import { equilibratedCholesky } from "../../linalg/equilibrated.ts";
import { qrLeastSquares } from "../../linalg/qr.ts";
import type { Family } from "../family/family.ts";
import type { Link } from "../family/link.ts";

/** "row 12" in the data's numbering (first data row = 1), falling back to the frame row. */
export function rowLabel(frame: ModelFrame, i: number): string {
  return `row ${frame.rows && frame.rows.length > i ? frame.rows[i] + 1 : i + 1}`;
}

/**
 * Sizes agree, response and design are finite. Rows whose weight in
 * `ignoreZeroWeight` is 0 are not checked (GEE removes them before fitting,
 * so a complete-case analysis may carry missing values there).
 */
export function checkFrame(frame: ModelFrame, ignoreZeroWeight?: Float64Array): void {
  const { X, y } = frame;
  const n = y.length;
  if (n === 0) throw new InputError(`no rows to fit for '${frame.formula}'`);
  if (X.rows !== n) throw new InputError(`design matrix has ${X.rows} rows but the response '${frame.response}' has ${n}`);
  if (X.cols === 0) throw new InputError(`the model '${frame.formula}' has no coefficients`);
  if (frame.columnNames.length !== X.cols) {
    throw new InputError(`design matrix has ${X.cols} columns but ${frame.columnNames.length} column names`);
  }
  const skip = (i: number): boolean => ignoreZeroWeight !== undefined && ignoreZeroWeight.length === n && ignoreZeroWeight[i] === 0;
  for (let i = 0; i < n; i++) {
    if (skip(i)) continue;
    if (!Number.isFinite(y[i])) throw new InputError(`response '${frame.response}' ${rowLabel(frame, i)} is ${y[i]}; it must be a finite number`);
  }
  const p = X.cols;
  const d = X.data;
  for (let i = 0; i < n; i++) {
    if (skip(i)) continue;
    for (let j = 0; j < p; j++) {
      const v = d[i * p + j];
      if (!Number.isFinite(v)) throw new InputError(`column '${frame.columnNames[j]}' ${rowLabel(frame, i)} is ${v}; it must be a finite number`);
    }
  }
}

/** Prior weights: right length, finite, non-negative. */
export function checkWeights(frame: ModelFrame, weights: Float64Array | undefined): void {
  if (!weights) return;
  const n = frame.y.length;
  if (weights.length !== n) throw new InputError(`weights have length ${weights.length}, expected ${n} (one per row)`);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) throw new InputError(`weight at ${rowLabel(frame, i)} is ${w}; weights must be finite and non-negative`);
  }
}

/** Offset: right length, finite (rows whose weight in `ignoreZeroWeight` is 0 are not checked). */
export function checkOffset(frame: ModelFrame, offset: Float64Array | undefined, ignoreZeroWeight?: Float64Array): void {
  if (!offset) return;
  const n = frame.y.length;
  if (offset.length !== n) throw new InputError(`offset has length ${offset.length}, expected ${n} (one per row)`);
  for (let i = 0; i < n; i++) {
    if (ignoreZeroWeight && ignoreZeroWeight[i] === 0) continue;
    if (!Number.isFinite(offset[i])) throw new InputError(`offset at ${rowLabel(frame, i)} is ${offset[i]}; it must be finite`);
  }
}

/**
 * Responses valid for the family, and starting means valid for the link.
 * With `skipZeroWeight` (GEE, which removes such rows) rows of weight 0 are
 * not checked; otherwise they are, as R does (binomial excepted: R ignores
 * their response).
 */
export function checkResponse(frame: ModelFrame, family: Family, link: Link, weights: Float64Array | undefined, skipZeroWeight = false): void {
  const y = frame.y;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0 && skipZeroWeight) continue;
    const problem = family.checkResponse(y[i], w);
    if (problem) throw new InputError(`response '${frame.response}' ${rowLabel(frame, i)} is ${y[i]}: ${problem}`);
    if (w === 0) continue; // no starting value needed: the row does not enter the fit
    const eta = link.linkfun(family.startingMu(y[i], w));
    if (!Number.isFinite(eta) || !link.valideta(eta)) {
      throw new InputError(
        `cannot find valid starting values for family '${family.name}' with link '${link.name}': ` +
          `response '${frame.response}' ${rowLabel(frame, i)} is ${y[i]}`,
      );
    }
  }
}

/**
 * Refuses a rank-deficient design (rows with positive weight, QR with
 * tolerance 1e-7 as R's `lm`/`geeglm`), naming the dependent columns.
 * Policy: R would report NA for such coefficients; crtkit asks the user to
 * drop the column instead of fitting a model with unidentified terms.
 */
export function checkRank(frame: ModelFrame, weights: Float64Array | undefined): void {
  const { X } = frame;
  const n = X.rows;
  const p = X.cols;
  let m = 0;
  for (let i = 0; i < n; i++) if (!weights || weights[i] > 0) m++;
  if (m < p) {
    throw new InputError(`the model has ${p} coefficients but only ${m} rows${weights ? " with positive weight" : ""}`);
  }
  // Fast path: after scaling XᵀWX to a unit diagonal, the squared Cholesky
  // pivots are the squared ratios (residual norm of column j after projecting
  // on the earlier columns) / (norm of column j), the quantity R's QR compares
  // with 1e-7. When every ratio exceeds 1e-4 the design is clearly of full
  // rank; otherwise decide with QR, as R does.
  const xtx = crossprod(X.data, n, p, weights);
  const l = new Float64Array(p * p);
  if (equilibratedCholesky(xtx, p, l, new Float64Array(p), 0) === 0) {
    let smallest = Infinity;
    for (let j = 0; j < p; j++) smallest = Math.min(smallest, l[j * p + j] * l[j * p + j]);
    if (smallest > 1e-8) return;
  }
  const xs = new Float64Array(m * p);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (!(w > 0)) continue;
    const sw = Math.sqrt(w);
    for (let j = 0; j < p; j++) xs[r * p + j] = sw * X.data[i * p + j];
    r++;
  }
  const qr = qrLeastSquares(xs, m, p, new Float64Array(m));
  if (qr.dependent.length > 0) {
    const names = qr.dependent.map((j) => `'${frame.columnNames[j]}'`);
    throw new InputError(
      names.length === 1
        ? `singular design: column ${names[0]} is a linear combination of earlier columns; remove it from the model`
        : `singular design: columns ${names.join(", ")} are linear combinations of earlier columns; remove them from the model`,
    );
  }
}
