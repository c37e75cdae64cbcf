/**
 * The CSV renderer: the primary table at full precision. Text cells that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return: a cluster id, factor level or column name from the data)
 * are neutralized as OWASP recommends: prefixed with a single quote and
 * quoted. Numbers are written as they are (-0.5 stays -0.5).
 */
import type { Cell, Summary } from "./summary.ts";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: Cell): string {
  if (value === null) return "NA";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NA";
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV of the primary table. */
export function renderCsv(summary: Summary): string {
  const t = summary.tables[0];
  if (!t) return "";
  return [t.columns.map(csvField).join(","), ...t.rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}
