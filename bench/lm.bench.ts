import type { ModelFrame } from "../src/formula/types.ts";
import { lm } from "../src/models/lm/index.ts";
import { createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

/** 100 clusters × 50 rows: intercept, cluster-level A, individual X1, A:X1. */
function trialFrame(clusters: number, size: number): ModelFrame {
  const rng = createRng(2024);
  const n = clusters * size;
  const p = 4;
  const data = new Float64Array(n * p);
  const y = new Float64Array(n);
  const starts = new Int32Array(clusters + 1);
  for (let j = 0; j < clusters; j++) {
    starts[j] = j * size;
    const a = j % 2;
    const u = 0.5 * rng.normal();
    for (let i = 0; i < size; i++) {
      const r = j * size + i;
      const x1 = rng.normal();
      data.set([1, a, x1, a * x1], r * p);
      y[r] = 1 + 0.5 * a + 0.3 * x1 + 0.2 * a * x1 + u + rng.normal();
    }
  }
  starts[clusters] = n;
  return {
    formula: "Y ~ A * X1",
    response: "Y",
    y,
    X: { rows: n, cols: p, data },
    columnNames: ["(Intercept)", "A", "X1", "A:X1"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: "cluster", ids: Array.from({ length: clusters }, (_, j) => String(j + 1)), starts },
    randomTerms: [],
    diagnostics: [],
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "lm.cr2",
    unit: "one lm fit with CR2 variance and Satterthwaite df, 100 clusters × 50 rows, 4 coefficients",
    reference: {
      msPerOp: 150,
      source: "R 4.2.2: lm() + clubSandwich 0.5.8 coef_test(vcov = \"CR2\", test = \"Satterthwaite\"), same design size, this machine",
    },
    setup: () => {
      const frame = trialFrame(100, 50);
      return () => lm(frame, { vcov: "CR2" });
    },
  },
  {
    name: "lm.cr2-weighted",
    unit: "the same with prior weights (2p-dimensional CR2 adjustment)",
    setup: () => {
      const frame = trialFrame(100, 50);
      const rng = createRng(7);
      const weights = Float64Array.from({ length: frame.y.length }, () => 0.5 + rng.uniform());
      return () => lm(frame, { vcov: "CR2", weights });
    },
  },
  {
    name: "lm.classical",
    unit: "one lm fit with classical variance, 100 clusters × 50 rows, 4 coefficients",
    setup: () => {
      const frame = trialFrame(100, 50);
      return () => lm(frame, { vcov: "classical" });
    },
  },
];
