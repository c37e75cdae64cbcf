/**
 * The deviance of the logistic (binomial, default) or Poisson (log link)
 * random-intercept model
 *
 *   P(yᵢⱼ = 1 | uᵢ) = expit(xᵢⱼβ + θuᵢ)   or   yᵢⱼ | uᵢ ~ Poisson(exp(xᵢⱼβ + θuᵢ)),   uᵢ ~ N(0, 1),
 *
 * as lme4's glmer defines it for its second optimisation stage: a function
 * of (θ, β) whose inner loop (PIRLS) finds the conditional mode of each
 * cluster's spherical random effect uᵢ. With the per-cluster function
 *
 *   Dᵢ(u) = −2 Σⱼ log p(yᵢⱼ | u) + u²        (deviance residuals + penalty)
 *
 * mode uᵢ* and curvature Hᵢ = 1 + θ² Σⱼ wᵢⱼ = Dᵢ''(uᵢ*)/2 (w = dμ/dη: μ(1 − μ)
 * for the logit link, μ for the log link; both links are canonical, so the
 * score is Σⱼ (yᵢⱼ − μᵢⱼ)), the
 * adaptive Gauss–Hermite deviance with K nodes zₖ (weights wₖ for N(0, 1)) is
 *
 *   dev = Σᵢ [ Dᵢ(uᵢ*) + log Hᵢ − 2 log Σₖ wₖ exp(−(Dᵢ(uₖ) − Dᵢ(uᵢ*))/2 + zₖ²/2) ],
 *   uₖ = uᵢ* + zₖ/√Hᵢ,
 *
 * which is the Laplace approximation Σᵢ Dᵢ(uᵢ*) + log Hᵢ for K = 1.
 * logLik = −dev/2.
 *
 * Poisson: as lme4's glmer, the Laplace deviance uses −2 log p(y | u) with
 * p the Poisson probability (log yᵢⱼ! included), while its adaptive
 * Gauss–Hermite deviance (nagq > 1) uses the deviance residuals
 * 2[y log(y/μ) − (y − μ)], which differ by the constant 2Σ(log y! − y log y + y).
 * (For a 0/1 response both are −2 Σ log p.) The random effect is scalar per cluster, so PIRLS is a
 * safeguarded Newton iteration per cluster, and the gradient with respect to
 * (θ, β) is analytic (implicit differentiation of the mode and of Hᵢ).
 *
 * Stages of one evaluation, per cluster: a pass over its rows
 * (cluster-pass.ts), its mode (pirls.ts), its Laplace or quadrature term and
 * the chain rule of the gradient (cluster-deviance.ts); the β-Hessian for the
 * Newton steps is in beta-hessian.ts.
 */
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { crossprodVector, multiplyVector } from "../../linalg/crossprod.ts";
import { clusterLayout, type ClusterLayout } from "../shared/cluster-layout.ts";
import { rowLabel } from "../glm/validate.ts";
import { betaHessian } from "./beta-hessian.ts";
import { AdaptiveQuadrature, chainRule, laplaceSlopes, type ClusterAtMode, type TermSlopes } from "./cluster-deviance.ts";
import { ClusterPass } from "./cluster-pass.ts";
import { gaussHermite, type GaussHermiteRule } from "./gauss-hermite.ts";
import { clusterMode } from "./pirls.ts";

/** Largest number of quadrature nodes accepted (lme4 allows up to 25 for a scalar random effect). */
export const MAX_NAGQ = 25;

/** Response distributions of the GLMM: binomial (logit link) or Poisson (log link). */
export type GlmmFamily = "binomial" | "poisson";

export interface GlmmObjectiveOptions {
  /** Quadrature nodes: 1 = Laplace (default, as glmer), up to 25 = adaptive Gauss–Hermite. */
  readonly nagq?: number;
  /** "binomial" (logit link, default) or "poisson" (log link). */
  readonly family?: GlmmFamily;
}

