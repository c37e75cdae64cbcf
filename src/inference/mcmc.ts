/**
 * Convergence diagnostics for Markov chains (Gelman et al., Bayesian Data
 * Analysis, 3rd ed., §11.4–11.5): split-R̂ and the effective sample size with
 * Geyer's initial monotone sequence, pooled over chains.
 */

/** Per-chain mean and autocovariances (divisor n) up to lag n − 1, computed lazily by callers. */
function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function autocovariance(x: ArrayLike<number>, mu: number, lag: number): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i + lag < n; i++) s += (x[i] - mu) * (x[i + lag] - mu);
  return s / n;
}

/** Within-chain variance W and the pooled posterior variance estimate var⁺ for equal-length chains. */
function varianceComponents(chains: readonly ArrayLike<number>[]): { w: number; varPlus: number; means: number[] } {
  const k = chains.length;
  const n = chains[0].length;
  const means = chains.map(mean);
  const grand = means.reduce((a, b) => a + b, 0) / k;
  let w = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (chains[c][i] - means[c]) ** 2;
    w += s / (n - 1);
  }
  w /= k;
  const between = k > 1 ? (n * means.reduce((a, m) => a + (m - grand) ** 2, 0)) / (k - 1) : 0;
  return { w, varPlus: ((n - 1) / n) * w + between / n, means };
}

/** Splits each chain into halves (dropping the middle draw of odd lengths). */
function splitChains(chains: readonly ArrayLike<number>[]): Float64Array[] {
  const half = Math.floor(Math.min(...chains.map((c) => c.length)) / 2);
  return chains.flatMap((c) => [
    Float64Array.from({ length: half }, (_, i) => c[i]),
    Float64Array.from({ length: half }, (_, i) => c[c.length - half + i]),
  ]);
}

/** Split-R̂ of one parameter over one or more chains; NaN when the draws are constant. */
export function splitRhat(chains: readonly ArrayLike<number>[]): number {
  const halves = splitChains(chains);
  if (halves[0].length < 2) return NaN;
  const { w, varPlus } = varianceComponents(halves);
  return w > 0 ? Math.sqrt(varPlus / w) : NaN;
}

/**
 * Effective sample size of one parameter over one or more chains of equal
 * length: (total draws)/τ with τ = −1 + 2Σ Γ_k, Γ_k = ρ_2k + ρ_2k+1 summed
 * while positive and forced monotone (Geyer 1992).
 */
export function effectiveSampleSize(chains: readonly ArrayLike<number>[]): number {
  const k = chains.length;
  const n = Math.min(...chains.map((c) => c.length));
  if (n < 4) return NaN;
  const trimmed = chains.map((c) => (c.length === n ? c : Float64Array.from({ length: n }, (_, i) => c[i])));
  const { w, varPlus, means } = varianceComponents(trimmed);
  if (!(w > 0)) return NaN;
  const rho = (t: number): number => {
    let acov = 0;
    for (let c = 0; c < k; c++) acov += autocovariance(trimmed[c], means[c], t);
    return 1 - (w - acov / k) / varPlus;
  };
  let tau = -1;
  let previous = Infinity;
  for (let t = 0; t + 1 < n; t += 2) {
    let pair = (t === 0 ? 1 : rho(t)) + rho(t + 1);
    if (pair <= 0) break;
    pair = Math.min(pair, previous);
    previous = pair;
    tau += 2 * pair;
  }
  return (k * n) / Math.max(tau, 1 / Math.log10(k * n + 10));
}
