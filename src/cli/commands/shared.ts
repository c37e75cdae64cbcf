/** Options several commands share (their reports live in src/report). */
import type { OptionSpec } from "../command.ts";

export const FORMULA_OPTION: OptionSpec = { type: "string", required: true, valueName: "F", help: "model formula in R syntax, e.g. \"Y ~ A*M + X1\"" };
export const CLUSTER_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "cluster identifier column" };
export const WEIGHTS_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "column of prior weights" };


/** `--report FILE.html`: one self-contained HTML report (charts, tables, provenance, the JSON result embedded). */
export const REPORT_OPTION: OptionSpec = {
  type: "string",
  valueName: "FILE.html",
  output: "file",
  help: "also write a self-contained HTML report (charts, tables, methods, provenance; the JSON result embedded)",
};
