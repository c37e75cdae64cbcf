/** Self-contained HTML reports: per-command content builders and the document that wraps them. */
export { renderHtmlDocument, RESULT_SCRIPT_ID } from "./document.ts";
export { analyzeHtml } from "./analyze.ts";
export { mrsHtml } from "./mrs.ts";
export { designPowerHtml } from "./design-power.ts";
export { simulateSummaryHtml } from "./simulate.ts";
export { missingnessHtml } from "./missingness.ts";
export { sensitivityHtml } from "./sensitivity.ts";
export type { Block, DocumentShell, HtmlCell, HtmlReport, HtmlSection, HtmlTable, ReportContext } from "./types.ts";
