import { InputError } from "../core/errors.ts";

/**
 * A column as read: numeric when every non-missing cell is a number
 * (missing = NaN), otherwise text (missing = null). Text columns keep the raw
 * cells so an error can quote the offending value.
 */
export type Column =
  | { readonly name: string; readonly kind: "numeric"; readonly values: Float64Array }
  | { readonly name: string; readonly kind: "text"; readonly values: readonly (string | null)[] };

/** Validated columns of equal length. Rows are numbered from 1 in messages (the first data row is row 1). */
export interface Dataset {
  readonly nRows: number;
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, Column>;
}

/** Builds a dataset from columns, checking names are unique and lengths agree. */
export function dataset(columns: readonly Column[]): Dataset {
  if (columns.length === 0) throw new InputError("the data have no columns");
  const nRows = columns[0].values.length;
  const map = new Map<string, Column>();
  for (const col of columns) {
    if (map.has(col.name)) throw new InputError(`column '${col.name}' appears more than once`);
    if (col.values.length !== nRows) {
      throw new InputError(`column '${col.name}' has ${col.values.length} values, expected ${nRows}`);
    }
    map.set(col.name, col);
  }
  return { nRows, names: columns.map((c) => c.name), columns: map };
}

/** Builds a dataset from plain arrays of numbers (NaN or null = missing) or strings. */
export function datasetFromRecord(record: Readonly<Record<string, readonly (number | string | null)[]>>): Dataset {
  return dataset(Object.entries(record).map(([name, values]) => columnFromCells(name, values.map(cellText))));
}

function cellText(v: number | string | null): string | null {
  if (v === null) return null;
  if (typeof v === "number") return Number.isNaN(v) ? null : String(v);
  return v;
}

/** Types a column from its cells (null = missing). */
export function columnFromCells(name: string, cells: readonly (string | null)[]): Column {
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null) {
      values[i] = NaN;
      continue;
    }
    const x = parseNumber(cell);
    if (Number.isNaN(x)) return { name, kind: "text", values: cells };
    values[i] = x;
  }
  return { name, kind: "numeric", values };
}

/** Parses a numeric cell; NaN when it is not a finite number ("Inf" and hex are not accepted). */
export function parseNumber(cell: string): number {
  const s = cell.trim();
  if (s === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

/** The column named `name`, or an InputError listing the available columns. */
export function getColumn(data: Dataset, name: string): Column {
  const col = data.columns.get(name);
  if (!col) throw new InputError(`unknown column '${name}'; the data have columns: ${data.names.join(", ")}`);
  return col;
}

/**
 * The numeric values of column `name`. A text column is refused with the
 * first row whose cell is not a number.
 */
export function numericColumn(data: Dataset, name: string): Float64Array {
  const col = getColumn(data, name);
  if (col.kind === "numeric") return col.values;
  const row = col.values.findIndex((v) => v !== null && Number.isNaN(parseNumber(v)));
  throw new InputError(`column '${name}' row ${row + 1} has non-numeric value '${col.values[row]}'`);
}

/** Cell `i` (0-based) of a column as text for grouping and messages; null when missing. */
export function cellKey(col: Column, i: number): string | null {
  if (col.kind === "numeric") {
    const v = col.values[i];
    return Number.isNaN(v) ? null : String(v);
  }
  return col.values[i];
}
