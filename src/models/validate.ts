/**
 * Checks every model makes on its frame before fitting, kept in one place so
 * that lm, glm, gee, lmm and glmm refuse the same inputs with the same words:
 * a formula asking for more than the model fits, numbers too large to
 * square, and an outcome that carries no information. Also the guard that a
 * fit never reports a non-finite number as a result.
 */
import { ComputeError, InputError } from "../core/errors.ts";
import { checkMagnitudes } from "../formula/magnitude.ts";
import type { ModelFrame } from "../formula/types.ts";

export type ModelName = "lm" | "glm" | "gee" | "lmm" | "glmm";

const FIXED_EFFECTS_ONLY: ReadonlySet<ModelName> = new Set(["lm", "glm", "gee"]);

export interface FrameCheckOptions {
  readonly model: ModelName;
  /** Family name ("gaussian", "binomial", "poisson"); others are not checked for a constant outcome. */
  readonly family: string;
  /** Prior weights: rows with weight 0 do not count. */
  readonly weights?: ArrayLike<number>;
  /** Offset of the linear predictor: a gaussian outcome must vary around it. */
  readonly offset?: ArrayLike<number>;
}

/**
 * The checks common to every fit: no random-effect term in a fixed-effects
 * model, no value too large to square, an outcome that varies.
 *
 * @example
 * checkModelFrame(frame, { model: "glm", family: "binomial" });
 */
export function checkModelFrame(frame: ModelFrame, options: FrameCheckOptions): void {
  if (FIXED_EFFECTS_ONLY.has(options.model)) refuseRandomEffects(frame, options.model);
  checkMagnitudes(frame);
  requireInformativeOutcome(frame.y, frame.response, options.family, options);
}

/**
 * A fixed-effects model would drop `(1 | g)` and so silently fit another
 * model than the one written: refuse it and point to the mixed models.
 */
export function refuseRandomEffects(frame: Pick<ModelFrame, "formula" | "randomTerms">, model: string): void {
  const term = frame.randomTerms[0];
  if (term === undefined) return;
  throw new InputError(
    `formula '${frame.formula}' contains the random-effect term (1 | ${term.group}); ${model} fits fixed effects only: use lmm or glmm`,
  );
}

/**
 * Refuses an outcome from which nothing can be estimated:
 * - gaussian: the same value in every row (after the offset): the residual
 *   variance is 0, so every standard error would be 0 and every test infinite;
 * - binomial: all 0 or all 1, poisson: all 0: the mean sits on the boundary
 *   of its range, the log-odds or log-mean is ±∞ and no coefficient has a
 *   finite maximum-likelihood estimate (what an iterative fit reports is
 *   wherever it stopped, with meaningless standard errors).
 * A non-zero constant count is fine for poisson (its variance is fixed by
 * the mean). Rows whose weight is 0 are ignored.
 */
export function requireInformativeOutcome(
  y: ArrayLike<number>,
  response: string,
  family: string,
  options: { readonly weights?: ArrayLike<number>; readonly offset?: ArrayLike<number> } = {},
): void {
  const { weights, offset } = options;
  const gaussian = family === "gaussian";
  let first: number | undefined;
  let used = 0;
  for (let i = 0; i < y.length; i++) {
    if (weights && !(weights[i] > 0)) continue;
    const v = gaussian && offset ? y[i] - offset[i] : y[i];
    // y − offset carries the rounding of the subtraction; y alone is compared exactly.
    const tolerance = gaussian && offset ? 1e-12 * (Math.abs(y[i]) + Math.abs(offset[i])) : 0;
    if (first === undefined) first = v;
    else if (!(Math.abs(v - first) <= tolerance)) return; // NaN too: the finiteness checks report it
    used++;
  }
  if (first === undefined || used < 2) return; // too few rows: the models' own checks say so
  const where = `in all ${used} rows used`;
  if (gaussian) {
    const what = offset ? `minus the offset is ${first}` : `is ${first}`;
    throw new InputError(
      `the outcome '${response}' ${what} ${where}: a constant outcome has no residual variance, so no standard error can be estimated`,
    );
  }
  if ((family === "binomial" && (first === 0 || first === 1)) || (family === "poisson" && first === 0)) {
    const scale = family === "binomial" ? `log-odds is ${first === 0 ? "-Infinity" : "Infinity"}` : "log mean is -Infinity";
    throw new InputError(
      `the outcome '${response}' is ${first} ${where}: its ${scale}, so the ${family} model has no finite maximum-likelihood estimate ` +
        `(the intercept diverges)`,
    );
  }
}

/**
 * Throws a ComputeError when a fit's estimates, their covariance matrix
 * (p×p row-major) or the named scalars (log-likelihood, scale …) are not
 * finite, naming the first quantity and term at fault, so an overflowed fit
 * is never returned as converged. A negative variance on the diagonal is not
 * caught here: it is finite, and its NaN standard error is reported as null.
 *
 * @example
 * requireFiniteFit("lmm", fit.terms, fit.coefficients, fit.vcov, { "log-likelihood": fit.logLik });
 */
export function requireFiniteFit(
  model: string,
  terms: readonly string[],
  coefficients: ArrayLike<number>,
  vcov: ArrayLike<number>,
  scalars: Readonly<Record<string, number>> = {},
): void {
  const p = coefficients.length;
  const fail = (what: string, value: number): ComputeError =>
    new ComputeError(`${model}: the ${what} is ${value}: the fit overflowed; rescale the outcome or covariates`);
  for (let j = 0; j < p; j++) {
    if (!Number.isFinite(coefficients[j])) throw fail(`estimate of '${terms[j] ?? j + 1}'`, coefficients[j]);
  }
  for (let k = 0; k < vcov.length; k++) {
    if (!Number.isFinite(vcov[k])) {
      const a = Math.floor(k / p);
      const b = k % p;
      const what = a === b ? `variance of '${terms[a] ?? a + 1}'` : `covariance of '${terms[a] ?? a + 1}' and '${terms[b] ?? b + 1}'`;
      throw fail(what, vcov[k]);
    }
  }
  for (const [what, value] of Object.entries(scalars)) if (!Number.isFinite(value)) throw fail(what, value);
}
