/**
 * One self-contained HTML file: inline CSS and SVG, no script but the
 * embedded JSON result, no reference to any other origin (the Content
 * Security Policy forbids loading anything), readable without JavaScript and
 * printable on A4. The reproduce box and the provenance block close every
 * report.
 */
import { escapeHtml, renderFacts, renderSection } from "./blocks.ts";
import { REPORT_CSS } from "./css.ts";
import type { DocumentShell, HtmlReport, HtmlSection } from "./types.ts";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The id of the embedded result; its text is the `--format json` output, byte for byte. */
export const RESULT_SCRIPT_ID = "crtkit-result";

function reproduceSection(report: HtmlReport, shell: DocumentShell): HtmlSection {
  return {
    id: "reproduce",
    title: "Reproduce",
    blocks: [
      {
        kind: "paragraph",
        text:
          "The command below, run with the same crtkit version on input with the same SHA-256, prints the JSON result embedded in this file, " +
          "byte for byte (options that only choose where output goes are left out).",
      },
      { kind: "code", label: "Command line", code: shell.reproduceCommand },
      ...(report.librarySnippet ? [{ kind: "code" as const, label: "Library (TypeScript)", code: report.librarySnippet }] : []),
    ],
  };
}

function provenanceSection(shell: DocumentShell): HtmlSection {
  return {
    id: "provenance",
    title: "Provenance",
    blocks: [
      {
        kind: "facts",
        facts: [
          ["crtkit version", shell.crtkitVersion],
          ["Node.js version", shell.nodeVersion],
          ["Input SHA-256", shell.inputSha256 ?? "none (the command reads no data)"],
          ["Seed", shell.seed ?? "none (deterministic command)"],
          ["Report written", shell.time],
        ],
      },
      { kind: "code", label: "Command line as typed", code: shell.commandLine },
      {
        kind: "paragraph",
        text:
          `The complete result is embedded in this file as JSON (the script element with id "${RESULT_SCRIPT_ID}"), identical to the output of --format json; ` +
          "its provenance field holds the crtkit version, the input hash and the seed, never the time.",
      },
    ],
  };
}

function embeddedResult(json: string): string {
  // toJson already escapes these; a result that still held one would end the element early.
  if (/<\/script|<!--/i.test(json)) throw new Error("the JSON result is not safe to embed in HTML");
  return `<script type="application/json" id="${RESULT_SCRIPT_ID}">${json}</script>`;
}

export function renderHtmlDocument(report: HtmlReport, shell: DocumentShell): string {
  const sections = [...report.sections, reproduceSection(report, shell), provenanceSection(shell)];
  const toc = sections
    .map(({ id, title }) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(title)}</a></li>`)
    .join("");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="crtkit ${escapeHtml(shell.crtkitVersion)}">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    '<div class="page">',
    '<header class="report-header">',
    `<p class="kicker">crtkit report</p>`,
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="question">${escapeHtml(report.question)}</p>`,
    renderFacts(report.headline, "facts headline"),
    `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${toc}</ol></nav>`,
    "</header>",
    "<main>",
    ...sections.map(renderSection),
    "</main>",
    "</div>",
    embeddedResult(shell.resultJson),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
