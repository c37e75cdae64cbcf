/**
 * The design stage: resolve a parsed formula against data (which variables
 * are factors, their levels, how each is coded in each term, the column
 * names) into a DesignSpec, then build the model matrix for any rows of any
 * data set with that spec (`modelMatrixFor`), e.g. the fitted rows with the
 * treatment set to 1 for standardization.
 */
import { InputError } from "../core/errors.ts";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { getColumn, parseNumber, type Dataset } from "../data/dataset.ts";
import type { Matrix } from "../linalg/matrix.ts";
import type { Expr } from "./ast.ts";
import { evaluateExpr, nonFiniteError, requireFinite, type ColumnOverrides, type EvalContext } from "./evaluate.ts";
import { formatRNumber } from "./rformat.ts";
import type { FormulaVariable, ParsedFormula } from "./terms.ts";

/** A numeric variable of the design: a column or a transformation. */
export interface NumericDesignVariable {
  readonly name: string;
  readonly type: "numeric";
  readonly expr: Expr;
  readonly columns: readonly string[];
}

/**
 * A factor of the design with its levels in R's order: numeric values
 * ascending (labels as R prints them), text in the order R's `sort()` gives
 * with ICU collation ("ctrl" < "High" < "low"). The first level is the
 * reference of treatment contrasts.
 */
export interface FactorDesignVariable {
  readonly name: string;
  readonly type: "factor";
  /** For `factor(x)` the argument x; for a text column the column name. */
  readonly expr: Expr;
  readonly columns: readonly string[];
  /** "text": levels are the cells of a text column; "numeric": values of a numeric expression. */
  readonly source: "text" | "numeric";
  readonly levels: readonly string[];
  /** The level values when source is "numeric" (ascending). */
  readonly levelValues: readonly number[] | null;
}

export type DesignVariable = NumericDesignVariable | FactorDesignVariable;

/** How a variable enters a term. */
export type TermCoding = "numeric" | "contrasts" | "full";

export interface DesignTerm {
  readonly label: string;
  /** Indices into DesignSpec.variables, ascending (R's variable order). */
  readonly variables: readonly number[];
  readonly coding: readonly TermCoding[];
  /** Column range of the term in the model matrix. */
  readonly firstColumn: number;
  readonly nColumns: number;
}

/**
 * Everything needed to rebuild the model matrix for new rows: a formula
 * resolved against the data it was fitted on.
 *
 * @example
 * const frame = modelFrame(data, "Y ~ A*M + factor(site)", { cluster: "cluster" });
 * const X1 = modelMatrixFor(frame.design, data, frame.rows, { A: 1 }); // everyone treated
 */
export interface DesignSpec {
  readonly formula: string;
  readonly intercept: boolean;
  /** The variables the terms use, in R's variable order. */
  readonly variables: readonly DesignVariable[];
  readonly terms: readonly DesignTerm[];
  readonly columnNames: readonly string[];
  /** R's `assign`: for each column, 0 for the intercept or the 1-based term number. */
  readonly assign: readonly number[];
  /** The cluster column `cmean()`/`cwc()` group by, when the model has one. */
  readonly cluster: string | null;
}

export interface DesignOptions {
  /**
   * Drop factor levels that do not occur in the rows (default true, as
   * lme4 and `model.frame(drop.unused.levels = TRUE)` do). With false, levels
   * of `factor(x)` come from all rows of the data, as R's default
   * `model.frame()` + `model.matrix()` do, which can give all-zero columns.
   * (Levels of a text column are always those of the rows, as in R.)
   */
  readonly dropUnusedLevels?: boolean;
  /** The cluster column of `cmean()` and `cwc()` terms. */
  readonly cluster?: string;
}

const collator = new Intl.Collator("und");

