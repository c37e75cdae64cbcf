/**
 * The outcome GEE of a categorical modifier on one completed data set (or
 * the complete cases): each dummy column of the prepared design
 * (outcome-design.ts) is multiplied by its level's centred dummy
 * 1{M = l} − p̄_l, p̄_l the level's share over the rows analysed, recomputed
 * on each completed data set as Mc is for the other modifier types. `hte` is
 * the first treatment-by-level contrast; `hteTerms` holds all k − 1 with
 * their covariance block, for the joint test. `ate` is the standardized
 * effect of standardize.ts over the same rows, on designs with the centred
 * dummies filled in (for the identity link on the rd scale, the treatment
 * coefficient plus the interactions weighted by the centred level shares,
 * which are 0 up to rounding).
 *
 * A level with no row in a completed data set leaves its contrasts
 * unestimable: a ComputeError naming the level, which fails the method with
 * an error diagnostic.
 */
import { ComputeError } from "../../core/errors.ts";
import { getLink } from "../../models/family/link.ts";
import type { ModifierData } from "../data.ts";
import type { OutcomeDesign } from "../outcome-model.ts";
import { completeCaseDesign, outcomeGee, type HteTermsFit, type OutcomeFit } from "../outcome-gee.ts";
import { standardizedAte } from "../standardize.ts";

export type { HteTermsFit } from "../outcome-gee.ts";

/** outcome.ts's OutcomeFit, with all the treatment-by-level contrasts. */
export type CategoricalOutcomeFit = OutcomeFit & { readonly hteTerms: HteTermsFit };

/** The design for modifier codes `m`: every row, or the complete cases when `m` is missing exactly where the data's modifier is. */
function designFor(data: ModifierData, m: Float64Array, used: number): OutcomeDesign {
  return used === data.n ? data.outcomeModel.complete : completeCaseDesign(data, m);
}

/** Fits the outcome GEE with level codes `m` (NaN rows left out: the complete cases). */
export function fitCategoricalOutcome(data: ModifierData, m: Float64Array, corstr: "exchangeable" | "independence", buffer?: Float64Array): CategoricalOutcomeFit {
  const { n } = data;
  const levels = data.levels!;
  const k = levels.length;
  const counts = new Float64Array(k);
  let used = 0;
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(m[r])) continue;
    counts[m[r]]++;
    used++;
  }
  for (let l = 0; l < k; l++) {
    if (counts[l] === 0) {
      throw new ComputeError(
        `level '${levels[l]}' of the categorical modifier '${data.columns.modifier}' has no row in a completed data set: its treatment contrast cannot be estimated there`,
      );
    }
  }
  const share = Float64Array.from(counts, (c) => c / used);
  const design = designFor(data, m, used);
  const { p } = design;
  const { level, hteColumns } = design.categorical!;
  const x = buffer !== undefined && buffer.length === n * p ? buffer.fill(0) : new Float64Array(n * p);
  const treated = new Float64Array(n * p);
  const control = new Float64Array(n * p);
  const rowMarker = new Float64Array(n).fill(NaN); // 0 on analysed rows: standardization's "centred modifier", already applied
  const weights = used === n ? undefined : new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const code = m[r];
    if (Number.isNaN(code)) continue;
    rowMarker[r] = 0;
    if (weights) weights[r] = 1;
    const o = r * p;
    for (let j = 0; j < p; j++) {
      const l = level[j];
      const factor = l === 0 ? 1 : (code === l ? 1 : 0) - share[l];
      x[o + j] = design.x[o + j] * factor;
      treated[o + j] = design.treated[o + j] * factor;
      control[o + j] = design.control[o + j] * factor;
    }
  }
  const { settings } = data.outcomeModel;
  const fit = outcomeGee(data, design, x, weights, m, corstr);
  const kk = hteColumns.length;
  const coefficients = Float64Array.from(hteColumns, (j) => fit.coefficients[j]);
  const vcov = new Float64Array(kk * kk);
  for (let a = 0; a < kk; a++) for (let b = 0; b < kk; b++) vcov[a * kk + b] = fit.vcov[hteColumns[a] * p + hteColumns[b]];
  const filled: OutcomeDesign = { ...design, treated, control, modifierColumns: new Uint8Array(p) };
  const ate = standardizedAte(filled, rowMarker, fit.coefficients, fit.vcov, getLink(settings.link), settings.ateScale);
  return {
    hte: coefficients[0],
    hteVariance: vcov[0],
    ate: ate.estimate,
    ateVariance: ate.variance,
    converged: fit.converged,
    nClusters: fit.nClusters,
    nCoefficients: p,
    settings,
    diagnostics: fit.diagnostics,
    hteTerms: { names: Array.from(hteColumns, (j) => design.columnNames[j]), coefficients, vcov },
  };
}
