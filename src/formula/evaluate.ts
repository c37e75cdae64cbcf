/**
 * Vectorized evaluation of numeric expressions (`A`, `I(X1^2)`,
 * `log(X2 + 10)`, `cwc(X1)`) over a set of dataset rows. Each node produces
 * one Float64Array (or a scalar for constants); nothing is allocated per row.
 * `cmean(x)` and `cwc(x)` are the cluster mean of x and x minus it, over the
 * rows evaluated (R's `ave(x, cluster)`), so they need the cluster column.
 */
import { InputError } from "../core/errors.ts";
import { cellKey, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { deparse, referencedNames, type Expr } from "./ast.ts";
import { parseSyntax, syntaxError } from "./parser.ts";
import { checkArithmetic } from "./terms.ts";

/** Values that replace a column for every row (e.g. `{ A: 1 }` to predict under treatment). */
export type ColumnOverrides = Readonly<Record<string, number | string>>;

type Value = number | Float64Array;

/** What evaluation needs beyond the data: the cluster column of `cmean()` and `cwc()`. */
export interface EvalContext {
  readonly cluster?: string;
}

/** Functions of a value and its cluster: cluster mean and cluster-mean-centred value. */
export const CLUSTER_FUNCTIONS: ReadonlySet<string> = new Set(["cmean", "cwc"]);

/** The numeric values of `name` at `rows` (all rows when null), honouring overrides. */
export function gatherNumeric(
  data: Dataset,
  name: string,
  rows: Int32Array | null,
  set?: ColumnOverrides,
): Value {
  const override = set?.[name];
  if (override !== undefined) {
    if (typeof override !== "number") {
      throw new InputError(`column '${name}' is used as a number but is set to the text '${override}'`);
    }
    return override;
  }
  const values = numericColumn(data, name);
  if (rows === null) return values;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

function map1(x: Value, f: (v: number) => number): Value {
  if (typeof x === "number") return f(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return out;
}

function binary(op: string, a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") return scalarOp(op, a, b);
  const n = typeof a === "number" ? (b as Float64Array).length : a.length;
  const out = new Float64Array(n);
  const av = typeof a === "number" ? null : a;
  const bv = typeof b === "number" ? null : b;
  const as = typeof a === "number" ? a : 0;
  const bs = typeof b === "number" ? b : 0;
  switch (op) {
    case "+":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i] : as) + (bv ? bv[i] : bs);
      break;
    case "-":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i] : as) - (bv ? bv[i] : bs);
      break;
    case "*":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i] : as) * (bv ? bv[i] : bs);
      break;
    case "/":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i] : as) / (bv ? bv[i] : bs);
      break;
    case "^":
      for (let i = 0; i < n; i++) out[i] = rPower(av ? av[i] : as, bv ? bv[i] : bs);
      break;
    default:
      throw new Error(`unexpected operator ${op}`);
  }
  return out;
}

/** R's `^`: as Math.pow except 1^y = 1 and x^0 = 1 for every x, NaN included. */
function rPower(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  return Math.pow(x, y);
}

function scalarOp(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return rPower(a, b);
    default:
      throw new Error(`unexpected operator ${op}`);
  }
}

const UNARY_FUNCTIONS: Readonly<Record<string, (v: number) => number>> = {
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  expm1: Math.expm1,
};

/**
 * Cluster means of x over the evaluated rows (two passes, as R's mean(), so a
 * constant cluster gives its value exactly); `centred` gives x minus them.
 */
function clusterMeans(fn: string, x: Value, data: Dataset, rows: Int32Array | null, ctx: EvalContext): Value {
  if (ctx.cluster === undefined) {
    throw new InputError(`${fn}() needs the cluster column: give the command's cluster option (--cluster) or a random intercept (1 | cluster)`);
  }
  if (typeof x === "number") return fn === "cwc" ? 0 : x;
  const col = getColumn(data, ctx.cluster);
  const group = new Int32Array(x.length);
  const index = new Map<string | null, number>();
  for (let i = 0; i < x.length; i++) {
    const key = cellKey(col, rows === null ? i : rows[i]);
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
    }
    group[i] = g;
  }
  const sum = new Float64Array(index.size);
  const count = new Float64Array(index.size);
  for (let i = 0; i < x.length; i++) {
    sum[group[i]] += x[i];
    count[group[i]]++;
  }
  const mean = new Float64Array(index.size);
  for (let g = 0; g < mean.length; g++) mean[g] = sum[g] / count[g];
  const correction = new Float64Array(index.size);
  for (let i = 0; i < x.length; i++) correction[group[i]] += x[i] - mean[group[i]];
  for (let g = 0; g < mean.length; g++) mean[g] += correction[g] / count[g];
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = fn === "cwc" ? x[i] - mean[group[i]] : mean[group[i]];
  return out;
}

