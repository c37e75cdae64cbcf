import assert from "node:assert/strict";
import { test } from "node:test";
import {
  choleskyInPlace,
  choleskyInverse,
  choleskyLogDet,
  choleskySolveInPlace,
  crossprod,
  crossprodVector,
  multiply,
  qrLeastSquares,
} from "../../src/linalg/index.ts";
import { createRng } from "../../src/random/index.ts";
import { near } from "../helpers/assert.ts";

function randomMatrix(n: number, p: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * p }, () => rng.normal());
}

test("Cholesky reproduces A = L·Lᵀ, its inverse and log-determinant for random SPD matrices", () => {
  for (const p of [1, 2, 5, 12]) {
    const x = randomMatrix(3 * p + 2, p, p);
    const a = crossprod(x, 3 * p + 2, p);
    const l = Float64Array.from(a);
    assert.equal(choleskyInPlace(l, p), 0);
    const lt = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) lt[i * p + j] = l[j * p + i];
    near(multiply(l, lt, p, p, p), a, 1e-12, "L·Lᵀ");
    const inv = choleskyInverse(l, p);
    const eye = multiply(a, inv, p, p, p);
    near(eye, Float64Array.from({ length: p * p }, (_, k) => (k % (p + 1) === 0 ? 1 : 0)), 1e-10, "A·A⁻¹");
    const b = Float64Array.from({ length: p }, (_, i) => i + 1);
    const sol = Float64Array.from(b);
    choleskySolveInPlace(l, p, sol);
    near(multiply(a, sol, p, p, 1), b, 1e-10, "A·x");
    // log det by product of pivots equals sum of log eigen... check against 2x2 closed form
    if (p === 2) assert.ok(Math.abs(choleskyLogDet(l, 2) - Math.log(a[0] * a[3] - a[1] * a[2])) < 1e-12);
  }
});

test("Cholesky reports the failing pivot of a singular or indefinite matrix", () => {
  const singular = Float64Array.from([1, 1, 1, 1]);
  assert.equal(choleskyInPlace(singular, 2), 2);
  const indefinite = Float64Array.from([1, 2, 2, 1]);
  assert.equal(choleskyInPlace(indefinite, 2), 2);
  assert.equal(choleskyInPlace(Float64Array.from([-1]), 1), 1);
});

test("QR least squares agrees with the normal equations and detects dependent columns", () => {
  const n = 40;
  const p = 4;
  const x = randomMatrix(n, p, 9);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const fit = qrLeastSquares(x, n, p, y);
  assert.equal(fit.rank, 4);
  const xtx = crossprod(x, n, p);
  const l = Float64Array.from(xtx);
  choleskyInPlace(l, p);
  const b = crossprodVector(x, n, p, y);
  choleskySolveInPlace(l, p, b);
  near(fit.coefficients, b, 1e-10, "beta");
  // Make column 3 = column 0 + column 1: it is dependent, reported NaN.
  const x2 = Float64Array.from(x);
  for (let i = 0; i < n; i++) x2[i * p + 3] = x2[i * p] + x2[i * p + 1];
  const fit2 = qrLeastSquares(x2, n, p, y);
  assert.equal(fit2.rank, 3);
  assert.deepEqual(fit2.dependent, [3]);
  assert.ok(Number.isNaN(fit2.coefficients[3]));
});

test("weighted crossproducts equal the explicit sums", () => {
  const n = 7;
  const p = 3;
  const x = randomMatrix(n, p, 3);
  const w = Float64Array.from({ length: n }, (_, i) => i / 3);
  const out = crossprod(x, n, p, w);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += w[r] * x[r * p + i] * x[r * p + j];
      assert.ok(Math.abs(out[i * p + j] - s) < 1e-12);
    }
  }
});

test("column-major products and planned Gram matrices equal the row-major crossproducts", async () => {
  const { columnSupport, crossprodVectorColumns, gramPlan, gramWithPlan, multiplyVectorColumns, transpose, multiplyVector } =
    await import("../../src/linalg/index.ts");
  for (const p of [1, 3, 4, 5, 9]) {
    const n = 23;
    const x = randomMatrix(n, p, 40 + p);
    const cols = transpose(x, n, p);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 5) / 2);
    near(gramWithPlan(gramPlan(cols, n, p), w), crossprod(x, n, p, w), 1e-12, `XᵀWX p=${p}`);
    const support = columnSupport(cols, n, p);
    near(crossprodVectorColumns(cols, n, p, w, undefined, support), crossprodVector(x, n, p, w), 1e-12, `Xᵀv support p=${p}`);
    near(crossprodVectorColumns(cols, n, p, w), crossprodVector(x, n, p, w), 1e-12, `Xᵀv p=${p}`);
    const b = Float64Array.from({ length: p }, (_, i) => i - 1);
    near(multiplyVectorColumns(cols, n, p, b), multiplyVector(x, n, p, b), 1e-12, `Xb p=${p}`);
  }
});

