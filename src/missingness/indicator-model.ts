/**
 * The missingness-indicator model R ~ covariates + (1 | C): a logistic
 * random-intercept model (Laplace, as lme4::glmer) of which rows miss the
 * variable, with Wald odds ratios. Rows with a missing covariate cannot
 * enter it; they are dropped and counted per covariate.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import type { Coefficient } from "../core/records.ts";
import { getColumn } from "../data/dataset.ts";
import { deparseName } from "../formula/ast.ts";
import { modelFrame, parseFormula } from "../formula/index.ts";
import { glmm } from "../models/glmm/index.ts";
import { isMissing, type MissingnessData } from "./data.ts";

export interface OddsRatio {
  readonly term: string;
  /** exp(estimate), with the Wald interval exp(confLow), exp(confHigh). */
  readonly oddsRatio: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export interface IndicatorModel {
  readonly formula: string;
  /** Log-odds of missingness (z tests, df null), as summary(glmer). */
  readonly coefficients: readonly Coefficient[];
  /** Every term but the intercept, on the odds-ratio scale. */
  readonly oddsRatios: readonly OddsRatio[];
  readonly randomInterceptSd: number;
  readonly logLik: number;
  readonly nObs: number;
  readonly nMissing: number;
  /** Analysis rows left out for a missing covariate. */
  readonly nDropped: number;
  readonly converged: boolean;
}

/** Missing covariate cells among the analysis rows, per column, e.g. "X2 (24)". */
function missingCovariateText(prepared: MissingnessData): string {
  const columns = [...new Set(prepared.covariates.flatMap((t) => parseFormula(`y ~ ${t}`).variables.flatMap((v) => v.columns)))];
  return columns
    .map((name) => {
      const col = getColumn(prepared.data, name);
      let k = 0;
      for (const row of prepared.frame.rows) if (isMissing(col, row)) k++;
      return [name, k] as const;
    })
    .filter(([, k]) => k > 0)
    .map(([name, k]) => `${name} (${k})`)
    .join(", ");
}

/**
 * Fits the indicator model on the analysis rows of `prepared`; null, with a
 * diagnostic, when the rows it can use have no missing value or nothing but.
 */
export function indicatorModel(prepared: MissingnessData, level: number): { model: IndicatorModel | null; diagnostics: Diagnostic[] } {
  const { indicator, columns, covariates } = prepared;
  const rhs = covariates.length === 0 ? "1" : covariates.join(" + ");
  const formula = `${deparseName(indicator)} ~ ${rhs} + (1 | ${deparseName(columns.cluster)})`;
  const frame = modelFrame(prepared.data, formula, { extraVariables: columns.treatment === undefined ? [] : [columns.treatment] });
  const nDropped = prepared.nObs - frame.y.length;
  const diagnostics: Diagnostic[] = [];
  if (nDropped > 0) {
    diagnostics.push(
      info("indicator-model-rows", `indicator model: ${nDropped} of ${prepared.nObs} rows have a missing covariate and are left out (${missingCovariateText(prepared)}); it uses ${frame.y.length} rows`),
    );
  }
  let nMissing = 0;
  for (const v of frame.y) nMissing += v;
  if (nMissing === 0 || nMissing === frame.y.length) {
    const what = nMissing === 0 ? "none of them misses" : "every one of them misses";
    diagnostics.push(warning("indicator-model-skipped", `indicator model not fitted: of the ${frame.y.length} rows with every covariate observed, ${what} '${columns.variable}'`));
    return { model: null, diagnostics };
  }
  const fit = glmm(frame, { level });
  diagnostics.push(...fit.diagnostics.filter((d) => d.code !== "dropped-rows").map((d) => ({ ...d, message: `indicator model: ${d.message}` })));
  const oddsRatios = fit.table
    .filter((c) => c.term !== "(Intercept)")
    .map((c) => ({ term: c.term, oddsRatio: Math.exp(c.estimate), confLow: Math.exp(c.confLow), confHigh: Math.exp(c.confHigh) }));
  return {
    model: {
      formula,
      coefficients: fit.table,
      oddsRatios,
      randomInterceptSd: fit.theta,
      logLik: fit.logLik,
      nObs: fit.nObs,
      nMissing,
      nDropped,
      converged: fit.converged,
    },
    diagnostics,
  };
}
