/**
 * The model-robust standardization estimator (Li et al. 2025, eqs. 4–7) and its
 * contrasts.
 *
 *   μ̂_ω(1) = Σᵢ ωᵢ/ω₊ { η̂ᵢ(1) + Aᵢ/πᵢ (Ȳᵢ − η̂ᵢ(1)) }
 *   μ̂_ω(0) = Σᵢ ωᵢ/ω₊ { η̂ᵢ(0) + (1 − Aᵢ)/(1 − πᵢ) (Ȳᵢ − η̂ᵢ(0)) }
 *
 * with ωᵢ = 1 for the cluster-average (eq. 6) and ωᵢ = Nᵢ for the
 * individual-average (eq. 7) treatment effect, η̂ᵢ(a) the working model's
 * predicted cluster mean under A = a, and πᵢ the randomization probability.
 */
import { ComputeError, InputError } from "../core/errors.ts";
import type { MrsData } from "./data.ts";

/** Effect scale: risk (mean) difference, ratio, odds ratio. */
export type EffectScale = "rd" | "rr" | "or";
export const EFFECT_SCALES: readonly EffectScale[] = Object.freeze(["rd", "rr", "or"]);

/** Layout of a means vector: [μ_C(1), μ_C(0), μ_I(1), μ_I(0), μ_ω(1), μ_ω(0)]. */
export const MEANS_LENGTH = 6;

/**
 * Writes the standardized means into `out` (layout above; the ω entries are
 * NaN without weights), leaving cluster `skip` out (−1: none). Kernel: no
 * validation, no allocation.
 */
export function standardizeInto(
  data: MrsData,
  eta1: Float64Array,
  eta0: Float64Array,
  skip: number,
  out: Float64Array,
): void {
  const { yBar, treated, probabilities: pi, sizes, weights } = data;
  const m = data.nClusters;
  let c1 = 0, c0 = 0, i1 = 0, i0 = 0, w1 = 0, w0 = 0;
  let count = 0, nSum = 0, wSum = 0;
  for (let c = 0; c < m; c++) {
    if (c === skip) continue;
    const a = treated[c];
    const y = yBar[c];
    const t1 = eta1[c] + (a === 1 ? (y - eta1[c]) / pi[c] : 0);
    const t0 = eta0[c] + (a === 0 ? (y - eta0[c]) / (1 - pi[c]) : 0);
    c1 += t1;
    c0 += t0;
    count++;
    const nc = sizes[c];
    i1 += nc * t1;
    i0 += nc * t0;
    nSum += nc;
    if (weights) {
      const w = weights[c];
      w1 += w * t1;
      w0 += w * t0;
      wSum += w;
    }
  }
  out[0] = c1 / count;
  out[1] = c0 / count;
  out[2] = i1 / nSum;
  out[3] = i0 / nSum;
  out[4] = weights ? w1 / wSum : NaN;
  out[5] = weights ? w0 / wSum : NaN;
}

/** The standardized means as a fresh array (see standardizeInto). */
export function standardize(data: MrsData, eta1: Float64Array, eta0: Float64Array, skip = -1): Float64Array {
  if (eta1.length !== data.nClusters || eta0.length !== data.nClusters) {
    throw new InputError(`predictions have ${eta1.length} and ${eta0.length} entries for ${data.nClusters} clusters`);
  }
  const out = new Float64Array(MEANS_LENGTH);
  standardizeInto(data, eta1, eta0, skip, out);
  return out;
}

/**
 * The effect on its analysis scale: μ₁ − μ₀ (rd), log(μ₁/μ₀) (rr),
 * logit μ₁ − logit μ₀ (or). NaN when undefined (a mean ≤ 0, or outside (0, 1) for or).
 */
export function contrast(mu1: number, mu0: number, scale: EffectScale): number {
  switch (scale) {
    case "rd":
      return mu1 - mu0;
    case "rr":
      return mu1 > 0 && mu0 > 0 ? Math.log(mu1) - Math.log(mu0) : NaN;
    case "or":
      return mu1 > 0 && mu1 < 1 && mu0 > 0 && mu0 < 1 ? Math.log(mu1 / (1 - mu1)) - Math.log(mu0 / (1 - mu0)) : NaN;
  }
}

/** Throws a ComputeError naming the means when the contrast is undefined on `scale`. */
export function requireContrast(mu1: number, mu0: number, scale: EffectScale, what: string): number {
  const v = contrast(mu1, mu0, scale);
  if (Number.isFinite(v)) return v;
  if (!Number.isFinite(mu1) || !Number.isFinite(mu0)) {
    throw new ComputeError(`${what}: the standardized means are ${mu1} (treated) and ${mu0} (control): the working model's predictions overflowed`);
  }
  const need = scale === "rr" ? "positive means" : "means strictly between 0 and 1";
  throw new ComputeError(
    `${what}: the standardized means are ${mu1} (treated) and ${mu0} (control); the ${scale === "rr" ? "ratio" : "odds ratio"} scale needs ${need}; ` +
      `use --scale rd`,
  );
}
