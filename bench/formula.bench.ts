import { dataset, type Column } from "../src/data/dataset.ts";
import { modelFrame, modelMatrixFor } from "../src/formula/index.ts";
import { createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const N = 5000;

function trialData() {
  const rng = createRng(7);
  const numeric = (f: (i: number) => number): Float64Array => Float64Array.from({ length: N }, (_, i) => f(i));
  const columns: Column[] = [
    { name: "cluster", kind: "numeric", values: numeric(() => Math.floor(rng.uniform() * 100)) },
    { name: "X1", kind: "numeric", values: numeric(() => rng.normal()) },
    { name: "X2", kind: "numeric", values: numeric(() => rng.normal()) },
    { name: "X3", kind: "numeric", values: numeric(() => rng.normal()) },
    { name: "A", kind: "numeric", values: numeric((i) => i % 2) },
    { name: "M", kind: "numeric", values: numeric(() => (rng.uniform() < 0.1 ? NaN : rng.uniform() < 0.6 ? 1 : 0)) },
    { name: "Y", kind: "numeric", values: numeric(() => rng.normal()) },
    { name: "site", kind: "numeric", values: numeric(() => 1 + Math.floor(rng.uniform() * 5)) },
  ];
  return dataset(columns);
}

// (X1 + X2 + X3)*A*M: intercept + 15 terms = 16 columns.
const FORMULA = "Y ~ (X1 + X2 + X3)*A*M";

export const benchmarks: Benchmark[] = [
  {
    name: "formula.modelMatrixFor",
    unit: `X for ${N} rows × 16 columns (${FORMULA}), A set to 1`,
    setup: () => {
      const data = trialData();
      const frame = modelFrame(data, FORMULA, { cluster: "cluster" });
      return () => modelMatrixFor(frame.design, data, frame.rows, { A: 1 });
    },
  },
  {
    name: "formula.modelFrame",
    unit: `parse + missing rows + cluster order + X, ${N} rows × 16 columns (${FORMULA})`,
    setup: () => {
      const data = trialData();
      return () => modelFrame(data, FORMULA, { cluster: "cluster" });
    },
  },
  {
    name: "formula.modelFrame.factors",
    unit: `${N} rows, Y ~ factor(site)*A + X1*M + log(X2 + 10) (14 columns)`,
    setup: () => {
      const data = trialData();
      return () => modelFrame(data, "Y ~ factor(site)*A + X1*M + log(X2 + 10)", { cluster: "cluster" });
    },
  },
];
