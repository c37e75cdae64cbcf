/**
 * Stage 3 of the LMM: from the optimal θ to the fitted model, computed as
 * lme4 reports it (fixef, vcov = σ²(R_XᵀR_X)⁻¹, VarCorr, logLik, ranef).
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { choleskyInverse } from "../../linalg/cholesky.ts";
import type { LmmMethod, LmmObjective } from "./objective.ts";
import type { LmmOptimum } from "./optimize.ts";
import type { RandomInterceptFit } from "./types.ts";

/** θ below this counts as a singular fit, as lme4's `isSingular` (tol = 1e-4). */
export const SINGULAR_TOLERANCE = 1e-4;

/**
 * A fitted random-intercept linear mixed model.
 *
 * @example
 * const fit = lmm(frame, { method: "reml" });
 * fit.table;          // Coefficient[] (z statistics, df null, as lmer reports t without df)
 * fit.randomEffects;  // [{ group: "cluster", term: "(Intercept)", variance, sd }]
 * fit.icc;            // σ_b² / (σ_b² + σ²)
 */
export interface LmmFit extends RandomInterceptFit {
  readonly model: "lmm";
  readonly method: LmmMethod;
  /** σ²(R_XᵀR_X)⁻¹, lme4's `vcov`. */
  /** "model" (lme4's vcov), or "kenward-roger" when the fit carries Kenward–Roger's adjusted covariance. */
  readonly vcovType: "model" | "kenward-roger";
  /** How `table` gets its df: "none" (normal reference, as lme4), "satterthwaite" or "kenward-roger". */
  readonly dfMethod: "none" | "satterthwaite" | "kenward-roger";
  /** Relative standard deviation σ_b/σ. */
  readonly theta: number;
  /** σ² (`sigma` is σ). */
  readonly residualVariance: number;
  /** σ_b² / (σ_b² + σ²). */
  readonly icc: number;
  /** REML criterion (REML) or deviance −2·logLik (ML); logLik is −criterion/2, as lme4's. */
  readonly criterion: number;
}

export interface LmmResultOptions {
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
}

/** Assembles the fit at the optimum found by optimizeLmm. */
export function lmmResult(objective: LmmObjective, optimum: LmmOptimum, options: LmmResultOptions = {}): LmmFit {
  const { frame, layout, method } = objective;
  const { n, p, nClusters, starts } = layout;
  const ev = objective.evaluate(optimum.theta);
  const theta = optimum.theta;
  const psi = theta * theta;
  const sigma2 = ev.sigma2;

  const vcov = choleskyInverse(ev.factor, p);
  for (let k = 0; k < p * p; k++) vcov[k] *= sigma2;
  const se = new Float64Array(p);
  for (let k = 0; k < p; k++) se[k] = Math.sqrt(vcov[k * p + k]);
  const level = options.level ?? 0.95;
  const table = coefficientTable(frame.columnNames, ev.beta, se, null, level);

  // Conditional modes b̂ᵢ = θ²/(1 + nᵢθ²) · Σⱼ (yᵢⱼ − xᵢⱼβ̂), variance σ²θ²/(1 + nᵢθ²).
  const x = frame.X.data;
  const y = frame.y;
  const beta = ev.beta;
  const modes = new Float64Array(nClusters);
  const condVar = new Float64Array(nClusters);
  for (let c = 0; c < nClusters; c++) {
    const nc = starts[c + 1] - starts[c];
    let s = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      let fit = 0;
      const row = i * p;
      for (let j = 0; j < p; j++) fit += x[row + j] * beta[j];
      s += y[i] - fit;
    }
    const k = psi / (1 + nc * psi);
    modes[c] = k * s;
    condVar[c] = sigma2 * k;
  }

  const varianceBetween = sigma2 * psi;
  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...layout.diagnostics];
  if (theta < SINGULAR_TOLERANCE) {
    diagnostics.push(
      warning(
        "boundary-fit",
        theta === 0
          ? `boundary (singular) fit: the between-cluster variance of '${layout.column}' is estimated as 0 (θ = 0); the fixed effects equal those of ordinary least squares`
          : `nearly singular fit: the between-cluster variance of '${layout.column}' is ${varianceBetween.toPrecision(3)} (θ = ${theta.toPrecision(3)} < ${SINGULAR_TOLERANCE})`,
      ),
    );
  }
  if (!optimum.converged) {
    diagnostics.push(warning("not-converged", `the optimisation over θ did not converge in ${optimum.iterations} iterations (θ = ${theta})`));
  }

  return Object.freeze({
    model: "lmm" as const,
    method,
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    nObs: n,
    nDropped: frame.nDropped,
    nClusters: layout.nNonEmpty,
    coefficients: beta,
    vcov,
    vcovType: "model" as const,
    dfMethod: "none" as const,
    table: Object.freeze(table),
    level,
    sigma: Math.sqrt(sigma2),
    theta,
    residualVariance: sigma2,
    randomEffects: Object.freeze([
      Object.freeze({ group: layout.column, term: "(Intercept)", variance: varianceBetween, sd: Math.sqrt(varianceBetween) }),
    ]),
    icc: varianceBetween / (varianceBetween + sigma2),
    logLik: -ev.deviance / 2,
    criterion: ev.deviance,
    conditionalModes: Object.freeze({ group: layout.column, ids: layout.ids, values: modes, conditionalVariance: condVar, starts }),
    converged: optimum.converged,
    iterations: optimum.iterations,
    evaluations: optimum.evaluations,
    boundary: theta === 0,
    diagnostics: Object.freeze(diagnostics),
  });
}
