/**
 * One chain of the substantive-model-compatible sampler. Each iteration:
 *   1. every missing modifier value from its exact full conditional,
 *      P(M = 1 | …) ∝ p(y | M = 1, θ_y)·p(M = 1 | θ_m): a Bernoulli draw with
 *      log-odds wᵀα + a_c + [log p(y | M = 1) − log p(y | M = 0)], formed in
 *      log space so neither factor under- or overflows;
 *   2. after burn-in, every `thin`-th iteration, the completed modifier goes
 *      to the caller;
 *   3. the modifier model's parameters given the completed modifier;
 *   4. the substantive model's parameters given the completed modifier.
 * Draws of every parameter are kept per iteration for R̂, ESS and --trace.
 */
import type { Rng } from "../../random/rng.ts";
import type { WorkingLayout } from "./layout.ts";

/** What the chain needs of the modifier's model. */
export interface ModifierSampler {
  readonly p: number;
  readonly alpha: Float64Array;
  readonly tau: number;
  /** Its linear predictor (log-odds of M = 1) per working row. */
  readonly eta: Float64Array;
  update(m: Float64Array, rng: Rng): void;
}

/** What the chain needs of a substantive model. */
export interface OutcomeSampler {
  /** Names of the parameters after β in `record`. */
  readonly extraNames: readonly string[];
  readonly beta: Float64Array;
  /** log p(y | M = 1, θ) − log p(y | M = 0, θ) for each missing row (layout.missing order). */
  logRatio(out: Float64Array): void;
  update(m: Float64Array, rng: Rng): void;
  record(out: Float64Array, offset: number): void;
}

export interface ChainSchedule {
  readonly burnin: number;
  readonly thin: number;
  readonly imputations: number;
}

export interface SmcChain {
  readonly iterations: number;
  /** Parameters per iteration: α, τ_m, then β and the substantive model's extras. */
  readonly width: number;
  /** iterations × width, row-major. */
  readonly draws: Float64Array;
}

/**
 * Runs one chain from the models' current states. `modifier` is the observed
 * modifier in analysed order (NaN where missing); `onImputation(m, k)`
 * receives the completed modifier (analysed order, a live view) at the k-th
 * saved iteration.
 */
export function runSmcChain(
  layout: WorkingLayout,
  modifier: Float64Array,
  modifierModel: ModifierSampler,
  outcome: OutcomeSampler,
  schedule: ChainSchedule,
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): SmcChain {
  const { n, order, missing } = layout;
  const iterations = schedule.burnin + schedule.thin * schedule.imputations;
  const pm = modifierModel.p;
  const width = pm + 1 + outcome.beta.length + outcome.extraNames.length;
  const draws = new Float64Array(iterations * width);
  const m = Float64Array.from(order, (r) => (Number.isNaN(modifier[r]) ? 0 : modifier[r]));
  const completed = new Float64Array(n);
  const ratio = new Float64Array(missing.length);
  const eta = modifierModel.eta;
  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    outcome.logRatio(ratio);
    for (let k = 0; k < missing.length; k++) {
      const w = missing[k];
      // u < expit(l) as u·(1 + e^−l) < 1 (e^−l = ∞ gives 0, e^−l = 0 gives 1);
      // +(…) rather than a branch, which the random outcome would mispredict half the time.
      m[w] = +(rng.uniform() * (1 + Math.exp(-(eta[w] + ratio[k]))) < 1);
    }
    if (it > schedule.burnin && (it - schedule.burnin) % schedule.thin === 0) {
      for (let k = 0; k < n; k++) completed[order[k]] = m[k];
      onImputation(completed, saved++);
    }
    modifierModel.update(m, rng);
    outcome.update(m, rng);
    const o = (it - 1) * width;
    draws.set(modifierModel.alpha, o);
    draws[o + pm] = modifierModel.tau;
    outcome.record(draws, o + pm + 1);
  }
  return { iterations, width, draws };
}
