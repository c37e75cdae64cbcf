/**
 * One model of the smc chain with partly missing covariates (fcs-chain.ts):
 * a random-intercept model whose design rows change as the chain imputes, so
 * its sufficient statistics are formed afresh at every update (O(n·p²); the
 * single-modifier chain's incremental statistics, outcome-design.ts, assume a
 * fixed design). Logistic (binary response): logit P(y = 1) = xᵀβ + b_c + o,
 * updated as modifier-model.ts does (ω ~ PG(1, η), then (β, b) jointly from
 * block.ts, then τ); normal: y = xᵀβ + b_c + o + e, e ~ N(0, σ²), updated as
 * normal-modifier.ts does ((β, b) given σ², τ; then 1/σ²; then τ). The
 * offset o is the δ of a sensitivity analysis on the modifier's missing rows
 * (null elsewhere). Rows are the analysed rows in cluster order.
 */
import { polyaGammaFill } from "../../random/polyagamma.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalPrior } from "./block.ts";

export type FcsKind = "logistic" | "normal";

export interface FcsModelSpec {
  readonly kind: FcsKind;
  /** Name in messages and the trace prefix ("" for the modifier model). */
  readonly what: string;
  /** n × p row-major design, updated in place by the chain. */
  readonly X: Float64Array;
  readonly p: number;
  /** The response per analysed row, updated in place by the chain when it is imputed. */
  readonly y: Float64Array;
  readonly starts: Int32Array;
  readonly priorMean: ArrayLike<number>;
  readonly priorVariance: ArrayLike<number>;
  /** Gamma(shape, rate) priors: on τ, and on 1/σ² (normal). */
  readonly tauShape: number;
  readonly tauRate: number;
  readonly precisionShape: number;
  readonly precisionRate: number;
  readonly startIntercepts: ArrayLike<number>;
  readonly startTau: number;
  readonly startSigma2: number;
  readonly offset: Float64Array | null;
  /** The substantive model records (β, σ², τ) as the single-modifier chain does; the others (β, τ, σ). */
  readonly outcome?: boolean;
}

export class FcsModel {
  readonly kind: FcsKind;
  readonly what: string;
  readonly p: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly beta: Float64Array;
  readonly intercepts: Float64Array;
  readonly offset: Float64Array | null;
  tau: number;
  sigma2: number;
  /** Cluster of each row. */
  readonly clusterOf: Int32Array;

  private readonly n: number;
  private readonly starts: Int32Array;
  private readonly prior: NormalPrior;
  private readonly spec: FcsModelSpec;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;
  private readonly eta: Float64Array;
  private readonly omega: Float64Array;

  constructor(spec: FcsModelSpec) {
    this.spec = spec;
    this.kind = spec.kind;
    this.what = spec.what;
    this.p = spec.p;
    this.X = spec.X;
    this.y = spec.y;
    this.n = spec.y.length;
    this.starts = spec.starts;
    const C = spec.starts.length - 1;
    this.clusterOf = new Int32Array(this.n);
    for (let c = 0; c < C; c++) this.clusterOf.fill(c, spec.starts[c], spec.starts[c + 1]);
    this.prior = normalPrior(spec.priorMean, spec.priorVariance);
    this.beta = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from(spec.startIntercepts);
    this.tau = spec.startTau;
    this.sigma2 = spec.startSigma2;
    this.offset = spec.offset;
    this.stats = blockStatistics(spec.p, C);
    this.work = blockWork(spec.p);
    this.eta = new Float64Array(this.n);
    this.omega = new Float64Array(this.n);
  }

  /** The linear predictor of row r with its current design row. */
  linear(r: number): number {
    return this.linearWith(r, this.X, r * this.p);
  }

  /** The linear predictor of row r with the design row held in `x` from `at`. */
  linearWith(r: number, x: Float64Array, at: number): number {
    let s = this.intercepts[this.clusterOf[r]];
    for (let j = 0; j < this.p; j++) s += x[at + j] * this.beta[j];
    return this.offset === null ? s : s + this.offset[r];
  }

  /** log p(y_r | η) up to a constant free of η: yη − log(1 + e^η), or −(y − η)²/(2σ²). */
  logLik(y: number, eta: number): number {
    if (this.kind === "logistic") return y * eta - log1pExp(eta);
    const e = y - eta;
    return (-0.5 * e * e) / this.sigma2;
  }

  /** One Gibbs update of every parameter given the current design and response. */
  update(rng: Rng): void {
    const { n, p, X, y, stats, eta, omega, starts } = this;
    const C = starts.length - 1;
    const normal = this.kind === "normal";
    for (let r = 0; r < n; r++) eta[r] = this.linear(r);
    if (normal) omega.fill(1);
    else polyaGammaFill(rng, eta, omega, n);
    const { gram, cross, clusterSums, clusterWeights, clusterCross } = stats;
    gram.fill(0);
    cross.fill(0);
    clusterSums.fill(0);
    for (let c = 0; c < C; c++) {
      let wc = 0;
      let hc = 0;
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        const w = omega[r];
        const o = this.offset === null ? 0 : this.offset[r];
        // The working response times its weight: ω(κ/ω − o) = κ − ωo, or y − o.
        const wz = normal ? y[r] - o : y[r] - 0.5 - w * o;
        const row = r * p;
        for (let i = 0; i < p; i++) {
          const xi = X[row + i];
          if (xi === 0) continue;
          const wxi = w * xi;
          for (let j = 0; j <= i; j++) gram[i * p + j] += wxi * X[row + j];
          cross[i] += xi * wz;
          clusterSums[c * p + i] += wxi;
        }
        wc += w;
        hc += wz;
      }
      clusterWeights[c] = wc;
      clusterCross[c] = hc;
    }
    const scale = normal ? 1 / this.sigma2 : 1;
    const sumSq = drawBlock(stats, scale, this.tau, this.prior, rng, this.beta, this.intercepts, this.work, this.what);
    if (normal) {
      let rss = 0;
      for (let r = 0; r < n; r++) {
        const e = y[r] - this.linear(r);
        rss += e * e;
      }
      this.sigma2 = 1 / gamma(rng, this.spec.precisionShape + n / 2, this.spec.precisionRate + rss / 2);
    }
    this.tau = gamma(rng, this.spec.tauShape + C / 2, this.spec.tauRate + sumSq / 2);
  }

  /** Parameter names after the coefficients: tau and sigma (the residual SD), or sigma2 and tau for the substantive model. */
  get extraNames(): string[] {
    if (this.kind === "logistic") return ["tau"];
    return this.spec.outcome ? ["sigma2", "tau"] : ["tau", "sigma"];
  }

  get width(): number {
    return this.p + this.extraNames.length;
  }

  record(out: Float64Array, offset: number): void {
    out.set(this.beta, offset);
    const o = offset + this.p;
    if (this.kind === "logistic") out[o] = this.tau;
    else if (this.spec.outcome) {
      out[o] = this.sigma2;
      out[o + 1] = this.tau;
    } else {
      out[o] = this.tau;
      out[o + 1] = Math.sqrt(this.sigma2);
    }
  }
}

/** log(1 + e^x) without overflow. */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
