/**
 * From a formula's syntax tree to R's terms: the variables in order of first
 * appearance, the expanded terms sorted as `terms.formula()` sorts them (by
 * order, then by appearance), the intercept, the coding of each factor in each
 * term, and the special terms `(1 | g)` and `cluster(...)`.
 */
import { InputError } from "../core/errors.ts";
import type { RandomTerm } from "./types.ts";
import { deparse, referencedNames, type Expr } from "./ast.ts";
import { parseSyntax, syntaxError } from "./parser.ts";

/** Functions allowed in arithmetic (inside `I()`, as terms, on the left-hand side). */
export const NUMERIC_FUNCTIONS: ReadonlySet<string> = new Set([
  "I", "log", "exp", "sqrt", "abs", "log2", "log10", "log1p", "expm1", "cmean", "cwc",
]);
const FACTOR_FUNCTIONS: ReadonlySet<string> = new Set(["factor", "as.factor"]);

/**
 * A variable of the model, as R's `terms()` lists it:
 * - `column`: a bare column name (numeric, or a factor when the column is text);
 * - `factor`: `factor(x)` / `as.factor(x)` of a column or numeric expression;
 * - `expression`: a numeric transformation such as `I(X1^2)` or `log(X2 + 10)`.
 */
export interface FormulaVariable {
  /** The name R gives it (deparsed): "A", "factor(site)", "log(X2 + 10)". */
  readonly name: string;
  readonly role: "column" | "factor" | "expression";
  /** The expression to evaluate (for `factor`, the argument of factor()). */
  readonly expr: Expr;
  /** Data columns it reads. */
  readonly columns: readonly string[];
}

/** How a factor enters a term: R's treatment contrasts, or one indicator per level. */
export type FactorCoding = "contrasts" | "full";

/** One term of the expanded formula, e.g. "X1:A". */
export interface FormulaTerm {
  /** R's term label: variable names joined by ':' in variable order. */
  readonly label: string;
  /** Indices into `ParsedFormula.variables`, ascending. */
  readonly variables: readonly number[];
  /**
   * For each variable of the term, how it is coded if it is a factor (R's
   * rule: contrasts when the term without it is empty or contained in a
   * preceding term; full indicators otherwise). The no-intercept rule is
   * applied later, when it is known which variables are factors.
   */
  readonly coding: readonly FactorCoding[];
}

/**
 * A formula interpreted the way R's `terms()` does, independent of any data.
 *
 * @example
 * const f = parseFormula("M ~ (X1 + X2)*A + (1 | cluster)");
 * f.terms.map((t) => t.label); // ["X1", "X2", "A", "X1:A", "X2:A"]
 * f.randomTerms; // [{ term: "(Intercept)", group: "cluster" }]
 */
export interface ParsedFormula {
  /** The formula as given. */
  readonly formula: string;
  /** Left-hand side, or null for a one-sided formula `~ x`. */
  readonly response: FormulaVariable | null;
  readonly intercept: boolean;
  /**
   * Variables of the right-hand side in order of first appearance, including
   * those of removed terms (`- M`): like R, their missing values still drop rows.
   */
  readonly variables: readonly FormulaVariable[];
  /** Expanded terms in R's order. */
  readonly terms: readonly FormulaTerm[];
  /** `(1 | g)` terms, in order; not part of the fixed-effects design. */
  readonly randomTerms: readonly RandomTerm[];
  /**
   * Names inside `cluster(...)` (cluster-level covariates for model-robust
   * standardization), in order; not expanded into the design.
   */
  readonly clusterVariables: readonly string[];
}

type Term = number[];

function termKey(t: Term): string {
  return t.join(",");
}

function union(a: Term, b: Term): Term {
  const out = [...a];
  for (const v of b) if (!out.includes(v)) out.push(v);
  return out.sort((x, y) => x - y);
}

function isSubset(a: Term, b: Term): boolean {
  return a.every((v) => b.includes(v));
}

