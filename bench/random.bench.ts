import { createRng, gamma } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const N = 1_000_000;

export const benchmarks: Benchmark[] = [
  {
    name: "rng.normal",
    unit: `${N} standard normal draws`,
    setup: () => {
      const rng = createRng(1);
      return () => {
        let s = 0;
        for (let i = 0; i < N; i++) s += rng.normal();
        return s;
      };
    },
  },
  {
    name: "rng.gamma",
    unit: `${N} Gamma(2.5, 1) draws`,
    setup: () => {
      const rng = createRng(1);
      return () => {
        let s = 0;
        for (let i = 0; i < N; i++) s += gamma(rng, 2.5);
        return s;
      };
    },
  },
];
