/**
 * The B-MMI Gibbs sampler for a categorical modifier: a multinomial-logit
 * random-intercept model η_ij = wᵢᵀβ_j + b_cj (level 0 the reference,
 * η_i0 = 0) updated level by level with Pólya-Gamma augmentation as Holmes &
 * Held (2006) do: given the other levels, level j's likelihood is logistic,
 * P(M = j) = expit(η_ij − C_ij) with the offset C_ij = log Σ_{l≠j} exp(η_il).
 * Each iteration:
 *   1. impute each missing M_i from softmax(η_i);
 *   2. after burn-in, every `thin`-th iteration, hand the completed M out;
 *   3. for each non-reference level j:
 *      ω_i ~ PG(1, η_ij − C_ij);
 *      β_j ~ N(V(Σ⁻¹β̂_j + Wᵀ(κ_j + Ω(C_j − b_j))), V), V = (WᵀΩW + Σ⁻¹)⁻¹, κ_ij = 1{M_i = j} − ½;
 *      b_cj ~ N(Σ_i(κ_ij − ω_i(wᵢᵀβ_j − C_ij))/(τ_j + Σ_i ω_i), 1/(τ_j + Σ_i ω_i));
 *      τ_j ~ Gamma(a + C/2, rate b + Σ_c b_cj²/2).
 * Each non-reference level has its own random intercept and precision
 * (independent across levels): clusters may differ in how common each level
 * is without one shared shift tying the levels' logits together. The prior
 * is β_j ~ N(β̂_j, σ²_β I) around the single-level multinomial estimates.
 * Without a random intercept (a cluster-level modifier) b stays 0: Bayesian
 * multinomial regression. The iteration allocates nothing.
 */
import { crossprodVectorColumns, multiplyVectorColumns } from "../../linalg/columns.ts";
import { gramPlan, gramWithPlan } from "../../linalg/gram.ts";
import { polyaGammaFill } from "../../random/polyagamma.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { chainLayout, drawGaussianInPlace, type ChainLayout } from "../gibbs-layout.ts";
import { savesImputation, type GibbsSettings } from "../gibbs.ts";

export interface CategoricalGibbsInput {
  /** n × p design (row-major), rows grouped by cluster. */
  readonly W: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Levels k (codes 0..k−1). */
  readonly k: number;
  readonly starts: Int32Array;
  /** Observed level codes, NaN where missing. */
  readonly modifier: Float64Array;
  /** (k − 1)·p prior mean and start, level by level. */
  readonly priorMean: ArrayLike<number>;
  readonly randomIntercept: boolean;
  /** Also keep every draw of the random intercepts (for checks of the sampler). */
  readonly recordIntercepts?: boolean;
}

export interface CategoricalGibbsChain {
  readonly iterations: number;
  /** iterations × (k − 1)·p. */
  readonly beta: Float64Array;
  /** iterations × (k − 1) random-intercept precisions; empty without a random intercept. */
  readonly tau: Float64Array;
  /** With recordIntercepts: iterations × C × (k − 1), b[c·(k − 1) + j − 1] per iteration; else empty. */
  readonly intercepts: Float64Array;
}

/**
 * The multinomial-logit random-intercept model's state and its step-3 update
 * (level by level, above), shared by this chain and smc's categorical one
 * (smc/categorical-chain.ts). Rows are in the layout's working order.
 */
export class CategoricalLogitModel {
  readonly layout: ChainLayout;
  readonly k: number;
  readonly p: number;
  /** eta[r·k + j]: level j's linear predictor at working row r (eta[r·k] = 0). */
  readonly eta: Float64Array;
  /** (k − 1)·p coefficients, level by level. */
  readonly beta: Float64Array;
  /** b[c·(k − 1) + j − 1] per working cluster. */
  readonly b: Float64Array;
  /** k − 1 random-intercept precisions. */
  readonly tau: Float64Array;
  readonly randomIntercept: boolean;

  private readonly n: number;
  private readonly priorMean: ArrayLike<number>;
  private readonly priorPrecision: number;
  private readonly settings: GibbsSettings;
  private readonly gram: ReturnType<typeof gramPlan>;
  private readonly column: Float64Array;
  private readonly offset: Float64Array;
  private readonly psi: Float64Array;
  private readonly omega: Float64Array;
  private readonly v: Float64Array;
  private readonly precision: Float64Array;
  private readonly rhs: Float64Array;

  constructor(input: CategoricalGibbsInput, settings: GibbsSettings) {
    const { n, p, k } = input;
    const K = k - 1;
    const C = input.starts.length - 1;
    this.layout = chainLayout(input.W, n, p, input.starts);
    this.n = n;
    this.p = p;
    this.k = k;
    this.randomIntercept = input.randomIntercept;
    this.settings = settings;
    this.priorMean = input.priorMean;
    this.priorPrecision = 1 / settings.priorVariance;
    this.beta = Float64Array.from(input.priorMean);
    this.b = new Float64Array(C * K);
    this.tau = new Float64Array(K).fill(settings.tauStart);
    const { columns, support } = this.layout;
    this.gram = gramPlan(columns, n, p);
    this.eta = new Float64Array(n * k);
    this.column = new Float64Array(n);
    const coefficient = new Float64Array(p);
    for (let j = 1; j < k; j++) {
      coefficient.set(this.beta.subarray((j - 1) * p, j * p));
      multiplyVectorColumns(columns, n, p, coefficient, this.column, support);
      for (let r = 0; r < n; r++) this.eta[r * k + j] = this.column[r];
    }
    this.offset = new Float64Array(n);
    this.psi = new Float64Array(n);
    this.omega = new Float64Array(n);
    this.v = new Float64Array(n);
    this.precision = new Float64Array(p * p);
    this.rhs = new Float64Array(p);
  }

