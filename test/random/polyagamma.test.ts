import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { pnorm } from "../../src/distributions/index.ts";
import {
  createRng,
  polyaGamma,
  polyaGammaFill,
  polyaGammaMean,
  polyaGammaVariance,
} from "../../src/random/index.ts";
import {
  SERIES_SQUEEZE,
  rightPieceProbability,
  rightPieceProbabilityTable,
  rightPieceTableBound,
  seriesAccepts,
} from "../../src/random/polyagamma.ts";
import { ksDistance, throwsInput } from "../helpers/assert.ts";

// ---------------------------------------------------------------------------
// Exact PG(1, z) distribution function, by series, independent of the sampler.
//
// PG(1, z) = J*(1, c)/4 with c = |z|/2, and J*(1, c) has density
// cosh(c)e^{−c²y/2}f₀(y), with f₀ the J*(1, 0) density. Integrating the two
// classical expansions of f₀ term by term gives two series for the CDF:
//  - small y (each term is an inverse-Gaussian CDF, IG((2n+1)/c, (2n+1)²)):
//    F(y) = 2cosh(c) Σₙ (−1)ⁿ [e^{−(2n+1)c}Φ((cy − (2n+1))/√y) + e^{(2n+1)c}Φ(−(cy + (2n+1))/√y)]
//  - large y: 1 − F(y) = cosh(c) Σₙ (−1)ⁿ π(n+½)/Kₙ·e^{−Kₙy}, Kₙ = (n+½)²π²/2 + c²/2.
// Both converge for every y > 0; the test checks that they agree.
// ---------------------------------------------------------------------------

function jCdfSmall(y: number, c: number): number {
  const coshC = Math.cosh(c);
  const sy = Math.sqrt(y);
  let sum = 0;
  for (let n = 0; n < 200; n++) {
    const m = 2 * n + 1;
    const first = Math.exp(-m * c) * pnorm((c * y - m) / sy);
    const second = Math.exp(m * c) * pnorm(-(c * y + m) / sy);
    const term = first + second;
    sum += n % 2 === 0 ? term : -term;
    if (term * coshC < 1e-18 && n > 1) break;
  }
  return 2 * coshC * sum;
}

function jSurvivalLarge(y: number, c: number): number {
  const coshC = Math.cosh(c);
  let sum = 0;
  for (let n = 0; n < 200; n++) {
    const h = n + 0.5;
    const k = (h * h * Math.PI * Math.PI) / 2 + (c * c) / 2;
    const term = ((Math.PI * h) / k) * Math.exp(-k * y);
    sum += n % 2 === 0 ? term : -term;
    if (term * coshC < 1e-18) break;
  }
  return coshC * sum;
}

/** P(PG(1, z) ≤ x). */
function pgCdf(x: number, z: number): number {
  if (x <= 0) return 0;
  const y = 4 * x;
  const c = Math.abs(z) / 2;
  return y <= 1 ? jCdfSmall(y, c) : 1 - jSurvivalLarge(y, c);
}

/** P(PG(1, z) > x). */
function pgSurvival(x: number, z: number): number {
  if (x <= 0) return 1;
  const y = 4 * x;
  const c = Math.abs(z) / 2;
  return y <= 1 ? 1 - jCdfSmall(y, c) : jSurvivalLarge(y, c);
}

