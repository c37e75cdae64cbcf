/** Options the model commands share (their reports live in src/report). */
import type { OptionSpec } from "../command.ts";

export const FORMULA_OPTION: OptionSpec = { type: "string", required: true, valueName: "F", help: "model formula in R syntax, e.g. \"Y ~ A*M + X1\"" };
export const CLUSTER_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "cluster identifier column" };
export const WEIGHTS_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "column of prior weights" };

