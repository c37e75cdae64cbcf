/**
 * Mixed models on a missing-modifier-sized trial: 100 clusters × 50 rows with
 * about 32% of the modifier M missing at random, leaving ≈ 3400 rows.
 * GLMM: the imputation model M ~ X1*A*Y + (1 | cluster) (8 coefficients);
 * LMM: the outcome model Y ~ A*M + X1 + (1 | cluster) on the same rows.
 */
import type { ModelFrame } from "../src/formula/types.ts";
import { glmm } from "../src/models/glmm/index.ts";
import { lmm } from "../src/models/lmm/index.ts";
import { bernoulli, createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const CLUSTERS = 100;
const SIZE = 50;
const GLMM_TERMS = ["(Intercept)", "X1", "A", "Y", "X1:A", "X1:Y", "A:Y", "X1:A:Y"];
const LMM_TERMS = ["(Intercept)", "A", "M", "X1", "A:M"];

interface Trial {
  readonly glmm: ModelFrame;
  readonly lmm: ModelFrame;
}

/** Blette et al. (2023)'s data-generating mechanism (scenario 1), modifier observed with probability 0.68 (exported for checks against R). */
export function simulate(): Trial {
  const rng = createRng(2024, 7);
  const sdAlpha = Math.sqrt(((Math.PI * Math.PI) / 3) * (0.1 / 0.9));
  const rows: number[][] = [];
  const ms: number[] = [];
  const ys: number[] = [];
  const starts = [0];
  const ids: string[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const a = c % 2;
    const alpha = rng.normal() * sdAlpha;
    const b = rng.normal() * Math.sqrt(1 / 3);
    for (let j = 0; j < SIZE; j++) {
      const x1 = rng.normal();
      const m = bernoulli(rng, 1 / (1 + Math.exp(-(0.5 + 0.3 * x1 + alpha))));
      const y = 1 + a + 0.5 * x1 - 0.5 * a * m + b + rng.normal() * Math.sqrt(3);
      if (rng.uniform() < 0.32) continue; // M missing
      rows.push([x1, a, y, m]);
      ms.push(m);
      ys.push(y);
    }
    ids.push(String(c + 1));
    starts.push(rows.length);
  }
  const n = rows.length;
  const xg = new Float64Array(n * GLMM_TERMS.length);
  const xl = new Float64Array(n * LMM_TERMS.length);
  rows.forEach(([x1, a, y, m], i) => {
    xg.set([1, x1, a, y, x1 * a, x1 * y, a * y, x1 * a * y], i * GLMM_TERMS.length);
    xl.set([1, a, m, x1, a * m], i * LMM_TERMS.length);
  });
  const common = {
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [{ term: "(Intercept)", group: "cluster" }],
    diagnostics: [],
    clusters: { column: "cluster", ids, starts: Int32Array.from(starts) },
  };
  return {
    glmm: { ...common, formula: "M ~ X1*A*Y + (1 | cluster)", response: "M", y: Float64Array.from(ms), X: { rows: n, cols: GLMM_TERMS.length, data: xg }, columnNames: GLMM_TERMS },
    lmm: { ...common, formula: "Y ~ A*M + X1 + (1 | cluster)", response: "Y", y: Float64Array.from(ys), X: { rows: n, cols: LMM_TERMS.length, data: xl }, columnNames: LMM_TERMS },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: "glmm.laplace",
    unit: `one logistic GLMM fit (Laplace, SEs from the (θ, β) Hessian), M ~ X1*A*Y + (1 | cluster), ${CLUSTERS} clusters, ≈3400 rows, 8 coefficients`,
    reference: { msPerOp: 1149, source: "lme4 1.1-31 glmer (bobyqa + Nelder-Mead, nAGQ = 1) on these data, R 4.2 on this machine" },
    warmup: 3,
    minMs: 3000,
    setup: () => {
      const frame = simulate().glmm;
      return () => glmm(frame);
    },
  },
  {
    name: "glmm.agq10",
    unit: `one logistic GLMM fit (adaptive Gauss–Hermite, 10 nodes), same model and data`,
    reference: { msPerOp: 1727, source: "lme4 1.1-31 glmer(nAGQ = 10) on these data, R 4.2 on this machine" },
    warmup: 2,
    minMs: 3000,
    setup: () => {
      const frame = simulate().glmm;
      return () => glmm(frame, { nagq: 10 });
    },
  },
  {
    name: "lmm.reml",
    unit: `one LMM fit (REML), Y ~ A*M + X1 + (1 | cluster), ${CLUSTERS} clusters, ≈3400 rows, 5 coefficients`,
    reference: { msPerOp: 33, source: "lme4 1.1-31 lmer (REML) on these data, R 4.2 on this machine" },
    warmup: 10,
    minMs: 2000,
    setup: () => {
      const frame = simulate().lmm;
      return () => lmm(frame);
    },
  },
];
