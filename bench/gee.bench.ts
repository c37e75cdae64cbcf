import type { ModelFrame } from "../src/formula/types.ts";
import { gee } from "../src/models/gee/index.ts";
import { bernoulli, createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const CLUSTERS = 100;
const SIZE = 50;

/** A simulated CRT: Y ~ A*M with a random cluster intercept (ICC ≈ 0.1), 4 coefficients. */
function simulate(binary: boolean): ModelFrame {
  const rng = createRng(2024, binary ? 1 : 0);
  const n = CLUSTERS * SIZE;
  const x = new Float64Array(n * 4);
  const y = new Float64Array(n);
  const starts = new Int32Array(CLUSTERS + 1);
  const ids: string[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    ids.push(String(c + 1));
    starts[c + 1] = (c + 1) * SIZE;
    const a = c % 2;
    const b = rng.normal() * Math.sqrt(1 / 3);
    for (let j = 0; j < SIZE; j++) {
      const i = c * SIZE + j;
      const m = bernoulli(rng, 0.6);
      x.set([1, a, m, a * m], i * 4);
      const eta = (binary ? -0.5 : 1) + 0.5 * a + 0.4 * m - 0.3 * a * m + b;
      y[i] = binary ? bernoulli(rng, 1 / (1 + Math.exp(-eta))) : eta + rng.normal() * Math.sqrt(3);
    }
  }
  return {
    formula: "Y ~ A*M",
    response: "Y",
    y,
    X: { rows: n, cols: 4, data: x },
    columnNames: ["(Intercept)", "A", "M", "A:M"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [],
    diagnostics: [],
    clusters: { column: "cluster", ids, starts },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "gee.gaussian.exchangeable",
    unit: `one GEE fit (gaussian, exchangeable, robust SE), ${CLUSTERS} clusters × ${SIZE} rows, 4 coefficients`,
    reference: { msPerOp: 86, source: "geepack::geeglm on the same design, R 4.2 on this machine" },
    warmup: 20,
    minMs: 2000,
    setup: () => {
      const frame = simulate(false);
      return () => gee(frame, { family: "gaussian", corstr: "exchangeable" });
    },
  },
  {
    name: "gee.binomial.exchangeable.kc",
    unit: `one GEE fit (binomial logit, exchangeable, Kauermann–Carroll SE), ${CLUSTERS} clusters × ${SIZE} rows, 4 coefficients`,
    warmup: 20,
    minMs: 2000,
    setup: () => {
      const frame = simulate(true);
      return () => gee(frame, { family: "binomial", corstr: "exchangeable", se: "kc" });
    },
  },
];
