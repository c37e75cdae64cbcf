/**
 * One replicate of the missing-modifier study as the simulation runs it:
 * scenario 1, 50 clusters, β₃ = 0, the paper's 21 method × imputation-model
 * combinations (cca; si, mi, mmi, bmmi × the five models of Table 1), the
 * outcome GEE and the four estimands, on this thread without the runner.
 * The replicate is fixed (seed 2024, replicate 0), so runs on different
 * commits time the same work. The paper's R code takes 39 s per replicate
 * here (CPU time: R runs one thread).
 */
import { expandConditions, hashString, resolveMethods } from "../src/simulate/conditions.ts";
import { runReplicate, type ReplicateContext } from "../src/simulate/replicate.ts";
import { missingModifier1, paperImputationModels } from "../src/simulate/scenarios/missing-modifier-study.ts";
import type { Benchmark } from "./harness.ts";

const SEED = 2024;

export function paperReplicateContext(): ReplicateContext {
  const { conditions } = expandConditions(missingModifier1, { clusters: 50, beta3: 0 });
  return {
    scenario: missingModifier1,
    seed: SEED,
    scenarioId: hashString(missingModifier1.name),
    conditions,
    methods: resolveMethods(missingModifier1, undefined, paperImputationModels(1)),
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "replicate.missing-modifier-1",
    unit: "one replicate (seed 2024, replicate 0) of missing-modifier-1, 50 clusters, β₃ = 0, 21 method × imputation-model combinations, this thread",
    reference: { msPerOp: 39000, source: "the paper's R code, one replicate, CPU time here", clock: "cpu" },
    minMs: 10000,
    warmup: 1,
    setup: () => {
      const ctx = paperReplicateContext();
      return () => runReplicate(ctx, 0, 0);
    },
  },
];
