import { constrainedRandomization } from "../src/design/randomize.ts";
import { sampleSize } from "../src/design/samplesize.ts";
import { hteSampleSize } from "../src/design/hte.ts";
import { createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

/** 20 clusters with 3 cluster-level covariates (size, a rate, a score), fixed by seed. */
function covariates(): number[][] {
  const rng = createRng(20240611);
  return Array.from({ length: 20 }, () => [50 + 10 * rng.normal(), rng.uniform(), 3 * rng.exponential()]);
}

export const benchmarks: Benchmark[] = [
  {
    name: "design.constrainedRandomization.enumerate",
    unit: "constrained randomization, 20 clusters 10/10, 3 covariates, l2, full enumeration (184,756 schemes), quantile 0.1",
    reference: {
      msPerOp: 5430,
      source: "base R: combn(20, 10) + apply(colMeans difference, l2 score) + quantile, as in fixtures/r/design.R (measured here, R 4.2.2)",
    },
    setup: () => {
      const x = covariates();
      let seed = 0;
      return () => constrainedRandomization({ covariates: x, treated: 10, rng: createRng(seed++) });
    },
  },
  {
    name: "design.constrainedRandomization.mahalanobis",
    unit: "constrained randomization, 20 clusters 10/10, 3 covariates, Mahalanobis, full enumeration (184,756 schemes)",
    setup: () => {
      const x = covariates();
      let seed = 0;
      return () => constrainedRandomization({ covariates: x, treated: 10, metric: "mahalanobis", rng: createRng(seed++) });
    },
  },
  {
    name: "design.constrainedRandomization.sample",
    unit: "constrained randomization, 40 clusters 20/20, 3 covariates, 10,000 sampled unique schemes",
    setup: () => {
      const x = [...covariates(), ...covariates().map((r) => r.map((v) => v * 1.1))];
      let seed = 0;
      return () => constrainedRandomization({ covariates: x, treated: 20, rng: createRng(seed++) });
    },
  },
  {
    name: "design.sampleSize",
    unit: "1000 sample-size calculations with the t correction (continuous outcome)",
    setup: () => () => {
      let s = 0;
      for (let i = 0; i < 1000; i++) {
        s += sampleSize({ outcome: { type: "continuous", delta: 0.3 + i * 1e-4, sd: 1 }, clusterSize: 20, icc: 0.05, smallSample: true }).clustersPerArm;
      }
      return s;
    },
  },
  {
    name: "design.hteSampleSize.attrition",
    unit: "1000 HTE sample-size calculations, cluster size 100, binomial attrition",
    setup: () => () => {
      let s = 0;
      for (let i = 0; i < 1000; i++) {
        s += hteSampleSize({
          delta: 0.2 + i * 1e-4,
          outcomeVariance: 1,
          outcomeIcc: 0.05,
          clusterSize: 100,
          modifier: { type: "binary", prevalence: 0.3, icc: 0.1 },
          attrition: { rate: 0.2 },
        }).clustersPerArm;
      }
      return s;
    },
  },
];
