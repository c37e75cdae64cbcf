import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import {
  ateClusterInformation,
  atePower,
  ateSampleSize,
  hteClusterInformation,
  hteDesignEffectValue,
  htePower,
  hteSampleSize,
  type HtePowerInput,
  type HteSampleSizeInput,
} from "../../src/design/hte.ts";
import { invertSymmetric } from "../../src/linalg/index.ts";
import { createRng } from "../../src/random/index.ts";

interface HteCase {
  estimand: "hte" | "ate";
  kind: "sampleSize" | "power";
  input: Record<string, unknown>;
  expected: Record<string, number>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/design.json", import.meta.url), "utf8")) as { hte: HteCase[] };

// Closed forms against R: 1e-10 relative. Numerical information matrices: 1e-10 too
// (only rounding in an n×n inverse separates them from the closed form).
const TOL = 1e-10;
function close(actual: number, expected: number, what: string, tol = TOL): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

test("HTE and ATE sample size and power match R over the grid (modifier type and ICC, ρ_y, unequal sizes, attrition)", () => {
  assert.ok(fixture.hte.length > 100);
  for (const [i, c] of fixture.hte.entries()) {
    const what = `case ${i} ${c.estimand} ${c.kind} ${JSON.stringify(c.input)}`;
    const r = (
      c.estimand === "hte"
        ? c.kind === "sampleSize"
          ? hteSampleSize(c.input as unknown as HteSampleSizeInput)
          : htePower(c.input as unknown as HtePowerInput)
        : c.kind === "sampleSize"
          ? ateSampleSize(c.input as unknown as Parameters<typeof ateSampleSize>[0])
          : atePower(c.input as unknown as Parameters<typeof atePower>[0])
    ) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(c.expected)) {
      if (key === "clustersPerArm") assert.equal(r[key], value, `${what} ${key}`);
      else close(r[key] as number, value, `${what} ${key}`);
    }
  }
});

/**
 * Expected per-cluster GLS information E[XᵢᵀV⁻¹Xᵢ] for Xᵢ = [1, W, x, W·x],
 * built numerically: V⁻¹ by a Cholesky inverse of the n×n exchangeable V, and
 * E[aᵀMb] = E[w_a w_b]·tr(M·E[u_b u_aᵀ]) with u ∈ {1, x}, w ∈ {1, W},
 * E[xxᵀ] = σ²_x[(1 − ρ_x)I + ρ_x J] + μ²J, W ~ Bernoulli(π) independent of x.
 */
function expectedInformation(n: number, sigma2: number, rhoY: number, varX: number, rhoX: number, mu: number, pi: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i * n + j] = sigma2 * (i === j ? 1 : rhoY);
  const vi = invertSymmetric(v, n, "V");
  let sumAll = 0;
  let trXX = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      sumAll += vi[i * n + j];
      const exx = varX * (i === j ? 1 : rhoX) + mu * mu;
      trXX += vi[i * n + j] * exx;
    }
  }
  const u = [sumAll, mu * sumAll, trXX]; // E[1ᵀM1], E[1ᵀMx], E[xᵀMx]
  const uIdx = [0, 0, 1, 1]; // column a uses u = 1 (0) or x (1)
  const wIdx = [0, 1, 0, 1]; // column a multiplied by W?
  const out = new Float64Array(16);
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      const ew = wIdx[a] === 0 && wIdx[b] === 0 ? 1 : pi;
      out[a * 4 + b] = ew * u[uIdx[a] + uIdx[b]];
    }
  }
  return out;
}

test("derivation check: the exact expected-information GLS variance of the interaction equals 4σ²·DE_HTE/(m·n·σ²_x)", () => {
  const m = 60; // clusters in total, 1:1
  for (const n of [1, 2, 5, 17, 40]) {
    for (const rhoY of [0, 0.02, 0.1, 0.45]) {
      for (const rhoX of [0, 0.25, 0.8, 1]) {
        for (const mu of [0, 1.7]) {
          const sigma2 = 2.3;
          const varX = 0.7;
          const info = expectedInformation(n, sigma2, rhoY, varX, rhoX, mu, 0.5).map((x) => x * m);
          const cov = invertSymmetric(info, 4, "information");
          const de = hteDesignEffectValue(n, rhoY, rhoX);
          const what = `n ${n} ρy ${rhoY} ρx ${rhoX} μ ${mu}`;
          close(cov[15], (4 * sigma2 * de) / (m * n * varX), `${what} Var(β̂₄)`);
          // the library's power function uses the same variance: SE² with k = m/2 per arm
          const p = htePower({
            delta: 0.3,
            outcomeVariance: sigma2,
            outcomeIcc: rhoY,
            clusterSize: n,
            clustersPerArm: m / 2,
            modifier: { type: "continuous", variance: varX, icc: rhoX },
          });
          close(p.standardError ** 2, cov[15], `${what} htePower SE²`);
          if (mu === 0) {
            // with a centred modifier, β₂ is the ATE; its variance is the usual design effect
            close(cov[5], (4 * sigma2 * (1 + (n - 1) * rhoY)) / (m * n), `${what} Var(β̂₂)`);
            const a = atePower({ delta: 0.3, outcomeVariance: sigma2, outcomeIcc: rhoY, clusterSize: n, clustersPerArm: m / 2 });
            close(a.standardError ** 2, cov[5], `${what} atePower SE²`);
          }
        }
      }
    }
  }
});

