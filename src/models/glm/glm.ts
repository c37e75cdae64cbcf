/**
 * glm(frame, options): validate once, run IRLS (glmFit), and assemble the
 * inference R's `summary.glm` reports.
 */
import { info, warning, type Diagnostic } from "../../core/diagnostics.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { equilibratedCholesky, equilibratedInverse } from "../../linalg/equilibrated.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import { resolveFamily, type Family, type FamilyName } from "../family/family.ts";
import type { Link, LinkName } from "../family/link.ts";
import type { ModelFit } from "../result.ts";
import { deviance, glmFit } from "./irls.ts";
import { checkFrame, checkOffset, checkRank, checkResponse, checkWeights } from "./validate.ts";
import { checkModelFrame, requireFiniteFit } from "../validate.ts";

export interface GlmOptions {
  readonly family: FamilyName | Family;
  /** Default: the family's canonical link. */
  readonly link?: LinkName | Link;
  /** Prior weights (length n, ≥ 0); default `frame.weights`, else 1. */
  readonly weights?: Float64Array;
  /** Offset added to the linear predictor. */
  readonly offset?: Float64Array;
  /** IRLS iteration limit (R: 25). */
  readonly maxIter?: number;
  /** Relative deviance tolerance (R: 1e-8). */
  readonly tolerance?: number;
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
}

/**
 * A fitted GLM. `vcov` is scaled by the dispersion as in `summary.glm`
 * (estimated for gaussian, 1 for binomial and poisson); `table` uses t with
 * the residual df for gaussian and z (df null) otherwise. `nObs` counts the
 * rows with positive weight; `nClusters` is null.
 */