function evaluate(e: Expr, data: Dataset, rows: Int32Array | null, set: ColumnOverrides | undefined, ctx: EvalContext): Value {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      return gatherNumeric(data, e.name, rows, set);
    case "paren":
      return evaluate(e.expr, data, rows, set, ctx);
    case "unary": {
      const x = evaluate(e.arg, data, rows, set, ctx);
      return e.op === "-" ? map1(x, (v) => -v) : x;
    }
    case "binary":
      return binary(e.op, evaluate(e.left, data, rows, set, ctx), evaluate(e.right, data, rows, set, ctx));
    case "call": {
      const x = evaluate(e.args[0], data, rows, set, ctx);
      if (e.fn === "I") return x;
      if (CLUSTER_FUNCTIONS.has(e.fn)) return clusterMeans(e.fn, x, data, rows, ctx);
      if (e.fn === "log") {
        if (e.args.length === 1) return map1(x, Math.log);
        return binary("/", map1(x, Math.log), map1(evaluate(e.args[1], data, rows, set, ctx), Math.log));
      }
      const f = UNARY_FUNCTIONS[e.fn];
      if (!f) throw new Error(`unexpected function ${e.fn}`);
      return map1(x, f);
    }
  }
}

/**
 * Evaluates an arithmetic expression tree at `rows` (all dataset rows when
 * null). Missing inputs give NaN; validation of the result is the caller's.
 */
export function evaluateExpr(
  e: Expr,
  data: Dataset,
  rows: Int32Array | null,
  set?: ColumnOverrides,
  ctx: EvalContext = {},
): Float64Array {
  const n = rows === null ? data.nRows : rows.length;
  const v = evaluate(e, data, rows, set, ctx);
  if (typeof v === "number") return new Float64Array(n).fill(v);
  // A bare column of all rows comes back as the dataset's own array: copy it.
  return rows === null && e.kind === "name" ? Float64Array.from(v) : v;
}

function isMissing(data: Dataset, column: string, row: number): boolean {
  const col = getColumn(data, column);
  return col.kind === "numeric" ? Number.isNaN(col.values[row]) : col.values[row] === null;
}

/**
 * The InputError for a non-finite `value` of variable `name` at dataset row
 * `row` (0-based): a missing value in a column it reads, or a transformation
 * outside its domain (`log(X2)` with X2 ≤ 0), quoting the inputs.
 */
export function nonFiniteError(
  value: number,
  name: string,
  columns: readonly string[],
  data: Dataset,
  row: number,
  set?: ColumnOverrides,
): InputError {
  const read = columns.filter((c) => set?.[c] === undefined);
  const missing = read.find((c) => isMissing(data, c, row));
  if (missing !== undefined) return new InputError(`column '${missing}' is missing at data row ${row + 1}`);
  const inputs = read.map((c) => {
    const col = getColumn(data, c);
    return `${c} = ${col.values[row]}`;
  });
  const what = Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  return new InputError(
    `'${name}' is ${what} at data row ${row + 1}` + (inputs.length > 0 ? ` (${inputs.join(", ")})` : ""),
  );
}

/** Throws nonFiniteError for the first entry of `values` that is not finite. */
export function requireFinite(
  values: Float64Array,
  name: string,
  columns: readonly string[],
  data: Dataset,
  rows: Int32Array | null,
  set?: ColumnOverrides,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) throw nonFiniteError(v, name, columns, data, rows === null ? i : rows[i], set);
  }
}

/**
 * Evaluates one numeric expression such as `"log(X2 + 10)"` or `"A*M"` at
 * `rows` (all rows by default). Rows where a column it reads is missing get
 * NaN (the dataset's missing value); any other non-finite result, such as the
 * log of a negative number, is an InputError naming the row.
 *
 * @example
 * evaluateVariable(data, "I(X1^2)", Int32Array.of(0, 1, 2));
 * evaluateVariable(data, "A*M", null, { A: 1 }); // A*M with A set to 1
 */
export function evaluateVariable(
  data: Dataset,
  expression: string,
  rows: Int32Array | null = null,
  set?: ColumnOverrides,
  ctx: EvalContext = {},
): Float64Array {
  const tree = parseSyntax(expression, "expression");
  checkArithmetic(tree, (m, p) => syntaxError("expression", expression, m, p));
  const columns = referencedNames(tree);
  const read = columns.filter((c) => set?.[c] === undefined);
  const values = evaluateExpr(tree, data, rows, set, ctx);
  for (const c of read) {
    const col = numericColumn(data, c);
    for (let i = 0; i < values.length; i++) if (Number.isNaN(col[rows === null ? i : rows[i]])) values[i] = NaN;
  }
  const name = deparse(tree);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v === 0) continue;
    const row = rows === null ? i : rows[i];
    if (!read.some((c) => isMissing(data, c, row))) throw nonFiniteError(v, name, columns, data, row, set);
  }
  return values;
}
