/**
 * The Bernoulli(expit(η)) draw of the logistic Gibbs sampler from a uniform
 * u, decided as u·(1 + e^{−η}) < 1, mostly without the exponential.
 *
 * A table over η ∈ [−16, 16) in bins of 1/32 holds, for each bin, bounds
 * U ≥ fl(1 + fl(e^{−η})) ≥ L valid for every η in the bin (the bin widened by
 * 10⁻⁹ for the rounding of the index, the values by a relative 10⁻¹² for the
 * error of Math.exp, below 1 ulp). Rounded multiplication is monotone, so
 * fl(u·U) < 1 gives 1 and fl(u·L) ≥ 1 gives 0, the decision the exact
 * expression takes; only when u falls between (≈ 0.8% of draws: a bin spans
 * at most 1/128 in probability) or η is outside the table is the exponential
 * computed. The draw is therefore the same, bit for bit, as
 * `u * (1 + Math.exp(-eta)) < 1 ? 1 : 0`.
 */
const LIMIT = 16;
const SCALE = 32;
const BINS = 2 * LIMIT * SCALE;
const WIDEN = 1e-9;
const SLACK = 1e-12;

const UPPER = new Float64Array(BINS);
const LOWER = new Float64Array(BINS);
for (let j = 0; j < BINS; j++) {
  const lo = -LIMIT + j / SCALE;
  UPPER[j] = 1 + Math.exp(-(lo - WIDEN)) * (1 + SLACK);
  LOWER[j] = 1 + Math.exp(-(lo + 1 / SCALE + WIDEN)) * (1 - SLACK);
}

/** 1 when u·(1 + e^{−η}) < 1, else 0 (u uniform in [0, 1): a Bernoulli(expit(η)) draw). */
export function logisticDraw(u: number, eta: number): number {
  const s = (eta + LIMIT) * SCALE;
  if (s >= 0 && s < BINS) {
    const j = s | 0;
    if (u * UPPER[j] < 1) return 1;
    if (u * LOWER[j] >= 1) return 0;
  }
  return u * (1 + Math.exp(-eta)) < 1 ? 1 : 0;
}
