/**
 * The report's one stylesheet, inlined in every file. Screen: one readable
 * column. Print: A4 pages, each section starting on a new page, charts and
 * table rows never cut, links shown as plain text.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --soft: #f6f8fa; --accent: #0072b2; --flag: #b35900; --flag-bg: #fff4e5; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: var(--ink); background: #fff; }
body { margin: 0; }
.page { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
header.report-header { border-bottom: 2px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1.5rem; }
.kicker { margin: 0; color: var(--muted); font-size: 0.85rem; letter-spacing: 0.04em; text-transform: uppercase; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.25rem 0 0.5rem; }
h2 { font-size: 1.25rem; margin: 0 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 1.25rem 0 0.5rem; }
.question { font-size: 1.1rem; margin: 0 0 0.75rem; }
p { margin: 0 0 0.75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
dl.headline { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: 0.75rem 1rem; }
nav.toc ol { margin: 0.5rem 0 0; padding-left: 1.25rem; columns: 2; }
nav.toc a { color: var(--accent); }
section.report-section { margin: 0 0 2.25rem; }
figure { margin: 0 0 1.25rem; break-inside: avoid; page-break-inside: avoid; }
/* Arial-metric fonts match the widths the charts reserve for labels; overflow keeps a label that still runs long readable. */
figure svg.crtkit-chart { display: block; max-width: 100%; height: auto; overflow: visible; font-family: Helvetica, Arial, "Liberation Sans", "Nimbus Sans", sans-serif; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.25rem; }
.table-wrap { overflow-x: auto; margin: 0 0 1.25rem; }
table { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.35rem; }
th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr.highlight td { background: #eef5fb; font-weight: 600; }
td.flag { background: var(--flag-bg); color: var(--flag); font-weight: 600; }
pre { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: 0.6rem 0.8rem; font-size: 0.8rem; line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 1rem; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
ul.plain { padding-left: 1.25rem; margin: 0 0 1rem; }
ul.diagnostics { list-style: none; padding-left: 0; margin: 0 0 1rem; }
ul.diagnostics li { margin-bottom: 0.35rem; padding-left: 5rem; text-indent: -5rem; }
.severity { display: inline-block; width: 5rem; text-indent: 0; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; }
.severity-warning, .severity-error { color: var(--flag); }
.severity-info { color: var(--muted); }
.code-name { color: var(--muted); font-size: 0.8rem; }
ol.references { padding-left: 1.25rem; font-size: 0.9rem; }
.provenance dd code { font-size: 0.8rem; }
@page { size: A4; margin: 15mm 14mm 16mm; }
@media print {
  html { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc a { color: inherit; text-decoration: none; }
  section.report-section { break-before: page; page-break-before: always; margin: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 7.5pt; }
  thead { display: table-header-group; }
  tr, pre, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  td.num { white-space: normal; }
  pre { white-space: pre-wrap; }
}
`;
