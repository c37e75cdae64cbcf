/**
 * Tokenizer and precedence-climbing parser for R formulas and the arithmetic
 * inside them. Precedence follows R (tightest first): `^` (right
 * associative), unary `- +`, `:`, `%in%`, `* /`, binary `+ -`, `|`, `~`.
 * Errors are InputErrors that quote the source and give a 1-based position:
 * "formula 'Y ~ A * ': expected a term at position 9".
 */
import { InputError } from "../core/errors.ts";
import type { BinaryOperator, Expr } from "./ast.ts";

type Token =
  | { readonly type: "name"; readonly text: string; readonly pos: number }
  | { readonly type: "number"; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly type: "op"; readonly text: string; readonly pos: number }
  | { readonly type: "("; readonly text: "("; readonly pos: number }
  | { readonly type: ")"; readonly text: ")"; readonly pos: number }
  | { readonly type: ","; readonly text: ","; readonly pos: number }
  | { readonly type: "end"; readonly text: ""; readonly pos: number };

/** Left binding powers of the binary operators. */
const BINARY_POWER: Readonly<Record<string, number>> = {
  "~": 10,
  "|": 20,
  "||": 20,
  "+": 30,
  "-": 30,
  "*": 40,
  "/": 40,
  "%in%": 50,
  ":": 60,
  "^": 80,
};
const UNARY_POWER = 70;
// Names start with a letter of any script, '.' or '_' (R: a letter or '.'; '_' is
// accepted too, so that `_x` needs no backticks) and go on with letters,
// combining marks, digits, '.' and '_'.
const NAME_START = /^[\p{L}._]/u;
const NAME_CHAR = /^[\p{L}\p{M}\p{N}._]/u;

/** Length in UTF-16 units of the character at `i` when `pattern` accepts it, else 0. */
function nameCharLength(source: string, i: number, pattern: RegExp): number {
  const cp = source.codePointAt(i);
  if (cp === undefined) return 0;
  const ch = String.fromCodePoint(cp);
  return pattern.test(ch) ? ch.length : 0;
}
const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?L?/;

/** Builds the InputError for a problem at 0-based offset `pos` of `source`. */
export function syntaxError(what: string, source: string, message: string, pos: number): InputError {
  return new InputError(`${what} '${source}': ${message} at position ${pos + 1}`);
}

