/** Input checks of the lm stages: InputErrors name the column, row or value. */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";

export function rowLabel(frame: ModelFrame, r: number): string {
  return frame.rows && frame.rows.length === frame.y.length ? `row ${frame.rows[r] + 1}` : `frame row ${r + 1}`;
}

export function checkFrame(frame: ModelFrame): void {
  const { X, y, columnNames } = frame;
  const n = y.length;
  if (X.rows !== n) throw new InputError(`design matrix has ${X.rows} rows but response '${frame.response}' has ${n}`);
  if (columnNames.length !== X.cols) {
    throw new InputError(`design matrix has ${X.cols} columns but ${columnNames.length} column names`);
  }
  if (X.cols === 0) throw new InputError(`formula '${frame.formula}' has no terms to estimate`);
  for (let r = 0; r < n; r++) {
    if (!Number.isFinite(y[r])) throw new InputError(`response '${frame.response}' has non-finite value ${y[r]} at ${rowLabel(frame, r)}`);
  }
  const p = X.cols;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      const v = X.data[r * p + c];
      if (!Number.isFinite(v)) throw new InputError(`column '${columnNames[c]}' has non-finite value ${v} at ${rowLabel(frame, r)}`);
    }
  }
  if (n <= p) throw new InputError(`lm needs more rows than coefficients: ${n} rows, ${p} coefficients (${columnNames.join(", ")})`);
}

export function checkWeights(frame: ModelFrame, weights: ArrayLike<number>): Float64Array {
  const n = frame.y.length;
  if (weights.length !== n) throw new InputError(`weights have ${weights.length} values, expected ${n} (one per row)`);
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const v = weights[r];
    if (!(Number.isFinite(v) && v > 0)) throw new InputError(`weight ${v} at ${rowLabel(frame, r)} is not a positive finite number`);
    w[r] = v;
  }
  return w;
}
