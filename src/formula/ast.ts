/**
 * Syntax tree of a formula or of an arithmetic expression inside one, and
 * its R-style text. `pos` is the 0-based offset in the source of the node's
 * operator or first character (messages print it 1-based).
 */
import { formatRNumber } from "./rformat.ts";

export type BinaryOperator = "~" | "|" | "||" | "+" | "-" | "*" | "/" | "%in%" | ":" | "^";

export type Expr =
  | { readonly kind: "name"; readonly name: string; readonly pos: number }
  | { readonly kind: "number"; readonly value: number; readonly pos: number }
  | { readonly kind: "unary"; readonly op: "-" | "+" | "~"; readonly arg: Expr; readonly pos: number }
  | {
      readonly kind: "binary";
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: number;
    }
  | { readonly kind: "paren"; readonly expr: Expr; readonly pos: number }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Expr[]; readonly pos: number };

/** Names the parser reads without backticks (see parser.ts): a letter of any script, '_' or '.' not followed by a digit first. */
const SYNTACTIC_NAME = /^((\.[\p{L}\p{M}._]|[\p{L}_])[\p{L}\p{M}\p{N}._]*|\.)$/u;
const RESERVED = new Set([
  "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
  "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "in",
]);

/** A name as R deparses it: backquoted unless syntactic. */
export function deparseName(name: string): string {
  return SYNTACTIC_NAME.test(name) && !RESERVED.has(name) ? name : "`" + name.replace(/([`\\])/g, "\\$1") + "`";
}

/**
 * The expression as R's `deparse()` writes it: spaces around `+ - * ~ | %in%`,
 * none around `/ ^ :`, parentheses as written, numbers via formatRNumber.
 *
 * @example
 * deparse(parseExpression("log(X2+10)")) // "log(X2 + 10)"
 */
export function deparse(e: Expr): string {
  switch (e.kind) {
    case "name":
      return deparseName(e.name);
    case "number":
      return formatRNumber(e.value); // R's term labels write 2L as 2 too
    case "unary":
      return e.op + deparse(e.arg);
    case "paren":
      return "(" + deparse(e.expr) + ")";
    case "call":
      return deparseName(e.fn) + "(" + e.args.map(deparse).join(", ") + ")";
    case "binary": {
      const tight = e.op === "/" || e.op === "^" || e.op === ":";
      return tight ? deparse(e.left) + e.op + deparse(e.right) : `${deparse(e.left)} ${e.op} ${deparse(e.right)}`;
    }
  }
}

/** Column names an expression reads, in order of first appearance (function names excluded). */
export function referencedNames(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case "name":
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case "number":
      break;
    case "unary":
      referencedNames(e.arg, out);
      break;
    case "paren":
      referencedNames(e.expr, out);
      break;
    case "call":
      for (const a of e.args) referencedNames(a, out);
      break;
    case "binary":
      referencedNames(e.left, out);
      referencedNames(e.right, out);
      break;
  }
  return out;
}
