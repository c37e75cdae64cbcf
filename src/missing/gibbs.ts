/**
 * The Bayesian multilevel imputation (B-MMI) Gibbs sampler for a logistic
 * random-intercept imputation model with Pólya-Gamma augmentation
 * (Polson, Scott & Windle 2013), in the order of the B-MMI poster that
 * accompanies Blette et al. (2023). Each iteration:
 *   1. impute each missing M ~ Bernoulli(expit(wᵀβ + b_i)) (logistic-draw.ts);
 *   2. after burn-in, every `thin`-th iteration, hand the completed M to the caller;
 *   3. ω ~ PG(1, wᵀβ + b_i) for every row;
 *   4. β ~ N(V(Σ⁻¹β̂ + Wᵀ(κ − Ωb)), V), V = (WᵀΩW + Σ⁻¹)⁻¹, κ = M − ½;
 *   5. b_i ~ N(Σ_j(κ_ij − ω_ij wᵀβ)/(τ + Σ_j ω_ij), 1/(τ + Σ_j ω_ij));
 *   6. τ ~ Gamma(a + C/2, rate b + Σ b_i²/2) (or, under a half-normal prior on
 *      the SD, a slice-sampling update from its exact conditional: tau-prior.ts).
 * Prior β ~ N(β̂, σ²_β I) centred at the GLMM estimates. Without a random
 * intercept (a cluster-level modifier: one unit per cluster) steps 5 and 6
 * are skipped and b stays 0: Bayesian logistic regression. All work arrays
 * are allocated once per chain; an iteration allocates nothing.
 *
 * A δ-adjustment (mnar.ts, `shift`) enters only the completed data sets
 * handed out in step 2: there each missing M is drawn from
 * Bernoulli(expit(wᵀβ + b_i + δ)) with the same uniform as the chain's own
 * step-1 draw. The chain itself imputes under MAR, so β, b and τ are updated
 * exactly as without δ (the same draws, bit for bit): δ moves the imputed
 * values, not the imputation model's posterior.
 */
import { crossprodVectorColumns, multiplyVectorColumns } from "../linalg/columns.ts";
import { gramPlan, gramWithPlan } from "../linalg/gram.ts";
import { logisticDraw } from "../random/logistic-draw.ts";
import { polyaGammaFill } from "../random/polyagamma.ts";
import type { Rng } from "../random/rng.ts";
import { drawPrecision } from "./tau-prior.ts";
import { chainLayout, drawGaussianInPlace } from "./gibbs-layout.ts";

export interface GibbsSettings {
  readonly burnin: number;
  readonly thin: number;
  /** Completed data sets handed out: iterations burnin + thin·k, k = 1..imputations. */
  readonly imputations: number;
  /** Prior variance σ²_β of each coefficient around the prior mean. */
  readonly priorVariance: number;
  /** Starting random-intercept precision τ. */
  readonly tauStart: number;
  /** Gamma(shape, rate) prior on τ. */
  readonly tauShape: number;
  readonly tauRate: number;
  /** Half-normal(s) prior on the random-intercept SD instead (tau-prior.ts: a slice-sampling update of log τ). */
  readonly halfNormalScale?: number;
  /** Gamma(shape, rate) prior on the residual precision 1/σ² of a continuous modifier (gibbs-normal.ts). */
  readonly residualShape: number;
  readonly residualRate: number;
}

/**
 * The authors' defaults: burn-in 1000, thin 100, 15 imputations, N(β̂, 100·I),
 * τ₀ = 2, Gamma(0.01, 0.01); the same vague Gamma(0.01, 0.01) on 1/σ².
 */
export const GIBBS_DEFAULTS: GibbsSettings = {
  burnin: 1000,
  thin: 100,
  imputations: 15,
  priorVariance: 100,
  tauStart: 2,
  tauShape: 0.01,
  tauRate: 0.01,
  residualShape: 0.01,
  residualRate: 0.01,
};

export interface GibbsInput {
  /** n × p imputation design matrix (row-major), rows grouped by cluster. */
  readonly W: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Cluster c owns rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
  /** Observed modifier: 0/1, NaN where missing. */
  readonly modifier: Float64Array;
  /** Prior mean β̂ (and the chain's starting β). */
  readonly priorMean: ArrayLike<number>;
  /** With a cluster random intercept (default true). */
  readonly randomIntercept?: boolean;
  /** δ of each row for the handed-out draws of missing values (mnar.ts); null or absent: none. */
  readonly shift?: Float64Array | null;
}

