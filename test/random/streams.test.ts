import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, gamma, hashName, multivariateNormal, namedStream, poisson } from "../../src/random/index.ts";

test("the same seed and stream ids give the same numbers; different ids differ", () => {
  const a = createRng(42, 3, 1);
  const b = createRng(42, 3, 1);
  const c = createRng(42, 3, 2);
  const xa = Array.from({ length: 5 }, () => a.uint32());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b.uint32()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c.uint32()));
  assert.notDeepEqual(createRng(1).uint32(), createRng(1, 0).uint32());
  assert.throws(() => createRng(-1), /seed/);
  assert.throws(() => createRng(1.5), /seed/);
});

test("named streams hash each name (FNV-1a) and keep numbers as they are", () => {
  // FNV-1a 32-bit test vectors.
  assert.equal(hashName(""), 0x811c9dc5);
  assert.equal(hashName("a"), 0xe40c292c);
  assert.equal(hashName("foobar"), 0xbf9cf968);
  const a = namedStream(9, "bmmi", "M ~ X1*A*Y", 1);
  const b = createRng(9, hashName("bmmi"), hashName("M ~ X1*A*Y"), 1);
  assert.deepEqual(Array.from({ length: 4 }, () => a.uint32()), Array.from({ length: 4 }, () => b.uint32()));
  assert.notEqual(namedStream(9, "bmmi", "M ~ X1*A*Y", 0).uint32(), namedStream(9, "mmi", "M ~ X1*A*Y", 0).uint32());
});

/** z-score of a sample mean against `mean` with known `sd`. */
function zMean(xs: ArrayLike<number>, mean: number, sd: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return (s / xs.length - mean) / (sd / Math.sqrt(xs.length));
}

// Bounds are 4.5 Monte Carlo SDs: a correct sampler fails one check with probability ~1e-5.
const Z = 4.5;

test("uniform draws have mean 1/2 and variance 1/12, and neighbouring streams are uncorrelated", () => {
  const n = 200_000;
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  for (let s = 0; s < 4; s++) {
    const r1 = createRng(7, s);
    const r2 = createRng(7, s + 1);
    for (let i = 0; i < n; i++) {
      u[i] = r1.uniform();
      v[i] = r2.uniform();
    }
    assert.ok(Math.abs(zMean(u, 0.5, Math.sqrt(1 / 12))) < Z);
    const sq = u.map((x) => (x - 0.5) ** 2);
    assert.ok(Math.abs(zMean(sq, 1 / 12, Math.sqrt(1 / 180))) < Z);
    const prod = u.map((x, i) => (x - 0.5) * (v[i] - 0.5));
    assert.ok(Math.abs(zMean(prod, 0, 1 / 12)) < Z, "streams s and s+1 correlated");
  }
});

test("normal, exponential, gamma and Poisson draws have the right first two moments", () => {
  const n = 200_000;
  const rng = createRng(11);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  assert.ok(Math.abs(zMean(x, 0, 1)) < Z);
  assert.ok(Math.abs(zMean(x.map((v) => v * v), 1, Math.SQRT2)) < Z);
  for (let i = 0; i < n; i++) x[i] = rng.exponential();
  assert.ok(Math.abs(zMean(x, 1, 1)) < Z);
  for (const [shape, rate] of [[0.3, 2], [1, 1], [2.5, 0.5], [50.01, 3]]) {
    for (let i = 0; i < n; i++) x[i] = gamma(rng, shape, rate);
    assert.ok(Math.abs(zMean(x, shape / rate, Math.sqrt(shape) / rate)) < Z, `gamma(${shape}, ${rate})`);
  }
  for (const lambda of [0.5, 4, 12, 50, 400]) {
    for (let i = 0; i < n; i++) x[i] = poisson(rng, lambda);
    assert.ok(Math.abs(zMean(x, lambda, Math.sqrt(lambda))) < Z, `poisson(${lambda}) mean`);
    // Var = lambda; the sd of (x − λ)² is sqrt(2λ² + λ).
    const dev = x.map((v) => (v - lambda) ** 2);
    assert.ok(Math.abs(zMean(dev, lambda, Math.sqrt(2 * lambda * lambda + lambda))) < Z, `poisson(${lambda}) var`);
  }
});

test("multivariate normal draws have the covariance L·Lᵀ", () => {
  const rng = createRng(5);
  const l = Float64Array.from([2, 0, 0.5, 1]); // Σ = [[4, 1], [1, 1.25]]
  const n = 100_000;
  let s01 = 0;
  let s11 = 0;
  const out = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    multivariateNormal(rng, [1, -1], l, 2, out);
    s01 += (out[0] - 1) * (out[1] + 1);
    s11 += (out[1] + 1) ** 2;
  }
  // sd of a product of correlated normals: sqrt(σ00σ11 + σ01²) = sqrt(6)
  assert.ok(Math.abs((s01 / n - 1) / (Math.sqrt(6) / Math.sqrt(n))) < Z);
  assert.ok(Math.abs((s11 / n - 1.25) / ((1.25 * Math.SQRT2) / Math.sqrt(n))) < Z);
});
