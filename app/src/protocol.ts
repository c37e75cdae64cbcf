/** Messages between the page and its worker: requests with an id, answered by progress, a result or an error. */
import type { OptionValues } from "../../src/cli/command.ts";

/** The chosen file: its bytes travel with every request, so a fresh worker (after Cancel) can read it again. */
export interface FileData {
  /** Changes with every file chosen, so the worker knows when its parsed copy is stale. */
  readonly id: number;
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type Request =
  | { readonly kind: "inspect"; readonly file: FileData }
  | { readonly kind: "missing-chart"; readonly file: FileData; readonly roles: ChartRoles; readonly width: number }
  | { readonly kind: "analyze"; readonly file: FileData; readonly values: OptionValues }
  | { readonly kind: "missingness"; readonly file: FileData; readonly values: OptionValues; readonly width: number }
  /** The HTML report of the worker's last analysis, made when asked for (it takes a while). */
  | { readonly kind: "analysis-html" }
  | { readonly kind: "design"; readonly input: DesignRequest };

export interface ChartRoles {
  readonly cluster: string;
  readonly variable: string;
  readonly treatment: string;
}

/** The design calculator's fields as typed, by calculator. */
export interface DesignRequest {
  readonly calculator: "ate" | "hte";
  readonly values: Readonly<Record<string, string>>;
}

export interface ColumnInfo {
  readonly name: string;
  readonly kind: "numeric" | "text";
  readonly nMissing: number;
  /** Every observed value is 0 or 1. */
  readonly binary: boolean;
}

export interface Guess {
  readonly cluster: string;
  readonly treatment: string;
  readonly modifier: string;
  readonly outcome: string;
  readonly imputation: string;
  readonly covariates: string;
}

export interface Inspection {
  readonly nRows: number;
  readonly columns: readonly ColumnInfo[];
  /** The preview table (HTML). */
  readonly previewHtml: string;
  readonly guess: Guess;
  readonly seconds: number;
}

export interface ChartAnswer {
  /** The SVG, or null with a message saying why there is none. */
  readonly svg: string | null;
  readonly message: string;
}

export interface AnalysisAnswer {
  /** Exactly `crtkit analyze … --format json`. */
  readonly resultJson: string;
  /** `--format csv`. */
  readonly csv: string;
  readonly reportHtml: string;
  /** Warning and error diagnostics, as the command line prints them on stderr. */
  readonly warnings: readonly string[];
  /** Methods that failed (their results carry an error diagnostic). */
  readonly failed: number;
  /** The whole request: reading the file (unless read before), the analysis, its outputs. */
  readonly seconds: number;
  /** analyzeMissingModifier alone. */
  readonly analysisSeconds: number;
}

export interface ReportAnswer {
  readonly resultJson: string;
  readonly reportHtml: string;
  readonly seconds: number;
}

export interface DesignAnswer {
  readonly html: string;
}

export interface Answers {
  readonly inspect: Inspection;
  readonly "missing-chart": ChartAnswer;
  readonly analyze: AnalysisAnswer;
  readonly missingness: ReportAnswer;
  /** The file `--report FILE.html` writes. */
  readonly "analysis-html": string;
  readonly design: DesignAnswer;
}

/** An error thrown in the worker: InputError (bad input, named field), ComputeError, or a bug. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
}

export type Reply =
  | { readonly id: number; readonly type: "progress"; readonly fraction: number; readonly label: string }
  | { readonly id: number; readonly type: "result"; readonly value: unknown }
  | { readonly id: number; readonly type: "error"; readonly error: WorkerError };