/** Text sorted as R's sort() does with ICU collation, ties broken by code point. */
export function sortText(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function textColumnOf(data: Dataset, v: FormulaVariable): string | null {
  const e = v.expr;
  if (e.kind !== "name") return null;
  const col = getColumn(data, e.name);
  return col.kind === "text" ? e.name : null;
}

/** Refuses a mostly-numeric text column used as a bare term: most likely a typo in a numeric column. */
function checkImplicitFactor(data: Dataset, column: string): void {
  const col = getColumn(data, column);
  if (col.kind !== "text") return;
  let numeric = 0;
  let present = 0;
  let firstBad = -1;
  for (let i = 0; i < col.values.length; i++) {
    const cell = col.values[i];
    if (cell === null) continue;
    present++;
    if (Number.isNaN(parseNumber(cell))) {
      if (firstBad < 0) firstBad = i;
    } else numeric++;
  }
  if (firstBad >= 0 && 2 * numeric >= present) {
    throw new InputError(
      `column '${column}' row ${firstBad + 1} has non-numeric value '${col.values[firstBad]}'; ` +
        `if ${column} is categorical, write factor(${column})`,
    );
  }
}

function rowIndex(rows: Int32Array | null, i: number): number {
  return rows === null ? i : rows[i];
}

function resolveFactor(
  data: Dataset,
  v: FormulaVariable,
  levelRows: Int32Array | null,
  ctx: EvalContext,
): FactorDesignVariable {
  const text = textColumnOf(data, v);
  if (text !== null) {
    const col = getColumn(data, text);
    const seen = new Set<string>();
    const n = levelRows === null ? data.nRows : levelRows.length;
    for (let i = 0; i < n; i++) {
      const cell = col.values[rowIndex(levelRows, i)] as string | null;
      if (cell !== null) seen.add(cell);
    }
    return { name: v.name, type: "factor", expr: v.expr, columns: v.columns, source: "text", levels: sortText(seen), levelValues: null };
  }
  const values = evaluateExpr(v.expr, data, levelRows, undefined, ctx);
  const finite = Float64Array.from(values.filter((x) => !Number.isNaN(x))).sort();
  const levelValues: number[] = [];
  for (let i = 0; i < finite.length; i++) if (i === 0 || finite[i] !== finite[i - 1]) levelValues.push(finite[i]);
  const levels = levelValues.map(formatRNumber);
  for (let k = 1; k < levels.length; k++) {
    if (levels[k] === levels[k - 1]) {
      throw new InputError(`${v.name}: values ${levelValues[k - 1]} and ${levelValues[k]} both print as level '${levels[k]}'`);
    }
  }
  return { name: v.name, type: "factor", expr: v.expr, columns: v.columns, source: "numeric", levels, levelValues };
}

/**
 * Resolves `parsed` against `data` at `rows` (the rows the model uses):
 * decides which variables are factors, finds their levels, applies R's
 * coding rules and names the columns. Also returns diagnostics (text columns
 * used as factors, unused levels dropped).
 */
export function resolveDesign(
  data: Dataset,
  parsed: ParsedFormula,
  rows: Int32Array,
  options: DesignOptions = {},
): { readonly spec: DesignSpec; readonly diagnostics: readonly Diagnostic[] } {
  const dropUnused = options.dropUnusedLevels ?? true;
  const ctx: EvalContext = options.cluster === undefined ? {} : { cluster: options.cluster };
  const diagnostics: Diagnostic[] = [];
  // Only variables that some term uses enter the design.
  const used = [...new Set(parsed.terms.flatMap((t) => t.variables))].sort((a, b) => a - b);
  const remap = new Map(used.map((v, k) => [v, k]));
  const variables: DesignVariable[] = used.map((index) => {
    const v = parsed.variables[index];
    const implicitText = v.role === "column" ? textColumnOf(data, v) : null;
    if (v.role === "column" && implicitText === null) {
      return { name: v.name, type: "numeric", expr: v.expr, columns: v.columns };
    }
    if (v.role === "expression") return { name: v.name, type: "numeric", expr: v.expr, columns: v.columns };
    if (implicitText !== null) checkImplicitFactor(data, implicitText);
    const f = resolveFactor(data, v, dropUnused || v.role === "column" ? rows : null, ctx);
    if (implicitText !== null) {
      diagnostics.push(
        info(
          "text-as-factor",
          `column '${implicitText}' is text and is used as a factor with levels ${f.levels.join(", ")} (reference ${f.levels[0]})`,
        ),
      );
    }
    if (dropUnused && v.role === "factor") {
      const all = resolveFactor(data, v, null, ctx);
      const unused = all.levels.filter((l) => !f.levels.includes(l));
      if (unused.length > 0) {
        diagnostics.push(
          info(
            "unused-levels",
            `${v.name}: level${unused.length > 1 ? "s" : ""} ${unused.join(", ")} ${unused.length > 1 ? "do" : "does"} not occur in the rows used and ${unused.length > 1 ? "were" : "was"} dropped`,
          ),
        );
      }
    }
    return f;
  });

  const codings: TermCoding[][] = parsed.terms.map((t) =>
    t.variables.map((v, k) => (variables[remap.get(v)!].type === "numeric" ? "numeric" : t.coding[k])),
  );
  if (!parsed.intercept) {
    // R: without an intercept the first factor of the first term that has
    // one is coded by indicators for all its levels.
    outer: for (const c of codings) {
      for (let k = 0; k < c.length; k++) {
        if (c[k] !== "numeric") {
          c[k] = "full";
          break outer;
        }
      }
    }
  }

  const columnNames: string[] = parsed.intercept ? ["(Intercept)"] : [];
  const assign: number[] = parsed.intercept ? [0] : [];
  const terms: DesignTerm[] = parsed.terms.map((t, j) => {
    const idx = t.variables.map((v) => remap.get(v)!);
    const parts: string[][] = idx.map((vi, k) => {
      const v = variables[vi];
      if (v.type === "numeric") return [v.name];
      if (codings[j][k] === "contrasts" && v.levels.length < 2) {
        throw new InputError(
          `${v.name} has ${v.levels.length === 0 ? "no levels" : `only one level ('${v.levels[0]}')`} in the rows used; ` +
            `a factor needs at least 2 levels in term '${t.label}'`,
        );
      }
      const levels = codings[j][k] === "contrasts" ? v.levels.slice(1) : v.levels;
      return levels.map((l) => v.name + l);
    });
    // First variable varies fastest, as in R.
    let names: string[] = [""];
    parts.forEach((p, k) => {
      const next: string[] = [];
      for (const right of p) for (const left of names) next.push(k === 0 ? right : `${left}:${right}`);
      names = next;
    });
    const firstColumn = columnNames.length;
    for (const name of names) {
      columnNames.push(name);
      assign.push(j + 1);
    }
    return Object.freeze({
      label: t.label,
      variables: Object.freeze(idx),
      coding: Object.freeze(codings[j]),
      firstColumn,
      nColumns: names.length,
    });
  });
  const spec: DesignSpec = Object.freeze({
    formula: parsed.formula,
    intercept: parsed.intercept,
    variables: Object.freeze(variables.map((v) => Object.freeze(v))),
    terms: Object.freeze(terms),
    columnNames: Object.freeze(columnNames),
    assign: Object.freeze(assign),
    cluster: options.cluster ?? null,
  });
  return { spec, diagnostics };
}

/** `resolveDesign(...).spec`: the design of `parsed` on `data` at `rows`. */
export function designSpec(
  data: Dataset,
  parsed: ParsedFormula,
  rows: Int32Array,
  options: DesignOptions = {},
): DesignSpec {
  return resolveDesign(data, parsed, rows, options).spec;
}

/** 0-based level of each row; InputError for a missing cell or a level the spec does not know. */
function factorCodes(
  v: FactorDesignVariable,
  data: Dataset,
  rows: Int32Array | null,
  n: number,
  set: ColumnOverrides | undefined,
  ctx: EvalContext,
): Int32Array {
  const codes = new Int32Array(n);
  const unknown = (value: string, row: number | null): InputError =>
    new InputError(
      `${v.name} has level '${value}'${row === null ? "" : ` at data row ${row + 1}`} that the model does not know ` +
        `(levels: ${v.levels.join(", ")})`,
    );
  if (v.source === "text") {
    const column = (v.expr as Expr & { kind: "name" }).name;
    const lookup = new Map(v.levels.map((l, k) => [l, k]));
    const override = set?.[column];
    if (override !== undefined) {
      const code = lookup.get(String(override));
      if (code === undefined) throw unknown(String(override), null);
      return codes.fill(code);
    }
    const col = getColumn(data, column);
    if (col.kind !== "text") {
      throw new InputError(`${v.name}: column '${column}' was text when the model was built but is numeric here`);
    }
    for (let i = 0; i < n; i++) {
      const row = rowIndex(rows, i);
      const cell = col.values[row];
      if (cell === null) throw new InputError(`column '${column}' is missing at data row ${row + 1}`);
      const code = lookup.get(cell);
      if (code === undefined) throw unknown(cell, row);
      codes[i] = code;
    }
    return codes;
  }
  const values = evaluateExpr(v.expr, data, rows, set, ctx);
  const lookup = new Map(v.levelValues!.map((x, k) => [x, k]));
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const code = lookup.get(x);
    if (code === undefined) {
      const row = rowIndex(rows, i);
      if (x - x !== 0) throw nonFiniteError(x, v.name, v.columns, data, row, set);
      throw unknown(formatRNumber(x), row);
    }
    codes[i] = code;
  }
  return codes;
}

