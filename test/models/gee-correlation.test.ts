/**
 * Property tests over every WorkingCorrelation: the O(n) whitening and the
 * O(n) α sums against explicit n×n matrices and explicit pair loops.
 * Closed forms: tolerance 1e-10 relative.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { invertSymmetric } from "../../src/linalg/index.ts";
import { CORRELATIONS, type WorkingCorrelation } from "../../src/models/gee/index.ts";
import { createRng } from "../../src/random/index.ts";

function corrMatrix(name: string, alpha: number, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      r[i * n + j] = i === j ? 1 : name === "exchangeable" ? alpha : name === "ar1" ? alpha ** Math.abs(i - j) : 0;
    }
  }
  return r;
}

const ALPHAS: Record<string, number[]> = {
  independence: [0],
  exchangeable: [0, 0.05, 0.4, 0.9, -0.05],
  ar1: [0, 0.3, 0.85, -0.6],
};

for (const corr of Object.values(CORRELATIONS) as WorkingCorrelation[]) {
  test(`${corr.name}: whitened inner products equal aᵀR(α)⁻¹b`, () => {
    const rng = createRng(11);
    for (const n of [1, 2, 3, 7, 15]) {
      for (const alpha of ALPHAS[corr.name]) {
        if (!corr.valid(alpha, n)) continue;
        const k = 3;
        const block = Float64Array.from({ length: n * k }, () => rng.normal());
        const raw = Float64Array.from(block);
        corr.whiten(block, n, k, alpha);
        const rinv = invertSymmetric(corrMatrix(corr.name, alpha, n), n);
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            let direct = 0;
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) direct += raw[i * k + a] * rinv[i * n + j] * raw[j * k + b];
            let viaWhite = 0;
            for (let i = 0; i < n; i++) viaWhite += block[i * k + a] * block[i * k + b];
            assert.ok(Math.abs(direct - viaWhite) <= 1e-10 * (1 + Math.abs(direct)), `${corr.name} n=${n} α=${alpha}: ${viaWhite} vs ${direct}`);
          }
        }
      }
    }
  });

  test(`${corr.name}: alpha score and information equal the explicit pair sums`, () => {
    const rng = createRng(12);
    for (const n of [1, 2, 4, 9, 30]) {
      for (const alpha of ALPHAS[corr.name]) {
        for (const weighted of [false, true]) {
          const start = 3;
          const e = Float64Array.from({ length: start + n }, () => rng.normal());
          const w = weighted ? Float64Array.from({ length: start + n }, () => 0.5 + rng.uniform()) : null;
          const acc = new Float64Array(2);
          corr.alphaSums(e, w, start, n, alpha, acc);
          let score = 0;
          let information = 0;
          if (corr.nParameters > 0) {
            for (let j = 0; j < n; j++) {
              for (let k = j + 1; k < n; k++) {
                const d = k - j;
                const rho = corr.name === "exchangeable" ? alpha : alpha ** d;
                const drho = corr.name === "exchangeable" ? 1 : d * alpha ** (d - 1);
                const ww = w ? w[start + j] * w[start + k] : 1;
                score += ww * drho * (e[start + j] * e[start + k] - rho);
                information += ww * drho * drho;
              }
            }
          }
          assert.ok(Math.abs(acc[0] - score) <= 1e-10 * (1 + Math.abs(score)), `${corr.name} n=${n} α=${alpha} score ${acc[0]} vs ${score}`);
          assert.ok(Math.abs(acc[1] - information) <= 1e-10 * (1 + information), `${corr.name} n=${n} α=${alpha} information ${acc[1]} vs ${information}`);
        }
      }
    }
  });

  test(`${corr.name}: valid() agrees with positive definiteness of R(α)`, () => {
    for (const n of [2, 3, 6]) {
      for (const alpha of [-0.99, -0.6, -0.45, -0.2, 0, 0.5, 0.99, 1.01]) {
        const r = corrMatrix(corr.name, alpha, n);
        let pd = true;
        try {
          invertSymmetric(r, n);
        } catch {
          pd = false;
        }
        if (corr.name === "independence") assert.equal(corr.valid(alpha, n), true);
        else assert.equal(corr.valid(alpha, n), pd, `${corr.name} n=${n} α=${alpha}`);
      }
    }
  });
}
