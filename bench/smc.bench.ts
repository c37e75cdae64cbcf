/**
 * Substantive-model-compatible imputation (smc) with the paper's schedule
 * (burn-in 1000, thin 100, 15 imputations, one chain, the outcome GEE on each
 * completed data set, Rubin pooling) on a scenario-1 trial of 100 clusters ×
 * ~50 rows (≈ 5000 rows, ≈ 1/3 of the modifier missing), as in
 * missing.bench.ts; scenario 2's larger substantive model on a trial of the
 * same size; and a binary outcome. The reference is jomo::jomo.lmer on a
 * trial of the same design with the same schedule, imputation only
 * (bench/smc-jomo.R, CPU time measured here).
 */
import { dataset, type Column, type Dataset } from "../src/data/dataset.ts";
import { analyzeMissingModifier } from "../src/missing/analyze.ts";
import { createRng } from "../src/random/index.ts";
import { smcDefaultModels } from "../src/simulate/scenarios/missing-modifier-study.ts";
import { MISSING_MODIFIER_DEFAULTS, simulateMissingModifierTrial } from "../src/simulate/scenarios/missing-modifier.ts";
import type { Benchmark } from "./harness.ts";

function trial(scenario: 1 | 2, clusters: number): Dataset {
  const t = simulateMissingModifierTrial({ ...MISSING_MODIFIER_DEFAULTS, scenario, clusters }, createRng(99));
  return dataset([
    { name: "cluster", kind: "numeric", values: t.cluster },
    { name: "A", kind: "numeric", values: t.A },
    { name: "M", kind: "numeric", values: t.M },
    { name: "Y", kind: "numeric", values: t.Y },
    // A binary outcome from the same trial: Y above its median.
    { name: "Ybin", kind: "numeric", values: Float64Array.from(t.Y, (y) => (y > 1.5 ? 1 : 0)) },
    ...t.X.map((x, k): Column => ({ name: `X${k + 1}`, kind: "numeric", values: x })),
  ]);
}

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" } as const;

export const benchmarks: Benchmark[] = [
  {
    name: "smc.analysis",
    unit: "smc, paper's schedule (2500 iterations, 15 GEE fits, pooling), 100 clusters × ~50 rows, M ~ X1 and Y ~ A*M*X1 + (1 | cluster)",
    reference: { msPerOp: 13800, clock: "cpu", source: "jomo::jomo.lmer 2.7.4, same design and schedule, imputation only, CPU time here (bench/smc-jomo.R)" },
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = trial(1, 100);
      const models = smcDefaultModels(1);
      return () => analyzeMissingModifier(data, { ...COLUMNS, imputation: [models.modifier], methods: ["smc"], substantive: models.substantive, seed: 1 });
    },
  },
  {
    name: "smc.analysis-scenario-2",
    unit: "smc, paper's schedule, scenario 2, 100 clusters × ~50 rows, M ~ X1 + X2 + X3 and Y ~ A*M*(X1 + X2 + X3) + (1 | cluster) (16 coefficients)",
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = trial(2, 100);
      const models = smcDefaultModels(2);
      return () => analyzeMissingModifier(data, { ...COLUMNS, imputation: [models.modifier], methods: ["smc"], substantive: models.substantive, seed: 1 });
    },
  },
  {
    name: "smc.analysis-binary",
    unit: "smc, paper's schedule, binary outcome (logistic substantive model Ybin ~ A*M*X1 + (1 | cluster), binomial GEE), 100 clusters × ~50 rows",
    minMs: 5000,
    warmup: 1,
    setup: () => {
      const data = trial(1, 100);
      return () =>
        analyzeMissingModifier(data, {
          ...COLUMNS,
          outcome: "Ybin",
          imputation: ["M ~ X1"],
          methods: ["smc"],
          substantive: "Ybin ~ A*M*X1 + (1 | cluster)",
          outcomeModel: { family: "binomial" },
          seed: 1,
        });
    },
  },
];
