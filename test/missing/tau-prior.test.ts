/**
 * The random-intercept precision update: the Gamma prior's draw is the
 * conjugate one, bit for bit; under the half-normal prior on the SD the
 * slice-sampling draws follow the exact conditional GIG((C − 1)/2, S, 1/s²),
 * checked against its CDF and mean by numerical integration.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { parseTauPrior } from "../../src/missing/sensitivity-variants.ts";
import { drawPrecision, halfNormalLogConditional, type PrecisionPrior } from "../../src/missing/tau-prior.ts";
import { createRng } from "../../src/random/rng.ts";
import { gamma } from "../../src/random/samplers.ts";

test("under the Gamma prior the draw is the conjugate Gamma(a + C/2, b + S/2), bit for bit", () => {
  const a = createRng(7, 1);
  const b = createRng(7, 1);
  for (let k = 0; k < 50; k++) {
    const C = 5 + k;
    const S = 0.1 * (k + 1);
    assert.equal(drawPrecision(a, { tauShape: 0.01, tauRate: 0.02 }, C, S, 2), gamma(b, 0.01 + C / 2, 0.02 + S / 2));
  }
});

/** The exact conditional of τ on a grid of u = log τ: CDF at the draws' quantiles and the mean of τ, by Simpson's rule. */
function exactConditional(C: number, S: number, s: number) {
  // A range of u = log τ wide enough that the density is negligible outside it.
  const lo = -30;
  const hi = 30;
  const steps = 60000;
  const h = (hi - lo) / steps;
  const logf = Float64Array.from({ length: steps + 1 }, (_, k) => halfNormalLogConditional(lo + k * h, C, S, s));
  const top = Math.max(...logf);
  const f = Float64Array.from(logf, (v) => Math.exp(v - top));
  const cdf = new Float64Array(steps + 1);
  for (let k = 1; k <= steps; k++) cdf[k] = cdf[k - 1] + (h * (f[k - 1] + f[k])) / 2;
  const total = cdf[steps];
  let meanTau = 0;
  let meanTau2 = 0;
  for (let k = 0; k <= steps; k++) {
    const w = (k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2) * f[k];
    meanTau += w * Math.exp(lo + k * h);
    meanTau2 += w * Math.exp(2 * (lo + k * h));
  }
  meanTau = ((meanTau * h) / 3) / total;
  meanTau2 = ((meanTau2 * h) / 3) / total;
  const at = (tau: number): number => {
    const x = (Math.log(tau) - lo) / h;
    const k = Math.min(steps - 1, Math.max(0, Math.floor(x)));
    return (cdf[k] + (x - k) * (cdf[k + 1] - cdf[k])) / total;
  };
  return { cdf: at, mean: meanTau, sd: Math.sqrt(meanTau2 - meanTau * meanTau) };
}

for (const [C, S, s] of [
  [36, 9.5, 1],
  [8, 0.4, 0.5],
  [3, 2.0, 2],
] as const) {
  test(`half-normal(${s}) on the SD: the slice draws of τ follow the exact conditional (C = ${C}, S = ${S})`, () => {
    const exact = exactConditional(C, S, s);
    const halfNormal = { tauShape: 0.01, tauRate: 0.01, halfNormalScale: s };
    const draws = chain(halfNormal, C, S);
    const n = draws.length;
    // Kolmogorov–Smirnov at the 0.1% level: 1.95/√n.
    const critical = 1.95 / Math.sqrt(n);
    const ks = ksDistance(draws, exact.cdf);
    assert.ok(ks < critical, `KS distance ${ks} with ${n} draws`);
    const mean = draws.reduce((a, b) => a + b, 0) / n;
    assert.ok(Math.abs(mean - exact.mean) < (4 * exact.sd) / Math.sqrt(n), `mean ${mean} vs exact ${exact.mean}`);
    // The check has power: the Gamma(0.01, 0.01) prior's conditional, drawn the same way, fails it.
    const other = ksDistance(chain({ tauShape: 0.01, tauRate: 0.01 }, C, S), exact.cdf);
    assert.ok(other > critical, `Gamma-prior draws pass with KS distance ${other}`);
  });
}

/** Every 5th of 20000 updates after 200: the one-dimensional slice chain's autocorrelation is negligible at that lag. */
function chain(prior: PrecisionPrior, C: number, S: number): number[] {
  const rng = createRng(2026, C);
  let tau = 2;
  for (let k = 0; k < 200; k++) tau = drawPrecision(rng, prior, C, S, tau);
  const draws: number[] = [];
  for (let k = 0; k < 20000; k++) {
    tau = drawPrecision(rng, prior, C, S, tau);
    if (k % 5 === 4) draws.push(tau);
  }
  return draws.sort((x, y) => x - y);
}

function ksDistance(sorted: readonly number[], cdf: (x: number) => number): number {
  let ks = 0;
  for (let i = 0; i < sorted.length; i++) ks = Math.max(ks, Math.abs(cdf(sorted[i]) - (i + 0.5) / sorted.length));
  return ks;
}

test("half-normal priors are parsed, named and checked; other names are refused with the accepted forms", () => {
  assert.deepEqual(parseTauPrior("half-normal(1)"), { label: "half-normal(1)", halfNormal: 1 });
  assert.deepEqual(parseTauPrior(" Half-Normal( 0.5 ) "), { label: "half-normal(0.5)", halfNormal: 0.5 });
  assert.deepEqual(parseTauPrior("gamma(1,1)"), { label: "gamma(1,1)", shape: 1, rate: 1 });
  assert.throws(() => parseTauPrior("half-normal(-1)"), /half-normal\(-1\)' scale/);
  assert.throws(() => parseTauPrior("half-cauchy(1)"), /unknown tau prior 'half-cauchy\(1\)'.*half-normal\(scale\)/);
});

test("B-MMI runs under the half-normal prior (its τ chain differs from the Gamma prior's); smc refuses it", () => {
  const data = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
  const base = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", imputation: ["M ~ X1 + A + Y"], methods: ["bmmi" as const], imputations: 2, burnin: 30, thin: 5, seed: 3 };
  const hn = analyzeMissingModifier(data, { ...base, tauPrior: { halfNormal: 1 } });
  const g = analyzeMissingModifier(data, base);
  const tau = (r: typeof hn) => Array.from({ length: r.traces[0].iterations }, (_, it) => r.traces[0].draws[it * r.traces[0].parameterNames.length + r.traces[0].parameterNames.indexOf("tau")]);
  assert.ok(tau(hn).every((t) => Number.isFinite(t) && t > 0));
  assert.notDeepEqual(tau(hn), tau(g));
  assert.ok(Number.isFinite(hn.results[0].hte.estimate));
  assert.throws(
    () => analyzeMissingModifier(data, { ...base, methods: ["smc"], imputation: ["M ~ X1"], substantive: "Y ~ A*M + (1 | cluster)", tauPrior: { halfNormal: 1 } }),
    /half-normal\(1\) is available for bmmi only/,
  );
});
