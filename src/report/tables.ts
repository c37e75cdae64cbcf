/**
 * Estimate tables with broom's column names (`estimate, std.error,
 * statistic, df, p.value, conf.low, conf.high`), whatever the confidence
 * level: the level is a fact of the summary, never part of a header.
 */
import type { Coefficient, Estimate } from "../core/records.ts";
import type { Cell, Table } from "./summary.ts";

export const ESTIMATE_COLUMNS = ["estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"] as const;

function estimateCells(e: Estimate): Cell[] {
  return [e.estimate, e.stdError, e.statistic, e.df, e.pValue, e.confLow, e.confHigh];
}

/**
 * A table of estimates, each row led by its key cells (`keys` names them).
 *
 * @example
 * estimatesTable(["estimand"], [[["cluster-average"], res.clusterAte]]);
 */
export function estimatesTable(keys: readonly string[], rows: readonly (readonly [readonly Cell[], Estimate])[], title?: string): Table {
  return {
    ...(title !== undefined ? { title } : {}),
    columns: [...keys, ...ESTIMATE_COLUMNS],
    rows: rows.map(([key, e]) => [...key, ...estimateCells(e)]),
    optional: ["df"],
  };
}

/** The coefficient table of a model fit: one row per term. */
export function coefficientsTable(coefficients: readonly Coefficient[], title?: string): Table {
  return estimatesTable(["term"], coefficients.map((c) => [[c.term], c] as const), title);
}

/** "95%" for level 0.95: the fact that states the level of every interval. */
export function levelFact(level: number): readonly [string, Cell] {
  return ["Confidence level", `${Math.round(level * 1000) / 10}%`];
}