/** The missing rows in working order, and their δs in that order (null without a shift). */
export function missingLayout(input: GibbsInput, order: Int32Array, m: Float64Array): { missingRows: Int32Array; shifts: Float64Array | null } {
  const missing: number[] = [];
  for (let k = 0; k < input.n; k++) {
    const value = input.modifier[order[k]];
    if (Number.isNaN(value)) missing.push(k);
    else m[k] = value;
  }
  const shift = input.shift ?? null;
  return { missingRows: Int32Array.from(missing), shifts: shift === null ? null : Float64Array.from(missing, (k) => shift[order[k]]) };
}

export interface GibbsChain {
  readonly iterations: number;
  /** β draws, iterations × p, row-major (after the β step of each iteration). */
  readonly beta: Float64Array;
  /** τ draws; empty without a random intercept. */
  readonly tau: Float64Array;
  /** Residual SD draws σ (normal sampler); empty for the logistic one. */
  readonly sigma: Float64Array;
}

/** Whether iteration `it` (1-based) hands out a completed data set. */
export function savesImputation(it: number, settings: GibbsSettings): boolean {
  return it > settings.burnin && (it - settings.burnin) % settings.thin === 0;
}

/**
 * What every Gibbs chain over an imputation design starts from (this file's
 * logistic chain, gibbs-normal.ts's linear one): the row layout, the
 * missing rows, β at its prior mean with the prior's precision term, zero
 * random intercepts, Wβ (also the first linear predictor), the Gram plan and
 * the per-iteration work and trace arrays.
 */
export function chainStart(input: GibbsInput, settings: GibbsSettings) {
  const { n, p } = input;
  const C = input.starts.length - 1;
  const randomIntercept = input.randomIntercept ?? true;
  const iterations = settings.burnin + settings.thin * settings.imputations;
  const priorPrecision = 1 / settings.priorVariance;
  const layout = chainLayout(input.W, n, p, input.starts);
  const m = new Float64Array(n);
  const { missingRows, shifts } = missingLayout(input, layout.order, m);
  const beta = Float64Array.from(input.priorMean);
  const xb = multiplyVectorColumns(layout.columns, n, p, beta, new Float64Array(n), layout.support);
  return {
    n,
    p,
    C,
    randomIntercept,
    iterations,
    priorPrecision,
    ...layout,
    m,
    missingRows,
    shifts,
    completed: new Float64Array(n),
    beta,
    priorTerm: Float64Array.from(input.priorMean, (v) => v * priorPrecision),
    b: new Float64Array(C),
    gram: gramPlan(layout.columns, n, p),
    xb,
    // η = Wβ + b starts at Wβ (b = 0).
    eta: Float64Array.from(xb),
    v: new Float64Array(n),
    precision: new Float64Array(p * p),
    rhs: new Float64Array(p),
    traceBeta: new Float64Array(iterations * p),
    traceTau: new Float64Array(randomIntercept ? iterations : 0),
  };
}

/**
 * Runs one chain. `onImputation(m, k)` receives the completed modifier at the
 * k-th saved iteration (k = 0..imputations−1); `m` is a live view, copy it to keep it.
 */
