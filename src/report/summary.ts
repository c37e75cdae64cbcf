/**
 * A result's summary as plain data, computed once; renderers turn it into a
 * text table for people (text.ts) or CSV for spreadsheets (csv.ts); JSON is
 * the result object itself (json.ts).
 */
import type { Diagnostic } from "../core/diagnostics.ts";

export type Cell = string | number | null;

export interface Table {
  readonly title?: string;
  /** Column names, used as the CSV header (broom's names for estimate tables). */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Columns the text view leaves out when every cell is null (e.g. `df` of z tests). */
  readonly optional?: readonly string[];
}

export interface Summary {
  readonly title: string;
  /** Key facts shown above the tables ("Clusters: 40"). */
  readonly facts: readonly (readonly [string, Cell])[];
  /** The first table is the primary one (the one CSV output holds). */
  readonly tables: readonly Table[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A command's JSON result object (docs/cli.md): its fields, always with `diagnostics`. */
export interface JsonResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly [field: string]: unknown;
}

/** What a report builder returns: the JSON result object and its summary. */
export interface Report {
  readonly json: JsonResult;
  readonly summary: Summary;
}

