/**
 * Values a fit can square and sum without overflow. A finite cell such as
 * 1e308 is a valid number but not a usable model input: every fit forms sums
 * of squares or cross-products (XᵀWX, residual sums, deviances), which become
 * Infinity or NaN and surface far from their cause. So the frame is checked
 * up front and the message names the column, row and value.
 */
import { InputError } from "../core/errors.ts";
import type { ModelFrame } from "./types.ts";

/** Largest |value| accepted: its square summed over 10^8 rows stays below the double range (~1.8e308). */
export const MAX_MAGNITUDE = 1e150;

/** "data row 6" (dataset numbering) when the frame knows its rows, else "frame row 6". */
function rowText(rows: Int32Array | undefined, n: number, i: number): string {
  return rows && rows.length === n ? `data row ${rows[i] + 1}` : `frame row ${i + 1}`;
}

function tooLarge(what: string, value: number, row: string): InputError {
  return new InputError(
    `${what} is ${value} at ${row}: values beyond ±${MAX_MAGNITUDE} overflow the sums of squares a fit forms; rescale the column (e.g. other units)`,
  );
}

/**
 * Throws an InputError for the first response value or design-matrix entry
 * whose magnitude exceeds MAX_MAGNITUDE, naming the column and row.
 * Non-finite values are left to the finiteness checks.
 *
 * @example
 * checkMagnitudes(frame); // "response 'Y' is 1e+308 at data row 6: values beyond ±1e+150 overflow …"
 */
export function checkMagnitudes(frame: Pick<ModelFrame, "y" | "X" | "response" | "columnNames" | "rows">): void {
  const { y, X } = frame;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (Math.abs(y[i]) > MAX_MAGNITUDE && Number.isFinite(y[i])) throw tooLarge(`response '${frame.response}'`, y[i], rowText(frame.rows, n, i));
  }
  const p = X.cols;
  const d = X.data;
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < p; j++) {
      const v = d[i * p + j];
      if (Math.abs(v) > MAX_MAGNITUDE && Number.isFinite(v)) {
        throw tooLarge(`column '${frame.columnNames[j] ?? j + 1}'`, v, rowText(frame.rows, X.rows, i));
      }
    }
  }
}
