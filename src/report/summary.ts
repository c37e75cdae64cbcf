/**
 * A result's summary as plain data, computed once; the renderers below turn
 * it into a text table for people or CSV for spreadsheets (JSON is the result
 * object itself).
 */
import type { Diagnostic } from "../core/diagnostics.ts";

export type Cell = string | number | null;

export interface Table {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface Summary {
  readonly title: string;
  /** Key facts shown above the tables ("Clusters: 40"). */
  readonly facts: readonly (readonly [string, Cell])[];
  /** The first table is the primary one (the one CSV output holds). */
  readonly tables: readonly Table[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Formats a number for people: 4 significant digits, small p-values as "<1e-4". */
export function formatCell(value: Cell, column = ""): string {
  if (value === null) return "NA";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  if (/^p/i.test(column) && value < 1e-4) return "<1e-4";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3);
  return value.toPrecision(4).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1");
}

export function renderTable(table: Table): string {
  const cells = table.rows.map((row) => row.map((v, j) => formatCell(v, table.columns[j])));
  const widths = table.columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const isText = table.columns.map((_, j) => table.rows.every((r) => typeof r[j] === "string" || r[j] === null));
  const pad = (s: string, j: number): string => (isText[j] ? s.padEnd(widths[j]) : s.padStart(widths[j]));
  const lines: string[] = [];
  if (table.title) lines.push(table.title);
  lines.push(table.columns.map((c, j) => pad(c, j)).join("  "));
  for (const row of cells) lines.push(row.map((s, j) => pad(s, j)).join("  "));
  return lines.join("\n");
}

export function renderText(summary: Summary): string {
  const out: string[] = [summary.title, ""];
  if (summary.facts.length > 0) {
    const w = Math.max(...summary.facts.map(([k]) => k.length));
    for (const [k, v] of summary.facts) out.push(`${(k + ":").padEnd(w + 1)} ${formatCell(v)}`);
    out.push("");
  }
  for (const t of summary.tables) out.push(renderTable(t), "");
  for (const d of summary.diagnostics) out.push(`[${d.severity}] ${d.code}: ${d.message}`);
  return out.join("\n").replace(/\n+$/, "") + "\n";
}

function csvField(value: Cell): string {
  if (value === null) return "NA";
  const s = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "NA") : value;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of the primary table at full precision. */
export function renderCsv(summary: Summary): string {
  const t = summary.tables[0];
  if (!t) return "";
  return [t.columns.map(csvField).join(","), ...t.rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}
