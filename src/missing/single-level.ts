/**
 * Complete-case analysis and the single-level imputations: SI (one draw,
 * naive GEE standard errors: it ignores imputation uncertainty by design)
 * and improper MI (D draws from the logistic MLE, Rubin pooling).
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { expit } from "../core/math.ts";
import { resolveFamily } from "../models/family/index.ts";
import { glmFit } from "../models/glm/index.ts";
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { drawCompleted, observedRows, selectRows } from "./impute.ts";
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

/** Logistic regression of the imputation model on the observed rows; predicted probabilities for every row. */
export function logisticImputationModel(
  data: ModifierData,
  design: ImputationDesign,
): { coefficients: Float64Array; probability: Float64Array; diagnostics: Diagnostic[] } {
  const rows = observedRows(data.modifier);
  const x = selectRows(design.W, design.p, rows);
  const y = Float64Array.from(rows, (r) => data.modifier[r]);
  const { family, link } = resolveFamily("binomial", "logit");
  const fit = glmFit(x, rows.length, design.p, y, family, link);
  const diagnostics: Diagnostic[] = [];
  if (!fit.converged) diagnostics.push(warning("imputation-not-converged", `logistic imputation model '${design.formula}' did not converge in ${fit.iterations} iterations`));
  if (fit.boundary) diagnostics.push(warning("imputation-separation", `logistic imputation model '${design.formula}': fitted probabilities of 0 or 1 (separation)`));
  const probability = new Float64Array(data.n);
  for (let r = 0; r < data.n; r++) {
    let eta = 0;
    for (let j = 0; j < design.p; j++) eta += design.W[r * design.p + j] * fit.coefficients[j];
    probability[r] = expit(eta);
  }
  return { coefficients: fit.coefficients, probability, diagnostics };
}

/** D completed data sets drawn from fixed probabilities, each analysed by the outcome GEE. */
export function imputeAndFit(
  data: ModifierData,
  probability: Float64Array,
  count: number,
  settings: MethodSettings,
  rng: Rng,
): OutcomeFit[] {
  const completed = new Float64Array(data.n);
  const design = new Float64Array(data.n * data.outcomeModel.complete.p);
  const fits: OutcomeFit[] = [];
  for (let k = 0; k < count; k++) {
    drawCompleted(data.modifier, probability, rng, completed);
    fits.push(fitOutcomeModel(data, completed, settings.corstr, design));
  }
  return fits;
}

export function singleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = logisticImputationModel(data, design);
  const [fit] = imputeAndFit(data, model.probability, 1, settings, rng);
  return {
    method: "si",
    imputationModel: design.formula,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 1,
    diagnostics: uniqueDiagnostics([...model.diagnostics, ...fit.diagnostics]),
  };
}

export function multipleImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = logisticImputationModel(data, design);
  const fits = imputeAndFit(data, model.probability, settings.imputations, settings, rng);
  return pooledResult("mi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics);
}
