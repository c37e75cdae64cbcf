/**
 * The multinomial-logit model of a categorical modifier with k levels,
 * level 0 the reference: P(M = j | w) = exp(wᵀβ_j)/Σ_l exp(wᵀβ_l), β_0 = 0.
 * Fitted by Newton–Raphson on the log-likelihood (for this canonical link the
 * observed and expected information agree, so it is also IRLS), from β = 0,
 * with step halving whenever the log-likelihood would fall. The coefficients
 * are stacked level by level, β_1 then β_2 …, each in the design's column
 * order (the order of R's `nnet::multinom` and of its Hessian); the
 * covariance is the inverse information at the estimate.
 */
import { ComputeError } from "../../core/errors.ts";
import { choleskyInPlace, choleskyInverse, choleskySolveInPlace } from "../../linalg/cholesky.ts";

export interface MultinomialFit {
  /** (k − 1)·p, level by level. */
  readonly coefficients: Float64Array;
  /** ((k − 1)·p)² row-major: the inverse information. */
  readonly vcov: Float64Array;
  readonly logLik: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Some fitted probability within 1e-10 of 0 or 1 (separation). */
  readonly boundary: boolean;
}

const MAX_ITERATIONS = 100;
/** Largest full Newton step, relative to 1 + |β|, at convergence. */
const TOLERANCE = 1e-10;

/**
 * Each unit's level probabilities (n × k row-major, into `out`) for the
 * n × p design `w` and stacked coefficients `beta`; returns the
 * log-likelihood of `y` (level codes) when given.
 */
export function levelProbabilities(w: Float64Array, n: number, p: number, k: number, beta: ArrayLike<number>, out: Float64Array, y?: ArrayLike<number>): number {
  let logLik = 0;
  for (let i = 0; i < n; i++) {
    let max = 0; // η_0 = 0
    const o = i * k;
    out[o] = 0;
    for (let j = 1; j < k; j++) {
      let eta = 0;
      for (let c = 0; c < p; c++) eta += w[i * p + c] * beta[(j - 1) * p + c];
      out[o + j] = eta;
      if (eta > max) max = eta;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(out[o + j] - max);
    const logSum = max + Math.log(sum);
    if (y !== undefined) logLik += out[o + y[i]] - logSum;
    for (let j = 0; j < k; j++) out[o + j] = Math.exp(out[o + j] - logSum);
  }
  return logLik;
}

/** Gradient and information at the probabilities `prob`. */
function scoreAndInformation(w: Float64Array, n: number, p: number, k: number, y: ArrayLike<number>, prob: Float64Array, score: Float64Array, info: Float64Array): void {
  const q = (k - 1) * p;
  score.fill(0);
  info.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const wi = i * p;
    for (let j = 1; j < k; j++) {
      const resid = (y[i] === j ? 1 : 0) - prob[o + j];
      for (let c = 0; c < p; c++) score[(j - 1) * p + c] += resid * w[wi + c];
      for (let l = j; l < k; l++) {
        const weight = prob[o + j] * ((j === l ? 1 : 0) - prob[o + l]);
        if (weight === 0) continue;
        for (let a = 0; a < p; a++) {
          const wa = weight * w[wi + a];
          const row = ((j - 1) * p + a) * q + (l - 1) * p;
          for (let b = 0; b < p; b++) info[row + b] += wa * w[wi + b];
        }
      }
    }
  }
  // Fill the lower blocks from the upper ones.
  for (let r = 0; r < q; r++) for (let c = 0; c < r; c++) info[r * q + c] = info[c * q + r];
}

/** Fits the model to n units (design `w`, n × p; `y` level codes 0..k−1). */
export function multinomialFit(w: Float64Array, n: number, p: number, y: ArrayLike<number>, k: number): MultinomialFit {
  const q = (k - 1) * p;
  let beta = new Float64Array(q);
  const prob = new Float64Array(n * k);
  const score = new Float64Array(q);
  const info = new Float64Array(q * q);
  let logLik = levelProbabilities(w, n, p, k, beta, prob, y);
  let converged = false;
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    scoreAndInformation(w, n, p, k, y, prob, score, info);
    if (choleskyInPlace(info, q) !== 0) throw new ComputeError(`the multinomial imputation model's information matrix is singular (iteration ${iterations}): a level or covariate pattern is too rare`);
    const step = Float64Array.from(score);
    choleskySolveInPlace(info, q, step);
    let scale = 1;
    let next = beta;
    let nextLogLik = -Infinity;
    for (let halving = 0; halving < 30; halving++) {
      next = Float64Array.from(beta, (b, i) => b + scale * step[i]);
      nextLogLik = levelProbabilities(w, n, p, k, next, prob, y);
      if (nextLogLik >= logLik - 1e-12 * Math.abs(logLik)) break;
      scale /= 2;
    }
    // A full Newton step this small leaves an error of its square: converged.
    let largest = 0;
    for (let i = 0; i < q; i++) largest = Math.max(largest, Math.abs(step[i]) / (1 + Math.abs(beta[i])));
    beta = next;
    logLik = nextLogLik;
    if (scale === 1 && largest <= TOLERANCE) {
      converged = true;
      break;
    }
  }
  levelProbabilities(w, n, p, k, beta, prob, y);
  scoreAndInformation(w, n, p, k, y, prob, score, info);
  if (choleskyInPlace(info, q) !== 0) throw new ComputeError("the multinomial imputation model's information matrix is singular at the estimate");
  const vcov = choleskyInverse(info, q);
  let boundary = false;
  for (let i = 0; i < n * k && !boundary; i++) boundary = prob[i] < 1e-10 || prob[i] > 1 - 1e-10;
  return { coefficients: beta, vcov, logLik, converged, iterations, boundary };
}