function specContext(spec: DesignSpec): EvalContext {
  return spec.cluster === null ? {} : { cluster: spec.cluster };
}

/**
 * Builds the model matrix of `spec` for `rows` of `data` (all rows when null),
 * with columns optionally overridden by constants (`{ A: 1 }`). `data` may be
 * the data the spec was built from or new data with the same columns; factor
 * levels are those of the spec. A missing value, a non-finite transformation
 * or an unknown factor level is an InputError naming the row.
 *
 * @example
 * const treated = modelMatrixFor(frame.design, data, frame.rows, { A: 1 });
 */
export function modelMatrixFor(
  spec: DesignSpec,
  data: Dataset,
  rows: Int32Array | null = null,
  set?: ColumnOverrides,
): Matrix {
  const n = rows === null ? data.nRows : rows.length;
  const p = spec.columnNames.length;
  const out = new Float64Array(n * p);
  const numeric: (Float64Array | null)[] = [];
  const codes: (Int32Array | null)[] = [];
  for (const v of spec.variables) {
    if (v.type === "numeric") {
      const values = evaluateExpr(v.expr, data, rows, set, specContext(spec));
      requireFinite(values, v.name, v.columns, data, rows, set);
      numeric.push(values);
      codes.push(null);
    } else {
      numeric.push(null);
      codes.push(factorCodes(v, data, rows, n, set, specContext(spec)));
    }
  }
  if (spec.intercept) for (let i = 0; i < n; i++) out[i * p] = 1;

  const product = new Float64Array(n);
  const offset = new Int32Array(n);
  for (const t of spec.terms) {
    const base = t.firstColumn;
    if (t.coding.every((c) => c === "numeric")) {
      // Products of numeric variables: one column, no offsets needed.
      const first = numeric[t.variables[0]]!;
      for (let i = 0; i < n; i++) out[i * p + base] = first[i];
      for (let k = 1; k < t.variables.length; k++) {
        const x = numeric[t.variables[k]]!;
        for (let i = 0; i < n; i++) out[i * p + base] *= x[i];
      }
      continue;
    }
    product.fill(1);
    offset.fill(0);
    let stride = 1;
    for (let k = 0; k < t.variables.length; k++) {
      const vi = t.variables[k];
      const x = numeric[vi];
      if (x !== null) {
        for (let i = 0; i < n; i++) product[i] *= x[i];
        continue;
      }
      const c = codes[vi]!;
      const nLevels = (spec.variables[vi] as FactorDesignVariable).levels.length;
      if (t.coding[k] === "contrasts") {
        // Treatment contrasts: the reference level has no column.
        for (let i = 0; i < n; i++) offset[i] = c[i] === 0 ? -1 : offset[i] < 0 ? -1 : offset[i] + (c[i] - 1) * stride;
        stride *= nLevels - 1;
      } else {
        for (let i = 0; i < n; i++) if (offset[i] >= 0) offset[i] += c[i] * stride;
        stride *= nLevels;
      }
    }
    for (let i = 0; i < n; i++) {
      const o = offset[i];
      if (o >= 0) out[i * p + base + o] = product[i];
    }
  }
  return { rows: n, cols: p, data: out };
}

/** The model matrix of `parsed` on `data` at `rows`: `modelMatrixFor(designSpec(...), data, rows)`. */
export function designMatrix(
  data: Dataset,
  parsed: ParsedFormula,
  rows: Int32Array,
  options: DesignOptions = {},
): { readonly X: Matrix; readonly spec: DesignSpec } {
  const spec = designSpec(data, parsed, rows, options);
  return { X: modelMatrixFor(spec, data, rows), spec };
}
