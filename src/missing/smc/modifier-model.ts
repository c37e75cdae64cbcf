/**
 * The modifier's own model in the smc chain: logit P(M = 1) = wᵀα + a_c,
 * a_c ~ N(0, 1/τ), with Pólya-Gamma augmentation as in B-MMI. Given the
 * completed modifier, one update is ω ~ PG(1, wᵀα + a_c) for every row, then
 * (α, a) jointly from the weighted normal regression κ/ω (κ = M − ½) with
 * weights ω (block.ts), then τ ~ Gamma(a₀ + C/2, b₀ + Σa_c²/2).
 * Priors as B-MMI's: α ~ N(α̂, σ²_α I), τ ~ Gamma(a₀, b₀).
 *
 * A δ-adjustment (sensitivity analysis) is a fixed offset o_r added to the
 * linear predictor (δ on the rows whose modifier is missing, 0 elsewhere):
 * the imputations are drawn from the shifted model, and α, a are updated with
 * the offset in place (z = κ/ω − o), so they keep describing the observed
 * pattern instead of absorbing δ.
 */
import { crossprodVectorColumns, type ColumnSupport } from "../../linalg/columns.ts";
import { gramPlan, gramWithPlan, type GramPlan } from "../../linalg/gram.ts";
import { polyaGammaFill } from "../../random/polyagamma.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalPrior } from "./block.ts";
import type { ModifierSampler } from "./chain.ts";
import { columnsOf, type WorkingLayout } from "./layout.ts";
import { weightedClusterSums } from "./outcome-design.ts";

export interface ModifierModelSpec {
  /** n × p row-major design of the analysed rows. */
  readonly W: Float64Array;
  readonly p: number;
  readonly priorMean: ArrayLike<number>;
  readonly priorVariance: number;
  readonly tauShape: number;
  readonly tauRate: number;
  /** Starting random intercepts per analysed cluster, and precision. */
  readonly startIntercepts: ArrayLike<number>;
  readonly startTau: number;
  /** Offset of the linear predictor per working row (δ on the missing rows), or null for none. */
  readonly offset?: Float64Array | null;
}

export class ModifierModel implements ModifierSampler {
  readonly kind = "logistic" as const;
  readonly extraNames = [] as const;
  /** Unused: the logistic model has no residual variance. */
  readonly residualVariance = 1;
  readonly p: number;
  readonly alpha: Float64Array;
  /** Random intercepts per working cluster. */
  readonly intercepts: Float64Array;
  tau: number;
  /** Linear predictor wᵀα + a_c per working row. */
  readonly eta: Float64Array;

  private readonly layout: WorkingLayout;
  private readonly columns: Float64Array;
  private readonly support: ColumnSupport;
  private readonly plan: GramPlan;
  private readonly prior: NormalPrior;
  private readonly shape: number;
  private readonly rate: number;
  private readonly omega: Float64Array;
  private readonly kappa: Float64Array;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;
  private readonly offset: Float64Array | null;
  private readonly adjusted: Float64Array | null;

  constructor(layout: WorkingLayout, spec: ModifierModelSpec) {
    const { n, clusters } = layout;
    this.layout = layout;
    this.p = spec.p;
    const { columns, support } = columnsOf(spec.W, spec.p, layout.order);
    this.columns = columns;
    this.support = support;
    this.plan = gramPlan(columns, n, spec.p);
    this.prior = normalPrior(spec.priorMean, new Float64Array(spec.p).fill(spec.priorVariance));
    this.shape = spec.tauShape + clusters / 2;
    this.rate = spec.tauRate;
    this.alpha = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from({ length: clusters }, (_, c) => spec.startIntercepts[layout.clusterOrder[c]]);
    this.tau = spec.startTau;
    this.eta = new Float64Array(n);
    this.omega = new Float64Array(n);
    this.kappa = new Float64Array(n);
    this.stats = blockStatistics(spec.p, clusters);
    this.work = blockWork(spec.p);
    this.offset = spec.offset ?? null;
    this.adjusted = this.offset === null ? null : new Float64Array(n);
    this.refreshPredictor();
  }

  /** One Gibbs update of (ω, α, a, τ) given the completed modifier `m` (working order). */
  update(m: Float64Array, rng: Rng): void {
    const { n, starts } = this.layout;
    const { p, stats, omega, kappa } = this;
    polyaGammaFill(rng, this.eta, omega, n);
    const { offset, adjusted } = this;
    for (let c = 0; c < this.layout.clusters; c++) {
      let w = 0;
      let k = 0;
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        kappa[r] = m[r] - 0.5;
        w += omega[r];
        if (adjusted !== null) {
          // ω·(κ/ω − o): the working response with the offset taken out.
          adjusted[r] = kappa[r] - omega[r] * offset![r];
          k += adjusted[r];
        } else k += kappa[r];
      }
      stats.clusterWeights[c] = w;
      stats.clusterCross[c] = k;
    }
    gramWithPlan(this.plan, omega, stats.gram);
    crossprodVectorColumns(this.columns, n, p, adjusted ?? kappa, stats.cross, this.support);
    weightedClusterSums(this.columns, this.support, n, p, starts, omega, stats.clusterSums);
    const sumSq = drawBlock(stats, 1, this.tau, this.prior, rng, this.alpha, this.intercepts, this.work, "modifier-model");
    this.tau = gamma(rng, this.shape, this.rate + sumSq / 2);
    this.refreshPredictor();
  }

  /** Writes α and τ at out[offset…]. */
  record(out: Float64Array, offset: number): void {
    out.set(this.alpha, offset);
    out[offset + this.p] = this.tau;
  }

  /** η = Wα + a_c (+ o) in one pass over the rows (modifier models are small: the columns loop is short). */
  private refreshPredictor(): void {
    const { n, starts, clusters } = this.layout;
    const { p, alpha, eta, columns, offset } = this;
    for (let c = 0; c < clusters; c++) {
      const a = this.intercepts[c];
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        let s = a;
        for (let j = 0; j < p; j++) s += alpha[j] * columns[j * n + r];
        eta[r] = offset === null ? s : s + offset[r];
      }
    }
  }
}
