/**
 * Stage 3 of the GLMM: from the optimum to the fitted model as lme4 reports
 * it (fixef, vcov, VarCorr, logLik, ranef with conditional variances).
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { choleskyInPlace, choleskyInverse } from "../../linalg/cholesky.ts";
import { SINGULAR_TOLERANCE } from "../lmm/result.ts";
import type { RandomInterceptFit } from "../lmm/types.ts";
import type { GlmmObjective } from "./objective.ts";
import type { GlmmOptimum } from "./optimize.ts";

const EPS = 2.220446049250313e-16;

/**
 * A fitted logistic (or Poisson, log-link) random-intercept model.
 *
 * @example
 * const fit = glmm(frame, { nagq: 1 });
 * fit.table;                 // Coefficient[] (z tests, df null), as summary(glmer)
 * fit.randomEffects[0].sd;   // random-intercept SD (= θ)
 * predictGlmm(fit, frame.X, { conditional: true }); // probabilities with b̂ᵢ
 */
export interface GlmmFit extends RandomInterceptFit {
  readonly model: "glmm";
  readonly family: "binomial" | "poisson";
  readonly link: "logit" | "log";
  /** 1 = Laplace; > 1 = adaptive Gauss–Hermite nodes. */
  readonly nagq: number;
  /**
   * "hessian": 2·[H⁻¹]_ββ from the Hessian H of the deviance in (θ, β), as
   * lme4's default `vcov(use.hessian = TRUE)`; "rx": (R_XᵀR_X)⁻¹ at the
   * optimum, as lme4 falls back to at a boundary fit or when H is not positive definite.
   */
  readonly vcovType: "hessian" | "rx";
  /** The R_X-based covariance (lme4's `vcov(fit, use.hessian = FALSE)`). */
  readonly vcovRX: Float64Array;
  /** Random-intercept standard deviation (θ; the residual scale `sigma` is 1). */
  readonly theta: number;
  /** −2·logLik (Laplace or AGQ approximation, as lme4's). Conditional modes are bᵢ = θuᵢ* with variances θ²/Hᵢ. */
  readonly deviance: number;
}

export interface GlmmResultOptions {
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
}

/** Assembles the fit at the optimum found by optimizeGlmm. */
export function glmmResult(objective: GlmmObjective, optimum: GlmmOptimum, options: GlmmResultOptions = {}): GlmmFit {
  const { frame, layout, nagq } = objective;
  const pois = objective.family === "poisson";
  const { p, n, nClusters } = layout;
  const { theta, beta } = optimum;
  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...layout.diagnostics, ...optimum.diagnostics];

  // State at the optimum: modes, curvatures, R_X.
  const deviance = objective.evaluate(theta, beta);
  const state = objective.modes();
  const rx = objective.approximateHessian();
  for (let k = 0; k < p * p; k++) rx[k] *= 0.5;
  const vcovRX = inverseOrNaN(rx, p);

  let vcov = vcovRX;
  let vcovType: "hessian" | "rx" = "rx";
  if (optimum.hessian) {
    const fromHessian = hessianCovariance(optimum.hessian, p);
    if (fromHessian) {
      vcov = fromHessian;
      vcovType = "hessian";
    } else {
      diagnostics.push(
        warning("hessian-not-positive-definite", "the Hessian of the deviance is not positive definite; the covariance of the fixed effects is computed from R_X instead (as lme4)"),
      );
    }
  }
  if (vcov.some((v) => Number.isNaN(v))) {
    diagnostics.push(warning("vcov-singular", "the information about the fixed effects is singular: standard errors are not available (NaN)"));
  }
  const se = new Float64Array(p);
  for (let k = 0; k < p; k++) se[k] = Math.sqrt(vcov[k * p + k]);
  const level = options.level ?? 0.95;
  const table = coefficientTable(frame.columnNames, beta, se, null, level);

  const modes = new Float64Array(nClusters);
  const condVar = new Float64Array(nClusters);
  for (let c = 0; c < nClusters; c++) {
    modes[c] = theta * state.u[c];
    condVar[c] = (theta * theta) / state.curvature[c];
  }

  if (theta < SINGULAR_TOLERANCE) {
    diagnostics.push(
      warning(
        "boundary-fit",
        theta === 0
          ? `boundary (singular) fit: the random-intercept SD of '${layout.column}' is estimated as 0; the fixed effects equal those of the ${pois ? "Poisson" : "logistic"} regression without it`
          : `nearly singular fit: the random-intercept SD of '${layout.column}' is ${theta.toPrecision(3)} (< ${SINGULAR_TOLERANCE})`,
      ),
    );
  }
  let extreme = 0;
  if (!pois) for (let i = 0; i < n; i++) if (state.mu[i] < 10 * EPS || state.mu[i] > 1 - 10 * EPS) extreme++;
  if (extreme > 0 && !diagnostics.some((d) => d.code === "separation")) {
    diagnostics.push(
      warning(
        "separation",
        `conditional fitted probabilities are numerically 0 or 1 for ${extreme} of ${n} rows: '${frame.response}' may be separated by the covariates; some estimates may be infinite`,
      ),
    );
  }

  return Object.freeze({
    model: "glmm" as const,
    family: objective.family,
    link: pois ? ("log" as const) : ("logit" as const),
    nagq,
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    nObs: n,
    nDropped: frame.nDropped,
    nClusters: layout.nNonEmpty,
    coefficients: Float64Array.from(beta),
    vcov,
    vcovType,
    vcovRX,
    table: Object.freeze(table),
    level,
    sigma: 1,
    theta,
    randomEffects: Object.freeze([Object.freeze({ group: layout.column, term: "(Intercept)", variance: theta * theta, sd: theta })]),
    logLik: -deviance / 2,
    deviance,
    conditionalModes: Object.freeze({ group: layout.column, ids: layout.ids, values: modes, conditionalVariance: condVar, starts: layout.starts }),
    converged: optimum.converged,
    iterations: optimum.iterations,
    evaluations: optimum.evaluations,
    boundary: optimum.boundary,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** A⁻¹ of a symmetric p×p matrix, or all NaN when it is not positive definite. */
function inverseOrNaN(a: Float64Array, p: number): Float64Array {
  const l = Float64Array.from(a);
  if (choleskyInPlace(l, p, 0) !== 0) return new Float64Array(p * p).fill(NaN);
  return choleskyInverse(l, p);
}

/**
 * lme4's `calc.vcov.hess`: V = [H⁻¹]_ββ + its transpose (the deviance is
 * −2·logLik), null when H is singular or V is not positive definite.
 */
function hessianCovariance(h: Float64Array, p: number): Float64Array | null {
  const q = p + 1;
  const l = Float64Array.from(h);
  if (choleskyInPlace(l, q, 0) !== 0) return null;
  const inv = choleskyInverse(l, q);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) v[i * p + j] = inv[(i + 1) * q + j + 1] + inv[(j + 1) * q + i + 1];
  // Positive definite (all eigenvalues > 0) exactly when the Cholesky factorization succeeds.
  if (choleskyInPlace(Float64Array.from(v), p, 0) !== 0) return null;
  return v;
}
