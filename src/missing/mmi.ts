/**
 * Multilevel multiple imputation (MMI): the random-intercept imputation
 * model's parameters are fixed at their estimates; each missing modifier is
 * drawn from expit(wᵀβ̂ + b̂_i) (binary, glmer) or N(wᵀβ̂ + b̂_i, σ̂²)
 * (continuous, lmer REML, σ̂ = sigma(fit)) with the cluster's conditional
 * mode b̂_i (0 for a cluster with no observed modifier); D completed data
 * sets; Rubin pooling. A cluster-level modifier uses the cluster-level
 * regression instead (imputation-model.ts).
 */
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { multilevelModel } from "./imputation-model.ts";
import { pooledResult, type MethodResult, type MethodSettings } from "./result.ts";
import { imputeAndFit } from "./single-level.ts";

export function multilevelImputation(data: ModifierData, design: ImputationDesign, settings: MethodSettings, rng: Rng): MethodResult {
  const model = multilevelModel(data, design);
  const fits = imputeAndFit(data, model, settings.imputations, settings, rng);
  return pooledResult("mmi", design.formula, fits, data.clusterIds.length, settings.level, model.diagnostics);
}
