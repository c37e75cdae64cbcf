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
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { crossprodVector, multiplyVector } from "../../linalg/crossprod.ts";
import { clusterLayout, type ClusterLayout } from "../shared/cluster-layout.ts";
import { rowLabel } from "../glm/validate.ts";
import { gaussHermite, type GaussHermiteRule } from "./gauss-hermite.ts";

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

function makeObjective(frame: ModelFrame, layout: ClusterLayout, rule: GaussHermiteRule, nagq: number, pois: boolean): GlmmObjective {
  const { n, p, nClusters, starts, maxSize } = layout;
  const x = frame.X.data;
  const y = frame.y;
  const K = nagq;
  const z = rule.nodes;
  const wq = rule.weights;

  const eta0 = new Float64Array(n);
  const mu = new Float64Array(n);
  const rowCoef = new Float64Array(n);
    const u = new Float64Array(nClusters);
  const curv = new Float64Array(nClusters);
  const nodeMu = new Float64Array(maxSize * K);
  const nodeD = new Float64Array(K);
  const nodeS = new Float64Array(K);
  const nodeU = new Float64Array(K);
  const nodeE = new Float64Array(K);
  const gradBeta = new Float64Array(p);
  const a = new Float64Array(p);
  let lastTheta = 0;
  // Poisson: the per-row constant of −log p(y | η) = μ − yη + const (log y! for
  // the Laplace deviance, y log y − y for lme4's quadrature deviance; see the module comment).
  const rowConst = pois ? new Float64Array(n) : null;
  if (rowConst) {
    for (let j = 0; j < n; j++) rowConst[j] = K === 1 ? gammaln(y[j] + 1) : y[j] > 0 ? y[j] * Math.log(y[j]) - y[j] : 0;
  }

  // Results of the last pass (scalars shared to avoid allocating).
  let passS = 0; // Σ (y − μ)
  let passW = 0; // Σ μ(1 − μ)
  let passB = 0; // Σ μ(1 − μ)(1 − 2μ)

  /**
   * One pass over the rows of a cluster at random effect uc: returns
   * D(uc) = 2 Σ −log p(y | η) + uc², sets passS/passW/passB and writes μ to out[off + j − s].
   */
  function pass(s: number, e: number, theta: number, uc: number, out: Float64Array, off: number): number {
    if (rowConst) return passPoisson(s, e, theta, uc, out, off, rowConst);
    let d = 0;
    let sr = 0;
    let sw = 0;
    let sb = 0;
    const shift = theta * uc;
    for (let j = s; j < e; j++) {
      const eta = eta0[j] + shift;
      const ex = Math.exp(-Math.abs(eta));
      const lp = Math.log1p(ex);
      let m: number;
      if (eta >= 0) {
        m = 1 / (1 + ex);
        d += y[j] === 1 ? lp : eta + lp;
      } else {
        m = ex / (1 + ex);
        d += y[j] === 1 ? lp - eta : lp;
      }
      out[off + j - s] = m;
      const w = m * (1 - m);
      sr += y[j] - m;
      sw += w;
      sb += w * (1 - 2 * m);
    }
    passS = sr;
    passW = sw;
    passB = sb;
    return 2 * d + uc * uc;
  }

  /** pass() for the Poisson family: w = dμ/dη = μ and dw/dη = μ. */
  function passPoisson(s: number, e: number, theta: number, uc: number, out: Float64Array, off: number, cst: Float64Array): number {
    let d = 0;
    let sr = 0;
    let sw = 0;
    const shift = theta * uc;
    for (let j = s; j < e; j++) {
      const eta = eta0[j] + shift;
      const m = Math.exp(eta);
      d += m - y[j] * eta + cst[j];
      out[off + j - s] = m;
      sr += y[j] - m;
      sw += m;
    }
    passS = sr;
    passW = sw;
    passB = sw;
    return 2 * d + uc * uc;
  }

  /**
   * Σ (y − μ) and Σ μ(1 − μ) (Σ μ for Poisson) at random effect uc (no log-likelihood: one exp
   * per row), into passS / passW.
   */
  function scorePass(s: number, e: number, theta: number, uc: number): void {
    let sr = 0;
    let sw = 0;
    const shift = theta * uc;
    if (pois) {
      for (let j = s; j < e; j++) {
        const m = Math.exp(eta0[j] + shift);
        sr += y[j] - m;
        sw += m;
      }
      passS = sr;
      passW = sw;
      return;
    }
    for (let j = s; j < e; j++) {
      const eta = eta0[j] + shift;
      const ex = Math.exp(-Math.abs(eta));
      const m = eta >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
      sr += y[j] - m;
      sw += m * (1 - m);
    }
    passS = sr;
    passW = sw;
  }

  /**
   * PIRLS for cluster c: the mode solves φ(u) = u − θ·Σ(y − μ(u)) = 0, with φ
   * increasing (φ' = Hᵢ > 0) and the root inside (−θn₀, θn₁) (n₀, n₁ = rows with
   * y = 0, 1); Poisson: inside [min(0, θ(Σy − Σμ(0))), θΣy], as φ is
   * non-positive at the left end (μ(u) ≤ μ(0) there) and φ(θΣy) = θΣμ > 0). Newton steps from the previous mode, safeguarded by bisection
   * on that bracket, stop when the step is below 1e-7 (quadratic convergence
   * leaves an error of order 1e-14); a final pass at the mode computes Dᵢ, μ,
   * Σw and Σw(1 − 2μ).
   */
  function mode(c: number, theta: number): [number, number] {
    const s = starts[c];
    const e = starts[c + 1];
    if (theta === 0) return [0, pass(s, e, 0, 0, mu, s)];
    let lo: number;
    let hi: number;
    if (pois) {
      let sy = 0;
      let sm = 0;
      for (let j = s; j < e; j++) {
        sy += y[j];
        sm += Math.exp(eta0[j]);
      }
      lo = Math.min(0, theta * (sy - sm));
      hi = Math.max(0, theta * sy);
      // A closed interval: the root may sit at the left end 0 only when φ(0) = 0.
      if (hi <= lo) hi = lo + 1;
    } else {
      let ones = 0;
      for (let j = s; j < e; j++) ones += y[j];
      const zeros = e - s - ones;
      lo = Math.min(-theta * zeros, theta * ones);
      hi = Math.max(-theta * zeros, theta * ones);
    }
    let uc = u[c];
    if (!(uc > lo && uc < hi)) uc = 0.5 * (lo + hi);
    const t2 = theta * theta;
    for (let iter = 0; iter < 200; iter++) {
      scorePass(s, e, theta, uc);
      const phi = uc - theta * passS;
      if (phi > 0) hi = uc;
      else if (phi < 0) lo = uc;
      else break;
      const step = phi / (1 + t2 * passW);
      if (Math.abs(step) <= 1e-7 * (1 + Math.abs(uc))) {
        uc -= step; // a converged Newton step (it may land on the bracket end it came from)
        break;
      }
      let next = uc - step;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      uc = next;
      if (hi - lo <= 1e-15 * (1 + Math.abs(uc))) break;
    }
    return [uc, pass(s, e, theta, uc, mu, s)];
  }

  function evaluate(theta: number, beta: ArrayLike<number>, gradient?: Float64Array): number {
    multiplyVector(x, n, p, beta, eta0);
    lastTheta = theta;
    const want = gradient !== undefined;
    const t2 = theta * theta;
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
      const [uc, d0] = mode(c, theta);
      const sMode = passS;
      const wMode = passW;
      const bMode = passB;
      const h = 1 + t2 * wMode;
      u[c] = uc;
      curv[c] = h;
      let m1: number;
      let m2 = 0;
      let tTheta: number;
      if (K === 1) {
        dev += d0 + Math.log(h);
        if (!want) continue;
        m1 = 2 * (uc - theta * sMode);
        tTheta = -2 * uc * sMode;
        for (let j = s; j < e; j++) rowCoef[j] = y[j] - mu[j];
      } else {
        const sd = 1 / Math.sqrt(h);
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const zk = z[k];
          let dk: number;
          let sk: number;
          const uk = uc + zk * sd;
          const off = k * maxSize;
          if (zk === 0) {
            dk = d0;
            sk = sMode;
            for (let j = s; j < e; j++) nodeMu[off + j - s] = mu[j];
          } else {
            dk = pass(s, e, theta, uk, nodeMu, off);
            sk = passS;
          }
          const ek = Math.exp(-0.5 * (dk - d0) + 0.5 * zk * zk);
          nodeD[k] = dk;
          nodeS[k] = sk;
          nodeU[k] = uk;
          nodeE[k] = ek;
          sum += wq[k] * ek;
        }
        dev += d0 + Math.log(h) - 2 * Math.log(sum);
        if (!want) continue;
        m1 = 0;
        tTheta = 0;
        for (let j = s; j < e; j++) rowCoef[j] = 0;
        for (let k = 0; k < K; k++) {
          const pk = (wq[k] * nodeE[k]) / sum;
          if (pk === 0) continue;
          const dPrime = 2 * (nodeU[k] - theta * nodeS[k]);
          m1 += pk * dPrime;
          m2 += pk * dPrime * z[k];
          tTheta += pk * -2 * nodeU[k] * nodeS[k];
          const off = k * maxSize - s;
          for (let j = s; j < e; j++) rowCoef[j] += pk * (y[j] - nodeMu[off + j]);
        }
      }
      // Chain rule through the mode u* and the curvature H (see the module comment).
      const q = 1 / h - (0.5 * m2) / (h * Math.sqrt(h));
      const ca = (-m1 * theta) / h - (q * t2 * t2 * bMode) / h;
      const cb = q * t2;
      if (pois) {
        for (let j = s; j < e; j++) rowCoef[j] = -2 * rowCoef[j] + (ca + cb) * mu[j];
      } else {
        for (let j = s; j < e; j++) {
          const m = mu[j];
          const w = m * (1 - m);
          rowCoef[j] = -2 * rowCoef[j] + ca * w + cb * w * (1 - 2 * m);
        }
      }
      const duTheta = (sMode - theta * uc * wMode) / h;
      const dhTheta = 2 * theta * wMode + t2 * bMode * (uc + theta * duTheta);
      gTheta += tTheta + m1 * duTheta + q * dhTheta;
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
      // One pass: lower triangle of Σ w x xᵀ per cluster, minus θ²/Hᵢ · aᵢaᵢᵀ (aᵢ = Σ w x).
      out.fill(0);
      const t2 = lastTheta * lastTheta;
      for (let c = 0; c < nClusters; c++) {
        a.fill(0);
        for (let j = starts[c]; j < starts[c + 1]; j++) {
          const m = mu[j];
          const w = pois ? m : m * (1 - m);
          const row = j * p;
          for (let i = 0; i < p; i++) {
            const xi = w * x[row + i];
            a[i] += xi;
            const oi = i * p;
            for (let k = 0; k <= i; k++) out[oi + k] += xi * x[row + k];
          }
        }
        if (t2 > 0) {
          const f = t2 / curv[c];
          for (let i = 0; i < p; i++) {
            const ai = f * a[i];
            const oi = i * p;
            for (let k = 0; k <= i; k++) out[oi + k] -= ai * a[k];
          }
        }
      }
      for (let i = 0; i < p; i++) {
        for (let k = 0; k < i; k++) {
          const v = 2 * out[i * p + k];
          out[i * p + k] = v;
          out[k * p + i] = v;
        }
        out[i * p + i] *= 2;
      }
      return out;
    },
    modes(): GlmmModes {
      return { theta: lastTheta, u: Float64Array.from(u), curvature: Float64Array.from(curv), mu: Float64Array.from(mu) };
    },
    scoreAtZero(beta: ArrayLike<number>): { slope: number; information: number } {
      multiplyVector(x, n, p, beta, eta0);
      let slope = 0;
      let information = 0;
      for (let c = 0; c < nClusters; c++) {
        if (starts[c + 1] === starts[c]) continue;
        pass(starts[c], starts[c + 1], 0, 0, mu, starts[c]);
        slope += passW - passS * passS;
        information += passW * passW;
      }
      lastTheta = 0;
      u.fill(0);
      curv.fill(1);
      return { slope, information };
    },
  });
}
