/**
 * Hand-made results in the shapes of the JSON contract (docs/cli.md), small
 * enough to read, for the report builders' tests: they pin what each report
 * draws without depending on any computation.
 */
import { datasetFromRecord } from "../../src/data/dataset.ts";
import type { ChainTrace } from "../../src/missing/bmmi.ts";
import type { ReportContext } from "../../src/report/html/types.ts";

const estimate = (e: number, se: number, df: number | null = null) => ({
  estimate: e,
  stdError: se,
  df,
  statistic: e / se,
  pValue: 0.04,
  confLow: Math.round((e - 2 * se) * 1000) / 1000,
  confHigh: Math.round((e + 2 * se) * 1000) / 1000,
});

const pooling = (m: number, riv: number) => ({ m, ubar: 0.04, b: 0.01, t: 0.05, dfcom: 2, df: 1.6, riv, lambda: riv / (1 + riv), fmi: 0.3 });

export const PROVENANCE = { crtkitVersion: "0.1.0", inputSha256: "ab".repeat(32), seed: 7 };

export const ANALYZE_JSON = {
  data: {
    nObs: 12,
    nClusters: 4,
    nMissing: 4,
    nDropped: 0,
    missingByCluster: [
      { cluster: "a", n: 3, nMissing: 1 },
      { cluster: "b", n: 4, nMissing: 0 },
      { cluster: "c", n: 2, nMissing: 2 },
      { cluster: "d", n: 3, nMissing: 1 },
    ],
  },
  results: [
    {
      method: "cca",
      imputationModel: null,
      hte: estimate(-0.7, 0.2),
      ate: estimate(0.45, 0.2),
      nImputations: 0,
      diagnostics: [{ code: "complete-case", severity: "warning", message: "complete-case analysis uses 8 of 12 rows" }],
    },
    {
      method: "mi",
      imputationModel: "M ~ X1 + A + Y",
      hte: estimate(-1.1, 0.21, 20.5),
      ate: estimate(0.11, 0.19, 30.1),
      nImputations: 5,
      pooling: { hte: pooling(5, 0.25), ate: pooling(5, 0.1) },
      diagnostics: [],
    },
    {
      method: "bmmi",
      imputationModel: "M ~ X1 + A + Y",
      hte: estimate(-1.2, 0.22, 19.8),
      ate: estimate(0.12, 0.19, 29.7),
      nImputations: 8,
      convergence: {
        chains: 2,
        iterations: 12,
        parameters: [
          { name: "(Intercept)", ess: 150.4, rhat: 1.004 },
          { name: "X1", ess: 80.2, rhat: 1.0104 },
          { name: "tau", ess: null, rhat: null },
        ],
      },
      pooling: { hte: pooling(8, 0.3), ate: pooling(8, 0.12) },
      diagnostics: [],
    },
  ],
  seed: 7,
  settings: { imputations: 4, burnin: 4, thin: 2, chains: 2, priorVariance: 100, corstr: "exchangeable", level: 0.95 },
  diagnostics: [{ code: "note", severity: "info", message: "a message with </script> and <!-- inside" }],
  provenance: PROVENANCE,
};

/** Two chains of 12 iterations of a two-coefficient imputation model and τ. */
export const TRACES: ChainTrace[] = [0, 1].map((chain) => {
  const beta = Float64Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? -1 + 0.05 * ((i * 7 + chain * 3) % 11) : 0.2 + 0.01 * ((i * 5 + chain) % 9)));
  const tau = Float64Array.from({ length: 12 }, (_, i) => 2 + 0.1 * ((i * 3 + chain * 5) % 7));
  return {
    imputationModel: "M ~ X1 + A + Y",
    chain,
    parameterNames: ["(Intercept)", "X1", "tau"],
    nTerms: 2,
    iterations: 12,
    burnin: 4,
    draws: Float64Array.from({ length: 36 }, (_, i) => (i % 3 < 2 ? beta[Math.floor(i / 3) * 2 + (i % 3)] : tau[Math.floor(i / 3)])),
  };
});

export const ANALYZE_CONTEXT: ReportContext = {
  command: "analyze",
  options: { cluster: "cl", treatment: "A", modifier: "M", outcome: "Y", imputation: ["M ~ X1 + A + Y"], methods: "cca,mi,bmmi", burnin: "4", thin: "2", imputations: "4", chains: "2" },
  positionals: [],
  dataPath: "trial.csv",
  data: datasetFromRecord({ cl: ["a", "a", "a", "b", "b", "b", "b", "c", "c", "d", "d", "d"], A: [0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1] }),
};

export const MRS_JSON = {
  clusterAte: estimate(0.07, 0.23, 39),
  individualAte: estimate(0.1, 0.23, 39),
  icsTest: { statistic: -0.74, df: 39, pValue: 0.46, difference: -0.025, stdError: 0.034 },
  working: "gee-exch",
  family: "gaussian",
  link: "identity",
  scale: "rd",
  jackknife: 1,
  nClusters: 40,
  nObs: 1996,
  nDropped: 0,
  means: { cluster: { treated: 1.83, control: 1.76 }, individual: { treated: 1.86, control: 1.76 }, weighted: null },
  coefficient: { term: "A", se: "md", scale: "difference", ...estimate(0.077, 0.23, 39) },
  diagnostics: [],
  provenance: { ...PROVENANCE, seed: null },
};

export const MRS_CONTEXT: ReportContext = {
  command: "mrs",
  options: { formula: "Y ~ X1 + cluster(N)", cluster: "cl", treatment: "A", working: "gee-exch", jackknife: "3", "prob-column": "p" },
  positionals: [],
  dataPath: "-",
};