/** Simpson's rule for ∫ f on [a, b] with m (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, m: number): number {
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 === 0 ? 2 : 4) * f(a + i * h);
  return (s * h) / 3;
}

// Monte Carlo bounds are 5 standard errors: a correct sampler fails one check
// with probability ~6e-7, and with a fixed seed the outcome is reproducible.
const Z = 5;
// KS critical value for α = 1e-5: sqrt(−ln(α/2)/2) ≈ 2.47, rounded up.
const KS_CRIT = 2.5;

const GRID = [0, 0.1, -0.1, 0.5, 1, -1, 2, 3.2, 5, -5, 10, 20, -20, 50];

test("closed-form mean and variance: values, symmetry, series/direct agreement, extremes", () => {
  // Exact at 0 (closed forms, tolerance 1e-15).
  assert.equal(polyaGammaMean(0), 0.25);
  assert.ok(Math.abs(polyaGammaVariance(0) - 1 / 24) < 1e-17, "variance(0)");
  // Hand-checkable values: z = 2 → tanh(1)/4; variance (sinh 2 − 2)/(32 cosh² 1).
  assert.ok(Math.abs(polyaGammaMean(2) - Math.tanh(1) / 4) < 1e-16, "mean(2)");
  const v2 = (Math.sinh(2) - 2) / (32 * Math.cosh(1) ** 2);
  assert.ok(Math.abs(polyaGammaVariance(2) / v2 - 1) < 1e-14, "variance(2)");
  for (const z of [1e-9, 1e-3, 0.3, 0.999, 1, 1.001, 7, 40, 300, 800, 1e10, 1e100]) {
    assert.equal(polyaGammaMean(-z), polyaGammaMean(z));
    assert.equal(polyaGammaVariance(-z), polyaGammaVariance(z));
    assert.ok(Number.isFinite(polyaGammaVariance(z)) && polyaGammaVariance(z) > 0, `variance(${z})`);
    assert.ok(Number.isFinite(polyaGammaMean(z)) && polyaGammaMean(z) > 0, `mean(${z})`);
  }
  // Continuity across the switch from the series to the closed form (|z| = 1e-4 and 1):
  // both sides agree to rounding (relative 1e-13).
  for (const [zs, rel] of [
    [1e-4, 1e-13],
    [1, 1e-13],
  ] as const) {
    const below = polyaGammaVariance(zs * (1 - 1e-15));
    const above = polyaGammaVariance(zs * (1 + 1e-15));
    assert.ok(Math.abs(below / above - 1) < rel, `variance continuity at ${zs}`);
    const mb = polyaGammaMean(zs * (1 - 1e-15));
    const ma = polyaGammaMean(zs * (1 + 1e-15));
    assert.ok(Math.abs(mb / ma - 1) < rel, `mean continuity at ${zs}`);
  }
  // Against the unsimplified formula where it has no cancellation (|z| ≥ 2) or overflow (|z| ≤ 300).
  for (const z of [2, 3.5, 10, 50, 300]) {
    const direct = (Math.sinh(z) - z) / (4 * z ** 3 * Math.cosh(z / 2) ** 2);
    assert.ok(Math.abs(polyaGammaVariance(z) / direct - 1) < 1e-13, `variance(${z})`);
  }
  // Beyond |z| ≈ 1e103 the variance ≈ 1/(2|z|³) underflows to 0; the mean ≈ 1/(2|z|) does not.
  assert.equal(polyaGammaVariance(1e200), 0);
  assert.ok(Math.abs(polyaGammaMean(1e200) * 2e200 - 1) < 1e-15, "mean(1e200)");
  // Large z: Var → 1/(2z³), Mean → 1/(2z).
  assert.ok(Math.abs(polyaGammaVariance(1e4) * 2e12 - 1) < 1e-12, "variance(1e4)");
  assert.ok(Math.abs(polyaGammaMean(1e4) * 2e4 - 1) < 1e-15, "mean(1e4)");
});

test("the CDF series used below agree with each other and integrate to the closed-form moments", () => {
  for (const z of [0, 1, 5, 20]) {
    const c = z / 2;
    for (const y of [0.3, 0.64, 1, 1.5]) {
      const a = jCdfSmall(y, c);
      const b = 1 - jSurvivalLarge(y, c);
      assert.ok(Math.abs(a - b) < 1e-12, `z=${z}, y=${y}: ${a} vs ${b}`);
    }
    // E X = ∫ S(x) dx and E X² = ∫ 2x S(x) dx over [0, 12·sd + mean] (closed forms, 1e-8).
    const upper = polyaGammaMean(z) + 40 * Math.sqrt(polyaGammaVariance(z));
    const mean = simpson((x) => pgSurvival(x, z), 0, upper, 4000);
    const second = simpson((x) => 2 * x * pgSurvival(x, z), 0, upper, 4000);
    assert.ok(Math.abs(mean / polyaGammaMean(z) - 1) < 1e-8, `mean z=${z}: ${mean}`);
    const variance = second - mean * mean;
    assert.ok(Math.abs(variance / polyaGammaVariance(z) - 1) < 1e-8, `variance z=${z}: ${variance}`);
  }
});

test("draws match the closed-form mean and variance over a grid of z (200k draws each)", () => {
  const n = 200_000;
  const rng = createRng(20240611);
  const zs = new Float64Array(n);
  const x = new Float64Array(n);
  for (const z of GRID) {
    zs.fill(z);
    polyaGammaFill(rng, zs, x);
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    const m = s / n;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const d = (x[i] - m) ** 2;
      m2 += d;
      m4 += d * d;
    }
    m2 /= n - 1;
    m4 /= n;
    const mu = polyaGammaMean(z);
    const v = polyaGammaVariance(z);
    assert.ok(Math.abs(m - mu) < (Z * Math.sqrt(v)) / Math.sqrt(n), `mean z=${z}: ${m} vs ${mu}`);
    // Standard error of the sample variance: sqrt((μ₄ − σ⁴)/n), μ₄ estimated.
    const se = Math.sqrt((m4 - m2 * m2) / n);
    assert.ok(Math.abs(m2 - v) < Z * se, `variance z=${z}: ${m2} vs ${v} (se ${se})`);
  }
});

test("draws follow the exact PG(1, z) distribution (Kolmogorov–Smirnov, 200k draws each)", () => {
  const n = 200_000;
  const rng = createRng(7, 1);
  const x = new Float64Array(n);
  const zs = new Float64Array(n);
  for (const z of [0, 0.5, -1.5, 3.2, 3.5, 8, -20]) {
    zs.fill(z);
    polyaGammaFill(rng, zs, x);
    const d = ksDistance(x, (v) => pgCdf(v, z));
    assert.ok(d < KS_CRIT / Math.sqrt(n), `z=${z}: KS distance ${d} ≥ ${KS_CRIT / Math.sqrt(n)}`);
  }
  // Mixed z as in a Gibbs sweep: the probability integral transforms are uniform.
  const rng2 = createRng(7, 2);
  for (let i = 0; i < n; i++) zs[i] = 1.5 * rng2.normal();
  polyaGammaFill(rng2, zs, x);
  const pit = new Float64Array(n);
  for (let i = 0; i < n; i++) pit[i] = pgCdf(x[i], zs[i]);
  const d = ksDistance(pit, (u) => Math.min(1, Math.max(0, u)));
  assert.ok(d < KS_CRIT / Math.sqrt(n), `mixed z: KS distance ${d}`);
});

test("the KS check has power: it rejects PG(1, z) draws scored against a slightly different z", () => {
  const n = 200_000;
  const rng = createRng(3);
  const x = polyaGammaFill(rng, new Float64Array(n).fill(1), new Float64Array(n));
  const d = ksDistance(x, (v) => pgCdf(v, 1.1));
  assert.ok(d > KS_CRIT / Math.sqrt(n), `KS distance ${d} should exceed the critical value`);
});

test("the alternating-series test accepts exactly when u is below the density ratio f(x)/a₀(x)", () => {
  // f₀ by the representation *not* used by the series at that x (so this is an independent check).
  const a0Left = (x: number): number => (Math.PI / 2) * (2 / (Math.PI * x)) ** 1.5 * Math.exp(-1 / (2 * x));
  const a0Right = (x: number): number => (Math.PI / 2) * Math.exp((-Math.PI * Math.PI * x) / 8);
  const fRightForm = (x: number): number => {
    let s = 0;
    for (let n = 0; n < 100; n++) {
      const h = n + 0.5;
      s += (n % 2 === 0 ? 1 : -1) * Math.PI * h * Math.exp((-h * h * Math.PI * Math.PI * x) / 2);
    }
    return s;
  };
  const fLeftForm = (x: number): number => {
    let s = 0;
    for (let n = 0; n < 100; n++) {
      const h = n + 0.5;
      s += (n % 2 === 0 ? 1 : -1) * Math.PI * h * (2 / (Math.PI * x)) ** 1.5 * Math.exp((-2 * h * h) / x);
    }
    return s;
  };
  // The shortcut u ≤ SERIES_SQUEEZE must imply the first bound u ≤ 1 − 3r² at every x,
  // and is tight at x = t (left form), where r is largest.
  for (let x = 0.001; x < 10; x += 0.001) {
    const r = Math.exp(x > 0.64 ? (-Math.PI * Math.PI * x) / 2 : -2 / x);
    assert.ok(SERIES_SQUEEZE <= 1 - 3 * r * r, `squeeze at x = ${x}`);
  }
  assert.ok(Math.abs(SERIES_SQUEEZE - (1 - 3 * Math.exp(-4 / 0.64))) < 1e-15, "squeeze is tight at t");
  for (const x of [0.05, 0.2, 0.4, 0.6, 0.64]) {
    const ratio = fRightForm(x) / a0Left(x);
    assert.ok(ratio < 1 && ratio > 0.99, `left ratio at ${x}: ${ratio}`);
    assert.equal(seriesAccepts(ratio - 1e-12, x, false), true, `left x=${x}`);
    assert.equal(seriesAccepts(ratio + 1e-12, x, false), false, `left x=${x}`);
  }
  for (const x of [0.64, 0.7, 1, 2, 5]) {
    const ratio = fLeftForm(x) / a0Right(x);
    assert.ok(ratio < 1 + 1e-14 && ratio > 0.99, `right ratio at ${x}: ${ratio}`);
    assert.equal(seriesAccepts(ratio - 1e-12, x, true), true, `right x=${x}`);
    if (ratio + 1e-12 < 1) assert.equal(seriesAccepts(ratio + 1e-12, x, true), false, `right x=${x}`);
  }
});

test("the mixture-weight table is within its stated error bound of the closed form", () => {
  // At c = 0: p = (4/π)e^{−π²t/8}, q = 4Φ(−1/√t).
  const p0 = (4 / Math.PI) * Math.exp((-Math.PI * Math.PI * 0.64) / 8);
  const q0 = 4 * pnorm(-1.25);
  assert.ok(Math.abs(rightPieceProbability(0) - p0 / (p0 + q0)) < 1e-15, "weight at c = 0");
  assert.ok(rightPieceTableBound > 0 && rightPieceTableBound < 1e-4, `bound ${rightPieceTableBound}`);
  const rng = createRng(99);
  let worst = 0;
  for (let i = 0; i < 100_000; i++) {
    const c = i < 50_000 ? 16 * rng.uniform() : 3 * rng.uniform();
    worst = Math.max(worst, Math.abs(rightPieceProbabilityTable(c) - rightPieceProbability(c)));
  }
  assert.ok(worst <= rightPieceTableBound, `interpolation error ${worst} > bound ${rightPieceTableBound}`);
  // Beyond the table and for huge c the weight is computed directly and stays a probability.
  for (const c of [16, 30, 48, 60, 1e3, 1e200]) {
    const w = rightPieceProbability(c);
    assert.ok(w >= 0 && w < 1e-10, `weight at ${c}: ${w}`);
  }
});

test("the same seed gives the same draws, and polyaGammaFill equals repeated polyaGamma", () => {
  const zs = [0, 0.3, -0.3, 1.7, -4, 3.124, 3.126, 12, -40, 75, 1e4];
  const a = createRng(5, 2, 1);
  const b = createRng(5, 2, 1);
  const filled = new Float64Array(zs.length * 50);
  const z = Float64Array.from({ length: filled.length }, (_, i) => zs[i % zs.length]);
  polyaGammaFill(a, z, filled);
  for (let i = 0; i < filled.length; i++) assert.equal(polyaGamma(b, z[i]), filled[i], `draw ${i}`);
  const again = polyaGammaFill(createRng(5, 2, 1), Array.from(z), new Float64Array(filled.length));
  assert.deepEqual(again, filled);
  // n limits the draws; the rest of out is untouched.
  const out = new Float64Array(5).fill(-1);
  polyaGammaFill(createRng(1), [1, 2, 3, 4, 5], out, 3);
  assert.deepEqual(Array.from(out.subarray(3)), [-1, -1]);
  assert.ok(out[0] > 0 && out[1] > 0 && out[2] > 0, "first n draws written");
});

test("extreme z give finite positive draws near the mean", () => {
  const rng = createRng(11);
  for (const z of [1e-300, 5e-324, -0, 200, -1e3, 1e6, 1e100]) {
    for (let i = 0; i < 1000; i++) {
      const x = polyaGamma(rng, z);
      assert.ok(Number.isFinite(x) && x > 0, `z=${z}: ${x}`);
      const mu = polyaGammaMean(z);
      assert.ok(Math.abs(x - mu) < 50 * Math.sqrt(polyaGammaVariance(z)), `z=${z}: ${x} vs mean ${mu}`);
    }
  }
});

test("bad input is rejected with an InputError naming the value", () => {
  const rng = createRng(1);
  throwsInput(() => polyaGamma(rng, NaN), /NaN/);
  throwsInput(() => polyaGamma(rng, -Infinity), /-Infinity/);
  assert.throws(
    () => polyaGammaFill(rng, [0, 1, Infinity], new Float64Array(3)),
    (e: unknown) => e instanceof InputError && /Infinity at index 2/.test(e.message),
  );
  assert.throws(() => polyaGammaFill(rng, [0, 1], new Float64Array(1)), InputError);
  assert.throws(() => polyaGammaFill(rng, [0, 1], new Float64Array(2), 3), InputError);
  assert.throws(() => polyaGammaFill(rng, [0, 1], new Float64Array(2), 1.5), InputError);
});
