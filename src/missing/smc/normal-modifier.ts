/**
 * A continuous modifier's own model in the smc chain: the normal
 * random-intercept model M = wᵀα + a_c + e, a_c ~ N(0, 1/τ), e ~ N(0, σ²_m).
 * One update, given the completed modifier: (α, a) jointly given σ²_m and τ
 * (block.ts, w = 1, scale 1/σ²_m), then 1/σ²_m ~ Gamma(a₀ + n/2, b₀ + RSS/2),
 * then τ ~ Gamma(a₀ + C/2, b₀ + Σa_c²/2). All conjugate; W is fixed, so its
 * cross-products are formed once.
 *
 * A δ-adjustment (sensitivity analysis) is a fixed offset o_r of the mean (δ
 * on the rows whose modifier is missing): the imputations are drawn around
 * the shifted mean, and (α, a) are updated from M − o, so they keep
 * describing the observed pattern.
 */
import { crossprodVectorColumns } from "../../linalg/columns.ts";
import { gramPlan, gramWithPlan } from "../../linalg/gram.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalModelSpec, type NormalPrior } from "./block.ts";
import type { ModifierSampler } from "./chain.ts";
import { columnsOf, type WorkingLayout } from "./layout.ts";
import { clusterTotals, weightedClusterSums } from "./outcome-design.ts";

/** The normal modifier model: Gamma(precisionShape, precisionRate) on 1/σ²_m and on τ unless tauShape/tauRate are given. */
export interface NormalModifierSpec extends NormalModelSpec {
  /** n × p row-major design of the analysed rows. */
  readonly W: Float64Array;
  readonly p: number;
  /** Gamma(shape, rate) prior on τ when it differs from that on 1/σ²_m (a --tau-prior sensitivity run). */
  readonly tauShape?: number;
  readonly tauRate?: number;
  /** Offset of the mean per working row (δ on the missing rows), or null for none. */
  readonly offset?: Float64Array | null;
}

export class NormalModifierModel implements ModifierSampler {
  readonly kind = "normal" as const;
  readonly extraNames = ["sigma"] as const;
  readonly p: number;
  readonly alpha: Float64Array;
  /** Random intercepts per working cluster. */
  readonly intercepts: Float64Array;
  tau: number;
  residualVariance: number;
  /** Mean wᵀα + a_c per working row. */
  readonly eta: Float64Array;

  private readonly layout: WorkingLayout;
  private readonly columns: Float64Array;
  private readonly support: ReturnType<typeof columnsOf>["support"];
  private readonly prior: NormalPrior;
  private readonly shape: number;
  private readonly rate: number;
  private readonly tauShape: number;
  private readonly tauRate: number;
  private readonly offset: Float64Array | null;
  private readonly adjusted: Float64Array | null;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;

  constructor(layout: WorkingLayout, spec: NormalModifierSpec) {
    const { n, clusters, starts } = layout;
    this.layout = layout;
    this.p = spec.p;
    const { columns, support } = columnsOf(spec.W, spec.p, layout.order);
    this.columns = columns;
    this.support = support;
    this.prior = normalPrior(spec.priorMean, spec.priorVariance);
    this.shape = spec.precisionShape;
    this.rate = spec.precisionRate;
    this.tauShape = spec.tauShape ?? spec.precisionShape;
    this.tauRate = spec.tauRate ?? spec.precisionRate;
    this.offset = spec.offset ?? null;
    this.adjusted = this.offset === null ? null : new Float64Array(n);
    const ones = new Float64Array(n).fill(1);
    this.stats = blockStatistics(spec.p, clusters);
    gramWithPlan(gramPlan(columns, n, spec.p), ones, this.stats.gram);
    weightedClusterSums(columns, support, n, spec.p, starts, ones, this.stats.clusterSums);
    clusterTotals(ones, starts, this.stats.clusterWeights);
    this.work = blockWork(spec.p);
    this.alpha = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from({ length: clusters }, (_, c) => spec.startIntercepts[layout.clusterOrder[c]]);
    this.tau = 1 / spec.startClusterVariance;
    this.residualVariance = spec.startSigma2;
    this.eta = new Float64Array(n);
    this.refresh(null);
  }

  /** One Gibbs update of (α, a), σ²_m and τ given the completed modifier `m` (working order). */
  update(m: Float64Array, rng: Rng): void {
    const { n, starts, clusters } = this.layout;
    const { stats, offset, adjusted } = this;
    let response = m;
    if (adjusted !== null) {
      for (let r = 0; r < n; r++) adjusted[r] = m[r] - offset![r];
      response = adjusted;
    }
    crossprodVectorColumns(this.columns, n, this.p, response, stats.cross, this.support);
    clusterTotals(response, starts, stats.clusterCross);
    const sumSq = drawBlock(stats, 1 / this.residualVariance, this.tau, this.prior, rng, this.alpha, this.intercepts, this.work, "modifier-model");
    const rss = this.refresh(m);
    this.residualVariance = 1 / gamma(rng, this.shape + n / 2, this.rate + rss / 2);
    this.tau = gamma(rng, this.tauShape + clusters / 2, this.tauRate + sumSq / 2);
  }

  /** Writes α, τ and σ_m (the residual SD, as B-MMI's trace) at out[offset…]. */
  record(out: Float64Array, offset: number): void {
    out.set(this.alpha, offset);
    out[offset + this.p] = this.tau;
    out[offset + this.p + 1] = Math.sqrt(this.residualVariance);
  }

  /** η = Wα + a_c (+ o) in one pass; with `m`, also Σ(m − η)². */
  private refresh(m: Float64Array | null): number {
    const { n, starts, clusters } = this.layout;
    const { p, alpha, eta, columns, offset } = this;
    let rss = 0;
    for (let c = 0; c < clusters; c++) {
      const a = this.intercepts[c];
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        let s = a;
        for (let j = 0; j < p; j++) s += alpha[j] * columns[j * n + r];
        if (offset !== null) s += offset[r];
        eta[r] = s;
        if (m !== null) rss += (m[r] - s) * (m[r] - s);
      }
    }
    return rss;
  }
}
