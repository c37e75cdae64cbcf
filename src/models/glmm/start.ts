/** Starting values of the GLMM: the GLM without the random intercept. */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError } from "../../core/errors.ts";
import { binomial, logitLink, logLink, poisson } from "../family/index.ts";
import { glmFit } from "../glm/index.ts";
import type { GlmmObjective } from "./objective.ts";

/** Double-precision machine epsilon. */
const EPS = 2.220446049250313e-16;

/** Starting values: the logistic (Poisson) regression without the random intercept. */
export interface GlmmStart {
  readonly beta: Float64Array;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Fits the GLM `y ~ X` (logistic or Poisson IRLS, as R's glm) for starting
 * values and, for binomial, reports quasi-complete separation (fitted
 * probabilities numerically 0 or 1).
 */
export function glmmStart(objective: GlmmObjective): GlmmStart {
  const { frame, layout } = objective;
  const diagnostics: Diagnostic[] = [];
  const pois = objective.family === "poisson";
  const label = pois ? "Poisson" : "logistic";
  try {
    if (pois) {
      const fit = glmFit(frame.X.data, layout.n, layout.p, frame.y, poisson, logLink, { maxIter: 50 });
      return { beta: fit.coefficients, converged: fit.converged, diagnostics };
    }
    const fit = glmFit(frame.X.data, layout.n, layout.p, frame.y, binomial, logitLink, { maxIter: 50 });
    let k = 0;
    for (let i = 0; i < layout.n; i++) if (fit.mu[i] < 10 * EPS || fit.mu[i] > 1 - 10 * EPS) k++;
    if (k > 0) {
      diagnostics.push(
        warning(
          "separation",
          `the logistic regression without the random intercept has fitted probabilities numerically 0 or 1 for ${k} of ${layout.n} rows: ` +
            `'${frame.response}' is (quasi-)perfectly separated by the covariates, so some coefficients are not finite`,
        ),
      );
    }
    return { beta: fit.coefficients, converged: fit.converged, diagnostics };
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    diagnostics.push(warning("glm-start-failed", `the ${label} regression for starting values failed (${e.message}); starting from β = 0`));
    return { beta: new Float64Array(layout.p), converged: false, diagnostics };
  }
}