export interface GlmResult extends ModelFit {
  readonly model: "glm";
  readonly nClusters: null;
  /** summary.glm's covariance, dispersion × (XᵀWX)⁻¹. */
  readonly vcovType: "model";
  readonly family: FamilyName;
  readonly link: LinkName;
  /** summary.glm's dispersion φ (σ² for gaussian; 1 for binomial and poisson); `sigma` is √φ. */
  readonly dispersion: number;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly logLik: number;
  readonly aic: number;
  readonly converged: boolean;
  readonly boundary: boolean;
  readonly iterations: number;
  /** Fitted means μ (every frame row, including rows with weight 0). */
  readonly fitted: Float64Array;
  /** Linear predictor η including the offset. */
  readonly linearPredictor: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

const EPS = 2.220446049250313e-16;

/**
 * Fits a generalized linear model by IRLS, as R's `glm()`.
 *
 * Rank-deficient designs are refused with an InputError naming the
 * dependent column ("singular design: column 'X3' is a linear combination of
 * earlier columns") rather than reporting NA coefficients as R does.
 *
 * @example
 * const fit = glm(frame, { family: "binomial" });
 * fit.table; // Coefficient[] with z statistics
 */
export function glm(frame: ModelFrame, options: GlmOptions): GlmResult {
  const { family, link } = resolveFamily(options.family, options.link);
  const weights = options.weights ?? frame.weights;
  checkModelFrame(frame, { model: "glm", family: family.name, weights, offset: options.offset });
  checkFrame(frame);
  checkWeights(frame, weights);
  checkOffset(frame, options.offset);
  checkResponse(frame, family, link, weights);
  checkRank(frame, weights);

  const n = frame.X.rows;
  const p = frame.X.cols;
  let nOk = 0;
  for (let i = 0; i < n; i++) if (!weights || weights[i] > 0) nOk++;
  const dfResidual = nOk - p;
  if (family.estimatesDispersion && dfResidual <= 0) {
    throw new InputError(
      `the ${family.name} model has ${p} coefficients and ${nOk} rows${weights ? " with positive weight" : ""}: no residual degrees of freedom to estimate the dispersion`,
    );
  }

  const fit = glmFit(frame.X.data, n, p, frame.y, family, link, {
    weights,
    offset: options.offset,
    maxIter: options.maxIter,
    tolerance: options.tolerance,
  });

  const intercept = frame.columnNames.includes("(Intercept)");
  const nullDeviance = nullDevianceOf(frame.y, weights, options.offset, intercept, family, link, options);
  const dfNull = nOk - (intercept ? 1 : 0);

  // Dispersion as summary.glm: Σ working weight · working residual² / residual df.
  let dispersion = 1;
  if (family.estimatesDispersion) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const w = fit.workingWeights[i];
      if (w > 0) {
        const r = (frame.y[i] - fit.mu[i]) / link.muEta(fit.eta[i]);
        s += w * r * r;
      }
    }
    dispersion = s / dfResidual;
  }

  const l = new Float64Array(p * p);
  const sc = new Float64Array(p);
  if (equilibratedCholesky(fit.information, p, l, sc, 0) !== 0) {
    throw new ComputeError("glm: the weighted information matrix at the solution is singular; the coefficients are not identifiable");
  }
  const vcov = equilibratedInverse(l, sc, p);
  for (let k = 0; k < p * p; k++) vcov[k] *= dispersion;
  const se = new Float64Array(p);
  for (let k = 0; k < p; k++) se[k] = Math.sqrt(vcov[k * p + k]);
  const df = family.estimatesDispersion ? dfResidual : null;
  requireFiniteFit("glm", frame.columnNames, fit.coefficients, vcov, { deviance: fit.deviance });
  const level = options.level ?? 0.95;
  const table = coefficientTable(frame.columnNames, fit.coefficients, se, df, level);

  const logLik = family.logLik(frame.y, fit.mu, weights, fit.deviance);
  const aic = -2 * logLik + 2 * (p + family.extraParameters);

  const diagnostics: Diagnostic[] = [...frame.diagnostics];
  diagnostics.push(...fitDiagnostics(frame, family, fit, weights, options.maxIter ?? 25, logLik));

  return Object.freeze({
    model: "glm" as const,
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    nObs: nOk,
    nDropped: frame.nDropped,
    nClusters: null,
    coefficients: fit.coefficients,
    vcov,
    vcovType: "model" as const,
    table: Object.freeze(table),
    level,
    sigma: Math.sqrt(dispersion),
    family: family.name,
    link: link.name,
    dispersion,
    deviance: fit.deviance,
    nullDeviance,
    dfResidual,
    dfNull,
    logLik,
    aic,
    converged: fit.converged,
    boundary: fit.boundary,
    iterations: fit.iterations,
    fitted: fit.mu,
    linearPredictor: fit.eta,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** Deviance of the intercept-only model (or of η = offset without an intercept), as glm() computes it. */
function nullDevianceOf(
  y: Float64Array,
  weights: Float64Array | undefined,
  offset: Float64Array | undefined,
  intercept: boolean,
  family: Family,
  link: Link,
  options: GlmOptions,
): number {
  const n = y.length;
  const hasOffset = offset !== undefined && offset.some((v) => v !== 0);
  if (intercept && hasOffset) {
    // R refits the intercept-only model with the offset.
    const ones = new Float64Array(n).fill(1);
    return glmFit(ones, n, 1, y, family, link, { weights, offset, maxIter: options.maxIter, tolerance: options.tolerance }).deviance;
  }
  const mu = new Float64Array(n);
  if (intercept) {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      sw += w;
      swy += w * y[i];
    }
    mu.fill(swy / sw);
  } else {
    for (let i = 0; i < n; i++) mu[i] = link.linkinv(offset ? offset[i] : 0);
  }
  return deviance(y, mu, weights, family);
}

function fitDiagnostics(
  frame: ModelFrame,
  family: Family,
  fit: ReturnType<typeof glmFit>,
  weights: Float64Array | undefined,
  maxIter: number,
  logLik: number,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const n = frame.y.length;
  if (!fit.converged) {
    out.push(warning("glm-not-converged", `IRLS did not converge in ${maxIter} iterations; estimates and standard errors are unreliable`));
  }
  if (fit.boundary) out.push(warning("glm-boundary", "IRLS stopped at a boundary value (step halving kept the mean in its domain)"));
  if (family.name === "binomial") {
    const eps = 10 * EPS;
    let k = 0;
    for (let i = 0; i < n; i++) if (fit.mu[i] > 1 - eps || fit.mu[i] < eps) k++;
    if (k > 0) {
      out.push(
        warning(
          "glm-fitted-probabilities-0-1",
          `fitted probabilities numerically 0 or 1 occurred for ${k} of ${n} rows: the outcome may be separated by the covariates, so some coefficients tend to ±infinity and their standard errors are meaningless`,
        ),
      );
    }
    let nonInteger = 0;
    for (let i = 0; i < n; i++) {
      const m = (weights ? weights[i] : 1) * frame.y[i];
      if (Math.abs(m - Math.round(m)) > 0.001) nonInteger++;
    }
    if (nonInteger > 0) {
      out.push(warning("glm-non-integer-successes", `weight × response is not a whole number of successes in ${nonInteger} rows (as R: "non-integer #successes in a binomial glm")`));
    }
  }
  if (family.name === "poisson") {
    const eps = 10 * EPS;
    let k = 0;
    for (let i = 0; i < n; i++) if (fit.mu[i] < eps) k++;
    if (k > 0) out.push(warning("glm-fitted-rates-0", `fitted rates numerically 0 occurred for ${k} of ${n} rows`));
    let nonInteger = 0;
    for (let i = 0; i < n; i++) if ((!weights || weights[i] > 0) && !Number.isInteger(frame.y[i])) nonInteger++;
    if (nonInteger > 0) {
      out.push(warning("glm-non-integer-counts", `response is not a whole number in ${nonInteger} rows: the Poisson log-likelihood and AIC are not defined (reported as -Infinity / Infinity)`));
    }
  }
  if (!Number.isFinite(logLik) && !out.some((d) => d.code === "glm-non-integer-counts")) {
    out.push(info("glm-loglik-not-finite", `the log-likelihood is ${logLik}; AIC is not defined`));
  }
  return out;
}