/** Removes empty and repeated terms, keeping first occurrences. */
function trim(terms: Term[]): Term[] {
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const t of terms) {
    const k = termKey(t);
    if (t.length === 0 || seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

function interact(left: Term[], right: Term[]): Term[] {
  const out: Term[] = [];
  for (const l of left) for (const r of right) out.push(union(l, r));
  return trim(out);
}

class Encoder {
  readonly variables: FormulaVariable[] = [];
  private readonly index = new Map<string, number>();
  intercept = true;
  readonly randomTerms: RandomTerm[] = [];
  readonly clusterVariables: string[] = [];

  constructor(private readonly source: string) {}

  error(message: string, pos: number): InputError {
    return syntaxError("formula", this.source, message, pos);
  }

  variable(e: Expr): number {
    const v = describeVariable(e, (m, p) => this.error(m, p));
    const existing = this.index.get(v.name);
    if (existing !== undefined) return existing;
    this.index.set(v.name, this.variables.length);
    this.variables.push(v);
    return this.variables.length - 1;
  }

  /**
   * Expands `e` into terms. `positive` is false on the right of a `-` (where
   * `1` removes the intercept, as in R); `additive` is true while only `+`
   * separates `e` from the top of the right-hand side, the only place where
   * `(1 | g)` and `cluster(...)` may appear.
   */
  encode(e: Expr, positive: boolean, additive: boolean): Term[] {
    switch (e.kind) {
      case "number":
        if (e.value === 1 || e.value === 0) {
          this.intercept = (e.value === 1) === positive;
          return [];
        }
        throw this.error(`a number (${e.value}) cannot be a term; only 0 and 1 (the intercept) can`, e.pos);
      case "name":
        return [[this.variable(e)]];
      case "paren":
        if (e.expr.kind === "binary" && (e.expr.op === "|" || e.expr.op === "||")) {
          if (!additive) throw this.error(`random-effect term '${deparse(e)}' can only be added to the model`, e.pos);
          this.randomTerm(e.expr.left, e.expr.right, e.expr.op, e.pos);
          return [];
        }
        return this.encode(e.expr, positive, additive);
      case "call":
        if (e.fn === "cluster") {
          if (!additive) throw this.error("cluster(...) can only be added to the model", e.pos);
          this.clusterTerm(e);
          return [];
        }
        return [[this.variable(e)]];
      case "unary":
        if (e.op === "~") throw this.error("unexpected '~'", e.pos);
        if (e.op === "+") return this.encode(e.arg, positive, additive);
        this.encode(e.arg, !positive, false);
        return [];
      case "binary":
        switch (e.op) {
          case "+":
            return trim([...this.encode(e.left, positive, additive), ...this.encode(e.right, positive, additive)]);
          case "-": {
            const left = this.encode(e.left, positive, additive);
            const drop = new Set(this.encode(e.right, !positive, false).map(termKey));
            return left.filter((t) => !drop.has(termKey(t)));
          }
          case "*": {
            const left = this.encode(e.left, positive, false);
            const right = this.encode(e.right, positive, false);
            return trim([...left, ...right, ...interact(left, right)]);
          }
          case ":":
          case "%in%":
            return interact(this.encode(e.left, positive, false), this.encode(e.right, positive, false));
          case "/": {
            // a/b = a + (all variables of a):b
            const left = this.encode(e.left, positive, false);
            const right = this.encode(e.right, positive, false);
            const all = left.reduce<Term>((acc, t) => union(acc, t), []);
            return trim([...left, ...interact(all.length ? [all] : [], right)]);
          }
          case "^": {
            const n = e.right.kind === "number" ? e.right.value : NaN;
            if (!Number.isInteger(n) || n < 1) {
              throw this.error(`the power in '${deparse(e)}' must be a positive whole number`, e.pos);
            }
            const base = this.encode(e.left, positive, false);
            let result = base;
            for (let k = 1; k < n; k++) result = interact(base, result);
            return result;
          }
          case "|":
          case "||":
            throw this.error("a random-effect term must be in parentheses, e.g. (1 | g)", e.pos);
          case "~":
            throw this.error("unexpected '~'", e.pos);
        }
    }
  }

  private randomTerm(left: Expr, right: Expr, op: string, pos: number): void {
    const text = `(${deparse(left)} ${op} ${deparse(right)})`;
    if (op === "||") throw this.error(`'${text}': '||' is not supported; use (1 | g)`, pos);
    if (!(left.kind === "number" && left.value === 1)) {
      throw this.error(`'${text}': only random intercepts (1 | g) are supported`, pos);
    }
    if (right.kind !== "name") {
      throw this.error(`'${text}': the grouping factor must be a single column name`, right.pos);
    }
    if (!this.randomTerms.some((r) => r.group === right.name)) {
      this.randomTerms.push({ term: "(Intercept)", group: right.name });
    }
  }

  private clusterTerm(e: Expr & { kind: "call" }): void {
    if (e.args.length === 0) throw this.error("cluster() needs at least one variable", e.pos);
    const add = (x: Expr): void => {
      if (x.kind === "binary" && x.op === "+") {
        add(x.left);
        add(x.right);
      } else if (x.kind === "paren") {
        add(x.expr);
      } else if (x.kind === "name") {
        if (!this.clusterVariables.includes(x.name)) this.clusterVariables.push(x.name);
      } else {
        throw this.error(`cluster(...) takes column names joined by '+', not '${deparse(x)}'`, x.pos);
      }
    };
    for (const a of e.args) add(a);
  }
}

/** Classifies a variable expression and checks that it is one crtkit can evaluate. */
function describeVariable(e: Expr, fail: (message: string, pos: number) => InputError): FormulaVariable {
  const name = deparse(e);
  if (e.kind === "name" && e.name === ".") throw fail("'.' (all other columns) is not supported; list the variables", e.pos);
  if (e.kind === "name") return { name, role: "column", expr: e, columns: [e.name] };
  if (e.kind === "call" && FACTOR_FUNCTIONS.has(e.fn)) {
    if (e.args.length !== 1) throw fail(`${e.fn}() takes exactly one argument`, e.pos);
    checkArithmetic(e.args[0], fail);
    return { name, role: "factor", expr: e.args[0], columns: referencedNames(e.args[0]) };
  }
  if (e.kind === "call" || e.kind === "unary" || e.kind === "binary") {
    checkArithmetic(e, fail);
    return { name, role: "expression", expr: e, columns: referencedNames(e) };
  }
  throw fail(`'${name}' is not a variable`, e.pos);
}

/**
 * Checks that `e` is arithmetic crtkit can evaluate: numbers, column names,
 * unary and binary `+ - * / ^`, parentheses and the NUMERIC_FUNCTIONS.
 */
export function checkArithmetic(e: Expr, fail: (message: string, pos: number) => InputError): void {
  switch (e.kind) {
    case "name":
    case "number":
      return;
    case "paren":
      checkArithmetic(e.expr, fail);
      return;
    case "unary":
      if (e.op === "~") throw fail("unexpected '~'", e.pos);
      checkArithmetic(e.arg, fail);
      return;
    case "binary":
      if (!"+-*/^".includes(e.op) || e.op.length !== 1) {
        throw fail(`operator '${e.op}' cannot be used in arithmetic such as I(...) or log(...)`, e.pos);
      }
      checkArithmetic(e.left, fail);
      checkArithmetic(e.right, fail);
      return;
    case "call": {
      if (FACTOR_FUNCTIONS.has(e.fn)) throw fail(`${e.fn}() cannot be used inside arithmetic`, e.pos);
      if (!NUMERIC_FUNCTIONS.has(e.fn)) {
        throw fail(
          `unsupported function '${e.fn}'; supported: ${[...NUMERIC_FUNCTIONS, ...FACTOR_FUNCTIONS].join(", ")}, cluster`,
          e.pos,
        );
      }
      const maxArgs = e.fn === "log" ? 2 : 1;
      if (e.args.length < 1 || e.args.length > maxArgs) {
        throw fail(`${e.fn}() takes ${maxArgs === 1 ? "one argument" : "one or two arguments"}`, e.pos);
      }
      for (const a of e.args) checkArithmetic(a, fail);
    }
  }
}

/** Position of a `~` inside `e`, or null. */
function findTilde(e: Expr | null): number | null {
  if (e === null) return null;
  switch (e.kind) {
    case "name":
    case "number":
      return null;
    case "unary":
      return e.op === "~" ? e.pos : findTilde(e.arg);
    case "paren":
      return findTilde(e.expr);
    case "call":
      for (const a of e.args) {
        const p = findTilde(a);
        if (p !== null) return p;
      }
      return null;
    case "binary":
      return e.op === "~" ? e.pos : (findTilde(e.left) ?? findTilde(e.right));
  }
}

/** R's factor coding of each variable of each (sorted) term. */
function codings(sorted: readonly Term[]): FactorCoding[][] {
  return sorted.map((t, j) =>
    t.map((v) => {
      const rest = t.filter((u) => u !== v);
      if (rest.length === 0) return "contrasts";
      for (let k = 0; k < j; k++) if (isSubset(rest, sorted[k])) return "contrasts";
      return "full";
    }),
  );
}

/**
 * Interprets an R model formula: response, intercept, variables, terms in R's
 * order with R's labels, random intercepts `(1 | g)` and `cluster(...)`.
 * Throws an InputError with the position for syntax errors and unsupported
 * constructs.
 *
 * @example
 * parseFormula("Y ~ (X1 + X2 + A)^2").terms.map((t) => t.label);
 * // ["X1", "X2", "A", "X1:X2", "X1:A", "X2:A"]
 */
export function parseFormula(formula: string): ParsedFormula {
  if (formula.trim() === "") throw new InputError("formula is empty");
  const tree = parseSyntax(formula, "formula");
  let lhs: Expr | null;
  let rhs: Expr;
  if (tree.kind === "binary" && tree.op === "~") {
    lhs = tree.left;
    rhs = tree.right;
  } else if (tree.kind === "unary" && tree.op === "~") {
    lhs = null;
    rhs = tree.arg;
  } else {
    throw new InputError(`formula '${formula}' has no '~'; write it as 'Y ~ ${formula.trim()}'`);
  }
  const encoder = new Encoder(formula);
  const nested = findTilde(lhs);
  if (nested !== null) throw encoder.error("unexpected '~'", nested);
  let response: FormulaVariable | null = null;
  if (lhs !== null) {
    const fail = (m: string, p: number) => encoder.error(m, p);
    if (lhs.kind === "binary" && !"+-*/^".includes(lhs.op)) {
      throw fail(`the response must be a single variable, not '${deparse(lhs)}'`, lhs.pos);
    }
    if (lhs.kind === "number") throw fail("the response must be a variable, not a number", lhs.pos);
    if (lhs.kind === "call" && FACTOR_FUNCTIONS.has(lhs.fn)) throw fail("the response must be numeric, not a factor", lhs.pos);
    const v = describeVariable(lhs, fail);
    response = v;
  }
  const raw = encoder.encode(rhs, true, true);
  // Terms sorted by order (stable: appearance within an order).
  const sorted = raw
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.length - b.t.length || a.i - b.i)
    .map((x) => x.t);
  const variables = encoder.variables;
  if (response !== null) {
    const r = variables.findIndex((v) => v.name === response.name);
    if (r >= 0 && sorted.some((t) => t.includes(r))) {
      throw new InputError(`formula '${formula}': the response ${response.name} also appears on the right-hand side`);
    }
  }
  const coding = codings(sorted);
  const terms: FormulaTerm[] = sorted.map((t, j) =>
    Object.freeze({
      label: t.map((v) => variables[v].name).join(":"),
      variables: Object.freeze([...t]),
      coding: Object.freeze(coding[j]),
    }),
  );
  return Object.freeze({
    formula,
    response,
    intercept: encoder.intercept,
    variables: Object.freeze([...variables]),
    terms: Object.freeze(terms),
    randomTerms: Object.freeze([...encoder.randomTerms]),
    clusterVariables: Object.freeze([...encoder.clusterVariables]),
  });
}
