/**
 * The substantive model of smc given a categorical modifier: linear
 * (gaussian) or logistic random-intercept, as gaussian-outcome.ts and
 * logistic-outcome.ts, but with a row's design one of k candidates (the
 * design at each level, categorical-design.ts) rather than x⁰ + m·Δ. The
 * sufficient statistics are summed over the rows at their current levels
 * each update (O(n·p²)); the (β, u) draw is block.ts's, the precisions are
 * conjugate Gamma draws in the same order as the binary samplers':
 *   gaussian: (β, u) | σ², σ²_u, then 1/σ², then 1/σ²_u;
 *   logistic: ω ~ PG(1, η), then (β, u) | ω, then τ.
 * `logLikelihoods` gives log p(y_r | X(M = j), θ) of every missing row at every
 * level j, constants included (the normal log-density; the Bernoulli
 * log-likelihood y·η − log(1 + e^η)).
 */
import { polyaGammaFill } from "../../random/polyagamma.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalModelSpec, type NormalPrior } from "./block.ts";
import type { SubstantiveFamily } from "./substantive.ts";

/** Rows and clusters in the chain's working order. */
export interface CategoricalWorkingRows {
  /** order[w]: the analysed row at working row w. */
  readonly order: Int32Array;
  /** Working cluster c owns working rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
  /** Working rows with the modifier missing, ascending. */
  readonly missing: Int32Array;
}

/** Gamma(shape, rate) prior on 1/σ² (gaussian) and on 1/σ²_u; startSigma2 is ignored for a logistic model. */
export interface CategoricalOutcomeSpec extends NormalModelSpec {
  readonly family: SubstantiveFamily;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export class CategoricalOutcome {
  readonly beta: Float64Array;
  /** Random intercepts per working cluster. */
  readonly intercepts: Float64Array;
  sigma2: number;
  /** 1/σ²_u. */
  tau: number;
  readonly extraNames: readonly string[];

  private readonly rows: CategoricalWorkingRows;
  private readonly gaussian: boolean;
  private readonly k: number;
  private readonly p: number;
  private readonly n: number;
  /** designs[j]: n × p row-major in working order, the modifier at level j. */
  private readonly designs: readonly Float64Array[];
  private readonly y: Float64Array;
  /** y (gaussian) or κ = y − ½ (logistic): w·z of block.ts. */
  private readonly z: Float64Array;
  private readonly clusterOf: Int32Array;
  private readonly prior: NormalPrior;
  private readonly shape: number;
  private readonly rate: number;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;
  private readonly eta: Float64Array;
  private readonly omega: Float64Array;

  /** `levelDesigns[j]`: n × p row-major in analysed order; `y` in analysed order. */
  constructor(rows: CategoricalWorkingRows, levelDesigns: readonly Float64Array[], p: number, y: Float64Array, spec: CategoricalOutcomeSpec) {
    const { order, starts } = rows;
    const n = order.length;
    const C = starts.length - 1;
    this.rows = rows;
    this.gaussian = spec.family === "gaussian";
    this.k = levelDesigns.length;
    this.p = p;
    this.n = n;
    this.designs = levelDesigns.map((X) => {
      const out = new Float64Array(n * p);
      for (let w = 0; w < n; w++) out.set(X.subarray(order[w] * p, order[w] * p + p), w * p);
      return out;
    });
    this.y = Float64Array.from(order, (r) => y[r]);
    this.z = this.gaussian ? this.y : Float64Array.from(this.y, (v) => v - 0.5);
    this.clusterOf = new Int32Array(n);
    for (let c = 0; c < C; c++) this.clusterOf.fill(c, starts[c], starts[c + 1]);
    this.prior = normalPrior(spec.priorMean, spec.priorVariance);
    this.shape = spec.precisionShape;
    this.rate = spec.precisionRate;
    this.stats = blockStatistics(p, C);
    this.work = blockWork(p);
    this.beta = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from(spec.startIntercepts);
    this.sigma2 = this.gaussian ? spec.startSigma2 : 1;
    this.tau = 1 / spec.startClusterVariance;
    this.extraNames = this.gaussian ? ["sigma2", "tau"] : ["tau"];
    this.eta = new Float64Array(n);
    this.omega = new Float64Array(n);
  }

  /** x_wᵀβ + u_c(w) with the modifier at level j. */
  private predictor(w: number, j: number): number {
    const X = this.designs[j];
    const o = w * this.p;
    let s = this.intercepts[this.clusterOf[w]];
    for (let c = 0; c < this.p; c++) s += X[o + c] * this.beta[c];
    return s;
  }

  /** out[q·k + j] = log p(y | M = j, θ) for the q-th missing row (rows.missing order). */
  logLikelihoods(out: Float64Array): void {
    const { missing } = this.rows;
    const { k } = this;
    const logScale = LOG_2PI + Math.log(this.sigma2);
    for (let q = 0; q < missing.length; q++) {
      const w = missing[q];
      const y = this.y[w];
      for (let j = 0; j < k; j++) {
        const eta = this.predictor(w, j);
        out[q * k + j] = this.gaussian ? -0.5 * (logScale + ((y - eta) * (y - eta)) / this.sigma2) : y * eta - softplus(eta);
      }
    }
  }

  /** One update of the parameters given the completed level codes `m` (working order). */
  update(m: Float64Array, rng: Rng): void {
    const { n, p, stats, omega, eta } = this;
    const C = this.rows.starts.length - 1;
    if (!this.gaussian) {
      for (let w = 0; w < n; w++) eta[w] = this.predictor(w, m[w]);
      polyaGammaFill(rng, eta, omega, n);
    }
    const { gram, cross, clusterSums, clusterWeights, clusterCross } = stats;
    gram.fill(0);
    cross.fill(0);
    clusterSums.fill(0);
    clusterWeights.fill(0);
    clusterCross.fill(0);
    for (let w = 0; w < n; w++) {
      const X = this.designs[m[w]];
      const o = w * p;
      const weight = this.gaussian ? 1 : omega[w];
      const wz = this.z[w];
      const c = this.clusterOf[w];
      for (let i = 0; i < p; i++) {
        const xi = X[o + i];
        if (xi === 0) continue;
        const wxi = weight * xi;
        for (let j = 0; j <= i; j++) gram[i * p + j] += wxi * X[o + j];
        cross[i] += wz * xi;
        clusterSums[c * p + i] += wxi;
      }
      clusterWeights[c] += weight;
      clusterCross[c] += wz;
    }
    const scale = this.gaussian ? 1 / this.sigma2 : 1;
    const sumSq = drawBlock(stats, scale, this.tau, this.prior, rng, this.beta, this.intercepts, this.work, "substantive-model");
    if (this.gaussian) {
      let rss = 0;
      for (let w = 0; w < n; w++) {
        const e = this.y[w] - this.predictor(w, m[w]);
        rss += e * e;
      }
      this.sigma2 = 1 / gamma(rng, this.shape + n / 2, this.rate + rss / 2);
    }
    this.tau = gamma(rng, this.shape + C / 2, this.rate + sumSq / 2);
  }

  /** Writes β and the extras (σ², τ or τ) at out[offset…]. */
  record(out: Float64Array, offset: number): void {
    out.set(this.beta, offset);
    if (this.gaussian) out[offset + this.p] = this.sigma2;
    out[offset + this.p + (this.gaussian ? 1 : 0)] = this.tau;
  }
}
