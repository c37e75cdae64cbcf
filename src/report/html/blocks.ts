/** HTML for each kind of report block. All text is escaped here, once. */
import type { Diagnostic } from "../../core/diagnostics.ts";
import { escapeXml } from "../charts/format.ts";
import { renderChart } from "../charts/render.ts";
import { formatCell } from "../text.ts";
import type { Block, HtmlCell, HtmlSection, HtmlTable } from "./types.ts";

export const escapeHtml = escapeXml;

/** Text that is a formatted number (e.g. an R̂ written to fixed decimals): aligned like numbers. */
const NUMBER_TEXT = /^[-\u2212]?\d[\d.,e+-]*$/;

/** A number for people (4 significant digits, like the text tables); text as is; null as "NA". */
export function cellText(value: HtmlCell, column = ""): string {
  return formatCell(value, column);
}

function facts(list: readonly (readonly [string, HtmlCell])[], className: string): string {
  const items = list.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(cellText(v))}</dd>`);
  return `<dl class="${className}">${items.join("")}</dl>`;
}

function table(t: HtmlTable): string {
  const flagged = new Set((t.flagged ?? []).map(([r, c]) => `${r},${c}`));
  const highlighted = new Set(t.highlightedRows ?? []);
  const head = `<thead><tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const rows = t.rows.map((row, r) => {
    const cells = row.map((v, c) => {
      const numeric = typeof v === "number" || v === null || NUMBER_TEXT.test(v);
      const classes = [numeric ? "num" : "", flagged.has(`${r},${c}`) ? "flag" : ""].filter(Boolean);
      const attr = classes.length > 0 ? ` class="${classes.join(" ")}"` : "";
      return `<td${attr}>${escapeHtml(cellText(v, t.columns[c]))}</td>`;
    });
    return `<tr${highlighted.has(r) ? ' class="highlight"' : ""}>${cells.join("")}</tr>`;
  });
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : "";
  return `<div class="table-wrap"><table>${caption}${head}<tbody>\n${rows.join("\n")}\n</tbody></table></div>`;
}

function diagnostics(list: readonly Diagnostic[]): string {
  if (list.length === 0) return "<p>No diagnostics.</p>";
  const items = list.map(
    (d) =>
      `<li><span class="severity severity-${escapeHtml(d.severity)}">${escapeHtml(d.severity)}</span> ${escapeHtml(d.message)} <span class="code-name">(${escapeHtml(d.code)})</span></li>`,
  );
  return `<ul class="diagnostics">${items.join("")}</ul>`;
}

export function renderBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case "paragraph":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "facts":
      return facts(block.facts, "facts");
    case "chart": {
      const caption = block.caption ? `<figcaption>${escapeHtml(block.caption)}</figcaption>` : "";
      return `<figure>\n${renderChart(block.spec)}${caption}</figure>`;
    }
    case "table":
      return table(block.table);
    case "code":
      return `<h3>${escapeHtml(block.label)}</h3><pre><code>${escapeHtml(block.code)}</code></pre>`;
    case "list":
      return `<ul class="plain">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "references":
      return `<ol class="references">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ol>`;
    case "diagnostics":
      return diagnostics(block.diagnostics);
  }
}

export function renderSection(section: HtmlSection): string {
  const body = section.blocks.map(renderBlock).join("\n");
  return `<section class="report-section" id="${escapeHtml(section.id)}">\n<h2>${escapeHtml(section.title)}</h2>\n${body}\n</section>`;
}

export function renderFacts(list: readonly (readonly [string, HtmlCell])[], className: string): string {
  return facts(list, className);
}
