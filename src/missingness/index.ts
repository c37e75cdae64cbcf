/**
 * Missingness diagnostics for any partly missing variable of a
 * cluster-randomized trial: counts by cluster and arm, the latent-scale ICC
 * of the missingness indicator with a profile interval and a test of zero
 * cluster variance, the indicator model R ~ covariates + (1 | C), who the
 * complete cases are, and which arm loses more.
 */
export { diagnoseMissingness, type MissingnessOptions, type MissingnessResult } from "./diagnose.ts";
export { missingnessData, splitCovariates, type MissingnessColumns, type MissingnessData } from "./data.ts";
export { armCounts, clusterCounts, type ArmCount, type ClusterCount } from "./counts.ts";
export { latentIcc, missingnessVariation, type Interval, type MissingnessIcc, type MissingnessVariation, type ZeroVarianceTest } from "./icc.ts";
export { thetaProfile, type ThetaProfile } from "./theta-profile.ts";
export { indicatorModel, type IndicatorModel, type OddsRatio } from "./indicator-model.ts";
export { representation, type RepresentationRow } from "./representation.ts";
export { compareArms, type ArmComparison } from "./arms.ts";
