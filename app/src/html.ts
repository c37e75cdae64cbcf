/**
 * HTML text for the page's result areas, built in the worker: every value
 * from the data or a result is escaped; numbers are formatted as in the
 * command line's tables (formatCell).
 */
import { formatCell, type Cell, type Diagnostic, type Summary, type Table } from "crtkit/core";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The columns of an estimate table with nothing in them (df of z tests), left out as the text tables do. */
function shownColumns(table: Table): number[] {
  const empty = (j: number): boolean => (table.optional ?? []).includes(table.columns[j]) && table.rows.every((r) => r[j] === null);
  return table.columns.map((_, j) => j).filter((j) => !empty(j));
}

function isNumberColumn(table: Table, j: number): boolean {
  return table.rows.some((r) => typeof r[j] === "number") && table.rows.every((r) => r[j] === null || typeof r[j] === "number");
}

/** A summary table, numeric columns right-aligned (see tableBox). */
export function tableHtml(table: Table, caption = table.title): string {
  const shown = shownColumns(table);
  const numeric = new Set(shown.filter((j) => isNumberColumn(table, j)));
  const cls = (j: number): string => (numeric.has(j) ? ' class="num"' : "");
  const head = shown.map((j) => `<th scope="col"${cls(j)}>${escapeHtml(table.columns[j])}</th>`).join("");
  const body = table.rows
    .map((row) => `<tr>${shown.map((j) => `<td${cls(j)}>${escapeHtml(formatCell(row[j] as Cell, table.columns[j]))}</td>`).join("")}</tr>`)
    .join("");
  return tableBox(`<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`, caption);
}

/**
 * A table (its inner HTML) in a box that scrolls sideways on narrow screens
 * (focusable, so keyboards scroll it too). The title is shown above the box,
 * where it wraps with the page, and is the table's caption for screen readers.
 */
export function tableBox(inner: string, caption?: string, className = ""): string {
  const title = caption ? `<p class="table-title" aria-hidden="true">${escapeHtml(caption)}</p>` : "";
  const hidden = caption ? `<caption class="visually-hidden">${escapeHtml(caption)}</caption>` : "";
  return `${title}<div class="table-wrap" tabindex="0"><table${className ? ` class="${className}"` : ""}>${hidden}${inner}</table></div>`;
}

export function factsHtml(facts: Summary["facts"]): string {
  if (facts.length === 0) return "";
  return `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(formatCell(v))}</dd></div>`).join("")}</dl>`;
}

export function diagnosticsHtml(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return "";
  const items = diagnostics.map((d) => `<li class="${escapeHtml(d.severity)}"><strong>${escapeHtml(d.severity)}</strong> <code>${escapeHtml(d.code)}</code> ${escapeHtml(d.message)}</li>`);
  return `<h3>Diagnostics</h3><ul class="diagnostics">${items.join("")}</ul>`;
}

/** A whole summary: title, facts, tables, diagnostics (`figures` go after the facts). */
export function summaryHtml(summary: Summary, figures = "", heading = "h3"): string {
  return [
    `<${heading}>${escapeHtml(summary.title)}</${heading}>`,
    factsHtml(summary.facts),
    figures,
    ...summary.tables.map((t) => tableHtml(t)),
    diagnosticsHtml(summary.diagnostics),
  ].join("");
}

/** A chart's SVG in a figure that scrolls sideways on narrow screens rather than squeezing its labels. */
export function figureHtml(svg: string): string {
  return `<figure class="chart" tabindex="0">${svg}</figure>`;
}
