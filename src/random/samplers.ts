/** Samplers for the distributions the methods need; each takes the rng explicitly. */
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Rng } from "./rng.ts";

/** Normal(mean, sd). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  return mean + sd * rng.normal();
}

/** Bernoulli(p) as 0/1. */
export function bernoulli(rng: Rng, p: number): number {
  return rng.uniform() < p ? 1 : 0;
}

/**
 * Gamma with `shape` and `rate` (mean shape/rate), by Marsaglia & Tsang (2000);
 * shape < 1 uses the boost Gamma(a) = Gamma(a + 1)·U^(1/a).
 */
export function gamma(rng: Rng, shape: number, rate = 1): number {
  if (!(shape > 0) || !(rate > 0)) throw new RangeError(`gamma needs shape > 0 and rate > 0, got ${shape}, ${rate}`);
  if (shape < 1) {
    const u = rng.uniform();
    return (gamma(rng, shape + 1, 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape)) / rate;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/**
 * Poisson(lambda): multiplication method for small lambda, Hörmann's (1993)
 * transformed rejection (PTRS) for lambda ≥ 10.
 */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`poisson needs a finite lambda ≥ 0, got ${lambda}`);
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let prod = rng.uniform();
    while (prod > limit) {
      k++;
      prod *= rng.uniform();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - gammaln(k + 1)) {
      return k;
    }
  }
}

/**
 * Multivariate normal: writes mean + L·z into `out`, with L the lower
 * Cholesky factor (row-major p×p) of the covariance and z standard normal.
 */
export function multivariateNormal(
  rng: Rng,
  mean: ArrayLike<number>,
  lower: Float64Array,
  p: number,
  out: Float64Array = new Float64Array(p),
  work: Float64Array = new Float64Array(p),
): Float64Array {
  for (let i = 0; i < p; i++) work[i] = rng.normal();
  for (let i = p - 1; i >= 0; i--) {
    let s = 0;
    const row = i * p;
    for (let k = 0; k <= i; k++) s += lower[row + k] * work[k];
    out[i] = mean[i] + s;
  }
  return out;
}
