/**
 * Kernel-level GLM fit by iteratively reweighted least squares, step for
 * step as R's `glm.fit`: starting means from the family, the deviance
 * convergence test |dev − devold| / (|dev| + 0.1) < ε, step halving when the
 * deviance is not finite or η/μ leave their domain, and the information
 * matrix Xᵀ·W·X of the last iteration (what `summary.glm` inverts).
 *
 * No validation here: callers (glm(), GLMM starting values, imputation
 * models) pass a full-rank design and responses valid for the family.
 */
import { ComputeError } from "../../core/errors.ts";
import { crossprod, crossprodVector, multiplyVector } from "../../linalg/crossprod.ts";
import { equilibratedCholesky, equilibratedSolveInPlace } from "../../linalg/equilibrated.ts";
import type { Family } from "../family/family.ts";
import type { Link } from "../family/link.ts";

export interface GlmFitOptions {
  /** Prior weights (length n, ≥ 0); rows with weight 0 do not enter the fit. Default 1. */
  readonly weights?: ArrayLike<number>;
  /** Offset added to the linear predictor (length n). */
  readonly offset?: ArrayLike<number>;
  /** Starting coefficients; by default IRLS starts from the family's starting means. */
  readonly start?: ArrayLike<number>;
  /** Maximum IRLS iterations (R: 25). */
  readonly maxIter?: number;
  /** Relative deviance tolerance (R: 1e-8). */
  readonly tolerance?: number;
}

/** What IRLS returns: plain typed arrays, no inference. */
export interface GlmKernelFit {
  readonly coefficients: Float64Array;
  /** Linear predictor η = Xβ + offset. */
  readonly eta: Float64Array;
  /** Fitted means μ = g⁻¹(η). */
  readonly mu: Float64Array;
  /** Working weights of the last iteration (0 for rows left out). */
  readonly workingWeights: Float64Array;
  /** Xᵀ·W·X of the last iteration (p×p); its inverse is the unscaled covariance. */
  readonly information: Float64Array;
  readonly deviance: number;
  readonly converged: boolean;
  /** True when step halving had to pull η or μ back into their domain. */
  readonly boundary: boolean;
  readonly iterations: number;
}

/**
 * Fits a GLM to the row-major n×p design `x` and response `y`.
 * Throws a ComputeError when IRLS cannot proceed (no valid step, singular
 * weighted information, non-finite variance).
 */
