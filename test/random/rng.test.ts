import assert from "node:assert/strict";
import { test } from "node:test";
import { pnorm, qchisq, qnorm } from "../../src/distributions/index.ts";
import { createRng } from "../../src/random/index.ts";
import { zigguratCutoffs } from "../../src/random/rng.ts";
import { ksDistance } from "../helpers/assert.ts";

// Monte Carlo bounds are 5 standard errors (a correct generator fails one
// check with probability ~6e-7); KS and χ² use α = 1e-6-ish critical values.
const Z = 5;
const KS_CRIT = 2.6; // sqrt(−ln(α/2)/2) for α = 1e-6 is 2.69; 2.6 ≈ α 2.7e-6

/** z-score of the mean of f(x) over the sample against `mean`, with known sd of f(x). */
function zScore(xs: Float64Array, f: (x: number) => number, mean: number, sd: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += f(xs[i]);
  return (s / xs.length - mean) / (sd / Math.sqrt(xs.length));
}

/** Pearson χ² over `bins` equiprobable bins whose inner edges are quantile(k/bins). */
function chiSquareEquiprobable(sample: Float64Array, bins: number, quantile: (p: number) => number): number {
  const edges = new Float64Array(bins - 1);
  for (let k = 1; k < bins; k++) edges[k - 1] = quantile(k / bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < sample.length; i++) {
    const x = sample[i];
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  const expected = sample.length / bins;
  let chi2 = 0;
  for (const c of counts) chi2 += ((c - expected) * (c - expected)) / expected;
  return chi2;
}

test("uint32 and uniform give the xoshiro128** stream (values from the reference implementation)", () => {
  const r = createRng(42, 3, 7);
  const first = Array.from({ length: 6 }, () => r.uint32());
  assert.deepEqual(first, [4096523399, 2632169078, 3450383612, 3416791867, 2268628152, 2961885739]);
  for (let i = 6; i < 999; i++) r.uint32();
  assert.equal(r.uint32(), 3864946304);
  assert.equal(r.uniform(), 0.7369812461635005);
});

test("the ziggurat cut-offs are the 256-layer values of Marsaglia & Tsang (2000)", () => {
  assert.ok(Math.abs(zigguratCutoffs.normal - 3.6541528853610088) < 1e-12, `${zigguratCutoffs.normal}`);
  assert.ok(Math.abs(zigguratCutoffs.exponential - 7.69711747013105) < 1e-12, `${zigguratCutoffs.exponential}`);
});

test("normal draws: first four moments, KS and a 1024-bin χ² test (1e6 and 2^21 draws)", () => {
  const rng = createRng(2024, 1);
  const n = 1_000_000;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  // E X = 0 (sd 1), E X² = 1 (sd √2), E X³ = 0 (sd √15), E X⁴ = 3 (sd √96).
  assert.ok(Math.abs(zScore(x, (v) => v, 0, 1)) < Z, "mean");
  assert.ok(Math.abs(zScore(x, (v) => v * v, 1, Math.SQRT2)) < Z, "second moment");
  assert.ok(Math.abs(zScore(x, (v) => v * v * v, 0, Math.sqrt(15))) < Z, "third moment");
  assert.ok(Math.abs(zScore(x, (v) => v ** 4, 3, Math.sqrt(96))) < Z, "fourth moment");
  assert.ok(Math.abs(zScore(x, (v) => (v > 0 ? 1 : 0), 0.5, 0.5)) < Z, "sign");
  const d = ksDistance(x, pnorm);
  assert.ok(d < KS_CRIT / Math.sqrt(n), `KS distance ${d}`);
  const m = 2 ** 21;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) y[i] = rng.normal();
  const chi2 = chiSquareEquiprobable(y, 1024, qnorm);
  assert.ok(chi2 < qchisq(1 - 1e-6, 1023), `χ² = ${chi2}`);
});

test("exponential draws: first three moments, KS and a 1024-bin χ² test", () => {
  const rng = createRng(2024, 2);
  const n = 1_000_000;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.exponential();
  // E X = 1 (sd 1), E X² = 2 (sd √20), E X³ = 6 (sd √684).
  assert.ok(Math.abs(zScore(x, (v) => v, 1, 1)) < Z, "mean");
  assert.ok(Math.abs(zScore(x, (v) => v * v, 2, Math.sqrt(20))) < Z, "second moment");
  assert.ok(Math.abs(zScore(x, (v) => v * v * v, 6, Math.sqrt(684))) < Z, "third moment");
  const d = ksDistance(x, (v) => -Math.expm1(-v));
  assert.ok(d < KS_CRIT / Math.sqrt(n), `KS distance ${d}`);
  const m = 2 ** 21;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) y[i] = rng.exponential();
  const chi2 = chiSquareEquiprobable(y, 1024, (p) => -Math.log1p(-p));
  assert.ok(chi2 < qchisq(1 - 1e-6, 1023), `χ² = ${chi2}`);
});

test("ziggurat tails: frequency beyond the cut-off and the conditional tail distribution (1e7 draws)", () => {
  const n = 10_000_000;
  // Normal: P(|X| > r) = 2Φ(−r) ≈ 2.6e-4; beyond r, |X| − r has CDF 1 − Φ(−(r + s))/Φ(−r).
  {
    const rng = createRng(2024, 3);
    const r = zigguratCutoffs.normal;
    const tail: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = Math.abs(rng.normal());
      if (v > r) tail.push(v - r);
    }
    const p = 2 * pnorm(-r);
    const zFreq = (tail.length - n * p) / Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(zFreq) < Z, `normal tail count ${tail.length}, expected ${n * p}`);
    const t = Float64Array.from(tail);
    const d = ksDistance(t, (s) => 1 - pnorm(-(r + s)) / pnorm(-r));
    assert.ok(d < KS_CRIT / Math.sqrt(t.length), `normal tail KS ${d} (n = ${t.length})`);
  }
  // Exponential: P(X > r) = e^{−r} ≈ 4.5e-4; beyond r, X − r ~ Exp(1).
  {
    const rng = createRng(2024, 4);
    const r = zigguratCutoffs.exponential;
    const tail: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = rng.exponential();
      if (v > r) tail.push(v - r);
    }
    const p = Math.exp(-r);
    const zFreq = (tail.length - n * p) / Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(zFreq) < Z, `exponential tail count ${tail.length}, expected ${n * p}`);
    const t = Float64Array.from(tail);
    const d = ksDistance(t, (s) => -Math.expm1(-s));
    assert.ok(d < KS_CRIT / Math.sqrt(t.length), `exponential tail KS ${d} (n = ${t.length})`);
  }
});
