/**
 * The O(n_j p²) low-rank algebra of clusterRobustLinear checked against the
 * textbook construction: full N×N hat matrix, n_j×n_j adjustment matrices and
 * the m×m Satterthwaite matrices P_i, on small random designs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { clusterRobustLinear, cr1Factor, type ClusterRobustType } from "../../src/inference/sandwich.ts";
import { crossprod, invertSymmetric, multiply, qrLeastSquares, transpose } from "../../src/linalg/index.ts";
import { inverseSqrtSymmetric } from "../../src/linalg/matrix-power.ts";
import { createRng } from "../../src/random/index.ts";

interface Design {
  x: Float64Array;
  n: number;
  p: number;
  e: Float64Array;
  w?: Float64Array;
  bread: Float64Array;
  starts: Int32Array;
}

/** Clusters of sizes 1..7 with a cluster-level treatment, an individual covariate and (optionally) a cluster-only column. */
function design(seed: number, m: number, weighted: boolean, clusterOnlyColumn = false): Design {
  const rng = createRng(seed);
  const sizes = Array.from({ length: m }, (_, j) => (j === 0 ? 1 : 1 + Math.floor(rng.uniform() * 7)));
  const n = sizes.reduce((a, b) => a + b, 0);
  const p = clusterOnlyColumn ? 4 : 3;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  const starts = new Int32Array(m + 1);
  let r = 0;
  sizes.forEach((size, j) => {
    starts[j] = r;
    const a = j % 2;
    const u = rng.normal();
    for (let i = 0; i < size; i++, r++) {
      const x1 = 1 + rng.normal();
      x[r * p] = 1;
      x[r * p + 1] = a;
      x[r * p + 2] = x1;
      if (clusterOnlyColumn) x[r * p + 3] = j === 1 ? x1 : 0;
      y[r] = 0.5 + a + 0.3 * x1 + u + rng.normal();
    }
  });
  starts[m] = n;
  const w = weighted ? Float64Array.from({ length: n }, () => 0.3 + 2 * rng.uniform()) : undefined;
  const sw = w ? w.map(Math.sqrt) : new Float64Array(n).fill(1);
  const xs = x.map((v, k) => v * sw[Math.floor(k / p)]);
  const beta = qrLeastSquares(xs, n, p, y.map((v, k) => v * sw[k])).coefficients;
  const e = y.map((v, k) => v - (x[k * p] * beta[0] + x[k * p + 1] * beta[1] + x[k * p + 2] * beta[2] + (p > 3 ? x[k * p + 3] * beta[3] : 0)));
  return { x, n, p, e, w, bread: invertSymmetric(crossprod(x, n, p, w), p), starts };
}

/** Dense inverse by Gauss–Jordan with partial pivoting (tests only). */
function inverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
      [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k], inv[c * n + k]];
    }
    const d = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

function block(a: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const out = new Float64Array((r1 - r0) * (c1 - c0));
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out[(i - r0) * (c1 - c0) + (j - c0)] = a[i * n + j];
  return out;
}

