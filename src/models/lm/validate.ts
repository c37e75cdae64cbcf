/**
 * Input checks of the lm stages. Sizes, finiteness and weights use the
 * checks every model shares (glm/validate.ts), so the same mistake gets the
 * same message in lm, glm and gee; what is lm's own is here.
 */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { checkFrame as checkModelInput, checkWeights as checkNonNegativeWeights, rowLabel } from "../glm/validate.ts";

export { rowLabel };

/** The shared checks plus lm's: more rows than coefficients. */
export function checkFrame(frame: ModelFrame): void {
  checkModelInput(frame);
  const n = frame.y.length;
  const p = frame.X.cols;
  if (n <= p) throw new InputError(`lm needs more rows than coefficients: ${n} rows, ${p} coefficients (${frame.columnNames.join(", ")})`);
}

/**
 * The shared weight checks plus lm's: weights must be positive (least squares
 * on √w·X; drop zero-weight rows from the data instead).
 */
export function checkWeights(frame: ModelFrame, weights: ArrayLike<number>): Float64Array {
  const w = Float64Array.from(weights);
  checkNonNegativeWeights(frame, w);
  for (let r = 0; r < w.length; r++) {
    if (w[r] === 0) throw new InputError(`weight at ${rowLabel(frame, r)} is 0; lm needs positive weights (drop zero-weight rows from the data)`);
  }
  return w;
}