test("derivation check: unequal sizes and binomial attrition average the per-cluster information matrices", () => {
  const sigma2 = 1;
  const varX = 0.21; // binary modifier, prevalence 0.3
  const rhoY = 0.08;
  const rhoX = 0.3;
  const sizes = [3, 6, 11];
  const q = 0.75; // retention
  const avg = new Float64Array(16);
  for (const n of sizes) {
    // Binomial(n, q) pmf from explicit binomial coefficients (small n)
    let coef = 1;
    for (let k = 0; k <= n; k++) {
      if (k > 0) coef = (coef * (n - k + 1)) / k;
      const pk = coef * q ** k * (1 - q) ** (n - k);
      if (k === 0) continue; // an empty cluster carries no information
      const e = expectedInformation(k, sigma2, rhoY, varX, rhoX, 0.3, 0.5);
      for (let t = 0; t < 16; t++) avg[t] += (pk * e[t]) / sizes.length;
    }
  }
  const k = 25;
  const cov = invertSymmetric(avg.map((x) => x * 2 * k), 4, "information");
  const p = htePower({
    delta: 0.4,
    outcomeVariance: sigma2,
    outcomeIcc: rhoY,
    clusterSize: sizes,
    clustersPerArm: k,
    attrition: { rate: 1 - q },
    modifier: { type: "binary", prevalence: 0.3, icc: rhoX },
  });
  close(p.standardError ** 2, cov[15], "Var(β̂₄) with unequal sizes and attrition");
});

test("Monte Carlo check: the exact GLS variance for simulated modifiers approaches the formula (bound from MC error)", () => {
  // m clusters with modifier x = b_i + e_ij (ICC ρ_x), W alternating 1:1. The exact
  // finite-sample GLS variance [(XᵀV⁻¹X)⁻¹]₄₄ is compared with 4σ²·DE/(m·n·σ²_x).
  // Its relative error is driven by the mean of the per-cluster information
  // x̃ᵢᵀV⁻¹x̃ᵢ; the bound is 6 of its Monte Carlo standard errors plus O(1/m).
  const rng = createRng(20240611, 1);
  const n = 8;
  const m = 4000;
  const rhoY = 0.1;
  const rhoX = 0.4;
  const varX = 1;
  const sigma2 = 1;
  const c = rhoY / (1 + (n - 1) * rhoY);
  const scale = 1 / (sigma2 * (1 - rhoY));
  const info = new Float64Array(16);
  const x = new Float64Array(n);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const w = i % 2;
    const b = Math.sqrt(rhoX * varX) * rng.normal();
    let sumX = 0;
    let sumXX = 0;
    for (let j = 0; j < n; j++) {
      x[j] = 2 + b + Math.sqrt((1 - rhoX) * varX) * rng.normal();
      sumX += x[j];
      sumXX += x[j] * x[j];
    }
    // aᵀV⁻¹b = scale·(aᵀb − c·(1ᵀa)(1ᵀb)) for a, b ∈ {1, x}
    const e11 = scale * (n - c * n * n);
    const e1x = scale * (sumX - c * n * sumX);
    const exx = scale * (sumXX - c * sumX * sumX);
    const u = [e11, e1x, exx];
    for (let a = 0; a < 4; a++) {
      for (let bb = 0; bb < 4; bb++) {
        const ww = (a % 2 === 1 ? w : 1) * (bb % 2 === 1 ? w : 1);
        info[a * 4 + bb] += ww * u[(a >> 1) + (bb >> 1)];
      }
    }
    // per-cluster information about β₄ around the true mean, for the MC error
    const sc = sumX - n * 2;
    const sxx = sumXX - 4 * sumX + 4 * n;
    const ii = scale * (sxx - c * sc * sc);
    s1 += ii;
    s2 += ii * ii;
  }
  // reorder to [1, W, x, Wx]: index a = 2·(uses x) + (uses W)
  const cov = invertSymmetric(info, 4, "information");
  const exact = cov[15];
  const formula = (4 * sigma2 * hteDesignEffectValue(n, rhoY, rhoX)) / (m * n * varX);
  const mean = s1 / m;
  const relSe = Math.sqrt((s2 / m - mean * mean) / m) / mean;
  const bound = 6 * relSe + 10 / m;
  assert.ok(Math.abs(exact / formula - 1) < bound, `exact ${exact} vs formula ${formula} (bound ${bound})`);
});

