/**
 * The dense kernels GLM/GEE added under src/linalg: the equilibrated
 * Cholesky solver (scale-invariant singularity test) and the Jacobi
 * eigen-solver used by the md/kc corrections. Closed forms: 1e-10.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { crossprod, multiply } from "../../src/linalg/index.ts";
import { jacobiEigenInPlace, symmetricEigenInPlace } from "../../src/linalg/eigen.ts";
import { equilibratedCholesky, equilibratedInverse, equilibratedSolveInPlace } from "../../src/linalg/equilibrated.ts";
import { createRng } from "../../src/random/index.ts";

function randomSpd(p: number, seed: number, columnScales?: number[]): Float64Array {
  const rng = createRng(seed);
  const n = 3 * p + 5;
  const x = Float64Array.from({ length: n * p }, (_, k) => rng.normal() * (columnScales ? columnScales[k % p] : 1));
  return crossprod(x, n, p);
}

test("equilibrated Cholesky solves and inverts SPD systems, whatever the column scales", () => {
  for (const scales of [undefined, [1, 1e-6, 1e6, 1]]) {
    const p = 4;
    const a = randomSpd(p, 5, scales);
    const l = new Float64Array(p * p);
    const s = new Float64Array(p);
    assert.equal(equilibratedCholesky(a, p, l, s), 0);
    const inv = equilibratedInverse(l, s, p);
    const eye = multiply(a, inv, p, p, p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) assert.ok(Math.abs(eye[i * p + j] - (i === j ? 1 : 0)) <= 1e-10);
    const b = Float64Array.from([1, -2, 3, 0.5]);
    const xs = Float64Array.from(b);
    equilibratedSolveInPlace(l, s, p, xs);
    for (let i = 0; i < p; i++) {
      let r = 0;
      for (let j = 0; j < p; j++) r += a[i * p + j] * xs[j];
      assert.ok(Math.abs(r - b[i]) <= 1e-9 * (1 + Math.abs(b[i])));
    }
  }
});

test("equilibrated Cholesky reports the pivot of a dependent column", () => {
  const p = 3;
  const rng = createRng(8);
  const n = 20;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    x[i * p] = rng.normal();
    x[i * p + 1] = rng.normal();
    x[i * p + 2] = x[i * p] - 3 * x[i * p + 1];
  }
  assert.equal(equilibratedCholesky(crossprod(x, n, p), p), 3);
});

test("Jacobi eigen-decomposition: A·V = V·Λ and VᵀV = I, also with repeated eigenvalues", () => {
  for (const p of [1, 2, 5, 9]) {
    for (const repeated of [false, true]) {
      const a = repeated ? Float64Array.from({ length: p * p }, (_, k) => (k % (p + 1) === 0 ? 2 : 0.5)) : randomSpd(p, p);
      const a0 = Float64Array.from(a);
      const values = new Float64Array(p);
      const v = new Float64Array(p * p);
      assert.ok(symmetricEigenInPlace(a, p, values, v) >= 0);
      const av = multiply(a0, v, p, p, p);
      let scale = 0;
      for (const x of a0) scale = Math.max(scale, Math.abs(x));
      for (let i = 0; i < p; i++) {
        for (let k = 0; k < p; k++) {
          assert.ok(Math.abs(av[i * p + k] - values[k] * v[i * p + k]) <= 1e-12 * scale * p);
          let d = 0;
          for (let r = 0; r < p; r++) d += v[r * p + i] * v[r * p + k];
          assert.ok(Math.abs(d - (i === k ? 1 : 0)) <= 1e-12);
        }
      }
    }
  }
  // The in-place form leaves the eigenvalues on the diagonal.
  const t = Float64Array.from([2, 1, 1, 2]);
  const v = new Float64Array(4);
  assert.ok(jacobiEigenInPlace(t, 2, v) >= 0);
  assert.deepEqual([t[0], t[3]].map((x) => Math.round(x * 1e12) / 1e12).sort(), [1, 3]);
  assert.equal(t[1], 0);
});

test("accumulate's interleaved sums equal the one-sum-at-a-time column products, bit for bit", async () => {
  const { accumulate } = await import("../../src/models/gee/fit.ts");
  const rng = createRng(17);
  for (const p of [1, 2, 3, 4, 5, 7]) {
    const m = 13;
    const k = p + 1;
    const block = Float64Array.from({ length: m * k }, () => rng.normal() * 10);
    const hess = Float64Array.from({ length: p * p }, () => rng.normal());
    const grad = Float64Array.from({ length: p }, () => rng.normal());
    const h0 = Float64Array.from(hess);
    const g0 = Float64Array.from(grad);
    accumulate(block, m, p, hess, grad);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += block[j * k + a] * block[j * k + b];
        assert.equal(hess[a * p + b], h0[a * p + b] + s);
      }
      for (let b = a + 1; b < p; b++) assert.equal(hess[a * p + b], h0[a * p + b]);
      let g = 0;
      for (let j = 0; j < m; j++) g += block[j * k + a] * block[j * k + p];
      assert.equal(grad[a], g0[a] + g);
    }
  }
});
