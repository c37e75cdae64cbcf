/** Helpers for scenario authors: an analysis row from an Estimate record, or a failure row. */
import type { Estimate } from "../core/records.ts";
import type { AnalysisRow } from "./types.ts";

/**
 * The row of one estimand from an `Estimate` (spec record).
 *
 * @example
 * estimandRow("hte", fit.hte, fit.converged)
 */
export function estimandRow(estimand: string, e: Estimate, converged = true): AnalysisRow {
  return {
    estimand,
    estimate: e.estimate,
    stdError: e.stdError,
    df: e.df,
    confLow: e.confLow,
    confHigh: e.confHigh,
    pValue: e.pValue,
    converged,
  };
}

/** The row of an estimand a method could not estimate, with the reason. */
export function failedRow(estimand: string, error: string): AnalysisRow {
  return { estimand, estimate: null, stdError: null, df: null, confLow: null, confHigh: null, pValue: null, converged: false, error };
}
