/**
 * What kind of effect modifier the trial has, decided once for every method:
 *
 * - its type: binary (0/1; logistic imputation models), continuous (linear
 *   ones) or categorical (categorical/levels.ts). Detected as binary when every observed value is 0 or 1, unless
 *   the caller says which; a binary type with other values is refused.
 * - its level: a modifier constant within every cluster where it is observed
 *   (and observed at least twice in some cluster) is a cluster-level
 *   variable; it is then imputed once per cluster and a row missing it in a
 *   partly observed cluster takes its cluster's value (it is known).
 *
 * A modifier that takes one value in every observed row is refused: its
 * interaction with the treatment cannot be estimated.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";

/** categorical: k ≥ 2 unordered levels, read by categorical/levels.ts (multinomial-logit imputation models). */
export const MODIFIER_TYPES = ["binary", "continuous", "categorical"] as const;
export type ModifierType = (typeof MODIFIER_TYPES)[number];
export type ModifierLevel = "individual" | "cluster";

const isBinaryValue = (v: number): boolean => v === 0 || v === 1;

/**
 * The modifier's type from its values over the data rows (NaN = missing):
 * `requested`, checked against the data, or the detected one.
 */
export function modifierType(
  values: Float64Array,
  name: string,
  requested: ModifierType | undefined,
): { type: ModifierType; diagnostics: Diagnostic[] } {
  if (requested !== undefined && !(MODIFIER_TYPES as readonly string[]).includes(requested)) {
    throw new InputError(`modifier type '${requested}' is not one of ${MODIFIER_TYPES.join(", ")}`);
  }
  let firstOther = -1;
  let others = 0;
  const distinct = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (distinct.size <= 2) distinct.add(v);
    if (!isBinaryValue(v)) {
      others++;
      if (firstOther < 0) firstOther = i;
    }
  }
  if (requested === "binary") {
    if (others > 0) {
      throw new InputError(
        `modifier '${name}' must be 0 or 1 for a binary modifier; row ${firstOther + 1} has ${values[firstOther]}` +
          `${others > 1 ? ` (${others} rows have values other than 0 and 1)` : ""}; use the continuous type for a numeric modifier`,
      );
    }
    return { type: "binary", diagnostics: [] };
  }
  if (requested === "continuous") {
    const diagnostics =
      others === 0
        ? [info("modifier-type", `modifier '${name}' has only the values 0 and 1 but is imputed as continuous, as requested: by linear models, so imputed values are not restricted to 0 and 1`)]
        : [];
    return { type: "continuous", diagnostics };
  }
  if (others === 0) return { type: "binary", diagnostics: [] };
  const twoValued = distinct.size === 2;
  return {
    type: "continuous",
    diagnostics: [
      info(
        "modifier-type",
        `modifier '${name}' is continuous (row ${firstOther + 1} has ${values[firstOther]}, not 0 or 1): imputed by linear models; hte is per unit of '${name}'` +
          (twoValued ? `; it takes two values only: recode it 0/1 for logistic imputation` : ""),
      ),
    ],
  };
}

/** Refuses a modifier with one observed value only; `modifier` holds the analysed rows. */
export function checkModifierVaries(modifier: Float64Array, name: string): void {
  let first = NaN;
  let observed = 0;
  for (let r = 0; r < modifier.length; r++) {
    const v = modifier[r];
    if (Number.isNaN(v)) continue;
    observed++;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return;
  }
  if (observed === 0) return; // refused elsewhere with its own message
  throw new InputError(
    `modifier '${name}' does not vary: it is ${first} in all ${observed} observed row${observed === 1 ? "" : "s"}, so its interaction with the treatment cannot be estimated`,
  );
}

/** The modifier's level: cluster when constant within every cluster where observed, and observed twice somewhere. */
export function modifierLevel(modifier: Float64Array, starts: Int32Array): ModifierLevel {
  let repeated = false;
  for (let c = 0; c + 1 < starts.length; c++) {
    let value = NaN;
    for (let r = starts[c]; r < starts[c + 1]; r++) {
      const v = modifier[r];
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(value)) value = v;
      else if (v !== value) return "individual";
      else repeated = true;
    }
  }
  return repeated ? "cluster" : "individual";
}

/**
 * For a cluster-level modifier: each cluster's value (NaN where never
 * observed), the analysed rows' modifier with partly observed clusters
 * filled in, and the evidence: how many clusters have it observed twice or more.
 */
export function clusterValues(
  modifier: Float64Array,
  starts: Int32Array,
): { values: Float64Array; filledRows: Float64Array; nFilled: number; filledClusters: number; repeatedClusters: number } {
  const C = starts.length - 1;
  const values = new Float64Array(C).fill(NaN);
  const filledRows = Float64Array.from(modifier);
  let nFilled = 0;
  let filledClusters = 0;
  let repeatedClusters = 0;
  for (let c = 0; c < C; c++) {
    let observed = 0;
    for (let r = starts[c]; r < starts[c + 1]; r++) {
      if (Number.isNaN(modifier[r])) continue;
      if (observed++ === 0) values[c] = modifier[r];
    }
    if (observed >= 2) repeatedClusters++;
    if (observed === 0) continue;
    const filled = starts[c + 1] - starts[c] - observed;
    for (let r = starts[c]; r < starts[c + 1]; r++) if (Number.isNaN(filledRows[r])) filledRows[r] = values[c];
    nFilled += filled;
    if (filled > 0) filledClusters++;
  }
  return { values, filledRows, nFilled, filledClusters, repeatedClusters };
}
