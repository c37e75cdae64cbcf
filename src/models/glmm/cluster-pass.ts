/**
 * One pass over a cluster's rows at a given spherical random effect u: the
 * per-cluster deviance Dᵢ(u) = −2 Σⱼ log p(yᵢⱼ | u) + u² and the sums that
 * PIRLS, the quadrature and the gradient need. A pass is the inner loop of
 * every deviance evaluation, so its sums land in fields rather than in a new
 * object each time.
 */
import gammaln from "@stdlib/math-base-special-gammaln";

export class ClusterPass {
  /** Fixed-effect linear predictor xᵢⱼβ of every row, rewritten for each β. */
  readonly eta0: Float64Array;
  /** The response: 0/1 (binomial) or counts (Poisson). */
  readonly y: Float64Array;
  readonly poisson: boolean;
  /**
   * Poisson: the per-row constant of −log p(y | η) = μ − yη + const (log y! for
   * the Laplace deviance, y log y − y for lme4's quadrature deviance; see objective.ts).
   */
  private readonly rowConst: Float64Array | null;
  /** Σ (y − μ) of the last pass: the score (both links are canonical). */
  score = 0;
  /** Σ w of the last pass, w = dμ/dη: μ(1 − μ) binomial, μ Poisson. */
  weight = 0;
  /** Σ dw/dη of the last pass: Σ μ(1 − μ)(1 − 2μ) binomial, Σ μ Poisson (deviance passes only). */
  weightSlope = 0;

  constructor(y: Float64Array, poisson: boolean, nagq: number) {
    const n = y.length;
    this.y = y;
    this.poisson = poisson;
    this.eta0 = new Float64Array(n);
    this.rowConst = poisson ? new Float64Array(n) : null;
    if (this.rowConst) {
      for (let j = 0; j < n; j++) this.rowConst[j] = nagq === 1 ? gammaln(y[j] + 1) : y[j] > 0 ? y[j] * Math.log(y[j]) - y[j] : 0;
    }
  }

  /**
   * Rows s … e − 1 at random effect uc: returns D(uc), sets score, weight and
   * weightSlope, and writes μ to out[off + j − s].
   */
  deviance(s: number, e: number, theta: number, uc: number, out: Float64Array, off: number): number {
    if (this.rowConst) return this.poissonDeviance(s, e, theta, uc, out, off, this.rowConst);
    const eta0 = this.eta0;
    const y = this.y;
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
    this.score = sr;
    this.weight = sw;
    this.weightSlope = sb;
    return 2 * d + uc * uc;
  }

  /** deviance() for the Poisson family: w = dμ/dη = μ and dw/dη = μ. */
  private poissonDeviance(s: number, e: number, theta: number, uc: number, out: Float64Array, off: number, cst: Float64Array): number {
    const eta0 = this.eta0;
    const y = this.y;
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
    this.score = sr;
    this.weight = sw;
    this.weightSlope = sw;
    return 2 * d + uc * uc;
  }

  /**
   * Only score and weight at random effect uc (no log-likelihood: one exp per
   * row), for the Newton steps of PIRLS; weightSlope is left as it was.
   */
  scoreAndWeight(s: number, e: number, theta: number, uc: number): void {
    const eta0 = this.eta0;
    const y = this.y;
    let sr = 0;
    let sw = 0;
    const shift = theta * uc;
    if (this.poisson) {
      for (let j = s; j < e; j++) {
        const m = Math.exp(eta0[j] + shift);
        sr += y[j] - m;
        sw += m;
      }
      this.score = sr;
      this.weight = sw;
      return;
    }
    for (let j = s; j < e; j++) {
      const eta = eta0[j] + shift;
      const ex = Math.exp(-Math.abs(eta));
      const m = eta >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
      sr += y[j] - m;
      sw += m * (1 - m);
    }
    this.score = sr;
    this.weight = sw;
  }
}