/** The textbook construction, straight from the definitions. */
function bruteForce(d: Design, type: ClusterRobustType): { vcov: Float64Array; df: Float64Array } {
  const { x, n, p, e, w, bread, starts } = d;
  const m = starts.length - 1;
  const wv = w ?? new Float64Array(n).fill(1);
  // H = X B Xᵀ W, Σ = (I − H)(I − H)ᵀ
  const xb = multiply(x, bread, n, p, p);
  const xt = transpose(x, n, p);
  const h = multiply(xb, xt, n, p, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] *= wv[j];
  const imh = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) imh[i] = (i % (n + 1) === 0 ? 1 : 0) - h[i];
  const sigma = multiply(imh, transpose(imh, n, n), n, n, n);
  const g: Float64Array[] = []; // g_j = B X_jᵀ W_j A_j, p × n_j
  const meat = new Float64Array(p * p);
  for (let j = 0; j < m; j++) {
    const [r0, r1] = [starts[j], starts[j + 1]];
    const nj = r1 - r0;
    let adj: Float64Array;
    if (type === "CR2") adj = inverseSqrtSymmetric(block(sigma, n, r0, r1, r0, r1), nj);
    else if (type === "CR3") adj = inverse(block(imh, n, r0, r1, r0, r1), nj);
    else {
      const c = cr1Factor(type, m, n, p);
      adj = new Float64Array(nj * nj);
      for (let i = 0; i < nj; i++) adj[i * nj + i] = c;
    }
    const xtw = new Float64Array(p * nj);
    for (let a = 0; a < p; a++) for (let i = 0; i < nj; i++) xtw[a * nj + i] = x[(r0 + i) * p + a] * wv[r0 + i];
    const gj = multiply(bread, multiply(xtw, adj, p, nj, nj), p, p, nj);
    g.push(gj);
    const uj = multiply(gj, e.subarray(r0, r1), p, nj, 1);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a * p + b] += uj[a] * uj[b];
  }
  const df = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const P = new Float64Array(m * m);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let a = starts[j]; a < starts[j + 1]; a++) {
          for (let b = starts[k]; b < starts[k + 1]; b++) {
            const nj = starts[j + 1] - starts[j];
            const nk = starts[k + 1] - starts[k];
            s += g[j][i * nj + (a - starts[j])] * sigma[a * n + b] * g[k][i * nk + (b - starts[k])];
          }
        }
        P[j * m + k] = s;
      }
    }
    let tr = 0;
    let ss = 0;
    for (let j = 0; j < m; j++) tr += P[j * m + j];
    for (let k = 0; k < m * m; k++) ss += P[k] * P[k];
    df[i] = (tr * tr) / ss;
  }
  return { vcov: meat, df };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const TYPES: ClusterRobustType[] = ["CR0", "CR1", "CR1p", "CR1S", "CR2", "CR3"];

for (const weighted of [false, true]) {
  test(`low-rank cluster-robust variances and Satterthwaite df equal the dense construction (${weighted ? "weighted" : "unweighted"})`, () => {
    for (const seed of [1, 2, 3]) {
      const d = design(seed, 9, weighted);
      for (const type of TYPES) {
        const fast = clusterRobustLinear(
          { x: d.x, n: d.n, p: d.p, residuals: d.e, weights: d.w, bread: d.bread, starts: d.starts },
          type,
          { satterthwaite: true },
        );
        const slow = bruteForce(d, type);
        // Both are exact algorithms; differences are rounding only.
        close(fast.vcov, slow.vcov, 1e-10, `${type} vcov (seed ${seed})`);
        close(fast.df!, slow.df, 1e-10, `${type} df (seed ${seed})`);
        assert.equal(fast.diagnostics.length, 0);
      }
    }
  });
}

test("CR2 with a singular I − H_jj uses the pseudo-inverse square root, like the dense construction", () => {
  for (const weighted of [false, true]) {
    const d = design(11, 8, weighted, true);
    const fast = clusterRobustLinear({ x: d.x, n: d.n, p: d.p, residuals: d.e, weights: d.w, bread: d.bread, starts: d.starts }, "CR2", {
      satterthwaite: true,
    });
    const slow = bruteForce(d, "CR2");
    close(fast.vcov, slow.vcov, 1e-9, "CR2 vcov");
    close(fast.df!, slow.df, 1e-9, "CR2 df");
    assert.equal(fast.diagnostics[0].code, "cr2-singular-adjustment");
    assert.match(fast.diagnostics[0].message, /for 1 cluster\(s\): '2';/);
  }
});

test("df are not computed unless asked, and bad arguments are refused", () => {
  const d = design(5, 6, false);
  const input = { x: d.x, n: d.n, p: d.p, residuals: d.e, bread: d.bread, starts: d.starts };
  assert.equal(clusterRobustLinear(input, "CR2").df, null);
  assert.throws(() => clusterRobustLinear({ ...input, starts: Int32Array.from([0, d.n]) }, "CR0"), InputError);
  assert.throws(() => clusterRobustLinear(input, "CR9" as ClusterRobustType), /unknown cluster-robust variance type 'CR9'/);
  assert.throws(() => clusterRobustLinear({ ...input, starts: Int32Array.from([0, 2, 4, d.n]) }, "CR1p"), /CR1p needs more clusters/);
});