/** The state of the inner loop after an evaluation: conditional modes and curvatures. */
export interface GlmmModes {
  readonly theta: number;
  /** Spherical modes uᵢ* (the random intercepts are bᵢ = θuᵢ*). */
  readonly u: Float64Array;
  /** Hᵢ = 1 + θ² Σⱼ wᵢⱼ at the mode (w = μ(1 − μ) binomial, μ Poisson). */
  readonly curvature: Float64Array;
  /** Conditional means μᵢⱼ = expit or exp(xᵢⱼβ + θuᵢ*), frame row order. */
  readonly mu: Float64Array;
}

/**
 * The (θ, β) → deviance function of a logistic random-intercept model.
 * Parameters are ordered as lme4 orders them: [θ, β₁, …, β_p].
 * Evaluations reuse the previous conditional modes as starting values
 * (PIRLS converges to |Δu| < 1e-11, so the result does not depend on them).
 */
export interface GlmmObjective {
  readonly frame: ModelFrame;
  readonly layout: ClusterLayout;
  readonly nagq: number;
  readonly family: GlmmFamily;
  /** The Laplace (nagq = 1) or adaptive Gauss–Hermite deviance at (θ, β). */
  deviance(theta: number, beta: ArrayLike<number>): number;
  /** The deviance; writes its gradient with respect to [θ, β] into `gradient` (length p + 1). */
  evaluate(theta: number, beta: ArrayLike<number>, gradient?: Float64Array): number;
  /**
   * 2·(XᵀWX − θ² Σᵢ aᵢaᵢᵀ/Hᵢ), aᵢ = Σⱼ wᵢⱼxᵢⱼ, at the last evaluation: the
   * β-Hessian of the Laplace deviance without its log Hᵢ terms. Half of it is
   * lme4's R_XᵀR_X, whose inverse is `vcov(fit, use.hessian = FALSE)`.
   */
  approximateHessian(out?: Float64Array): Float64Array;
  /** Copies of the conditional modes and curvatures of the last evaluation. */
  modes(): GlmmModes;
  /**
   * At θ = 0 for this β: `slope` = d deviance / d(θ²) = Σᵢ (Wᵢ − sᵢ²) with
   * Wᵢ = Σⱼ wᵢⱼ, sᵢ = Σⱼ (yᵢⱼ − μᵢⱼ), and `information` = Σᵢ Wᵢ², its
   * expected rate of change (so −slope/information is a one-step estimate of θ²).
   * When slope ≥ 0 at the GLM estimate, θ = 0 is a local minimum (a boundary fit).
   */
  scoreAtZero(beta: ArrayLike<number>): { readonly slope: number; readonly information: number };
}

/**
 * Builds the deviance function for `frame` (validated: clusters, finite
 * values, full-rank X, a 0/1 response for binomial, non-negative whole
 * counts for Poisson).
 *
 * @example
 * const obj = glmmObjective(frame, { nagq: 1 });
 * const g = new Float64Array(frame.X.cols + 1);
 * obj.evaluate(0.8, beta, g); // Laplace deviance and its gradient in (θ, β)
 */
export function glmmObjective(frame: ModelFrame, options: GlmmObjectiveOptions = {}): GlmmObjective {
  const nagq = options.nagq ?? 1;
  if (!Number.isInteger(nagq) || nagq < 1 || nagq > MAX_NAGQ) {
    throw new InputError(`glmm: nagq must be a whole number from 1 (Laplace) to ${MAX_NAGQ}, got ${nagq}`);
  }
  const family = options.family ?? "binomial";
  if (family !== "binomial" && family !== "poisson") {
    throw new InputError(`glmm: family '${String(family)}' is not supported; use 'binomial' (logit link) or 'poisson' (log link)`);
  }
  const layout = clusterLayout(frame, "glmm");
  const y = frame.y;
  if (family === "poisson") {
    for (let i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && Number.isInteger(y[i]))) {
        throw new InputError(
          `glmm: response '${frame.response}' ${rowLabel(frame, i)} is ${y[i]}; the Poisson mixed model needs non-negative whole counts`,
        );
      }
    }
    return makeObjective(frame, layout, gaussHermite(nagq), nagq, true);
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) {
      throw new InputError(
        `glmm: response '${frame.response}' ${rowLabel(frame, i)} is ${y[i]}; the logistic mixed model needs a binary response coded 0/1`,
      );
    }
  }
  return makeObjective(frame, layout, gaussHermite(nagq), nagq, false);
}

