/**
 * One smc chain for a categorical modifier with k levels. Each iteration:
 *   1. every missing M_i from its exact k-point full conditional
 *        p(M_i = j | rest) ∝ softmax(η_i)_j · p(y_i | X_i(M = j), θ_y),
 *      η_i the multinomial logits (η_i0 = 0), formed in log space and
 *      normalised by log-sum-exp (levelWeights) so that neither factor under-
 *      or overflows;
 *   2. after burn-in, every `thin`-th iteration, the completed codes go to the caller;
 *   3. the multinomial random-intercept model level by level (categorical/gibbs.ts's update);
 *   4. the substantive model (categorical-outcome.ts).
 * Draws of every parameter are kept per iteration for R̂, ESS and --trace:
 * β level by level, τ per level, then the substantive model's.
 */
import type { Rng } from "../../random/rng.ts";
import type { CategoricalLogitModel } from "../categorical/gibbs.ts";
import { savesImputation, type GibbsSettings } from "../gibbs.ts";
import type { SmcChain } from "./chain.ts";
import type { CategoricalOutcome } from "./categorical-outcome.ts";

/**
 * out[j] = exp(a_j − max_l a_l), a_j = eta[etaAt + j] + logLik[llAt + j]
 * (the unnormalised full conditional of one missing value); returns Σ_j out[j].
 */
export function levelWeights(eta: ArrayLike<number>, etaAt: number, logLik: ArrayLike<number>, llAt: number, k: number, out: Float64Array): number {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, eta[etaAt + j] + logLik[llAt + j]);
  let total = 0;
  for (let j = 0; j < k; j++) {
    out[j] = Math.exp(eta[etaAt + j] + logLik[llAt + j] - max);
    total += out[j];
  }
  return total;
}

/** The full conditional's probabilities of one missing value (logits η with η_0 = 0, log-likelihoods at each level). */
export function levelProbabilities(eta: ArrayLike<number>, logLik: ArrayLike<number>): Float64Array {
  const out = new Float64Array(eta.length);
  const total = levelWeights(eta, 0, logLik, 0, eta.length, out);
  for (let j = 0; j < out.length; j++) out[j] /= total;
  return out;
}

/**
 * Runs one chain from the models' current states; both models work in the
 * modifier model's row order (`modifierModel.layout.order`). `modifier` holds
 * the observed codes in analysed order (NaN where missing); `onImputation(m, k)`
 * receives the completed codes (analysed order, a live view).
 */
export function runCategoricalSmcChain(
  modifier: Float64Array,
  modifierModel: CategoricalLogitModel,
  outcome: CategoricalOutcome,
  missing: Int32Array,
  settings: GibbsSettings,
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): SmcChain {
  const { order } = modifierModel.layout;
  const { k, eta, beta, tau } = modifierModel;
  const n = order.length;
  const iterations = settings.burnin + settings.thin * settings.imputations;
  const modifierWidth = beta.length + tau.length;
  const width = modifierWidth + outcome.beta.length + outcome.extraNames.length;
  const draws = new Float64Array(iterations * width);
  const m = Float64Array.from(order, (r) => (Number.isNaN(modifier[r]) ? 0 : modifier[r]));
  const completed = new Float64Array(n);
  const logLik = new Float64Array(missing.length * k);
  const weights = new Float64Array(k);
  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    outcome.logLikelihoods(logLik);
    for (let q = 0; q < missing.length; q++) {
      const w = missing[q];
      const target = rng.uniform() * levelWeights(eta, w * k, logLik, q * k, k, weights);
      let level = k - 1;
      let cumulative = 0;
      for (let j = 0; j < k - 1; j++) {
        cumulative += weights[j];
        if (target < cumulative) {
          level = j;
          break;
        }
      }
      m[w] = level;
    }
    if (savesImputation(it, settings)) {
      for (let w = 0; w < n; w++) completed[order[w]] = m[w];
      onImputation(completed, saved++);
    }
    modifierModel.update(m, rng, it);
    outcome.update(m, rng);
    const o = (it - 1) * width;
    draws.set(beta, o);
    draws.set(tau, o + beta.length);
    outcome.record(draws, o + modifierWidth);
  }
  return { iterations, width, draws };
}
