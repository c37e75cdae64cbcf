/**
 * Imputation from a model with fixed parameters (SI, MI, MMI): each missing
 * unit (a row, or a cluster for a cluster-level modifier) gets a Bernoulli
 * draw from its probability (binary) or its mean plus a normal residual draw
 * (continuous); observed units are kept. Then the units' values are spread
 * over the analysed rows.
 */
import type { Rng } from "../random/rng.ts";
import type { ModifierData } from "./data.ts";
import type { ModifierType } from "./modifier.ts";

/** A fitted imputation model with its parameters fixed. */
export interface FixedImputationModel {
  readonly type: ModifierType;
  /** Per imputation unit: P(M = 1) for a binary modifier, the mean for a continuous one. */
  readonly mean: Float64Array;
  /** Residual SD of a continuous modifier (0 for a binary one). */
  readonly sigma: number;
  readonly coefficients: Float64Array;
}

/** Writes one completed vector of units into `out` and returns it. */
export function drawUnits(
  observed: Float64Array,
  model: Pick<FixedImputationModel, "type" | "mean" | "sigma">,
  rng: Rng,
  out: Float64Array = new Float64Array(observed.length),
): Float64Array {
  const { mean, sigma } = model;
  if (model.type === "binary") {
    for (let u = 0; u < observed.length; u++) out[u] = Number.isNaN(observed[u]) ? (rng.uniform() < mean[u] ? 1 : 0) : observed[u];
  } else {
    for (let u = 0; u < observed.length; u++) out[u] = Number.isNaN(observed[u]) ? mean[u] + sigma * rng.normal() : observed[u];
  }
  return out;
}

/** The analysed rows' modifier from the units' values: the units themselves at the individual level. */
export function unitsToRows(data: ModifierData, units: Float64Array, out: Float64Array): Float64Array {
  if (data.level === "individual") return units;
  const { ofRow } = data.units;
  for (let r = 0; r < data.n; r++) out[r] = units[ofRow[r]];
  return out;
}

/** Indices whose value is observed (not NaN). */
export function observedRows(values: Float64Array): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < values.length; r++) if (!Number.isNaN(values[r])) rows.push(r);
  return Int32Array.from(rows);
}

/** The rows `rows` of a row-major n × p matrix. */
export function selectRows(x: Float64Array, p: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * p);
  for (let k = 0; k < rows.length; k++) out.set(x.subarray(rows[k] * p, rows[k] * p + p), k * p);
  return out;
}
