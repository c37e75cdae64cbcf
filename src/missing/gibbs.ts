/**
 * The Bayesian multilevel imputation (B-MMI) Gibbs sampler for a logistic
 * random-intercept imputation model with Pólya-Gamma augmentation
 * (Polson, Scott & Windle 2013), in the order of the B-MMI poster that
 * accompanies Blette et al. (2023). Each iteration:
 *   1. impute each missing M ~ Bernoulli(expit(wᵀβ + b_i));
 *   2. after burn-in, every `thin`-th iteration, hand the completed M to the caller;
 *   3. ω ~ PG(1, wᵀβ + b_i) for every row;
 *   4. β ~ N(V(Σ⁻¹β̂ + Wᵀ(κ − Ωb)), V), V = (WᵀΩW + Σ⁻¹)⁻¹, κ = M − ½;
 *   5. b_i ~ N(Σ_j(κ_ij − ω_ij wᵀβ)/(τ + Σ_j ω_ij), 1/(τ + Σ_j ω_ij));
 *   6. τ ~ Gamma(a + C/2, rate b + Σ b_i²/2).
 * Prior β ~ N(β̂, σ²_β I) centred at the GLMM estimates. All work arrays are
 * allocated once per chain; an iteration allocates nothing.
 */
import { ComputeError } from "../core/errors.ts";
import { choleskyInPlace, solveLowerInPlace, solveLowerTransposeInPlace } from "../linalg/cholesky.ts";
import {
  columnSupport,
  crossprodVectorColumns,
  multiplyVectorColumns,
  type ColumnSupport,
} from "../linalg/columns.ts";
import { gramPlan, gramWithPlan } from "../linalg/gram.ts";
import { polyaGammaFill } from "../random/polyagamma.ts";
import type { Rng } from "../random/rng.ts";
import { gamma } from "../random/samplers.ts";

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
}

/** The authors' defaults: burn-in 1000, thin 100, 15 imputations, N(β̂, 100·I), τ₀ = 2, Gamma(0.01, 0.01). */
export const GIBBS_DEFAULTS: GibbsSettings = {
  burnin: 1000,
  thin: 100,
  imputations: 15,
  priorVariance: 100,
  tauStart: 2,
  tauShape: 0.01,
  tauRate: 0.01,
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
}

export interface GibbsChain {
  readonly iterations: number;
  /** β draws, iterations × p, row-major (after step 4 of each iteration). */
  readonly beta: Float64Array;
  /** τ draws (after step 6). */
  readonly tau: Float64Array;
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
  const { n, p } = input;
  const C = input.starts.length - 1;
  const iterations = settings.burnin + settings.thin * settings.imputations;
  const priorPrecision = 1 / settings.priorVariance;

  // Work on a copy with clusters reordered so that columns that vanish on
  // whole clusters (interactions with a cluster-level 0/1 treatment) are zero
  // on one contiguous block of rows, which the products then skip.
  const layout = clusterLayout(input);
  const { starts, order, columns, support } = layout;
  const m = new Float64Array(n);
  const missing: number[] = [];
  for (let k = 0; k < n; k++) {
    const value = input.modifier[order[k]];
    if (Number.isNaN(value)) missing.push(k);
    else m[k] = value;
  }
  const missingRows = Int32Array.from(missing);
  const completed = new Float64Array(n);

  const beta = Float64Array.from(input.priorMean);
  const priorTerm = Float64Array.from(input.priorMean, (v) => v * priorPrecision);
  const b = new Float64Array(C);
  let tau = settings.tauStart;

  const gram = gramPlan(columns, n, p);
  const xb = multiplyVectorColumns(columns, n, p, beta, new Float64Array(n), support);
  // η = Wβ + b: starts at Wβ̂ (b = 0); step 5 refreshes it cluster by cluster.
  const eta = Float64Array.from(xb);
  const omega = new Float64Array(n);
  const v = new Float64Array(n);
  const precision = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const traceBeta = new Float64Array(iterations * p);
  const traceTau = new Float64Array(iterations);

  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    // 1. impute
    for (let k = 0; k < missingRows.length; k++) {
      const r = missingRows[k];
      m[r] = rng.uniform() * (1 + Math.exp(-eta[r])) < 1 ? 1 : 0;
    }
    // 2. hand out a completed data set
    if (it > settings.burnin && (it - settings.burnin) % settings.thin === 0) {
      for (let k = 0; k < n; k++) completed[order[k]] = m[k];
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
    const status = choleskyInPlace(precision, p);
    if (status !== 0) throw new ComputeError(`B-MMI: the posterior precision of the imputation coefficients is singular at iteration ${it}`);
    solveLowerInPlace(precision, p, rhs);
    for (let j = 0; j < p; j++) rhs[j] += rng.normal();
    solveLowerTransposeInPlace(precision, p, rhs);
    beta.set(rhs);
    traceBeta.set(beta, (it - 1) * p);
    multiplyVectorColumns(columns, n, p, beta, xb, support);
    // 5. random intercepts b_i | β, ω, M, τ
    let sumSq = 0;
    for (let c = 0; c < C; c++) {
      let s = 0;
      let w = 0;
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        s += m[r] - 0.5 - omega[r] * xb[r];
        w += omega[r];
      }
      const prec = tau + w;
      const bc = s / prec + rng.normal() / Math.sqrt(prec);
      b[c] = bc;
      sumSq += bc * bc;
      for (let r = starts[c]; r < starts[c + 1]; r++) eta[r] = xb[r] + bc;
    }
    // 6. random-intercept precision
    tau = gamma(rng, settings.tauShape + C / 2, settings.tauRate + sumSq / 2);
    traceTau[it - 1] = tau;
  }
  return { iterations, beta: traceBeta, tau: traceTau };
}

/**
 * Clusters sorted (stably) by which columns of W are entirely zero within
 * them, W copied column-major in that row order, and each column's support.
 * `order[k]` is the input row at working row k.
 */
function clusterLayout(input: GibbsInput): { starts: Int32Array; order: Int32Array; columns: Float64Array; support: ColumnSupport } {
  const { W, n, p, starts: inputStarts } = input;
  const C = inputStarts.length - 1;
  const signature: string[] = [];
  for (let c = 0; c < C; c++) {
    let key = "";
    for (let j = 0; j < p; j++) {
      let zero = true;
      for (let r = inputStarts[c]; r < inputStarts[c + 1] && zero; r++) zero = W[r * p + j] === 0;
      key += zero ? "0" : "1";
    }
    signature.push(key);
  }
  const clusterOrder = Array.from({ length: C }, (_, c) => c).sort((a, b) =>
    signature[a] < signature[b] ? -1 : signature[a] > signature[b] ? 1 : a - b,
  );
  const starts = new Int32Array(C + 1);
  const order = new Int32Array(n);
  let k = 0;
  clusterOrder.forEach((c, i) => {
    for (let r = inputStarts[c]; r < inputStarts[c + 1]; r++) order[k++] = r;
    starts[i + 1] = k;
  });
  const columns = new Float64Array(n * p);
  for (let kk = 0; kk < n; kk++) {
    const row = order[kk] * p;
    for (let j = 0; j < p; j++) columns[j * n + kk] = W[row + j];
  }
  return { starts, order, columns, support: columnSupport(columns, n, p) };
}