test("HTE design effect: special cases", () => {
  // cluster-level modifier (ρ_x = 1): the usual design effect 1 + (n − 1)ρ
  close(hteDesignEffectValue(20, 0.05, 1), 1 + 19 * 0.05, "ρx = 1");
  // no outcome clustering, or clusters of one: no design effect
  assert.equal(hteDesignEffectValue(20, 0, 0.3), 1);
  close(hteDesignEffectValue(1, 0.3, 0.5), 1, "n = 1");
  // an individual-level modifier with ρ_x = 0 makes the HTE test *more* efficient than individual randomization
  assert.ok(hteDesignEffectValue(20, 0.1, 0) < 1);
  assert.equal(hteClusterInformation(0, 0.1, 0.2), 0);
  close(ateClusterInformation(10, 0.05), 10 / 1.45, "ATE information");
  const r = hteSampleSize({
    delta: 0.2,
    outcomeVariance: 1,
    outcomeIcc: 0.05,
    clusterSize: 20,
    modifier: { type: "continuous", variance: 1, icc: 0.1 },
  });
  close(r.designEffect, (0.95 * 1.95) / (1 + 18 * 0.05 - 19 * 0.1 * 0.05), "documented example");
  close(r.individualsPerArm, r.unadjustedPerArm * r.designEffect, "individuals = U·DE");
  assert.equal(r.clustersPerArm, Math.ceil(r.individualsPerArm / 20));
  assert.ok(r.achievedPower >= 0.8);
  assert.ok(Object.isFrozen(r));
});

test("attrition: rate 0 changes nothing; more attrition needs more clusters; mean-size warns at high attrition", () => {
  const base = {
    delta: 0.25,
    outcomeVariance: 1,
    outcomeIcc: 0.05,
    clusterSize: 30,
    modifier: { type: "binary", prevalence: 0.4, icc: 0.2 },
  } as const;
  const none = hteSampleSize(base);
  const zero = hteSampleSize({ ...base, attrition: { rate: 0 } });
  assert.equal(zero.individualsPerArm, none.individualsPerArm);
  let last = none.clustersPerArm;
  for (const rate of [0.1, 0.3, 0.5]) {
    const r = hteSampleSize({ ...base, attrition: { rate } });
    assert.ok(r.clustersPerArm >= last);
    last = r.clustersPerArm;
    assert.ok(r.diagnostics.some((d) => d.code === "attrition"));
  }
  const mean = hteSampleSize({ ...base, attrition: { rate: 0.4, method: "mean-size" } });
  assert.ok(mean.diagnostics.some((d) => d.code === "attrition-approximation" && d.severity === "warning"));
});

test("bad input is an InputError that names the value", () => {
  const base: HteSampleSizeInput = {
    delta: 0.2,
    outcomeVariance: 1,
    outcomeIcc: 0.05,
    clusterSize: 20,
    modifier: { type: "continuous", variance: 1, icc: 0.1 },
  };
  const bad: [() => unknown, RegExp][] = [
    [() => hteSampleSize({ ...base, delta: 0 }), /delta must be non-zero/],
    [() => hteSampleSize({ ...base, outcomeIcc: 1 }), /outcomeIcc must be in \[0, 1\), got 1/],
    [() => hteSampleSize({ ...base, modifier: { type: "continuous", variance: 1, icc: 1.2 } }), /modifier.icc must be in \[0, 1\], got 1\.2/],
    [() => hteSampleSize({ ...base, modifier: { type: "continuous", variance: -1, icc: 0.1 } }), /modifier.variance must be positive, got -1/],
    [() => hteSampleSize({ ...base, modifier: { type: "binary", prevalence: 1, icc: 0.1 } }), /modifier.prevalence must be in \(0, 1\), got 1/],
    [() => hteSampleSize({ ...base, clusterSize: 0 }), /clusterSize must be at least 1, got 0/],
    [() => hteSampleSize({ ...base, clusterSize: [10, 0.5] }), /clusterSize\[1\] must be at least 1, got 0\.5/],
    [() => hteSampleSize({ ...base, clusterSize: 10.5, attrition: { rate: 0.2 } }), /clusterSize must be a whole number, got 10\.5/],
    [() => hteSampleSize({ ...base, attrition: { rate: 1 } }), /attrition.rate must be in \[0, 1\), got 1/],
    [() => hteSampleSize({ ...base, clusterSize: 2, attrition: { rate: 0.6, method: "mean-size" } }), /below 1/],
    [() => hteSampleSize({ ...base, alpha: 0 }), /alpha must be in \(0, 1\), got 0/],
    [() => hteSampleSize({ ...base, power: 1.5 }), /power must be in \(0, 1\), got 1\.5/],
    [() => htePower({ ...base, clustersPerArm: 0 }), /clustersPerArm must be an integer ≥ 1, got 0/],
  ];
  for (const [f, re] of bad) assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message), String(re));
});
