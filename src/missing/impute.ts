/**
 * Imputation from fixed predicted probabilities (SI, MI, MMI): each missing
 * modifier value becomes a Bernoulli draw; observed values are kept.
 */
import type { Rng } from "../random/rng.ts";

/** Writes one completed modifier vector into `out` and returns it. */
export function drawCompleted(
  observed: Float64Array,
  probability: Float64Array,
  rng: Rng,
  out: Float64Array = new Float64Array(observed.length),
): Float64Array {
  for (let r = 0; r < observed.length; r++) {
    out[r] = Number.isNaN(observed[r]) ? (rng.uniform() < probability[r] ? 1 : 0) : observed[r];
  }
  return out;
}

/** Rows (indices) whose modifier is observed. */
export function observedRows(modifier: Float64Array): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < modifier.length; r++) if (!Number.isNaN(modifier[r])) rows.push(r);
  return Int32Array.from(rows);
}

/** The rows `rows` of a row-major n × p matrix. */
export function selectRows(x: Float64Array, p: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * p);
  for (let k = 0; k < rows.length; k++) out.set(x.subarray(rows[k] * p, rows[k] * p + p), k * p);
  return out;
}
