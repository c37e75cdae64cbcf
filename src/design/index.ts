/**
 * Cluster-trial design: intraclass correlations, design effects, sample size
 * and power (including for treatment-effect heterogeneity), and constrained
 * randomization.
 */
export { icc, iccFromData, oneWayAnova, type IccDataOptions, type IccMethod, type IccOptions, type IccResult, type OneWayAnova } from "./icc.ts";
export * from "./effect.ts";
export * from "./samplesize.ts";
export * from "./power.ts";
export * from "./hte.ts";
export * from "./randomize.ts";
export * from "./schemes.ts";
export * from "./balance.ts";
