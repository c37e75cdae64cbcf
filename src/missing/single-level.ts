/**
 * Complete-case analysis and the single-level imputations: SI (one draw,
 * naive GEE standard errors: it ignores imputation uncertainty by design)
 * and improper MI (D draws from the logistic or linear regression with its
 * parameters fixed at the estimates, Rubin pooling).
 */
import { warning } from "../core/diagnostics.ts";
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { drawUnits, unitsToRows, type FixedImputationModel } from "./impute.ts";
import { meanImputed, unitShifts } from "./mnar.ts";
import { singleLevelModel } from "./imputation-model.ts";
import { fitOutcomeModel, type OutcomeFit } from "./outcome.ts";
import { pooledResult, singleFitEstimates, uniqueDiagnostics, type MethodResult, type MethodSettings } from "./result.ts";

export function completeCase(data: ModifierData, settings: MethodSettings): MethodResult {
  const fit = fitOutcomeModel(data, data.modifier, settings.corstr);
  const nUsed = data.n - data.nMissing;
  return {
    method: "cca",
    imputationModel: null,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 0,
    diagnostics: uniqueDiagnostics([
      ...(data.nMissing > 0
        ? [warning("complete-case", `complete-case analysis uses ${nUsed} of ${data.n} rows (${data.nMissing} with the modifier missing)`)]
        : []),
      ...fit.diagnostics,
    ]),
  };
}

/**
 * D completed data sets drawn from a fixed model (δ-shifted as the settings
 * say), each analysed by the outcome GEE, and the mean imputed modifier over
 * them.
 */
export function imputeAndFit(
  data: ModifierData,
  model: FixedImputationModel,
  count: number,
  settings: MethodSettings,
  rng: Rng,
): { fits: OutcomeFit[]; meanImputed: number } {
  const units = new Float64Array(data.units.n);
  const rows = new Float64Array(data.n);
  const design = new Float64Array(data.n * data.outcomeModel.complete.p);
  const shift = unitShifts(data, settings);
  const fits: OutcomeFit[] = [];
  let imputedSum = 0;
  for (let k = 0; k < count; k++) {
    drawUnits(data.units.observed, model, rng, units, shift);
    const completed = unitsToRows(data, units, rows);
    imputedSum += meanImputed(data, completed);
    fits.push(fitOutcomeModel(data, completed, settings.corstr, design));
  }
  return { fits, meanImputed: imputedSum / count };
}

export function singleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = singleLevelModel(data, design);
  const { fits: [fit], meanImputed } = imputeAndFit(data, model, 1, settings, rng);
  return {
    method: "si",
    imputationModel: design.formula,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 1,
    meanImputed,
    diagnostics: uniqueDiagnostics([...model.diagnostics, ...fit.diagnostics]),
  };
}

export function multipleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = singleLevelModel(data, design);
  const { fits, meanImputed } = imputeAndFit(data, model, settings.imputations, settings, rng);
  return { ...pooledResult("mi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics), meanImputed };
}
