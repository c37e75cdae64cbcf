import assert from "node:assert/strict";
import { test } from "node:test";
import { effectiveSampleSize, splitRhat } from "../../src/inference/mcmc.ts";
import { createRng } from "../../src/random/index.ts";

function ar1(n: number, phi: number, seed: number, shift = 0): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  x[0] = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + rng.normal();
  return x.map((v) => v + shift);
}

test("ESS of an AR(1) chain is near n(1 − φ)/(1 + φ)", () => {
  // Averaged over 20 chains, the ESS estimate's relative error is a few percent; allow 15%.
  for (const phi of [0, 0.5, 0.9]) {
    const n = 4000;
    const truth = (n * (1 - phi)) / (1 + phi);
    let total = 0;
    for (let s = 0; s < 20; s++) total += effectiveSampleSize([ar1(n, phi, 100 + s)]);
    const avg = total / 20;
    assert.ok(Math.abs(avg / truth - 1) < 0.15, `phi ${phi}: ESS ${avg} vs ${truth}`);
  }
});

test("split-R̂ is near 1 for mixed chains and large for chains stuck apart", () => {
  const mixed = splitRhat([ar1(2000, 0.5, 1), ar1(2000, 0.5, 2), ar1(2000, 0.5, 3)]);
  assert.ok(mixed < 1.02, `mixed R̂ ${mixed}`);
  const apart = splitRhat([ar1(2000, 0.5, 1), ar1(2000, 0.5, 2, 3)]);
  assert.ok(apart > 1.3, `separated R̂ ${apart}`);
  // A single chain with a trend is caught by splitting it.
  const trend = Float64Array.from({ length: 1000 }, (_, i) => i / 100 + Math.sin(i));
  assert.ok(splitRhat([trend]) > 1.3);
});
