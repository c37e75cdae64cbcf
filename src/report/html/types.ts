/**
 * An HTML report as plain data: sections of blocks (paragraphs, facts,
 * charts as chart specs, tables, code). Builders per command return it;
 * `renderHtmlDocument` turns it into one self-contained file. Keeping it data
 * lets tests compare the chart specs a report draws, not just its markup.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { Dataset } from "../../data/dataset.ts";
import type { ChartSpec } from "../charts/types.ts";

/** A table cell: text, a number (formatted for people), or null (shown as "NA"). */
export type HtmlCell = string | number | null;

export interface HtmlTable {
  readonly caption?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly HtmlCell[])[];
  /** Cells to mark, e.g. an R̂ above its threshold: [row, column] pairs. */
  readonly flagged?: readonly (readonly [number, number])[];
  /** Rows to emphasise, e.g. the reference analysis. */
  readonly highlightedRows?: readonly number[];
}

export type Block =
  | { readonly kind: "heading"; readonly text: string }
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "facts"; readonly facts: readonly (readonly [string, HtmlCell])[] }
  | { readonly kind: "chart"; readonly spec: ChartSpec; readonly caption?: string }
  | { readonly kind: "table"; readonly table: HtmlTable }
  | { readonly kind: "code"; readonly label: string; readonly code: string }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "references"; readonly items: readonly string[] }
  | { readonly kind: "diagnostics"; readonly diagnostics: readonly Diagnostic[] };

export interface HtmlSection {
  /** Anchor of the section, unique in the report. */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface HtmlReport {
  readonly title: string;
  /** The question the analysis answers, in one sentence. */
  readonly question: string;
  /** The answer at a glance: label and value pairs shown under the question. */
  readonly headline: readonly (readonly [string, HtmlCell])[];
  readonly sections: readonly HtmlSection[];
  /** Library code that gives the same result, shown beside the command line. */
  readonly librarySnippet?: string;
}

/** What the command line knows about a run, for report builders. */
export interface ReportContext {
  /** The command name, e.g. "analyze" or "design power". */
  readonly command: string;
  /** The parsed option values (given ones; defaults are the command's). */
  readonly options: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  /** DATA as given (a path or "-"), when the command reads data. */
  readonly dataPath?: string;
  readonly data?: Dataset;
  /** Positional arguments after DATA, e.g. the directory of `simulate summarize`. */
  readonly positionals: readonly string[];
}

/** Everything around the content: the embedded result and the provenance block. */
export interface DocumentShell {
  /** The result exactly as `--format json` prints it. */
  readonly resultJson: string;
  /** The command line as typed, and the one that reproduces the JSON. */
  readonly commandLine: string;
  readonly reproduceCommand: string;
  readonly crtkitVersion: string;
  readonly nodeVersion: string;
  readonly inputSha256: string | null;
  readonly seed: number | null;
  /** When the report was written (ISO 8601); only here, never in JSON. */
  readonly time: string;
}
