/**
 * The B-MMI Gibbs sampler for a continuous modifier: the normal
 * random-intercept imputation model M_ij = w_ijᵀβ + b_i + e_ij,
 * b_i ~ N(0, 1/τ), e_ij ~ N(0, σ²), with conjugate updates in the order and
 * spirit of the logistic sampler (gibbs.ts). Each iteration:
 *   1. impute each missing M ~ N(wᵀβ + b_i, σ²);
 *   2. after burn-in, every `thin`-th iteration, hand the completed M to the caller;
 *   3. β ~ N(V(Σ⁻¹β̂ + Wᵀ(M − b)/σ²), V), V = (WᵀW/σ² + Σ⁻¹)⁻¹;
 *   4. b_i ~ N((Σ_j(M_ij − wᵀβ)/σ²)/(τ + n_i/σ²), 1/(τ + n_i/σ²));
 *   5. τ ~ Gamma(a + C/2, rate b + Σ b_i²/2);
 *   6. 1/σ² ~ Gamma(a_e + N/2, rate b_e + Σ(M − wᵀβ − b)²/2).
 * Priors: β ~ N(β̂, σ²_β I) centred at the LMM (REML) estimates, τ and 1/σ²
 * ~ Gamma(0.01, 0.01) (settings). The chain starts at β̂, b = 0 and the
 * LMM's σ̂² and 1/σ̂_b² (given by the caller). Without a random intercept (a
 * cluster-level modifier) steps 4 and 5 are skipped and b stays 0: Bayesian
 * linear regression. WᵀW is computed once; an iteration allocates nothing.
 *
 * A δ-adjustment (mnar.ts) enters only the handed-out completed data sets:
 * their missing M are the chain's step-1 draws plus δ (the same normal
 * deviates). The chain imputes under MAR, so β, b, τ and σ² are updated
 * exactly as without δ.
 */
import { crossprodVectorColumns, multiplyVectorColumns } from "../linalg/columns.ts";
import { gramWithPlan } from "../linalg/gram.ts";
import type { Rng } from "../random/rng.ts";
import { gamma } from "../random/samplers.ts";
import { drawPrecision } from "./tau-prior.ts";
import { drawGaussianInPlace } from "./gibbs-layout.ts";
import { chainStart, savesImputation, type GibbsChain, type GibbsInput, type GibbsSettings } from "./gibbs.ts";

export interface NormalGibbsInput extends GibbsInput {
  /** Starting residual variance σ². */
  readonly sigma2Start: number;
  /** Starting random-intercept precision τ (unused without a random intercept). */
  readonly tauStart: number;
}

/**
 * Runs one chain. `onImputation(m, k)` receives the completed modifier at the
 * k-th saved iteration; `m` is a live view, copy it to keep it.
 */
export function runNormalGibbsChain(
  input: NormalGibbsInput,
  settings: GibbsSettings,
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): GibbsChain {
  const start = chainStart(input, settings);
  const { n, p, C, randomIntercept, iterations, priorPrecision, starts, order, columns, support, m, missingRows, shifts, completed } = start;
  const { beta, priorTerm, b, gram, xb, eta, v, precision, rhs, traceBeta, traceTau } = start;
  let tau = input.tauStart;
  let sigma2 = input.sigma2Start;

  const crossprod = gramWithPlan(gram, new Float64Array(n).fill(1)); // WᵀW, fixed
  const traceSigma = new Float64Array(iterations);

  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    // 1. impute
    const sd = Math.sqrt(sigma2);
    for (let k = 0; k < missingRows.length; k++) {
      const r = missingRows[k];
      m[r] = eta[r] + sd * rng.normal();
    }
    // 2. hand out a completed data set
    if (savesImputation(it, settings)) {
      for (let k = 0; k < n; k++) completed[order[k]] = m[k];
      if (shifts !== null) for (let k = 0; k < missingRows.length; k++) completed[order[missingRows[k]]] += shifts[k];
      onImputation(completed, saved++);
    }
    // 3. β | b, σ², M
    const residualPrecision = 1 / sigma2;
    for (let k = 0; k < p * p; k++) precision[k] = crossprod[k] * residualPrecision;
    for (let j = 0; j < p; j++) precision[j * p + j] += priorPrecision;
    for (let c = 0; c < C; c++) {
      const bc = b[c];
      for (let r = starts[c]; r < starts[c + 1]; r++) v[r] = (m[r] - bc) * residualPrecision;
    }
    crossprodVectorColumns(columns, n, p, v, rhs, support);
    for (let j = 0; j < p; j++) rhs[j] += priorTerm[j];
    drawGaussianInPlace(precision, p, rhs, rng, it);
    beta.set(rhs);
    traceBeta.set(beta, (it - 1) * p);
    multiplyVectorColumns(columns, n, p, beta, xb, support);
    if (randomIntercept) {
      // 4. random intercepts b_i | β, σ², τ, M
      let sumSq = 0;
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let r = starts[c]; r < starts[c + 1]; r++) s += m[r] - xb[r];
        const prec = tau + (starts[c + 1] - starts[c]) * residualPrecision;
        const bc = (s * residualPrecision) / prec + rng.normal() / Math.sqrt(prec);
        b[c] = bc;
        sumSq += bc * bc;
        for (let r = starts[c]; r < starts[c + 1]; r++) eta[r] = xb[r] + bc;
      }
      // 5. random-intercept precision
      tau = drawPrecision(rng, settings, C, sumSq, tau);
      traceTau[it - 1] = tau;
    } else {
      eta.set(xb);
    }
    // 6. residual variance
    let rss = 0;
    for (let r = 0; r < n; r++) {
      const e = m[r] - eta[r];
      rss += e * e;
    }
    sigma2 = 1 / gamma(rng, settings.residualShape + n / 2, settings.residualRate + rss / 2);
    traceSigma[it - 1] = Math.sqrt(sigma2);
  }
  return { iterations, beta: traceBeta, tau: traceTau, sigma: traceSigma };
}
