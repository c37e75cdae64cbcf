/**
 * Estimands of cluster-randomized trials: model-robust standardization of
 * the cluster-average and individual-average treatment effects (Li et al. 2025)
 * and the informative-cluster-size test. Stages: mrsData → fitWorking →
 * (standardize) → jackknifeMeans → mrsSummary; `mrs` composes them.
 */
export { mrs, mrsSummary, type IcsTest, type MrsOptions, type MrsResult, type PotentialOutcomeMeans, type WorkingCoefficient } from "./mrs.ts";
export { mrsData, CLUSTER_SIZE_NAME, type ClusterWeightSpec, type MrsData, type MrsDataOptions } from "./data.ts";
export { probabilitiesFromSchemes, resolveProbabilities, type ProbabilitySpec } from "./probability.ts";
export { fitWorking, workingLink } from "./working.ts";
export {
  WORKING_MODELS,
  type CoefficientSe,
  type RefitStatus,
  type TreatmentCoefficient,
  type WorkingFit,
  type WorkingModel,
  type WorkingName,
  type WorkingOptions,
} from "./working-model.ts";
export { clusterDesign, individualDesign, predictClusters, TREATMENT_COLUMN, type MeanMap, type WorkingDesign } from "./design.ts";
export { contrast, EFFECT_SCALES, standardize, standardizeInto, type EffectScale } from "./estimator.ts";
export { jackknifeMeans, jackknifeStdError, type JackknifeMeans, type JackknifeType } from "./jackknife.ts";
export { logitMarginalDivisor } from "./working-mixed.ts";