function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      const m = NUMBER.exec(source.slice(i));
      if (!m) throw syntaxError(what, source, `malformed number`, i);
      const text = m[0];
      i += text.length;
      if (nameCharLength(source, i, NAME_CHAR) > 0) throw syntaxError(what, source, `malformed number '${text}${source[i]}'`, start);
      tokens.push({ type: "number", value: Number(text.endsWith("L") ? text.slice(0, -1) : text), text, pos: start });
      continue;
    }
    if (nameCharLength(source, i, NAME_START) > 0) {
      for (let len = nameCharLength(source, i, NAME_CHAR); len > 0; len = nameCharLength(source, i, NAME_CHAR)) i += len;
      tokens.push({ type: "name", text: source.slice(start, i), pos: start });
      continue;
    }
    if (c === "`") {
      const close = source.indexOf("`", i + 1);
      if (close < 0) throw syntaxError(what, source, "unclosed '`'", i);
      if (close === i + 1) throw syntaxError(what, source, "empty name ``", i);
      tokens.push({ type: "name", text: source.slice(i + 1, close), pos: start });
      i = close + 1;
      continue;
    }
    if (c === "%") {
      const close = source.indexOf("%", i + 1);
      const op = close < 0 ? source.slice(i) : source.slice(i, close + 1);
      if (op !== "%in%") throw syntaxError(what, source, `unsupported operator '${op}'`, i);
      tokens.push({ type: "op", text: op, pos: start });
      i = close + 1;
      continue;
    }
    if (c === "|" && source[i + 1] === "|") {
      tokens.push({ type: "op", text: "||", pos: start });
      i += 2;
      continue;
    }
    if ("~|+-*/:^".includes(c)) {
      if (c === "*" && source[i + 1] === "*") {
        tokens.push({ type: "op", text: "^", pos: start }); // R reads ** as ^
        i += 2;
        continue;
      }
      tokens.push({ type: "op", text: c, pos: start });
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: c, text: c, pos: start } as Token);
      i++;
      continue;
    }
    throw syntaxError(what, source, `unexpected character '${c}'`, i);
  }
  tokens.push({ type: "end", text: "", pos: source.length });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
    private readonly what: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private error(message: string, pos: number): InputError {
    return syntaxError(this.what, this.source, message, pos);
  }

  parseAll(): Expr {
    const e = this.parse(0);
    const t = this.peek();
    if (t.type !== "end") throw this.error(`unexpected '${t.text}'`, t.pos);
    return e;
  }

  private parse(minPower: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t.type !== "op") {
        if (t.type === "name" || t.type === "number" || t.type === "(") {
          throw this.error(`unexpected '${t.text}' (missing operator?)`, t.pos);
        }
        return left;
      }
      const power = BINARY_POWER[t.text];
      if (power <= minPower) return left;
      this.index++;
      // `^` is right associative; the others associate to the left.
      const right = this.parse(t.text === "^" ? power - 1 : power);
      left = { kind: "binary", op: t.text as BinaryOperator, left, right, pos: t.pos };
    }
  }

  private prefix(): Expr {
    const t = this.peek();
    switch (t.type) {
      case "number":
        this.index++;
        return { kind: "number", value: t.value, pos: t.pos };
      case "name": {
        this.index++;
        if (this.peek().type !== "(") return { kind: "name", name: t.text, pos: t.pos };
        this.index++;
        const args: Expr[] = [];
        if (this.peek().type === ")") {
          this.index++;
          return { kind: "call", fn: t.text, args, pos: t.pos };
        }
        for (;;) {
          args.push(this.parse(0));
          const next = this.peek();
          if (next.type === ",") {
            this.index++;
            continue;
          }
          if (next.type === ")") {
            this.index++;
            return { kind: "call", fn: t.text, args, pos: t.pos };
          }
          throw this.error(
            next.type === "end"
              ? `missing ')' to close '${t.text}(' opened at position ${t.pos + 1}`
              : `expected ',' or ')' but found '${next.text}'`,
            next.pos,
          );
        }
      }
      case "(": {
        this.index++;
        const inner = this.parse(0);
        const close = this.peek();
        if (close.type !== ")") {
          throw this.error(
            close.type === "end"
              ? `missing ')' to close '(' opened at position ${t.pos + 1}`
              : `expected ')' but found '${close.text}'`,
            close.pos,
          );
        }
        this.index++;
        return { kind: "paren", expr: inner, pos: t.pos };
      }
      case "op":
        if (t.text === "-" || t.text === "+" || t.text === "~") {
          this.index++;
          const arg = this.parse(t.text === "~" ? BINARY_POWER["~"] : UNARY_POWER);
          return { kind: "unary", op: t.text, arg, pos: t.pos };
        }
        throw this.error(`expected a term but found '${t.text}'`, t.pos);
      case "end":
        throw this.error("expected a term", t.pos);
      default:
        throw this.error(`expected a term but found '${t.text}'`, t.pos);
    }
  }
}

/**
 * Parses R formula or expression syntax into a tree, without interpreting
 * it. `what` names the input in error messages ("formula", "expression").
 *
 * @example
 * parseSyntax("Y ~ A*M") // { kind: "binary", op: "~", ... }
 */
export function parseSyntax(source: string, what = "formula"): Expr {
  if (source.trim() === "") throw new InputError(`${what} is empty`);
  return new Parser(tokenize(source, what), source, what).parseAll();
}
