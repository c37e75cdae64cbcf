/**
 * The δ-adjustment of a pattern-mixture sensitivity analysis: the values
 * drawn for missing modifiers come from the imputation model shifted by δ
 * (on the logit for a binary modifier, on the mean for a continuous one),
 * observed values and the imputation model's fit being left as they are.
 * δ may differ between arms (`deltaBy`). With every δ zero nothing is
 * shifted and the draws are those of the MAR analysis, bit for bit.
 */
import { checkFinite } from "../core/check.ts";
import type { ModifierData } from "./data.ts";

/** δ for the missing modifiers of treated and control units. */
export interface ArmDeltas {
  readonly treated: number;
  readonly control: number;
}

export interface MnarShift {
  /** One δ for every missing modifier (default 0: missing at random). */
  readonly delta?: number;
  /** δ by arm; overrides `delta`. */
  readonly deltaBy?: ArmDeltas;
}

/** The δs of both arms, checked. */
export function armDeltas(shift: MnarShift): ArmDeltas {
  if (shift.deltaBy !== undefined) {
    return { treated: checkFinite(shift.deltaBy.treated, "delta for treated"), control: checkFinite(shift.deltaBy.control, "delta for control") };
  }
  const d = checkFinite(shift.delta ?? 0, "delta");
  return { treated: d, control: d };
}

/** Each imputation unit's δ, or null when every δ is zero (the MAR draws, untouched). */
export function unitShifts(data: ModifierData, shift: MnarShift): Float64Array | null {
  const { treated, control } = armDeltas(shift);
  if (treated === 0 && control === 0) return null;
  const out = new Float64Array(data.units.n);
  if (data.level === "cluster") {
    for (let c = 0; c < data.units.n; c++) out[c] = data.treatment[data.starts[c]] === 1 ? treated : control;
  } else {
    for (let r = 0; r < data.n; r++) out[r] = data.treatment[r] === 1 ? treated : control;
  }
  return out;
}

/** P(M = 1) with its logit shifted by δ (0 and 1 stay put). */
export function shiftedProbability(p: number, delta: number): number {
  if (p <= 0 || p >= 1) return p;
  return 1 / (1 + ((1 - p) / p) * Math.exp(-delta));
}

/** The mean of the completed modifier over the rows where it was missing (NaN when none is). */
export function meanImputed(data: ModifierData, completedRows: Float64Array): number {
  let s = 0;
  let k = 0;
  for (let r = 0; r < data.n; r++) {
    if (!Number.isNaN(data.modifier[r])) continue;
    s += completedRows[r];
    k++;
  }
  return k === 0 ? NaN : s / k;
}
