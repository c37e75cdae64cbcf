/**
 * The methods for a categorical modifier (methods.ts dispatches here): cca
 * is shared; si and mi impute from the multinomial-logit model (impute.ts);
 * bmmi from the multinomial random-intercept model (bmmi.ts here). mmi
 * needs a fitted multinomial GLMM with conditional modes, which crtkit does
 * not fit: an analysis asked for it explicitly is refused, the default
 * method list leaves it out with a note (categoricalMethods), and a direct
 * run fails with an error diagnostic. A δ-adjustment has no single logit to
 * shift with k > 2 levels: it is refused (shift.ts).
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { Rng } from "../../random/rng.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { unitsToRows } from "../impute.ts";
import { fitOutcomeModel, type OutcomeFit } from "../outcome.ts";
import { pooledResult, singleFitEstimates, uniqueDiagnostics, type MethodName, type MethodResult, type MethodSettings } from "../result.ts";
import { covarianceFactor, drawLevels, drawNormal, multinomialImputationModel } from "./impute.ts";
import { refuseShift } from "./shift.ts";

/** The methods a categorical modifier's analysis runs: without mmi, refused when named (`explicit`), left out with a note otherwise. */
export function categoricalMethods(methods: readonly MethodName[], explicit: boolean, modifier: string): { methods: readonly MethodName[]; diagnostics: Diagnostic[] } {
  // indicator.ts multiplies one modifier column by its centred value; k − 1 level dummies would each need their own.
  if (methods.includes("indicator")) {
    throw new InputError(`method indicator: the missing-indicator comparison is for a binary or continuous modifier, not the categorical '${modifier}'; use cca as the complete-case comparison`);
  }
  if (!methods.includes("mmi")) return { methods, diagnostics: [] };
  const why = "MMI needs a multinomial random-intercept model fitted with conditional modes, which is not available for a categorical modifier";
  if (explicit) throw new InputError(`method mmi: ${why} ('${modifier}'); use bmmi (Bayesian multilevel imputation) or mi`);
  return { methods: methods.filter((m) => m !== "mmi"), diagnostics: [info("categorical-no-mmi", `${why}: mmi is left out; bmmi is the multilevel imputation`)] };
}

/** `count` completed data sets, each from `beta(k)` (the coefficients of data set k), analysed by the outcome GEE. */
function imputeAndFit(data: ModifierData, design: ImputationDesign, k: number, count: number, beta: (i: number) => Float64Array, settings: MethodSettings, rng: Rng): OutcomeFit[] {
  const units = new Float64Array(data.units.n);
  const rows = new Float64Array(data.n);
  const buffer = new Float64Array(data.n * data.outcomeModel.complete.p);
  const fits: OutcomeFit[] = [];
  for (let i = 0; i < count; i++) {
    drawLevels(data.units.observed, design.W, design.p, k, beta(i), rng, units);
    fits.push(fitOutcomeModel(data, unitsToRows(data, units, rows), settings.corstr, buffer));
  }
  return fits;
}

export function categoricalSingleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  refuseShift(data, settings);
  const model = multinomialImputationModel(data, design);
  const [fit] = imputeAndFit(data, design, model.k, 1, () => model.fit.coefficients, settings, rng);
  return {
    method: "si",
    imputationModel: design.formula,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 1,
    diagnostics: uniqueDiagnostics([...model.diagnostics, ...fit.diagnostics]),
  };
}

export function categoricalMultipleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  refuseShift(data, settings);
  const model = multinomialImputationModel(data, design);
  const lower = covarianceFactor(model.fit);
  const draw = new Float64Array(model.fit.coefficients.length);
  const fits = imputeAndFit(data, design, model.k, settings.imputations, () => drawNormal(model.fit.coefficients, lower, rng, draw), settings, rng);
  return pooledResult("mi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics);
}
