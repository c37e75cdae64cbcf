/**
 * Imputation of a categorical modifier from the multinomial-logit model of
 * the units with it observed (rows, or clusters for a cluster-level
 * modifier):
 *
 * - SI: one completed data set from the fitted probabilities, parameters
 *   fixed at the estimates (naive GEE standard errors, as SI of the other
 *   types);
 * - MI: D completed data sets, each from coefficients drawn from the
 *   estimate's approximate normal posterior N(β̂, V̂) (V̂ the inverse
 *   information), then every missing level from its predicted
 *   probabilities; Rubin pooling per contrast and D1 for their joint test.
 *   Unlike MI of a binary or continuous modifier, whose parameters stay
 *   fixed (as in Blette et al. 2023), the coefficient draw makes this proper
 *   imputation: with k − 1 coefficient vectors fitted to a few rows of a rare
 *   level, fixing them understates the between-imputation variance.
 *
 * Each missing unit's level is drawn with one uniform: the first level whose
 * cumulative probability exceeds it.
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import { choleskyInPlace } from "../../linalg/cholesky.ts";
import type { Rng } from "../../random/rng.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { observedRows, selectRows } from "../impute.ts";
import { multinomialFit, type MultinomialFit } from "./multinomial.ts";

export interface CategoricalImputationModel {
  readonly k: number;
  readonly fit: MultinomialFit;
  readonly diagnostics: readonly Diagnostic[];
}

/** The multinomial model of the observed units; refuses a model with as many coefficients as observed units. */
export function multinomialImputationModel(data: ModifierData, design: ImputationDesign): CategoricalImputationModel {
  const k = data.levels!.length;
  const units = observedRows(data.units.observed);
  const q = (k - 1) * design.p;
  if (units.length <= q) {
    const what = data.level === "cluster" ? "clusters" : "rows";
    throw new InputError(
      `multinomial imputation model '${design.formula}' has ${q} coefficients (${design.p} for each of ${k - 1} non-reference levels) but the modifier '${data.columns.modifier}' is observed in only ${units.length} ${what}: use a smaller model`,
    );
  }
  const fit = multinomialFit(selectRows(design.W, design.p, units), units.length, design.p, Float64Array.from(units, (u) => data.units.observed[u]), k);
  const diagnostics: Diagnostic[] = [];
  if (!fit.converged) diagnostics.push(warning("imputation-not-converged", `multinomial imputation model '${design.formula}' did not converge in ${fit.iterations} iterations`));
  if (fit.boundary) diagnostics.push(warning("imputation-separation", `multinomial imputation model '${design.formula}': fitted probabilities of 0 or 1 (separation)`));
  return { k, fit, diagnostics };
}

/**
 * Writes a completed vector of units into `out`: observed levels kept, each
 * missing one drawn from the probabilities under `beta` (stacked level by
 * level, the reference's 0) with design `W` (units × p).
 */
export function drawLevels(observed: Float64Array, W: Float64Array, p: number, k: number, beta: ArrayLike<number>, rng: Rng, out: Float64Array): Float64Array {
  const eta = new Float64Array(k);
  for (let u = 0; u < observed.length; u++) {
    if (!Number.isNaN(observed[u])) {
      out[u] = observed[u];
      continue;
    }
    let max = 0;
    eta[0] = 0;
    for (let j = 1; j < k; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += W[u * p + c] * beta[(j - 1) * p + c];
      eta[j] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let j = 0; j < k; j++) {
      eta[j] = Math.exp(eta[j] - max);
      total += eta[j];
    }
    const target = rng.uniform() * total;
    let level = k - 1;
    let cumulative = 0;
    for (let j = 0; j < k - 1; j++) {
      cumulative += eta[j];
      if (target < cumulative) {
        level = j;
        break;
      }
    }
    out[u] = level;
  }
  return out;
}

/** A draw from N(mean, V) given the lower Cholesky factor L of V (row-major q × q), into `out`. */
export function drawNormal(mean: Float64Array, lower: Float64Array, rng: Rng, out: Float64Array): Float64Array {
  const q = mean.length;
  const z = Float64Array.from({ length: q }, () => rng.normal());
  for (let i = 0; i < q; i++) {
    let s = mean[i];
    for (let j = 0; j <= i; j++) s += lower[i * q + j] * z[j];
    out[i] = s;
  }
  return out;
}

/** The lower Cholesky factor of the fit's covariance (for the MI coefficient draws). */
export function covarianceFactor(fit: MultinomialFit): Float64Array {
  const q = fit.coefficients.length;
  const lower = Float64Array.from(fit.vcov);
  if (choleskyInPlace(lower, q) !== 0) throw new ComputeError("the multinomial imputation model's covariance is not positive definite");
  return lower;
}
