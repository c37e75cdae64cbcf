/**
 * The draw every model of the smc sampler shares: fixed effects β and cluster
 * random intercepts b of a model that is, given its latent variables, a
 * weighted normal regression
 *
 *   z_r = x_rᵀβ + b_c(r) + e_r,  e_r ~ N(0, 1/(s·w_r)),  b_c ~ N(0, 1/τ),
 *   β ~ N(β₀, diag(1/π)),
 *
 * (linear mixed model: w = 1, s = 1/σ²; Pólya-Gamma logistic model: w = ω,
 * z = κ/ω, s = 1). β is drawn from its conditional with b integrated out and
 * then b | β, which is one draw from their joint conditional: the fixed
 * effects and the random intercepts (an intercept and a cluster-level
 * treatment against the cluster effects) never wait on each other.
 *
 * With b integrated out, cluster c contributes Σ_r s·w_r x_r x_rᵀ − s²·u_c u_cᵀ/(τ + s·W_c)
 * to the precision of β, u_c = Σ_{r∈c} w_r x_r, W_c = Σ_{r∈c} w_r, and
 * b_c | β ~ N(s(h_c − u_cᵀβ)/(τ + s·W_c), 1/(τ + s·W_c)), h_c = Σ_{r∈c} w_r z_r.
 * Everything enters through these sums, so a draw costs O(C·p²), not O(n·p).
 */
import { ComputeError } from "../../core/errors.ts";
import { choleskyInPlace, solveLowerInPlace, solveLowerTransposeInPlace } from "../../linalg/cholesky.ts";
import type { Rng } from "../../random/rng.ts";

/** Weighted sufficient statistics of one model's regression (filled by the model each iteration). */
export interface BlockStatistics {
  readonly p: number;
  readonly clusters: number;
  /** Σ w x xᵀ (p × p; the lower triangle is read). */
  readonly gram: Float64Array;
  /** Σ w z x (p). */
  readonly cross: Float64Array;
  /** u_c = Σ_{r∈c} w x, C × p row-major. */
  readonly clusterSums: Float64Array;
  /** W_c = Σ_{r∈c} w. */
  readonly clusterWeights: Float64Array;
  /** h_c = Σ_{r∈c} w z. */
  readonly clusterCross: Float64Array;
}

export interface NormalPrior {
  /** Diagonal prior precision π_j. */
  readonly precision: Float64Array;
  /** π_j·β₀_j. */
  readonly term: Float64Array;
}

export function blockStatistics(p: number, clusters: number): BlockStatistics {
  return {
    p,
    clusters,
    gram: new Float64Array(p * p),
    cross: new Float64Array(p),
    clusterSums: new Float64Array(clusters * p),
    clusterWeights: new Float64Array(clusters),
    clusterCross: new Float64Array(clusters),
  };
}

export function normalPrior(mean: ArrayLike<number>, variance: ArrayLike<number>): NormalPrior {
  const precision = Float64Array.from(variance, (v) => 1 / v);
  return { precision, term: Float64Array.from(precision, (q, j) => q * mean[j]) };
}

/** Scratch for drawBlock, allocated once per chain. */
export interface BlockWork {
  readonly precision: Float64Array;
  readonly rhs: Float64Array;
}

export function blockWork(p: number): BlockWork {
  return { precision: new Float64Array(p * p), rhs: new Float64Array(p) };
}

/**
 * Draws β into `beta` and b into `b` given the statistics, the scale s and the
 * random-intercept precision τ; returns Σ b_c². `what` names the model in
 * the error raised when the precision of β is not positive definite.
 */
export function drawBlock(
  stats: BlockStatistics,
  scale: number,
  tau: number,
  prior: NormalPrior,
  rng: Rng,
  beta: Float64Array,
  b: Float64Array,
  work: BlockWork,
  what: string,
): number {
  const { p, clusters, gram, cross, clusterSums, clusterWeights, clusterCross } = stats;
  const { precision, rhs } = work;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) precision[i * p + j] = gram[i * p + j];
    rhs[i] = cross[i];
  }
  for (let c = 0; c < clusters; c++) {
    const shrink = scale / (tau + scale * clusterWeights[c]);
    const hc = clusterCross[c] * shrink;
    const o = c * p;
    for (let i = 0; i < p; i++) {
      const ui = clusterSums[o + i];
      if (ui === 0) continue;
      const f = ui * shrink;
      const row = i * p;
      for (let j = 0; j <= i; j++) precision[row + j] -= f * clusterSums[o + j];
      rhs[i] -= ui * hc;
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) precision[i * p + j] *= scale;
    precision[i * p + i] += prior.precision[i];
    rhs[i] = rhs[i] * scale + prior.term[i];
  }
  const status = choleskyInPlace(precision, p);
  if (status !== 0) throw new ComputeError(`smc: the posterior precision of the ${what} coefficients is not positive definite`);
  solveLowerInPlace(precision, p, rhs);
  for (let j = 0; j < p; j++) rhs[j] += rng.normal();
  solveLowerTransposeInPlace(precision, p, rhs);
  beta.set(rhs);

  let sumSq = 0;
  for (let c = 0; c < clusters; c++) {
    const o = c * p;
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += clusterSums[o + j] * beta[j];
    const prec = tau + scale * clusterWeights[c];
    const bc = (scale * (clusterCross[c] - fitted)) / prec + rng.normal() / Math.sqrt(prec);
    b[c] = bc;
    sumSq += bc * bc;
  }
  return sumSq;
}

/**
 * Priors and starting values of a linear random-intercept model (the
 * gaussian substantive model, the normal modifier model and the categorical
 * substantive model): N(priorMean, diag(priorVariance)) on the fixed effects,
 * Gamma(precisionShape, precisionRate) on the precisions.
 */
export interface NormalModelSpec {
  readonly priorMean: ArrayLike<number>;
  readonly priorVariance: ArrayLike<number>;
  readonly precisionShape: number;
  readonly precisionRate: number;
  /** σ² to start from (ignored by a logistic model). */
  readonly startSigma2: number;
  readonly startClusterVariance: number;
  /** Starting random intercept per analysed cluster. */
  readonly startIntercepts: ArrayLike<number>;
}
