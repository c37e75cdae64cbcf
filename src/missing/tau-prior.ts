/**
 * The prior on the B-MMI random-intercept precision τ = 1/σ² and its Gibbs
 * update given the C random intercepts b (S = Σ b_c²):
 *
 * - Gamma(a, rate r) on τ (the default, Gamma(0.01, 0.01)): conjugate,
 *   τ | b ~ Gamma(a + C/2, r + S/2).
 * - half-normal(s) on the SD σ (the weakly informative alternative Gelman
 *   (2006) discusses for few clusters, where Gamma(ε, ε) on τ is not vague):
 *   p(σ) ∝ exp(−σ²/(2s²)), so p(τ) ∝ τ^(−3/2)·exp(−1/(2s²τ)) and
 *     p(τ | b) ∝ τ^((C − 3)/2)·exp(−Sτ/2 − 1/(2s²τ)),
 *   a generalized inverse Gaussian GIG(λ = (C − 1)/2, ψ = S, χ = 1/s²).
 *   It is drawn by one slice-sampling update (Neal 2003: stepping out, then
 *   shrinkage) of u = log τ, whose log density
 *     ℓ(u) = λu − (S/2)·e^u − e^(−u)/(2s²)
 *   is strictly concave: the slice is one interval and stepping out ends.
 *   The update leaves the exact conditional invariant, so the chain still
 *   targets the joint posterior; it needs the current τ.
 */
import type { Rng } from "../random/rng.ts";
import { gamma } from "../random/samplers.ts";

/** The prior as the samplers take it: Gamma(shape, rate) on τ, unless `halfNormalScale` (s) is set. */
export interface PrecisionPrior {
  readonly tauShape: number;
  readonly tauRate: number;
  /** Half-normal(s) prior on the random-intercept SD instead of the Gamma prior on τ. */
  readonly halfNormalScale?: number;
}

/** The prior as a user writes it (analyze's library option, sensitivity's --tau-prior). */
export type TauPrior = { readonly shape: number; readonly rate: number } | { readonly halfNormal: number };

// Initial slice width on log τ; stepping out widens it as needed.
const SLICE_WIDTH = 1;

/** A draw of τ from its full conditional given C random intercepts with sum of squares `sumSq`; `current` is the chain's τ. */
export function drawPrecision(rng: Rng, prior: PrecisionPrior, clusters: number, sumSq: number, current: number): number {
  const s = prior.halfNormalScale;
  if (s === undefined) return gamma(rng, prior.tauShape + clusters / 2, prior.tauRate + sumSq / 2);
  const logDensity = (u: number): number => halfNormalLogConditional(u, clusters, sumSq, s);
  const u0 = Math.log(current);
  const level = logDensity(u0) - rng.exponential();
  let lo = u0 - SLICE_WIDTH * rng.uniform();
  let hi = lo + SLICE_WIDTH;
  while (logDensity(lo) > level) lo -= SLICE_WIDTH;
  while (logDensity(hi) > level) hi += SLICE_WIDTH;
  // Shrinkage towards u0, which is in the slice; an interval shrunk to nothing (a zero exponential draw) keeps τ.
  while (hi - lo > 1e-12 * Math.max(1, Math.abs(u0))) {
    const u = lo + (hi - lo) * rng.uniform();
    if (logDensity(u) >= level) return Math.exp(u);
    if (u < u0) lo = u;
    else hi = u;
  }
  return current;
}

/** ℓ(u), the log of the unnormalized conditional density of u = log τ under the half-normal(scale) prior on the SD. */
export function halfNormalLogConditional(u: number, clusters: number, sumSq: number, scale: number): number {
  return ((clusters - 1) / 2) * u - (sumSq / 2) * Math.exp(u) - Math.exp(-u) / (2 * scale * scale);
}
