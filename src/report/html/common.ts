/**
 * What report builders share: the JSON records they read (numbers may be
 * null, as `--format json` writes non-finite values), number wording, and
 * the diagnostics section.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import { formatCell } from "../text.ts";
import { nestedDiagnostics } from "../nested-diagnostics.ts";
import type { Block, HtmlCell, HtmlSection } from "./types.ts";

/** An `Estimate` as read back from JSON. */
export interface EstimateJson {
  readonly estimate: number | null;
  readonly stdError: number | null;
  readonly df: number | null;
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
}

export interface ProvenanceJson {
  readonly crtkitVersion: string;
  readonly inputSha256: string | null;
  readonly seed: number | null;
}

/** A JSON number for a chart: null (non-finite in the result) becomes NaN, which charts skip and count. */
export function value(x: number | null | undefined): number {
  return x ?? NaN;
}

/** A number for people: 4 significant digits, "NA" for null. */
export function fmt(x: number | null | undefined, column = ""): string {
  return formatCell(x ?? null, column);
}

/** "95%" for 0.95. */
export function percent(level: number, decimals = 0): string {
  return `${(level * 100).toFixed(decimals)}%`;
}

/** "0.412 (95% CI 0.118 to 0.705; p = 0.006)". */
export function estimateSentence(e: EstimateJson, level: number): string {
  const p = e.pValue === null ? "NA" : e.pValue < 1e-4 ? "< 0.0001" : fmt(e.pValue);
  return `${fmt(e.estimate)} (${percent(level)} CI ${fmt(e.confLow)} to ${fmt(e.confHigh)}; p ${p.startsWith("<") ? p : `= ${p}`})`;
}

/** The columns of an estimate in tidy tables (broom's names, as the CSV output). */
export const ESTIMATE_HEADERS = ["estimate", "std.error", "df", "p.value", "conf.low", "conf.high"] as const;

export function estimateCells(e: EstimateJson): HtmlCell[] {
  return [e.estimate, e.stdError, e.df, e.pValue, e.confLow, e.confHigh];
}

/** Warnings and errors anywhere in the result, each message once (as standard error shows them). */
export function seriousCount(json: unknown): { warnings: number; errors: number } {
  const all = nestedDiagnostics(json).map((d) => d.diagnostic);
  const count = (severity: string) => new Set(all.filter((d) => d.severity === severity).map((d) => d.message)).size;
  return { warnings: count("warning"), errors: count("error") };
}

/** "2 warnings, no errors". */
export function warningSummary(json: unknown): string {
  const { warnings, errors } = seriousCount(json);
  const count = (n: number, what: string) => (n === 0 ? `no ${what}s` : `${n} ${what}${n === 1 ? "" : "s"}`);
  return `${count(warnings, "warning")}, ${count(errors, "error")}`;
}

/**
 * Every diagnostic of the result, each labelled with the part it belongs to
 * (`label` names a part from its JSON path, e.g. "results[2]" → "MI [M ~ X1]").
 */
export function diagnosticsSection(json: unknown, label: (path: string) => string = (p) => p): HtmlSection {
  const list: Diagnostic[] = nestedDiagnostics(json).map(({ path, diagnostic }) => {
    const where = path === "" ? "" : label(path);
    return where === "" ? diagnostic : { ...diagnostic, message: `${where}: ${diagnostic.message}` };
  });
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text: "Everything the computation reported: dropped rows, convergence, boundary fits, small-sample notes. Warnings and errors were also printed on standard error.",
    },
    { kind: "diagnostics", diagnostics: list },
  ];
  return { id: "diagnostics", title: "Diagnostics", blocks };
}