test("a Gram plan computes each distinct product column once", async () => {
  const { gramPlan, gramWithPlan, transpose } = await import("../../src/linalg/index.ts");
  // Columns 1, x, a, x·a with a ∈ {0, 1}: products 1, x, a, x·a, x², x·a (= x·(x·a)/x … ) — a² = a and (x·a)·a = x·a coincide.
  const n = 50;
  const rng = createRng(3);
  const rows: number[][] = [];
  for (let r = 0; r < n; r++) {
    const x = rng.normal();
    const a = r < 20 ? 1 : 0;
    rows.push([1, x, a, x * a]);
  }
  const flat = Float64Array.from(rows.flat());
  const cols = transpose(flat, n, 4);
  const plan = gramPlan(cols, n, 4);
  // Distinct products: 1, x, a, xa, x², x²a (xa·1 = xa·a, a·1 = a·a, x·a = xa·1 …).
  assert.equal(plan.q, 6);
  const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  near(gramWithPlan(plan, w), crossprod(flat, n, 4, w), 1e-12, "Gram");
});

test("pairs of columns (Gram products, crossproducts) are summed with exactly dotRange's operations", async () => {
  const { columnSupport, crossprodVectorColumns, dotRange, dotRangePair, gramPlan, gramWithPlan } = await import("../../src/linalg/index.ts");
  const rng = createRng(12);
  for (const [from, to] of [[0, 0], [0, 3], [2, 9], [1, 40], [5, 38]] as const) {
    const n = 41;
    const x = Float64Array.from({ length: 2 * n }, () => rng.normal() * 1e3);
    const w = Float64Array.from({ length: n }, () => rng.uniform());
    const out = new Float64Array(2);
    dotRangePair(w, x, 0, n, from, to, out, 0, 1);
    assert.equal(out[0], dotRange(w, x, 0, from, to));
    assert.equal(out[1], dotRange(w, x, n, from, to));
  }
  // A design with a 0/1 column zero on the first rows: the Gram entries are bit for bit the single-column sums.
  const n = 37;
  const p = 4;
  const cols = new Float64Array(n * p);
  for (let r = 0; r < n; r++) {
    const a = r >= 15 ? 1 : 0;
    const v = [1, rng.normal(), a, a * rng.normal()];
    for (let j = 0; j < p; j++) cols[j * n + r] = v[j];
  }
  const support = columnSupport(cols, n, p);
  assert.ok(support.pairs !== undefined && support.pairs.first.length > 0);
  const v = Float64Array.from({ length: n }, () => rng.normal());
  const paired = crossprodVectorColumns(cols, n, p, v, undefined, support);
  const one = crossprodVectorColumns(cols, n, p, v, undefined, { lo: support.lo, hi: support.hi });
  for (let j = 0; j < p; j++) assert.equal(paired[j], dotRange(v, cols, j * n, support.lo[j], support.hi[j]));
  assert.deepStrictEqual(paired, one);
  const plan = gramPlan(cols, n, p);
  assert.ok(plan.first.length > 0 && plan.first.length * 2 + plan.single.length === plan.q);
  const w = Float64Array.from({ length: n }, () => rng.uniform());
  const gram = gramWithPlan(plan, w);
  for (let e = 0; e < p * p; e++) {
    const k = plan.entry[e];
    assert.equal(gram[e], dotRange(w, plan.products, k * n, plan.lo[k], plan.hi[k]));
  }
});

test("X·b over column groups is the sum of the zeroed output and each group's products, bit for bit (signed zeros too)", async () => {
  const { columnSupport, multiplyVectorColumns } = await import("../../src/linalg/index.ts");
  const rng = createRng(21);
  for (const p of [1, 3, 4, 6, 9]) {
    const n = 29;
    const x = Float64Array.from({ length: n * p }, (_, i) => (i % 7 === 0 ? 0 : rng.normal()));
    for (let r = 10; r < 20; r++) x[r] = 0; // a zero block in column 0
    const b = Float64Array.from({ length: p }, (_, j) => (j === 1 ? -0 : rng.normal()));
    const support = columnSupport(x, n, p);
    const out = multiplyVectorColumns(x, n, p, b, new Float64Array(n).fill(7), support);
    const ref = new Float64Array(n);
    let j = 0;
    for (; j + 3 < p; j += 4) {
      for (let r = 0; r < n; r++) ref[r] += b[j] * x[j * n + r] + b[j + 1] * x[(j + 1) * n + r] + (b[j + 2] * x[(j + 2) * n + r] + b[j + 3] * x[(j + 3) * n + r]);
    }
    for (; j < p; j++) for (let r = 0; r < n; r++) if (r >= support.lo[j] && r < support.hi[j]) ref[r] += b[j] * x[j * n + r];
    for (let r = 0; r < n; r++) assert.ok(Object.is(out[r], ref[r]), `p=${p} row ${r}: ${out[r]} vs ${ref[r]}`);
  }
});
