/**
 * The outcome analysis every method shares: a GEE (exchangeable or
 * independence working correlation) of the prepared outcome model
 * (outcome-model.ts; default `Y ~ A*M`, gaussian, identity link), with the
 * modifier replaced by Mc, its centred value over the rows analysed
 * (recomputed on each completed data set). `hte` is the treatment-by-modifier
 * coefficient (link scale); `ate` the standardized treatment effect over the
 * same rows on the ATE scale (standardize.ts); each with its variance from
 * the GEE covariance (robust, Mancl–DeRouen or Kauermann–Carroll). A
 * categorical modifier's fit is categorical/fit.ts's.
 */
import { getLink } from "../models/family/link.ts";
import { fitCategoricalOutcome } from "./categorical/fit.ts";
import type { ModifierData } from "./data.ts";
import type { OutcomeDesign } from "./outcome-model.ts";
import { completeCaseDesign, outcomeGee, type OutcomeCorrelation, type OutcomeFit } from "./outcome-gee.ts";
import { standardizedAte } from "./standardize.ts";

export type { OutcomeCorrelation, OutcomeFit } from "./outcome-gee.ts";


/**
 * Fits the outcome GEE with modifier values `m` (length n). NaN rows are left
 * out: that is the complete-case analysis, and they must then be the rows
 * whose modifier is missing in `data`. `buffer` (length n·p) is reused for
 * the design matrix when given, so repeated fits do not allocate it.
 */
export function fitOutcomeModel(data: ModifierData, m: Float64Array, corstr: OutcomeCorrelation, buffer?: Float64Array): OutcomeFit {
  if (data.modifierType === "categorical") return fitCategoricalOutcome(data, m, corstr, buffer);
  const { n } = data;
  let sum = 0;
  let used = 0;
  for (let r = 0; r < n; r++) {
    if (!Number.isNaN(m[r])) {
      sum += m[r];
      used++;
    }
  }
  const centre = sum / used;
  const design = used === n ? data.outcomeModel.complete : completeCaseDesign(data, m);
  const mc = new Float64Array(n).fill(NaN);
  for (let r = 0; r < n; r++) if (!Number.isNaN(m[r])) mc[r] = m[r] - centre;
  return fitOutcomeDesign(data, design, mc, corstr, buffer);
}

/**
 * Fits the outcome GEE of `design` (the prepared one, or one extended by a
 * method: indicator.ts) with centred modifier values `mc`, NaN for rows left
 * out (weight 0). The modifier columns are multiplied by `mc`.
 */
export function fitOutcomeDesign(data: ModifierData, design: OutcomeDesign, mc: Float64Array, corstr: OutcomeCorrelation, buffer?: Float64Array): OutcomeFit {
  const { n } = data;
  const model = data.outcomeModel;
  const { p, modifierColumns } = design;
  let used = 0;
  for (let r = 0; r < n; r++) if (!Number.isNaN(mc[r])) used++;
  const x = buffer !== undefined && buffer.length === n * p ? buffer.fill(0) : new Float64Array(n * p);
  const weights = used === n ? undefined : new Float64Array(n); // only when rows are left out
  for (let r = 0; r < n; r++) {
    const c = mc[r];
    if (Number.isNaN(c)) continue;
    const o = r * p;
    for (let j = 0; j < p; j++) x[o + j] = modifierColumns[j] ? design.x[o + j] * c : design.x[o + j];
    if (weights) weights[r] = 1;
  }
  const { settings } = model;
  const fit = outcomeGee(data, design, x, weights, mc, corstr);
  const h = design.hteColumn;
  const ate = standardizedAte(design, mc, fit.coefficients, fit.vcov, getLink(settings.link), settings.ateScale);
  return {
    hte: fit.coefficients[h],
    hteVariance: fit.vcov[h * p + h],
    ate: ate.estimate,
    ateVariance: ate.variance,
    converged: fit.converged,
    nClusters: fit.nClusters,
    nCoefficients: p,
    settings,
    diagnostics: fit.diagnostics,
  };
}