/**
 * The objective's state lives here: the conditional modes, curvatures and
 * means of the last evaluation (warm starts for the next one) and the
 * buffers every evaluation reuses.
 */
function makeObjective(frame: ModelFrame, layout: ClusterLayout, rule: GaussHermiteRule, nagq: number, pois: boolean): GlmmObjective {
  const { n, p, nClusters, starts, maxSize } = layout;
  const x = frame.X.data;
  const rows = new ClusterPass(frame.y, pois, nagq);
  const quadrature = nagq === 1 ? null : new AdaptiveQuadrature(rule, maxSize);
  const mu = new Float64Array(n);
  const rowCoef = new Float64Array(n);
  const u = new Float64Array(nClusters);
  const curv = new Float64Array(nClusters);
  const gradBeta = new Float64Array(p);
  const a = new Float64Array(p);
  const at: ClusterAtMode = { u: 0, deviance: 0, score: 0, weight: 0, weightSlope: 0, curvature: 1 };
  const slopes: TermSlopes = { m1: 0, m2: 0, tTheta: 0 };
  let lastTheta = 0;

  /** Finds cluster c's mode at θ (from its previous one) into `at`, u and curv. */
  function findMode(c: number, s: number, e: number, theta: number): void {
    const [uc, d0] = clusterMode(rows, s, e, theta, u[c], mu);
    at.u = uc;
    at.deviance = d0;
    at.score = rows.score;
    at.weight = rows.weight;
    at.weightSlope = rows.weightSlope;
    at.curvature = 1 + theta * theta * rows.weight;
    u[c] = uc;
    curv[c] = at.curvature;
  }

  function evaluate(theta: number, beta: ArrayLike<number>, gradient?: Float64Array): number {
    multiplyVector(x, n, p, beta, rows.eta0);
    lastTheta = theta;
    const want = gradient !== undefined;
    let dev = 0;
    let gTheta = 0;
    for (let c = 0; c < nClusters; c++) {
      const s = starts[c];
      const e = starts[c + 1];
      if (e === s) {
        u[c] = 0;
        curv[c] = 1;
        continue;
      }
      findMode(c, s, e, theta);
      if (quadrature === null) {
        dev += at.deviance + Math.log(at.curvature);
        if (!want) continue;
        laplaceSlopes(rows, s, e, theta, at, mu, rowCoef, slopes);
      } else {
        const sum = quadrature.integral(rows, s, e, theta, at, mu);
        dev += at.deviance + Math.log(at.curvature) - 2 * Math.log(sum);
        if (!want) continue;
        quadrature.slopes(rows, s, e, theta, sum, rowCoef, slopes);
      }
      gTheta += chainRule(rows, s, e, theta, at, slopes, mu, rowCoef);
    }
    if (gradient) {
      crossprodVector(x, n, p, rowCoef, undefined, gradBeta);
      gradient[0] = gTheta;
      for (let j = 0; j < p; j++) gradient[j + 1] = gradBeta[j];
    }
    return dev;
  }

  return Object.freeze({
    frame,
    layout,
    nagq,
    family: pois ? ("poisson" as const) : ("binomial" as const),
    deviance: (theta: number, beta: ArrayLike<number>) => evaluate(theta, beta),
    evaluate,
    approximateHessian(out: Float64Array = new Float64Array(p * p)): Float64Array {
      return betaHessian(x, layout, pois, lastTheta, mu, curv, a, out);
    },
    modes(): GlmmModes {
      return { theta: lastTheta, u: Float64Array.from(u), curvature: Float64Array.from(curv), mu: Float64Array.from(mu) };
    },
    scoreAtZero(beta: ArrayLike<number>): { slope: number; information: number } {
      multiplyVector(x, n, p, beta, rows.eta0);
      let slope = 0;
      let information = 0;
      for (let c = 0; c < nClusters; c++) {
        if (starts[c + 1] === starts[c]) continue;
        rows.deviance(starts[c], starts[c + 1], 0, 0, mu, starts[c]);
        slope += rows.weight - rows.score * rows.score;
        information += rows.weight * rows.weight;
      }
      lastTheta = 0;
      u.fill(0);
      curv.fill(1);
      return { slope, information };
    },
  });
}
