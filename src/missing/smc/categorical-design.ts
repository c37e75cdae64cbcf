/**
 * The substantive design of a categorical modifier with k levels, e.g.
 * `Y ~ A*factor(M)*X1 + (1 | cluster)` (or M a text column), in R's
 * treatment contrasts: as the outcome GEE's design (categorical/
 * outcome-design.ts), the formula is built with M a plain variable (its
 * level codes stand in), and each column of a term containing M is repeated
 * once per non-reference level l, holding that column at M = 1 where the
 * row's level is l and 0 elsewhere. The design is then built at each of the
 * k levels for every analysed row, so that the chain can weigh all k
 * candidates of a missing value (categorical-chain.ts). M must enter as
 * itself: a function of it (`I(M^2)`) has no meaning for level codes.
 */
import { InputError } from "../../core/errors.ts";
import type { Dataset } from "../../data/dataset.ts";
import { designSpec, modelMatrixFor } from "../../formula/index.ts";
import { checkContrastCoding, levelName } from "../categorical/outcome-design.ts";
import { parseOutcomeFormula, withNumericColumn } from "../outcome-model.ts";
import { checkBinomialOutcome, checkSubstantive, type SubstantiveDesign, type SubstantiveRoles, type SubstantiveSpec } from "./substantive.ts";

/** The modifier's levels and the level code of every data row (categorical/levels.ts). */
export interface LevelCoding {
  readonly levels: readonly string[];
  readonly codes: Float64Array;
}

/**
 * The substantive design at every level of the categorical modifier over the
 * dataset rows `rows` (analysed order); `levelDesigns[j]` is n × p row-major.
 *
 * @example
 * const d = categoricalSubstantiveDesign(data, { formula: "Y ~ A*factor(M) + (1 | cluster)", family: "gaussian" }, roles, rows, coding);
 */
export function categoricalSubstantiveDesign(
  data: Dataset,
  spec: SubstantiveSpec,
  roles: SubstantiveRoles,
  rows: Int32Array,
  coding: LevelCoding,
): SubstantiveDesign {
  checkSubstantive(spec, roles);
  checkBinomialOutcome(data, spec, roles, rows);
  const M = roles.modifier;
  const { parsed, modifierFactor } = parseOutcomeFormula(spec.formula, M);
  const label = modifierFactor ?? M;
  for (const v of parsed.variables) {
    if (v.columns.includes(M) && !(v.expr.kind === "name" && v.name === M)) {
      throw new InputError(
        `substantive model '${spec.formula}': '${v.name}' is a function of the categorical modifier '${M}'; write ${M} or factor(${M}) (its levels enter as dummies)`,
      );
    }
  }
  const plain = withNumericColumn(data, M, coding.codes);
  const design = designSpec(plain, parsed, rows, { cluster: roles.cluster });
  const mVariable = design.variables.findIndex((v) => v.name === M);
  try {
    checkContrastCoding(design, mVariable, spec.formula, label);
  } catch (e) {
    // Its messages speak of the outcome model; this one is the substantive model.
    if (e instanceof InputError) throw new InputError(e.message.replace(/^outcome model/, "substantive model"));
    throw e;
  }
  const base = design.columnNames.length;
  const withModifier = new Uint8Array(base);
  for (const t of design.terms) if (t.variables.includes(mVariable)) withModifier.fill(1, t.firstColumn, t.firstColumn + t.nColumns);
  const k = coding.levels.length;
  const source: number[] = [];
  const level: number[] = [];
  const names: string[] = [];
  for (let j = 0; j < base; j++) {
    if (!withModifier[j]) {
      source.push(j);
      level.push(0);
      names.push(design.columnNames[j]);
      continue;
    }
    for (let l = 1; l < k; l++) {
      source.push(j);
      level.push(l);
      names.push(levelName(design.columnNames[j], M, label, coding.levels[l]));
    }
  }
  const n = rows.length;
  const p = source.length;
  const at0 = modelMatrixFor(design, plain, rows, { [M]: 0 }).data;
  const at1 = modelMatrixFor(design, plain, rows, { [M]: 1 }).data;
  const levelDesigns = Array.from({ length: k }, (_, j) => {
    const X = new Float64Array(n * p);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < p; c++) {
        const l = level[c];
        X[r * p + c] = l === 0 ? at0[r * base + source[c]] : l === j ? at1[r * base + source[c]] : 0;
      }
    }
    return X;
  });
  return {
    formula: spec.formula,
    family: spec.family,
    columnNames: names,
    p,
    X0: levelDesigns[0],
    X1: levelDesigns[1],
    nonAffineColumn: null,
    levelDesigns,
  };
}
