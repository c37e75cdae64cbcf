/**
 * A categorical effect modifier with k ≥ 2 unordered levels, read once for
 * every method. It is chosen by `--modifier-type categorical`, and
 * automatically for a text column (which can be neither binary nor
 * continuous) or when the outcome model writes `factor(M)`. Levels follow
 * R's factor(): from every row of the data, numeric values ascending
 * (labelled as R prints them), text in R's sort() order; the first level is
 * the reference. Each analysed value is held as its level code 0..k−1 (NaN
 * where missing), so the row layout of the other modifier types is kept.
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { getColumn, type Dataset } from "../../data/dataset.ts";
import { formatRNumber, sortText } from "../../formula/index.ts";

export interface CategoricalModifier {
  /** Levels in R's order; levels[0] is the reference. */
  readonly levels: readonly string[];
  /** Level code of every data row (NaN where missing). */
  readonly codes: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether the modifier is categorical: asked for, a text column, or `factor(M)` in the outcome model. */
export function isCategorical(data: Dataset, name: string, requested: string | undefined, outcomeWritesFactor: boolean): boolean {
  if (requested !== undefined) return requested === "categorical";
  return outcomeWritesFactor || getColumn(data, name).kind === "text";
}

/** The modifier's levels and codes over the data rows. */
export function categoricalModifier(data: Dataset, name: string): CategoricalModifier {
  const col = getColumn(data, name);
  const codes = new Float64Array(data.nRows).fill(NaN);
  let levels: string[];
  if (col.kind === "text") {
    const seen = new Set<string>();
    for (const v of col.values) if (v !== null) seen.add(v);
    levels = sortText(seen);
    const index = new Map(levels.map((l, i) => [l, i]));
    col.values.forEach((v, i) => {
      if (v !== null) codes[i] = index.get(v)!;
    });
  } else {
    const distinct = [...new Set(Array.from(col.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    levels = distinct.map(formatRNumber);
    const index = new Map(distinct.map((v, i) => [v, i]));
    col.values.forEach((v, i) => {
      if (!Number.isNaN(v)) codes[i] = index.get(v)!;
    });
  }
  if (levels.length < 2) {
    throw new InputError(
      `modifier '${name}' has ${levels.length === 0 ? "no observed value" : `one level only ('${levels[0]}')`}: a categorical modifier needs at least 2 levels`,
    );
  }
  const diagnostics = [
    info(
      "modifier-type",
      `modifier '${name}' is categorical with ${levels.length} levels ${levels.map((l) => `'${l}'`).join(", ")} (reference '${levels[0]}'): ` +
        `imputed by multinomial-logit models; hte is the first treatment-by-level contrast, hteTerms has all ${levels.length - 1} and hteTest their joint test`,
    ),
  ];
  return { levels, codes, diagnostics };
}

/**
 * Refuses a level with no observed value among the analysed rows (`codes`
 * over them): its contrasts could not be estimated. Such a level exists in
 * the data only in rows dropped for another missing value.
 */
export function checkLevelsObserved(codes: Float64Array, levels: readonly string[], name: string, nRowsWithLevel: (level: number) => number): void {
  const counts = new Int32Array(levels.length);
  for (let r = 0; r < codes.length; r++) if (!Number.isNaN(codes[r])) counts[codes[r]]++;
  for (let l = 0; l < levels.length; l++) {
    if (counts[l] > 0) continue;
    const inData = nRowsWithLevel(l);
    throw new InputError(
      `modifier '${name}' level '${levels[l]}' has no observed row among the analysed rows (its ${inData} row${inData === 1 ? " was" : "s were"} dropped for a missing value): ` +
        `its treatment contrast cannot be estimated; recode or merge the level, or supply the missing values`,
    );
  }
}

/** Rows of each level over the analysed rows (codes NaN where missing). */
export function levelCounts(codes: Float64Array, k: number): Int32Array {
  const counts = new Int32Array(k);
  for (let r = 0; r < codes.length; r++) if (!Number.isNaN(codes[r])) counts[codes[r]]++;
  return counts;
}