export function glmFit(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  family: Family,
  link: Link,
  options: GlmFitOptions = {},
): GlmKernelFit {
  const maxIter = options.maxIter ?? 25;
  const tolerance = options.tolerance ?? 1e-8;
  const prior = options.weights;
  const offset = options.offset;

  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const z = new Float64Array(n);
  const w2 = new Float64Array(n);
  const info = new Float64Array(p * p);
  const l = new Float64Array(p * p);
  const scale = new Float64Array(p);
  const beta = new Float64Array(p);
  let coefOld: Float64Array | null = null;

  // Starting linear predictor: from coefficients when given, else η = g(μ_start).
  if (options.start) {
    beta.set(options.start as ArrayLike<number>);
    coefOld = Float64Array.from(beta);
    predict(x, n, p, beta, offset, link, eta, mu);
  } else {
    for (let i = 0; i < n; i++) {
      // R's binomial initialize sets y to 0 where the weight is 0 before choosing μ.
      const w = prior ? prior[i] : 1;
      const yi = w === 0 && family.name === "binomial" ? 0 : y[i];
      eta[i] = link.linkfun(family.startingMu(yi, w));
      mu[i] = link.linkinv(eta[i]);
    }
  }
  let devOld = deviance(y, mu, prior, family, n);
  // From the family's starting means the deviance is finite unless a row overflows: say which.
  if (!options.start && !Number.isFinite(devOld)) throw nonFiniteDeviance(y, mu, prior, family, n, devOld, "at the starting values");
  let dev = devOld;
  let converged = false;
  let boundary = false;
  let iter = 0;

  for (iter = 1; iter <= maxIter; iter++) {
    let nGood = 0;
    for (let i = 0; i < n; i++) {
      const w = prior ? prior[i] : 1;
      const me = link.muEta(eta[i]);
      if (!(w > 0) || me === 0) {
        w2[i] = 0;
        z[i] = 0;
        continue;
      }
      const v = family.variance(mu[i]);
      if (Number.isNaN(v)) throw new ComputeError(`IRLS: variance is NaN at row ${i + 1} (mu = ${mu[i]})`);
      if (v === 0) throw new ComputeError(`IRLS: variance is 0 at row ${i + 1} (mu = ${mu[i]})`);
      if (Number.isNaN(me)) throw new ComputeError(`IRLS: d mu / d eta is NaN at row ${i + 1} (eta = ${eta[i]})`);
      z[i] = eta[i] - (offset ? offset[i] : 0) + (y[i] - mu[i]) / me;
      w2[i] = (w * me * me) / v;
      if (!Number.isFinite(z[i]) || !Number.isFinite(w2[i])) {
        throw new ComputeError(
          `IRLS: the working response or weight of row ${i + 1} is not finite at iteration ${iter} (y = ${y[i]}, mu = ${mu[i]}, working weight = ${w2[i]}): the fit overflowed`,
        );
      }
      nGood++;
    }
    if (nGood === 0) {
      // R: "no observations informative at iteration k"; the fit stops unconverged.
      converged = false;
      break;
    }
    crossprod(x, n, p, w2, info);
    crossprodVector(x, n, p, z, w2, beta);
    if (!info.every(Number.isFinite)) {
      throw new ComputeError(`IRLS: XᵀWX overflowed at iteration ${iter}: the design or working weights are too large; rescale the covariates`);
    }
    if (!beta.every(Number.isFinite)) {
      throw new ComputeError(`IRLS: XᵀWz overflowed at iteration ${iter}: the outcome (working response) is too large; rescale it`);
    }
    const status = equilibratedCholesky(info, p, l, scale, 0);
    if (status !== 0) {
      throw new ComputeError(`IRLS: weighted information matrix is singular at iteration ${iter} (pivot ${status} of ${p})`);
    }
    equilibratedSolveInPlace(l, scale, p, beta);
    for (let k = 0; k < p; k++) {
      if (!Number.isFinite(beta[k])) throw new ComputeError(`IRLS: non-finite coefficient ${k + 1} at iteration ${iter}`);
    }
    predict(x, n, p, beta, offset, link, eta, mu);
    dev = deviance(y, mu, prior, family, n);
    if (!Number.isFinite(dev)) {
      if (coefOld === null) throw nonFiniteDeviance(y, mu, prior, family, n, dev, "after the first step");
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxIter) throw new ComputeError("IRLS: cannot correct the step size (deviance not finite)");
        ii++;
        for (let k = 0; k < p; k++) beta[k] = 0.5 * (beta[k] + coefOld[k]);
        predict(x, n, p, beta, offset, link, eta, mu);
        dev = deviance(y, mu, prior, family, n);
      }
      boundary = true;
    }
    if (!valid(eta, mu, n, family, link)) {
      if (coefOld === null) {
        throw new ComputeError("IRLS: no valid set of coefficients has been found; supply starting values");
      }
      let ii = 1;
      while (!valid(eta, mu, n, family, link)) {
        if (ii > maxIter) throw new ComputeError("IRLS: cannot correct the step size (mean outside its domain)");
        ii++;
        for (let k = 0; k < p; k++) beta[k] = 0.5 * (beta[k] + coefOld[k]);
        predict(x, n, p, beta, offset, link, eta, mu);
      }
      boundary = true;
      dev = deviance(y, mu, prior, family, n);
    }
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < tolerance) {
      converged = true;
      break;
    }
    devOld = dev;
    if (coefOld === null) coefOld = new Float64Array(p);
    coefOld.set(beta);
  }
  return {
    coefficients: beta,
    eta,
    mu,
    workingWeights: w2,
    information: info,
    deviance: dev,
    converged,
    boundary,
    iterations: Math.min(iter, maxIter),
  };
}

/** The ComputeError for a non-finite deviance before IRLS can halve a step, naming the first row at fault. */
function nonFiniteDeviance(
  y: ArrayLike<number>,
  mu: Float64Array,
  weights: ArrayLike<number> | undefined,
  family: Family,
  n: number,
  total: number,
  when: string,
): ComputeError {
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const d = w === 0 ? 0 : family.deviance(y[i], mu[i], w);
    if (!Number.isFinite(d)) {
      const cause = Number.isFinite(mu[i]) && family.validmu(mu[i]) ? "; the outcome or covariates are too large: rescale them" : "; supply starting values";
      return new ComputeError(`IRLS: the deviance ${when} is not finite: row ${i + 1} (y = ${y[i]}, mu = ${mu[i]}) contributes ${d}${cause}`);
    }
  }
  return new ComputeError(`IRLS: the deviance ${when} is ${total}: the sum over the rows overflowed; rescale the outcome`);
}

function predict(
  x: Float64Array,
  n: number,
  p: number,
  beta: Float64Array,
  offset: ArrayLike<number> | undefined,
  link: Link,
  eta: Float64Array,
  mu: Float64Array,
): void {
  multiplyVector(x, n, p, beta, eta);
  for (let i = 0; i < n; i++) {
    if (offset) eta[i] += offset[i];
    mu[i] = link.linkinv(eta[i]);
  }
}

/** Σ dev.resids(y, μ, w). */
export function deviance(y: ArrayLike<number>, mu: ArrayLike<number>, weights: ArrayLike<number> | undefined, family: Family, n = y.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w !== 0) s += family.deviance(y[i], mu[i], w);
  }
  return s;
}

function valid(eta: Float64Array, mu: Float64Array, n: number, family: Family, link: Link): boolean {
  for (let i = 0; i < n; i++) if (!link.valideta(eta[i]) || !family.validmu(mu[i])) return false;
  return true;
}