const powerInputs = { clusterSize: 20, clustersPerArm: 6, icc: 0.05, cv: 0, alpha: 0.05 };

export const POWER_JSON = {
  power: 0.62,
  powerTwoSided: 0.62,
  designEffect: 1.95,
  standardError: 0.18,
  criticalValue: 1.96,
  df: null,
  inputs: { outcome: { type: "continuous", delta: 0.5, sd: 1, varianceSum: 2 }, ...powerInputs, smallSample: false },
  diagnostics: [{ code: "few-clusters", severity: "warning", message: "6 clusters per arm: normal quantiles overstate the power" }],
  provenance: { ...PROVENANCE, inputSha256: null, seed: null },
};

export const SIMULATED_POWER_JSON = {
  power: 0.55,
  powerMcse: 0.05,
  closedFormPower: 0.5719,
  exactPower: null,
  reps: 100,
  nReps: 100,
  nFailed: 0,
  method: "gee-md",
  seed: 3,
  closedForm: { formula: "power", power: 0.57, powerTwoSided: 0.5719, standardError: 0.18, noncentrality: 2.7, criticalValue: 2.23, df: 10, designEffect: 1.95 },
  inputs: { outcome: { type: "binary", delta: 0.1, p1: 0.3, p2: 0.2 }, ...powerInputs },
  diagnostics: [],
  provenance: { ...PROVENANCE, inputSha256: null, seed: 3 },
};

const row = (clusters: number, method: string, imputationModel: string, estimand: string, bias: number) => ({
  scenario: "missing-modifier-1",
  clusters,
  beta3: 0,
  method,
  imputationModel,
  estimand,
  truth: estimand === "hte" ? 0 : 1,
  nReps: 50,
  nFailed: method === "mi" ? 1 : 0,
  bias,
  biasMcse: 0.03,
  empSe: 0.3,
  empSeMcse: 0.02,
  modelSe: 0.28,
  modelSeMcse: 0.01,
  coverage: 0.94,
  coverageMcse: 0.03,
  rejection: estimand === "hte" ? 0.06 : 0.9,
  rejectionMcse: 0.03,
  mse: 0.09,
  mseMcse: 0.01,
});

export const SIMULATE_JSON = {
  summary: [20, 50].flatMap((k) => ["hte", "ate"].flatMap((e) => [row(k, "cca", "", e, 0.1), row(k, "mi", "M ~ X1*A*Y", e, -0.02)])),
  diagnostics: [{ code: "ate-truth", severity: "info", message: "ATE truth by numerical integration" }],
  provenance: { ...PROVENANCE, inputSha256: null, seed: null },
};

export const SIMULATE_CONTEXT: ReportContext = { command: "simulate summarize", options: {}, positionals: ["sim"] };

export const MISSINGNESS_JSON = {
  nObs: 12,
  nClusters: 4,
  nMissing: 4,
  byCluster: [
    { cluster: "c", arm: 0, n: 2, nMissing: 2, propMissing: 1 },
    { cluster: "a", arm: 0, n: 3, nMissing: 1, propMissing: 1 / 3 },
    { cluster: "d", arm: 1, n: 3, nMissing: 1, propMissing: 1 / 3 },
    { cluster: "b", arm: 1, n: 4, nMissing: 0, propMissing: 0 },
  ],
  byArm: [
    { arm: 0, nClusters: 2, n: 5, nMissing: 3, propMissing: 0.6 },
    { arm: 1, nClusters: 2, n: 7, nMissing: 1, propMissing: 1 / 7 },
  ],
  missingnessIcc: { estimate: 0.21, confLow: 0.05, confHigh: 0.52 },
  indicatorModel: { formula: "R ~ X1 + Y + (1 | cl)", coefficients: [{ term: "(Intercept)", ...estimate(-1, 0.4) }, { term: "X1", ...estimate(0.3, 0.2) }], randomInterceptSd: 0.9 },
  representation: [
    { variable: "X1", meanAll: 0.1, meanComplete: 0.05, smd: -0.05 },
    { variable: "Y", meanAll: 1.8, meanComplete: 2.1, smd: 0.31 },
  ],
  diagnostics: [],
  provenance: { ...PROVENANCE, seed: null },
};

export const MISSINGNESS_CONTEXT: ReportContext = { command: "missingness", options: { cluster: "cl", variable: "M", treatment: "A", covariates: "X1,Y" }, positionals: [], dataPath: "trial.csv" };

const analysis = (kind: string, setting: number | string, method: string, hte: number, ate: number) => ({
  kind,
  setting,
  method,
  imputationModel: "M ~ X1*A*Y",
  hte: estimate(hte, 0.2, 25),
  ate: estimate(ate, 0.2, 30),
  meanImputed: 0.4,
  nClusters: 40,
});

export const SENSITIVITY_JSON = {
  analyses: [
    // mi: the HTE interval first contains 0 at δ = 2, the ATE one already at δ = 0; bmmi's ATE interval never does.
    ...[-2, -1, 0, 1, 2].flatMap((d) => [analysis("delta", d, "mi", -1 + 0.4 * d, 0.1 + 0.05 * d), analysis("delta", d, "bmmi", -1.1 + 0.4 * d, 0.6 + 0.04 * d)]),
    analysis("exclude", 0.4, "bmmi", -0.9, 0.12),
    analysis("tau-prior", "gamma(1,1)", "bmmi", -1.05, 0.1),
  ],
  tippingPoint: [
    { method: "mi", estimand: "hte", delta: 2 },
    { method: "bmmi", estimand: "hte", delta: 2 },
    { method: "mi", estimand: "ate", delta: 0 },
    { method: "bmmi", estimand: "ate", delta: null },
  ],
  diagnostics: [],
  provenance: PROVENANCE,
};
