/**
 * One chain of the substantive-model-compatible sampler. Each iteration:
 *   1. every missing modifier value from its exact full conditional
 *      ∝ p(y | M, θ_y)·p(M | θ_m). A binary modifier: a Bernoulli draw with
 *      log-odds wᵀα + a_c + [log p(y | M = 1) − log p(y | M = 0)], formed in
 *      log space so neither factor under- or overflows. A continuous one
 *      (normal modifier model, design affine in M): log p(y | M) is
 *      −½·q·M² + l·M + const (for a logistic outcome given its Pólya-Gamma
 *      ω), so the conditional is normal with precision 1/σ²_m + q and mean
 *      (μ/σ²_m + l)/(1/σ²_m + q);
 *   2. after burn-in, every `thin`-th iteration, the completed modifier goes
 *      to the caller;
 *   3. the modifier model's parameters given the completed modifier;
 *   4. the substantive model's parameters given the completed modifier.
 * Draws of every parameter are kept per iteration for R̂, ESS and --trace.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { Rng } from "../../random/rng.ts";
import type { WorkingLayout } from "./layout.ts";

/** What the chain needs of the modifier's model. */
export interface ModifierSampler {
  /** logistic: a binary modifier; normal: a continuous one. */
  readonly kind: "logistic" | "normal";
  readonly p: number;
  readonly alpha: Float64Array;
  /** Its linear predictor per working row: log-odds of M = 1, or the mean of M. */
  readonly eta: Float64Array;
  /** σ²_m of the normal model. */
  readonly residualVariance: number;
  /** Names of the parameters after α and τ in `record`. */
  readonly extraNames: readonly string[];
  update(m: Float64Array, rng: Rng): void;
  /** Writes α, τ and the extras at out[offset…]. */
  record(out: Float64Array, offset: number): void;
}

/** What the chain needs of a substantive model. */
export interface OutcomeSampler {
  /** Names of the parameters after β in `record`. */
  readonly extraNames: readonly string[];
  readonly beta: Float64Array;
  /** log p(y | M = 1, θ) − log p(y | M = 0, θ) for each missing row (layout.missing order). */
  logRatio(out: Float64Array): void;
  /** log p(y | M = m, θ) = −½·precision·m² + linear·m + const for each missing row. */
  normalTerms(precision: Float64Array, linear: Float64Array): void;
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
  /** Parameters per iteration: α, τ_m, the modifier model's extras, then β and the substantive model's extras. */
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
  const modifierWidth = modifierModel.p + 1 + modifierModel.extraNames.length;
  const width = modifierWidth + outcome.beta.length + outcome.extraNames.length;
  const draws = new Float64Array(iterations * width);
  const m = Float64Array.from(order, (r) => (Number.isNaN(modifier[r]) ? 0 : modifier[r]));
  const completed = new Float64Array(n);
  const first = new Float64Array(missing.length);
  const second = new Float64Array(missing.length);
  const eta = modifierModel.eta;
  const binary = modifierModel.kind === "logistic";
  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    if (binary) {
      outcome.logRatio(first);
      for (let k = 0; k < missing.length; k++) {
        const w = missing[k];
        // u < expit(l) as u·(1 + e^−l) < 1 (e^−l = ∞ gives 0, e^−l = 0 gives 1);
        // +(…) rather than a branch, which the random outcome would mispredict half the time.
        m[w] = +(rng.uniform() * (1 + Math.exp(-(eta[w] + first[k]))) < 1);
      }
    } else {
      outcome.normalTerms(first, second);
      const prior = 1 / modifierModel.residualVariance;
      for (let k = 0; k < missing.length; k++) {
        const w = missing[k];
        const precision = prior + first[k];
        m[w] = (eta[w] * prior + second[k]) / precision + rng.normal() / Math.sqrt(precision);
      }
    }
    if (it > schedule.burnin && (it - schedule.burnin) % schedule.thin === 0) {
      for (let k = 0; k < n; k++) completed[order[k]] = m[k];
      onImputation(completed, saved++);
    }
    modifierModel.update(m, rng);
    outcome.update(m, rng);
    const o = (it - 1) * width;
    modifierModel.record(draws, o);
    outcome.record(draws, o + modifierWidth);
  }
  return { iterations, width, draws };
}

/** Both models set up for a data set: chains start from the same fitted values, each with its own stream. */
export interface SmcSampler {
  /** Parameter names in the order of SmcChain.draws: modifier model, tau, then `Y~…` for the substantive model. */
  readonly names: readonly string[];
  /** Column of the modifier model's τ in the draws. */
  readonly tauColumn: number;
  readonly diagnostics: readonly Diagnostic[];
  /** One chain; `onImputation(m, k)` gets the k-th completed modifier (analysed order, a live view). */
  chain(rng: Rng, onImputation: (m: Float64Array, k: number) => void): SmcChain;
}