  /** Step 3: β_j, b_j and τ_j for each non-reference level given the completed codes `m` (working order); `it` names the iteration in errors. */
  update(m: Float64Array, rng: Rng, it: number): void {
    const { n, p, k, eta, beta, b, tau, offset, psi, omega, v, precision, rhs, column, priorPrecision, settings } = this;
    const { starts, columns, support } = this.layout;
    const K = k - 1;
    const C = starts.length - 1;
    for (let j = 1; j < k; j++) {
      for (let r = 0; r < n; r++) {
        let max = 0; // the reference's η = 0
        for (let l = 1; l < k; l++) if (l !== j) max = Math.max(max, eta[r * k + l]);
        let sum = Math.exp(-max);
        for (let l = 1; l < k; l++) if (l !== j) sum += Math.exp(eta[r * k + l] - max);
        offset[r] = max + Math.log(sum);
        psi[r] = eta[r * k + j] - offset[r];
      }
      polyaGammaFill(rng, psi, omega, n);
      gramWithPlan(this.gram, omega, precision);
      for (let a = 0; a < p; a++) precision[a * p + a] += priorPrecision;
      for (let c = 0; c < C; c++) {
        const bc = b[c * K + j - 1];
        for (let r = starts[c]; r < starts[c + 1]; r++) v[r] = (m[r] === j ? 0.5 : -0.5) + omega[r] * (offset[r] - bc);
      }
      crossprodVectorColumns(columns, n, p, v, rhs, support);
      for (let a = 0; a < p; a++) rhs[a] += this.priorMean[(j - 1) * p + a] * priorPrecision;
      drawGaussianInPlace(precision, p, rhs, rng, it);
      beta.set(rhs, (j - 1) * p);
      multiplyVectorColumns(columns, n, p, rhs, column, support);
      if (!this.randomIntercept) {
        for (let r = 0; r < n; r++) eta[r * k + j] = column[r];
        continue;
      }
      let sumSq = 0;
      for (let c = 0; c < C; c++) {
        let s = 0;
        let w = 0;
        for (let r = starts[c]; r < starts[c + 1]; r++) {
          s += (m[r] === j ? 0.5 : -0.5) - omega[r] * (column[r] - offset[r]);
          w += omega[r];
        }
        const prec = tau[j - 1] + w;
        const bc = s / prec + rng.normal() / Math.sqrt(prec);
        b[c * K + j - 1] = bc;
        sumSq += bc * bc;
        for (let r = starts[c]; r < starts[c + 1]; r++) eta[r * k + j] = column[r] + bc;
      }
      tau[j - 1] = gamma(rng, settings.tauShape + C / 2, settings.tauRate + sumSq / 2);
    }
  }
}

/** Runs one chain; `onImputation(m, k)` receives a live view of the completed codes (input row order). */
export function runCategoricalGibbsChain(
  input: CategoricalGibbsInput,
  settings: GibbsSettings,
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): CategoricalGibbsChain {
  const { n, p, k, randomIntercept } = input;
  const K = k - 1;
  const q = K * p;
  const C = input.starts.length - 1;
  const iterations = settings.burnin + settings.thin * settings.imputations;
  const model = new CategoricalLogitModel(input, settings);
  const { order } = model.layout;
  const m = new Float64Array(n);
  const missing: number[] = [];
  for (let r = 0; r < n; r++) {
    const v = input.modifier[order[r]];
    if (Number.isNaN(v)) missing.push(r);
    else m[r] = v;
  }
  const missingRows = Int32Array.from(missing);
  const completed = new Float64Array(n);
  const { eta, beta, b, tau } = model;
  const traceBeta = new Float64Array(iterations * q);
  const traceTau = new Float64Array(randomIntercept ? iterations * K : 0);
  const traceB = new Float64Array(randomIntercept && input.recordIntercepts ? iterations * C * K : 0);

  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    // 1. impute from softmax(η)
    for (const r of missingRows) {
      let max = 0;
      for (let j = 1; j < k; j++) max = Math.max(max, eta[r * k + j]);
      let total = 0;
      for (let j = 0; j < k; j++) total += Math.exp(eta[r * k + j] - max);
      const target = rng.uniform() * total;
      let level = k - 1;
      let cumulative = 0;
      for (let j = 0; j < k - 1; j++) {
        cumulative += Math.exp(eta[r * k + j] - max);
        if (target < cumulative) {
          level = j;
          break;
        }
      }
      m[r] = level;
    }
    // 2. hand out a completed data set
    if (savesImputation(it, settings)) {
      for (let r = 0; r < n; r++) completed[order[r]] = m[r];
      onImputation(completed, saved++);
    }
    // 3. level by level
    model.update(m, rng, it);
    traceBeta.set(beta, (it - 1) * q);
    if (randomIntercept) traceTau.set(tau, (it - 1) * K);
    if (traceB.length > 0) traceB.set(b, (it - 1) * C * K);
  }
  return { iterations, beta: traceBeta, tau: traceTau, intercepts: traceB };
}