export function runGibbsChain(
  input: GibbsInput,
  settings: GibbsSettings,
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): GibbsChain {
  const start = chainStart(input, settings);
  const { n, p, C, randomIntercept, iterations, priorPrecision, starts, order, columns, support, m, missingRows, shifts, completed } = start;
  const { beta, priorTerm, b, gram, xb, eta, v, precision, rhs, traceBeta, traceTau } = start;
  const shifted = new Float64Array(missingRows.length);
  const clusterS = new Float64Array(C);
  const clusterW = new Float64Array(C);
  let tau = settings.tauStart;
  const omega = new Float64Array(n);

  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    // 1. impute (and, at a saved iteration under δ, the shifted draws from the same uniforms)
    const saving = savesImputation(it, settings);
    for (let k = 0; k < missingRows.length; k++) {
      const r = missingRows[k];
      const u = rng.uniform();
      m[r] = logisticDraw(u, eta[r]);
      // −(η + δ) is exactly −η − δ: the same exponent as u·(1 + e^{−η−δ}) < 1.
      if (shifts !== null && saving) shifted[k] = logisticDraw(u, eta[r] + shifts[k]);
    }
    // 2. hand out a completed data set
    if (saving) {
      for (let k = 0; k < n; k++) completed[order[k]] = m[k];
      if (shifts !== null) for (let k = 0; k < missingRows.length; k++) completed[order[missingRows[k]]] = shifted[k];
      onImputation(completed, saved++);
    }
    // 3. Pólya-Gamma latent variables
    polyaGammaFill(rng, eta, omega, n);
    // 4. β | ω, b, M
    gramWithPlan(gram, omega, precision);
    for (let j = 0; j < p; j++) precision[j * p + j] += priorPrecision;
    for (let c = 0; c < C; c++) {
      const bc = b[c];
      for (let r = starts[c]; r < starts[c + 1]; r++) v[r] = m[r] - 0.5 - omega[r] * bc;
    }
    crossprodVectorColumns(columns, n, p, v, rhs, support);
    for (let j = 0; j < p; j++) rhs[j] += priorTerm[j];
    drawGaussianInPlace(precision, p, rhs, rng, it);
    beta.set(rhs);
    traceBeta.set(beta, (it - 1) * p);
    multiplyVectorColumns(columns, n, p, beta, xb, support);
    if (!randomIntercept) {
      eta.set(xb);
      continue;
    }
    // 5. random intercepts b_i | β, ω, M, τ
    clusterSums(m, omega, xb, starts, C, clusterS, clusterW);
    let sumSq = 0;
    for (let c = 0; c < C; c++) {
      const prec = tau + clusterW[c];
      const bc = clusterS[c] / prec + rng.normal() / Math.sqrt(prec);
      b[c] = bc;
      sumSq += bc * bc;
      for (let r = starts[c]; r < starts[c + 1]; r++) eta[r] = xb[r] + bc;
    }
    // 6. random-intercept precision
    tau = drawPrecision(rng, settings, C, sumSq, tau);
    traceTau[it - 1] = tau;
  }
  return { iterations, beta: traceBeta, tau: traceTau, sigma: new Float64Array(0) };
}

/**
 * Per cluster c: s[c] = Σ_j (m − ½ − ω·xb) and w[c] = Σ_j ω over its rows, in
 * row order. Each sum is a chain of dependent additions, so two clusters are
 * summed side by side (their chains overlap); every sum keeps its own order,
 * hence its exact value.
 */
export function clusterSums(
  m: Float64Array,
  omega: Float64Array,
  xb: Float64Array,
  starts: Int32Array,
  C: number,
  s: Float64Array,
  w: Float64Array,
): void {
  let c = 0;
  for (; c + 1 < C; c += 2) {
    const a = starts[c];
    const b = starts[c + 1];
    const end = starts[c + 2];
    const common = Math.min(b - a, end - b);
    let s0 = 0;
    let w0 = 0;
    let s1 = 0;
    let w1 = 0;
    for (let k = 0; k < common; k++) {
      const r0 = a + k;
      const r1 = b + k;
      s0 += m[r0] - 0.5 - omega[r0] * xb[r0];
      w0 += omega[r0];
      s1 += m[r1] - 0.5 - omega[r1] * xb[r1];
      w1 += omega[r1];
    }
    for (let r = a + common; r < b; r++) {
      s0 += m[r] - 0.5 - omega[r] * xb[r];
      w0 += omega[r];
    }
    for (let r = b + common; r < end; r++) {
      s1 += m[r] - 0.5 - omega[r] * xb[r];
      w1 += omega[r];
    }
    s[c] = s0;
    w[c] = w0;
    s[c + 1] = s1;
    w[c + 1] = w1;
  }
  if (c < C) {
    let s0 = 0;
    let w0 = 0;
    for (let r = starts[c]; r < starts[c + 1]; r++) {
      s0 += m[r] - 0.5 - omega[r] * xb[r];
      w0 += omega[r];
    }
    s[c] = s0;
    w[c] = w0;
  }
}
