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

/** D completed data sets drawn from a fixed model, each analysed by the outcome GEE. */
export function imputeAndFit(
  data: ModifierData,
  model: FixedImputationModel,
  count: number,
  settings: MethodSettings,
  rng: Rng,
): OutcomeFit[] {
  const units = new Float64Array(data.units.n);
  const rows = new Float64Array(data.n);
  const design = new Float64Array(data.n * data.outcomeModel.complete.p);
  const fits: OutcomeFit[] = [];
  for (let k = 0; k < count; k++) {
    drawUnits(data.units.observed, model, rng, units);
    fits.push(fitOutcomeModel(data, unitsToRows(data, units, rows), settings.corstr, design));
  }
  return fits;
}

export function singleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = singleLevelModel(data, design);
  const [fit] = imputeAndFit(data, model, 1, settings, rng);
  return {
    method: "si",
    imputationModel: design.formula,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 1,
    diagnostics: uniqueDiagnostics([...model.diagnostics, ...fit.diagnostics]),
  };
}

export function multipleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = singleLevelModel(data, design);
  const fits = imputeAndFit(data, model, settings.imputations, settings, rng);
  return pooledResult("mi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics);
}
