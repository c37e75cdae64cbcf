import assert from "node:assert/strict";
import { test } from "node:test";
import { crossprod, multiply } from "../../src/linalg/index.ts";
import { inverseSqrtSymmetric, symmetricEigen, symmetricPower } from "../../src/linalg/matrix-power.ts";
import { createRng } from "../../src/random/index.ts";

/** XᵀX for a random 2n×n X: well-conditioned SPD. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const rows = 2 * n;
  const x = Float64Array.from({ length: rows * n }, () => rng.normal());
  return crossprod(x, rows, n);
}

function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}

function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

function diff(a: Float64Array, b: Float64Array): number {
  return maxAbs(a.map((v, i) => v - b[i]));
}

test("symmetricEigen: A·V = V·Λ, VᵀV = I, eigenvalues decreasing", () => {
  for (const n of [1, 2, 5, 17, 60]) {
    const a = randomSpd(n, n);
    const { values, vectors } = symmetricEigen(a, n);
    const av = multiply(a, vectors, n, n, n);
    const vl = vectors.map((v, k) => v * values[k % n]);
    assert.ok(diff(av, vl) <= 1e-12 * maxAbs(a), `A·V = V·Λ for n = ${n}`);
    const vtv = multiply(Float64Array.from({ length: n * n }, (_, k) => vectors[(k % n) * n + Math.floor(k / n)]), vectors, n, n, n);
    assert.ok(diff(vtv, identity(n)) <= 1e-13, `VᵀV = I for n = ${n}`);
    for (let k = 1; k < n; k++) assert.ok(values[k - 1] >= values[k]);
  }
});

test("symmetricEigen handles diagonal and repeated eigenvalues", () => {
  const d = symmetricEigen(Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 2]), 3);
  assert.deepEqual(Array.from(d.values), [3, 2, 1]);
  // I + 2·11ᵀ/… : eigenvalues 1 (twice) and 1 + 2·3 = 7
  const a = Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? 3 : 2));
  const { values } = symmetricEigen(a, 3);
  assert.ok(Math.abs(values[0] - 7) < 1e-14 && Math.abs(values[1] - 1) < 1e-14 && Math.abs(values[2] - 1) < 1e-14);
});

test("inverseSqrtSymmetric: (A^(−1/2))²·A = I for SPD A; closed form for a diagonal", () => {
  for (const n of [1, 3, 8, 40]) {
    const a = randomSpd(n, 100 + n);
    const r = inverseSqrtSymmetric(a, n);
    const prod = multiply(multiply(r, r, n, n, n), a, n, n, n);
    assert.ok(diff(prod, identity(n)) <= 1e-9, `n = ${n}: ${diff(prod, identity(n))}`);
  }
  assert.deepEqual(Array.from(inverseSqrtSymmetric(Float64Array.from([4, 0, 0, 9]), 2)), [0.5, 0, 0, 1 / 3]);
});

test("symmetricPower is the pseudo-inverse for zero eigenvalues (clubSandwich's matrix_power)", () => {
  // Projection onto span(1, 1)/√2 scaled by 4: eigenvalues 4 and 0.
  const a = Float64Array.from([2, 2, 2, 2]);
  const r = symmetricPower(a, 2, -0.5);
  // (4 vvᵀ)^(+1/2)⁻¹ = vvᵀ / 2 = [[0.25, 0.25], [0.25, 0.25]]
  assert.ok(diff(r, Float64Array.from([0.25, 0.25, 0.25, 0.25])) < 1e-15);
  const sq = symmetricPower(Float64Array.from([4, 1, 1, 3]), 2, 2);
  assert.ok(diff(sq, Float64Array.from([17, 7, 7, 10])) < 1e-13);
});
