/**
 * The full conditional of one imputed value in the smc chain with partly
 * missing covariates: ∝ (its own model) × Π (every model whose design
 * contains it, at the row's response). For a binary value it has two
 * points, so the draw is exact: log-odds = own logit + Σ_models
 * [log p(y | v = 1) − log p(y | v = 0)]. For a continuous value every design
 * is affine in it, η_m(v) = a_m + b_m·v, so its own normal model and the
 * normal models it enters give a normal factor, precision
 * 1/σ²_own + Σ b_m²/σ²_m and mean (μ/σ²_own + Σ b_m(y_m − a_m)/σ²_m)/precision;
 * the logistic models it enters (a binary modifier's model, a binary
 * covariate's, a logistic substantive model) add
 * L(v) = Σ y_m·η_m(v) − log(1 + e^{η_m(v)}), which is not normal. Then one
 * independence Metropolis–Hastings step with the normal factor as proposal:
 * accept v' with probability min(1, exp(L(v') − L(v))), which leaves the exact
 * conditional invariant (the normal factor cancels between target and
 * proposal). Without logistic terms the normal draw is exact.
 */
import type { Rng } from "../../random/rng.ts";
import { log1pExp } from "./fcs-model.ts";

/** A binary value from its log-odds: u < expit(l) as u·(1 + e^−l) < 1. */
export function drawBinary(rng: Rng, logOdds: number): number {
  return +(rng.uniform() * (1 + Math.exp(-logOdds)) < 1);
}

/** The logistic terms of one row: η = a[k] + b[k]·v with response y[k], k < count. */
export interface LogisticTerms {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly y: Float64Array;
  count: number;
}

export function logisticTerms(capacity: number): LogisticTerms {
  return { a: new Float64Array(capacity), b: new Float64Array(capacity), y: new Float64Array(capacity), count: 0 };
}

/** L(v) = Σ y·η(v) − log(1 + e^{η(v)}). */
export function logisticLogLik(terms: LogisticTerms, v: number): number {
  let s = 0;
  for (let k = 0; k < terms.count; k++) {
    const eta = terms.a[k] + terms.b[k] * v;
    s += terms.y[k] * eta - log1pExp(eta);
  }
  return s;
}

/**
 * One draw of a continuous value whose full conditional is
 * N(linear/precision, 1/precision)·exp(L(v)), from its current value (used
 * only when there are logistic terms: the Metropolis–Hastings step).
 */
export function drawContinuous(rng: Rng, current: number, precision: number, linear: number, terms: LogisticTerms): number {
  const proposal = linear / precision + rng.normal() / Math.sqrt(precision);
  if (terms.count === 0) return proposal;
  const logAccept = logisticLogLik(terms, proposal) - logisticLogLik(terms, current);
  return logAccept >= 0 || Math.log(rng.uniform()) < logAccept ? proposal : current;
}
