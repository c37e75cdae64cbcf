/**
 * The report area of an analysis: the summary's facts, a forest plot of the
 * HTE and ATE per method, the summary tables and the diagnostics. It takes
 * the result JSON (what `crtkit analyze --format json` prints) and the
 * summary of the same report, and returns HTML: one function, so that it
 * can be exchanged for the library's HTML report builder.
 */
import type { Summary } from "crtkit/core";
import { forestSvg } from "./charts.ts";
import { diagnosticsHtml, escapeHtml, factsHtml, figureHtml, tableHtml } from "./html.ts";

export interface ReportContext {
  readonly fileName: string;
}

export function renderReport(resultJson: string, summary: Summary, context: ReportContext): string {
  const result = JSON.parse(resultJson) as { results: Parameters<typeof forestSvg>[0]; settings: { level: number } };
  const [estimates, ...others] = summary.tables;
  return [
    `<h3>${escapeHtml(summary.title)}</h3>`,
    `<p class="source">Data: <code>${escapeHtml(context.fileName)}</code></p>`,
    factsHtml(summary.facts),
    figureHtml(forestSvg(result.results, result.settings.level)),
    tableHtml(estimates, "Estimates by method (hte: treatment × modifier interaction; ate: average treatment effect)"),
    ...others.map((t) => tableHtml(t)),
    diagnosticsHtml(summary.diagnostics),
  ].join("");
}
