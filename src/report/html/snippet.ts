/** Library snippets for the reproduce box: TypeScript literals and the usual data loading. */

export type Literal = string | number | boolean | null | readonly Literal[] | { readonly [key: string]: Literal };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript literal: objects one key a line at `indent`, arrays and scalars inline. */
export function literal(value: Literal, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(", ")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${literal(v, inner)},`);
  return entries.length === 0 ? "{}" : `{\n${entries.join("\n")}\n${indent}}`;
}

/** Import lines, reading the CSV when `dataPath` is given (standard input becomes "data.csv"), and the call. */
export function snippet(names: readonly string[], call: string, dataPath?: string): string {
  const lines: string[] = [];
  if (dataPath !== undefined) lines.push('import { readFileSync } from "node:fs";');
  const imports = dataPath === undefined ? names : [...names, "readCsv"];
  lines.push(`import { ${[...new Set(imports)].sort().join(", ")} } from "crtkit";`, "");
  if (dataPath !== undefined) lines.push(`const data = readCsv(readFileSync(${JSON.stringify(dataPath === "-" ? "data.csv" : dataPath)}, "utf8"));`);
  lines.push(call);
  return lines.join("\n");
}
