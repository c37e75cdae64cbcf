/** The text renderer: facts, aligned tables and diagnostics for people. */
import type { Cell, Summary, Table } from "./summary.ts";

/** Columns holding p-values: "p", "p.value", "pValue", "p-value", "pval" (not "propMissing" or "probability"). */
const P_VALUE_COLUMN = /^p([._-]?val(ue)?)?$/i;

/** Formats a number for people: 4 significant digits, small p-values as "<1e-4". */
export function formatCell(value: Cell, column = ""): string {
  if (value === null) return "NA";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  if (P_VALUE_COLUMN.test(column) && value < 1e-4) return "<1e-4";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3);
  return value.toPrecision(4).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1");
}

/** The table without its optional columns that hold no value. */
function shown(table: Table): Table {
  const drop = new Set(
    (table.optional ?? []).map((c) => table.columns.indexOf(c)).filter((j) => j >= 0 && table.rows.every((r) => r[j] === null)),
  );
  if (drop.size === 0) return table;
  const keep = (_: unknown, j: number): boolean => !drop.has(j);
  return { ...table, columns: table.columns.filter(keep), rows: table.rows.map((r) => r.filter(keep)) };
}

export function renderTable(full: Table): string {
  const table = shown(full);
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
