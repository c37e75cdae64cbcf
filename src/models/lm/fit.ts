/**
 * Linear model by (weighted) least squares with classical or cluster-robust
 * variances. Stages, callable one by one:
 *
 *   olsFit(frame, weights?)            QR least squares, residuals, bread (XᵀWX)⁻¹ (ols.ts)
 *   lmCovariance(frame, fit, options)  classical or CR0/CR1/CR1p/CR1S/CR2/CR3 variance and per-term df (covariance.ts)
 *   lm(frame, options)                 both, plus the coefficient table, as a frozen result
 */
import { InputError } from "../../core/errors.ts";
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { coefficientTable } from "../../inference/wald.ts";
import type { ModelFit } from "../result.ts";
import { lmCovariance, type LmDfMethod, type LmVcovType } from "./covariance.ts";
import { olsFit } from "./ols.ts";
import { checkModelFrame } from "../validate.ts";

export interface LmOptions {
  /** Default: "CR2" when the frame has clusters, otherwise "classical". */
  readonly vcov?: LmVcovType;
  /** Positive prior weights (frame row order); default: frame.weights, else unweighted. */
  readonly weights?: ArrayLike<number>;
  /** Default "satterthwaite". */
  readonly df?: LmDfMethod;
  /** Confidence level of the intervals; default 0.95. */
  readonly level?: number;
}

/** What `lm` returns: a frozen plain object; `table` has t tests with the df of `dfMethod`. */
export interface LmResult extends ModelFit {
  readonly model: "lm";
  /** Variance type (the CLI's `vcov` field). */
  readonly vcovType: LmVcovType;
  /** Always true: least squares has a closed form. */
  readonly converged: true;
  readonly dfMethod: "residual" | LmDfMethod;
  readonly dfResidual: number;
  readonly weighted: boolean;
}

/**
 * Linear model y = Xβ + e by least squares, with classical or cluster-robust
 * inference. With clusters the default is CR2 with Satterthwaite df per term,
 * as `clubSandwich::coef_test(lm(...), vcov = "CR2", cluster = ...)` reports.
 * The result's diagnostics start with the frame's own (dropped rows, …).
 *
 * @example
 * const fit = lm(frame, { vcov: "CR2" });
 * fit.table.find((c) => c.term === "A"); // { estimate, stdError, df, pValue, … }
 */
export function lm(frame: ModelFrame, options: LmOptions = {}): LmResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level ${level} is not between 0 and 1`);
  checkModelFrame(frame, { model: "lm", family: "gaussian", weights: options.weights ?? frame.weights });
  const fit = olsFit(frame, options.weights);
  const cov = lmCovariance(frame, fit, { vcov: options.vcov, df: options.df });
  const p = fit.p;
  const se = new Float64Array(p);
  for (let i = 0; i < p; i++) se[i] = Math.sqrt(cov.vcov[i * p + i]);
  const table = coefficientTable(frame.columnNames, fit.coefficients, se, cov.df as number[], level).map((c) => Object.freeze(c));
  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...cov.diagnostics];
  if (cov.vcovType !== "classical") {
    diagnostics.push(
      info(
        "lm-vcov",
        `${cov.vcovType} cluster-robust variance over ${cov.nClusters} clusters of '${frame.clusters!.column}'; ` +
          (cov.dfMethod === "satterthwaite" ? "t tests use Satterthwaite df per term" : `t tests use ${cov.nClusters! - 1} df (clusters − 1)`),
      ),
    );
  }
  return Object.freeze({
    model: "lm" as const,
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    nObs: fit.n,
    nDropped: frame.nDropped,
    nClusters: cov.nClusters,
    coefficients: fit.coefficients,
    vcov: cov.vcov,
    vcovType: cov.vcovType,
    table: Object.freeze(table),
    level,
    sigma: fit.sigma,
    converged: true,
    dfMethod: cov.dfMethod,
    dfResidual: fit.dfResidual,
    weighted: fit.weights !== null,
    diagnostics: Object.freeze(diagnostics),
  });
}
