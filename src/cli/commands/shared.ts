/** Pieces the model commands share: the coefficient table and the formula/cluster options. */
import type { Coefficient } from "../../core/records.ts";
import type { Table } from "../../report/summary.ts";
import type { OptionSpec } from "../command.ts";

export const FORMULA_OPTION: OptionSpec = { type: "string", required: true, valueName: "F", help: "model formula in R syntax, e.g. \"Y ~ A*M + X1\"" };
export const CLUSTER_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "cluster identifier column" };
export const WEIGHTS_OPTION: OptionSpec = { type: "string", valueName: "COL", help: "column of prior weights" };

export function coefficientsTable(coefficients: readonly Coefficient[], level: number): Table {
  const pct = `${Math.round(level * 1000) / 10}%`;
  const hasDf = coefficients.some((c) => c.df !== null);
  return {
    columns: ["term", "estimate", "stdError", "statistic", ...(hasDf ? ["df"] : []), "pValue", `low ${pct}`, `high ${pct}`],
    rows: coefficients.map((c) => [
      c.term,
      c.estimate,
      c.stdError,
      c.statistic,
      ...(hasDf ? [c.df] : []),
      c.pValue,
      c.confLow,
      c.confHigh,
    ]),
  };
}
