/** A δ-adjustment (mnar.ts) shifts one logit or mean: with k levels there is none to shift, so it is refused. */
import { InputError } from "../../core/errors.ts";
import type { ModifierData } from "../data.ts";
import { unitShifts } from "../mnar.ts";
import type { MethodSettings } from "../result.ts";

/** Refuses a δ-adjustment (sensitivity analyses) for a categorical modifier. */
export function refuseShift(data: ModifierData, settings: MethodSettings): void {
  if (unitShifts(data, settings) !== null) {
    throw new InputError(
      `a δ-adjustment shifts one logit or mean; the categorical modifier '${data.columns.modifier}' has ${data.levels!.length} levels: use δ = 0 (the other sensitivity analyses apply)`,
    );
  }
}

