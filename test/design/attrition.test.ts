import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { hteClusterInformation, hteSampleSize } from "../../src/design/hte.ts";
import { createRng, gamma } from "../../src/random/index.ts";

const base = {
  delta: 0.25,
  outcomeVariance: 1,
  outcomeIcc: 0.05,
  clusterSize: 30,
  modifier: { type: "binary", prevalence: 0.4, icc: 0.2 },
} as const;

test("correlated attrition (Tong et al. 2023): ICC 0 is independent attrition, a larger ICC needs more clusters", () => {
  const independent = hteSampleSize({ ...base, attrition: { rate: 0.3 } });
  const zero = hteSampleSize({ ...base, attrition: { rate: 0.3, icc: 0 } });
  assert.equal(zero.individualsPerArm, independent.individualsPerArm);
  // The per-cluster information is concave in the retained size, so more
  // variable retained sizes (a higher missingness ICC) lose information.
  let last = independent.meanInformation;
  for (const icc of [0.05, 0.2, 0.5]) {
    const r = hteSampleSize({ ...base, attrition: { rate: 0.3, icc } });
    assert.ok(r.meanInformation < last, `ICC ${icc}: ${r.meanInformation} vs ${last}`);
    last = r.meanInformation;
    assert.ok(r.diagnostics.some((d) => d.code === "attrition" && /beta-binomial/.test(d.message)));
  }
});

test("the beta-binomial expectation equals a Monte Carlo average over correlated retention", () => {
  // Retention: each cluster draws p ~ Beta(a, b) with mean q and ICC ρ_m, then members are kept with probability p.
  const q = 0.7;
  const rho = 0.2;
  const n = 30;
  const a = (q * (1 - rho)) / rho;
  const b = ((1 - q) * (1 - rho)) / rho;
  const rng = createRng(17);
  const reps = 200_000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < reps; i++) {
    const ga = gamma(rng, a);
    const p = ga / (ga + gamma(rng, b));
    let k = 0;
    for (let j = 0; j < n; j++) if (rng.uniform() < p) k++;
    const info = hteClusterInformation(k, base.outcomeIcc, base.modifier.icc);
    sum += info;
    sumSq += info * info;
  }
  const mean = sum / reps;
  const mcse = Math.sqrt((sumSq / reps - mean * mean) / reps);
  // The library's expected information equals the pmf written out by hand (closed form, 1e-10) …
  const library = hteSampleSize({ ...base, attrition: { rate: 1 - q, icc: rho } }).meanInformation;
  const direct = exactKernelMean(n, q, rho);
  assert.ok(Math.abs(library - direct) < 1e-10 * direct, `library ${library} vs direct ${direct}`);
  // … and the Monte Carlo average over correlated retention (4.5 MCSE).
  assert.ok(Math.abs(mean - library) < 4.5 * mcse, `Monte Carlo ${mean} ± ${mcse} vs beta-binomial ${library}`);
});

/** Σ_k P(K = k)·I(k) with the beta-binomial pmf written out directly (independent of the library code). */
function exactKernelMean(n: number, q: number, rho: number): number {
  const a = (q * (1 - rho)) / rho;
  const b = ((1 - q) * (1 - rho)) / rho;
  // P(K = k) = C(n, k)·Π_{i<k}(a + i)·Π_{i<n−k}(b + i) / Π_{i<n}(a + b + i)
  let total = 0;
  for (let k = 0; k <= n; k++) {
    let logP = 0;
    for (let i = 1; i <= k; i++) logP += Math.log((n - k + i) / i);
    for (let i = 0; i < k; i++) logP += Math.log(a + i);
    for (let i = 0; i < n - k; i++) logP += Math.log(b + i);
    for (let i = 0; i < n; i++) logP -= Math.log(a + b + i);
    total += Math.exp(logP) * hteClusterInformation(k, base.outcomeIcc, base.modifier.icc);
  }
  return total;
}

test("a missingness ICC outside [0, 1) or with the mean-size method is refused", () => {
  assert.throws(() => hteSampleSize({ ...base, attrition: { rate: 0.2, icc: 1 } }), InputError);
  assert.throws(() => hteSampleSize({ ...base, attrition: { rate: 0.2, icc: -0.1 } }), InputError);
  assert.throws(() => hteSampleSize({ ...base, attrition: { rate: 0.2, icc: 0.1, method: "mean-size" } }), /needs method "binomial"/);
});
