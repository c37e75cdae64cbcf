/**
 * The standardized treatment effect of a fitted outcome GEE over the rows it
 * analysed: μ̄(a) = mean of g⁻¹(x_i(a)ᵀβ) with x_i(a) row i's design with A
 * set to a (and its centred modifier), contrasted on the ATE scale (rd: the
 * difference; rr: the log ratio; or: the log odds ratio), with the
 * delta-method variance ∇ᵀV∇ from the GEE covariance V.
 *
 * For the identity link on the rd scale the effect is linear, dᵀβ with d the
 * mean of x_i(1) − x_i(0). Its modifier columns are means of Δ_i·Mc_i, which
 * are computed as centred cross-products Σ(Δ_i − Δ̄)·Mc_i/n because Mc has
 * mean 0 exactly: then a Δ constant over the rows (the A:M column of
 * `Y ~ A*M`) contributes exactly 0, and the default model's ATE is exactly
 * its treatment coefficient, with exactly its variance.
 */
import { ComputeError } from "../core/errors.ts";
import { contrast, type EffectScale } from "../estimands/estimator.ts";
import type { Link } from "../models/family/link.ts";
import type { OutcomeDesign } from "./outcome-model.ts";

export interface StandardizedAte {
  /** On the analysis scale: difference (rd), log ratio (rr), log odds ratio (or). */
  readonly estimate: number;
  readonly variance: number;
  readonly treatedMean: number;
  readonly controlMean: number;
}

/**
 * `mc[r]` is row r's centred modifier, NaN for a row not analysed; `beta`
 * and the row-major p × p `vcov` are the fit's.
 */
export function standardizedAte(
  design: OutcomeDesign,
  mc: Float64Array,
  beta: Float64Array,
  vcov: Float64Array,
  link: Link,
  scale: EffectScale,
): StandardizedAte {
  const { p, treated, control, modifierColumns } = design;
  const n = mc.length;
  const row = (m: Float64Array, r: number, j: number): number => (modifierColumns[j] ? m[r * p + j] * mc[r] : m[r * p + j]);
  // The linear effect's gradient is d (linearContrast): the means' gradients are not needed.
  const linear = link.name === "identity" && scale === "rd";
  const mean1 = new Float64Array(p); // gradient of μ̄(1) (identity link: mean of x(1))
  const mean0 = new Float64Array(p);
  let mu1 = 0;
  let mu0 = 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(mc[r])) continue;
    count++;
    let eta1 = 0;
    let eta0 = 0;
    for (let j = 0; j < p; j++) {
      eta1 += row(treated, r, j) * beta[j];
      eta0 += row(control, r, j) * beta[j];
    }
    mu1 += link.linkinv(eta1);
    mu0 += link.linkinv(eta0);
    if (linear) continue;
    const d1 = link.muEta(eta1);
    const d0 = link.muEta(eta0);
    for (let j = 0; j < p; j++) {
      mean1[j] += d1 * row(treated, r, j);
      mean0[j] += d0 * row(control, r, j);
    }
  }
  mu1 /= count;
  mu0 /= count;
  const gradient = new Float64Array(p);
  let estimate: number;
  if (linear) {
    linearContrast(design, mc, count, gradient);
    estimate = 0;
    for (let j = 0; j < p; j++) estimate += gradient[j] * beta[j];
  } else {
    estimate = contrast(mu1, mu0, scale);
    if (!Number.isFinite(estimate)) {
      const need = scale === "rr" ? "positive means" : "means strictly between 0 and 1";
      throw new ComputeError(`standardized means ${mu1} (treated) and ${mu0} (control): the ${scale} scale needs ${need}; use --ate-scale rd`);
    }
    // d contrast / d μ̄(a): 1 (rd), 1/μ̄ (log ratio), 1/(μ̄(1 − μ̄)) (log odds ratio).
    const w = (mu: number): number => (scale === "rd" ? 1 : scale === "rr" ? 1 / mu : 1 / (mu * (1 - mu)));
    const w1 = w(mu1) / count;
    const w0 = w(mu0) / count;
    for (let j = 0; j < p; j++) gradient[j] = w1 * mean1[j] - w0 * mean0[j];
  }
  let variance = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += vcov[j * p + k] * gradient[k];
    variance += gradient[j] * s;
  }
  return { estimate, variance, treatedMean: mu1, controlMean: mu0 };
}

/** d = mean of x(1) − x(0) over the analysed rows, modifier columns as centred cross-products (see above). */
function linearContrast(design: OutcomeDesign, mc: Float64Array, count: number, d: Float64Array): void {
  const { p, treated, control, modifierColumns } = design;
  const n = mc.length;
  const deltaMean = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(mc[r])) continue;
    for (let j = 0; j < p; j++) deltaMean[j] += treated[r * p + j] - control[r * p + j];
  }
  for (let j = 0; j < p; j++) deltaMean[j] /= count;
  d.fill(0);
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(mc[r])) continue;
    for (let j = 0; j < p; j++) {
      if (modifierColumns[j]) d[j] += (treated[r * p + j] - control[r * p + j] - deltaMean[j]) * mc[r];
    }
  }
  for (let j = 0; j < p; j++) d[j] = modifierColumns[j] ? d[j] / count : deltaMean[j];
}
