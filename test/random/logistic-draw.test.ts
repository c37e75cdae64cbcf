import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng } from "../../src/random/index.ts";
import { logisticDraw } from "../../src/random/logistic-draw.ts";

const exact = (u: number, eta: number): number => (u * (1 + Math.exp(-eta)) < 1 ? 1 : 0);

/** x and the doubles next to it, k ulps each way (finite ones only). */
function around(x: number, k: number): number[] {
  const out: number[] = [];
  const buf = new Float64Array(1);
  const bits = new BigInt64Array(buf.buffer);
  buf[0] = x;
  const b = bits[0];
  for (let d = -k; d <= k; d++) {
    bits[0] = b + BigInt(d);
    if (Number.isFinite(buf[0])) out.push(buf[0]);
  }
  return out;
}

test("logisticDraw takes the exact expression's decision for random uniforms and predictors", () => {
  const rng = createRng(7);
  for (let i = 0; i < 200_000; i++) {
    const u = rng.uniform();
    const eta = (rng.uniform() - 0.5) * 40; // beyond the table on both sides too
    assert.equal(logisticDraw(u, eta), exact(u, eta), `u = ${u}, eta = ${eta}`);
  }
});

test("logisticDraw agrees at the decision threshold and at the table's bin edges", () => {
  const rng = createRng(8);
  const etas: number[] = [0, -0, 16, -16, 15.999999999999998, -16.000000000000004, Number.NaN, Infinity, -Infinity];
  for (let j = -512; j <= 512; j++) etas.push(...around(j / 32, 2));
  for (let i = 0; i < 2000; i++) etas.push((rng.uniform() - 0.5) * 34);
  for (const eta of etas) {
    // uniforms on both sides of the threshold 1/(1 + e^{−η}), a few ulps away
    const threshold = 1 / (1 + Math.exp(-eta));
    const us = [...around(threshold, 4).filter((u) => u >= 0 && u < 1), 0, 0.5, 1 - 2 ** -53];
    for (const u of us) assert.equal(logisticDraw(u, eta), exact(u, eta), `u = ${u}, eta = ${eta}`);
  }
});
