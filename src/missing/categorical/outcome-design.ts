/**
 * The outcome design of a categorical modifier, `Y ~ A*factor(M)` in R's
 * treatment contrasts. The design is first built with M as a plain variable
 * held at 1 (outcome-model.ts); each column of a term containing M is then
 * repeated once per non-reference level l, to be multiplied by that level's
 * centred dummy 1{M = l} − mean over the rows analysed (categorical/fit.ts).
 * Column names are R's model.matrix names (`A:Mlow`, `factor(M)mid:X1`):
 * the modifier's name followed by the level. Centring leaves the contrasts
 * (the interactions) as R estimates them and makes the treatment
 * coefficient the ATE at the observed level shares, as a centred binary
 * modifier does.
 *
 * Only what R codes by contrasts is accepted: every term with M needs the
 * term without M in the model (the intercept for M's main effect), and M's
 * terms may hold no other factor (whose coding order this expansion does not
 * follow).
 */
import { InputError } from "../../core/errors.ts";
import type { DesignSpec } from "../../formula/index.ts";

/** Per column of a categorical design: the level whose centred dummy multiplies it (0: none). */
export interface CategoricalColumns {
  readonly level: Int32Array;
  /** The treatment-by-level columns, levels 1..k−1 in order. */
  readonly hteColumns: Int32Array;
}

interface BaseDesign {
  readonly columnNames: readonly string[];
  readonly p: number;
  readonly modifierColumns: Uint8Array;
  readonly hteColumn: number;
  readonly x: Float64Array;
  readonly treated: Float64Array;
  readonly control: Float64Array;
}

/** Checks the terms with the modifier are coded by R's treatment contrasts (see above). */
export function checkContrastCoding(spec: DesignSpec, mVariable: number, formula: string, label: string): void {
  const keys = new Set(spec.terms.map((t) => t.variables.join(",")));
  for (const t of spec.terms) {
    if (!t.variables.includes(mVariable)) continue;
    const other = t.variables.filter((k) => k !== mVariable);
    const factor = other.find((k) => spec.variables[k].type === "factor");
    if (factor !== undefined) {
      throw new InputError(
        `outcome model '${formula}': the term '${t.label}' crosses the categorical modifier '${label}' with the factor '${spec.variables[factor].name}', which is not supported; use numeric covariates in the modifier's terms`,
      );
    }
    const margin = other.length === 0 ? spec.intercept : keys.has(other.join(","));
    if (!margin) {
      const missing = other.length === 0 ? "an intercept" : `the term '${other.map((k) => spec.variables[k].name).join(":")}'`;
      throw new InputError(
        `outcome model '${formula}': the term '${t.label}' of the categorical modifier '${label}' needs ${missing} in the model, so that the levels are coded by contrasts with the reference level (write e.g. A*${label})`,
      );
    }
  }
}

/** R's name of a column of a term containing the modifier, at level `level`. */
export function levelName(name: string, modifier: string, label: string, level: string): string {
  return name
    .split(":")
    .map((part) => (part === modifier ? `${label}${level}` : part))
    .join(":");
}

/**
 * Expands the design built with M held at 1 (`base`, n rows) to the
 * categorical one; `modifier` is M's name in that design, `label` how the
 * formula writes it (`M` or `factor(M)`).
 */
export function expandCategoricalDesign<T extends BaseDesign>(
  base: T,
  n: number,
  levels: readonly string[],
  modifier: string,
  label: string,
): T & { readonly categorical: CategoricalColumns } {
  const k = levels.length;
  const source: number[] = [];
  const level: number[] = [];
  const names: string[] = [];
  const hte: number[] = [];
  for (let j = 0; j < base.p; j++) {
    if (!base.modifierColumns[j]) {
      source.push(j);
      level.push(0);
      names.push(base.columnNames[j]);
      continue;
    }
    for (let l = 1; l < k; l++) {
      if (j === base.hteColumn) hte.push(source.length);
      source.push(j);
      level.push(l);
      names.push(levelName(base.columnNames[j], modifier, label, levels[l]));
    }
  }
  const p = source.length;
  const expand = (m: Float64Array): Float64Array => {
    const out = new Float64Array(n * p);
    for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) out[r * p + j] = m[r * base.p + source[j]];
    return out;
  };
  return {
    ...base,
    columnNames: names,
    p,
    modifierColumns: Uint8Array.from(level, (l) => (l > 0 ? 1 : 0)),
    hteColumn: hte[0],
    x: expand(base.x),
    treated: expand(base.treated),
    control: expand(base.control),
    categorical: { level: Int32Array.from(level), hteColumns: Int32Array.from(hte) },
  };
}
