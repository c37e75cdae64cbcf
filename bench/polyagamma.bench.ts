import { createRng, polyaGammaFill } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const N = 1_000_000;

/** Linear predictors spread like a logistic model's: z ~ N(0, 1.5²), fixed across runs. */
function predictors(sd: number): Float64Array {
  const rng = createRng(20240601);
  const z = new Float64Array(N);
  for (let i = 0; i < N; i++) z[i] = sd * rng.normal();
  return z;
}

function fillBenchmark(name: string, z: () => Float64Array, what: string): Benchmark {
  return {
    name,
    unit: `${N} PG(1, z) draws, ${what}`,
    reference: { msPerOp: 208, source: "R BayesLogit::rpg (C++), 10^6 draws ≈ 0.208 s on this machine class" },
    minMs: 3000,
    setup: () => {
      const zs = z();
      const out = new Float64Array(N);
      const rng = createRng(1);
      return () => polyaGammaFill(rng, zs, out);
    },
  };
}

export const benchmarks: Benchmark[] = [
  fillBenchmark("polyagamma.fill z~N(0,1.5^2)", () => predictors(1.5), "z ~ N(0, 1.5²)"),
  fillBenchmark("polyagamma.fill z=0", () => new Float64Array(N), "z = 0"),
  fillBenchmark("polyagamma.fill z~N(0,5^2)", () => predictors(5), "z ~ N(0, 5²)"),
  {
    // The sampler's main consumer of randomness (≈ 1–2.5 per draw).
    name: "rng.exponential",
    unit: `${N} standard exponential draws (ziggurat)`,
    setup: () => {
      const rng = createRng(1);
      return () => {
        let s = 0;
        for (let i = 0; i < N; i++) s += rng.exponential();
        return s;
      };
    },
  },
];
