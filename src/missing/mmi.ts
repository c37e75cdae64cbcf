/**
 * Multilevel multiple imputation (MMI): the logistic GLMM's parameters are
 * fixed at their estimates; each missing modifier is drawn from
 * expit(wᵀβ̂ + b̂_i) with the cluster's conditional mode b̂_i (0 for a cluster
 * with no observed modifier); D completed data sets; Rubin pooling.
 */
import { expit } from "../core/math.ts";
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { fitLogisticGlmm } from "./glmm-imputation.ts";
import { pooledResult, type MethodResult, type MethodSettings } from "./result.ts";
import { imputeAndFit } from "./single-level.ts";

export function multilevelImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = fitLogisticGlmm(data, design);
  const probability = new Float64Array(data.n);
  for (let c = 0; c < data.clusterIds.length; c++) {
    for (let r = data.starts[c]; r < data.starts[c + 1]; r++) {
      let eta = model.modes[c];
      for (let j = 0; j < design.p; j++) eta += design.W[r * design.p + j] * model.coefficients[j];
      probability[r] = expit(eta);
    }
  }
  const fits = imputeAndFit(data, probability, settings.imputations, settings, rng);
  return pooledResult("mmi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics);
}
