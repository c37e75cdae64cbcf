/**
 * The missing-modifier analysis on a scenario-1 trial of 100 clusters × ~50
 * rows (≈ 5000 rows, ≈ 1/3 of the modifier missing), imputation model
 * M ~ X1*A*Y: one B-MMI chain with the defaults (2500 iterations, 15 GEE
 * fits), and the whole analysis (5 methods); the analysis with 4 B-MMI
 * chains on 1 and on 2 worker threads (wall time, worker start-up included;
 * the results are the same bytes). And one replicate of the simulation
 * study's scenario 1 with 50 clusters and all 21 method × model
 * combinations, on one thread. And the whole analysis of the example trial's
 * size (40 clusters, 1996 rows) with a binary outcome: binomial GEE
 * `Ybin ~ A*M + X1`, standardized risk difference, 5 methods.
 */
import { readFileSync } from "node:fs";
import { readCsv } from "../src/data/csv.ts";
import { dataset, numericColumn, type Dataset } from "../src/data/dataset.ts";
import { analyzeMissingModifier } from "../src/missing/analyze.ts";
import { analyzeMissingModifierOnThreads } from "../src/missing/analyze-threads.ts";
import { createRng } from "../src/random/index.ts";
import { runSimulation } from "../src/simulate/index.ts";
import { paperImputationModels } from "../src/simulate/scenarios/missing-modifier-study.ts";
import { MISSING_MODIFIER_DEFAULTS, simulateMissingModifierTrial } from "../src/simulate/scenarios/missing-modifier.ts";
import type { Benchmark } from "./harness.ts";

function trial(clusters: number): Dataset {
  const t = simulateMissingModifierTrial({ ...MISSING_MODIFIER_DEFAULTS, scenario: 1, clusters }, createRng(99));
  return dataset([
    { name: "cluster", kind: "numeric", values: t.cluster },
    { name: "A", kind: "numeric", values: t.A },
    { name: "M", kind: "numeric", values: t.M },
    { name: "Y", kind: "numeric", values: t.Y },
    { name: "X1", kind: "numeric", values: t.X[0] },
  ]);
}

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" } as const;

/** The example trial with a binary outcome Ybin = 1{Y > 2} (about 45% ones). */
function binaryExample(): Dataset {
  const data = readCsv(readFileSync(new URL("../examples/trial.csv", import.meta.url), "utf8"));
  const y = numericColumn(data, "Y");
  return dataset([...data.names.map((name) => data.columns.get(name)!), { name: "Ybin", kind: "numeric", values: Float64Array.from(y, (v) => (v > 2 ? 1 : 0)) }]);
}

export const benchmarks: Benchmark[] = [
  {
    name: "missing.bmmi-chain",
    unit: "one B-MMI chain (burn-in 1000, thin 100, 15 imputations, GEE on each), 100 clusters × ~50 rows, M ~ X1*A*Y",
    reference: { msPerOp: 8900, source: "the same algorithm in R (BayesLogit + BLAS) here" },
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = trial(100);
      return () => analyzeMissingModifier(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], methods: ["bmmi"], seed: 1 });
    },
  },
  {
    name: "missing.analyze",
    unit: "crtkit analyze: 5 methods × 1 imputation model (M ~ X1*A*Y), 100 clusters × ~50 rows",
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = trial(100);
      return () => analyzeMissingModifier(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], seed: 1 });
    },
  },
  ...[1, 2].map(
    (workers): Benchmark => ({
      name: `missing.analyze-4-chains-${workers}-worker${workers === 1 ? "" : "s"}`,
      unit: `crtkit analyze: 5 methods, B-MMI with 4 chains (2500 iterations each) on ${workers} worker thread${workers === 1 ? " (the calling thread)" : "s"}, 100 clusters × ~50 rows, M ~ X1*A*Y`,
      minMs: 1,
      warmup: 1,
      setup: () => {
        const data = trial(100);
        return () => analyzeMissingModifierOnThreads(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], chains: 4, workers, seed: 1 });
      },
    }),
  ),
  {
    name: "missing.analyze-binary",
    unit: "crtkit analyze, binary outcome: binomial GEE Ybin ~ A*M + X1 (standardized risk difference), 5 methods × M ~ X1*A*Ybin, 40 clusters × ~50 rows",
    reference: { msPerOp: 3500, source: "cca, si, mi and mmi only (no B-MMI, no standardization) in R with geepack and lme4, CPU time here" },
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = binaryExample();
      const outcomeModel = { formula: "Ybin ~ A*M + X1", family: "binomial" } as const;
      return () => analyzeMissingModifier(data, { ...COLUMNS, outcome: "Ybin", imputation: ["M ~ X1*A*Ybin"], outcomeModel, seed: 1 });
    },
  },
  {
    name: "missing.simulation-replicate",
    unit: "one replicate of scenario 1, 50 clusters, all 21 method × imputation-model combinations, one thread",
    reference: { msPerOp: 40000, source: "the paper's R code, per replicate, here" },
    minMs: 10000,
    warmup: 1,
    setup: () => {
      let seed = 0;
      return () =>
        runSimulation({
          scenario: "missing-modifier-1",
          parameters: { clusters: 50, beta3: 0 },
          reps: 1,
          seed: seed++,
          workers: 1,
          imputationModels: paperImputationModels(1),
        });
    },
  },
];
