/**
 * The linear mixed substantive model in the smc chain:
 *   y = x(m)ᵀβ + u_c + ε,  u_c ~ N(0, σ²_u),  ε ~ N(0, σ²).
 * One update, given the completed modifier: (β, u) jointly given σ², σ²_u
 * (block.ts, w = 1, scale 1/σ²), then 1/σ² ~ Gamma(a₀ + n/2, b₀ + RSS/2),
 * then 1/σ²_u ~ Gamma(a₀ + C/2, b₀ + Σu_c²/2). All conjugate.
 * Priors (smc.ts chooses them): β ~ N(β̂, diag(v)), Gamma(a₀, b₀) on both precisions.
 */
import { crossprodVectorColumns, multiplyVectorColumns, type ColumnSupport } from "../../linalg/columns.ts";
import { gramPlan, gramWithPlan } from "../../linalg/gram.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalModelSpec, type NormalPrior } from "./block.ts";
import { columnsOf, rowsOfColumns, type WorkingLayout } from "./layout.ts";
import { addModifierClusterSums, addModifierGram, clusterTotals, weightedClusterSums, type WorkingOutcomeDesign } from "./outcome-design.ts";

/** Gamma(shape, rate) prior on 1/σ² and on 1/σ²_u. */
export type GaussianOutcomeSpec = NormalModelSpec;

export class GaussianOutcome {
  readonly beta: Float64Array;
  /** Random intercepts per working cluster. */
  readonly intercepts: Float64Array;
  sigma2: number;
  /** 1/σ²_u. */
  tau: number;

  private readonly layout: WorkingLayout;
  private readonly design: WorkingOutcomeDesign;
  private readonly y: Float64Array;
  private readonly yMissing: Float64Array;
  private readonly prior: NormalPrior;
  private readonly shape: number;
  private readonly rate: number;
  private readonly fixedGram: Float64Array;
  private readonly fixedCross: Float64Array;
  private readonly fixedSums: Float64Array;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;
  /** x⁰ᵀβ and Δᵀβ per missing row (layout.missing order). */
  private readonly fitMissing: Float64Array;
  private readonly deltaFit: Float64Array;
  private readonly fixedMissing: { columns: Float64Array; support: ColumnSupport };
  private readonly imputed: Float64Array;
  private readonly squares: Float64Array;
  private readonly scratch: Float64Array;
  private readonly yy: number;

  constructor(layout: WorkingLayout, design: WorkingOutcomeDesign, y: Float64Array, spec: GaussianOutcomeSpec) {
    const { n, clusters, order, starts, missing } = layout;
    const { p, nMissing } = design;
    this.layout = layout;
    this.design = design;
    this.y = Float64Array.from(order, (r) => y[r]);
    this.yMissing = Float64Array.from(missing, (w) => this.y[w]);
    this.prior = normalPrior(spec.priorMean, spec.priorVariance);
    this.shape = spec.precisionShape;
    this.rate = spec.precisionRate;
    const ones = new Float64Array(n).fill(1);
    this.fixedGram = gramWithPlan(gramPlan(design.fixed, n, p), ones);
    this.fixedCross = crossprodVectorColumns(design.fixed, n, p, this.y, new Float64Array(p), design.fixedSupport);
    this.fixedSums = new Float64Array(clusters * p);
    weightedClusterSums(design.fixed, design.fixedSupport, n, p, starts, ones, this.fixedSums);
    this.stats = blockStatistics(p, clusters);
    clusterTotals(ones, starts, this.stats.clusterWeights);
    clusterTotals(this.y, starts, this.stats.clusterCross);
    this.work = blockWork(p);
    this.beta = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from({ length: clusters }, (_, c) => spec.startIntercepts[layout.clusterOrder[c]]);
    this.sigma2 = spec.startSigma2;
    this.tau = 1 / spec.startClusterVariance;
    this.fixedMissing = columnsOf(rowsOfColumns(design.fixed, n, p, missing), p, Int32Array.from({ length: nMissing }, (_, k) => k));
    this.fitMissing = new Float64Array(nMissing);
    this.deltaFit = new Float64Array(nMissing);
    let yy = 0;
    for (let r = 0; r < n; r++) yy += this.y[r] * this.y[r];
    this.yy = yy;
    this.imputed = new Float64Array(nMissing);
    this.squares = new Float64Array(nMissing);
    this.scratch = new Float64Array(nMissing);
    this.refreshFit();
  }

  /** log N(y; μ¹, σ²) − log N(y; μ⁰, σ²) for each missing row: δ(2r⁰ − δ)/(2σ²), r⁰ = y − μ⁰, δ = Δᵀβ. */
  logRatio(out: Float64Array): void {
    const { missing, clusterOf } = this.layout;
    const half = 0.5 / this.sigma2;
    for (let k = 0; k < missing.length; k++) {
      const w = missing[k];
      const r0 = this.yMissing[k] - this.fitMissing[k] - this.intercepts[clusterOf[w]];
      const d = this.deltaFit[k];
      out[k] = d * (2 * r0 - d) * half;
    }
  }

  /**
   * log p(y | M = m, θ) = −½·precision·m² + linear·m + const for each missing
   * row: precision δ²/σ², linear δ·r⁰/σ² (a continuous modifier's full conditional).
   */
  normalTerms(precision: Float64Array, linear: Float64Array): void {
    const { missing, clusterOf } = this.layout;
    const inverse = 1 / this.sigma2;
    for (let k = 0; k < missing.length; k++) {
      const w = missing[k];
      const r0 = this.yMissing[k] - this.fitMissing[k] - this.intercepts[clusterOf[w]];
      const d = this.deltaFit[k];
      precision[k] = d * d * inverse;
      linear[k] = d * r0 * inverse;
    }
  }

  /** One update of (β, u), σ², σ²_u given the completed modifier `m` (working order). */
  update(m: Float64Array, rng: Rng): void {
    const { layout, design, stats, imputed, squares, scratch } = this;
    const { n, missing, clusters } = layout;
    const { p, nMissing } = design;
    for (let k = 0; k < nMissing; k++) {
      imputed[k] = m[missing[k]];
      squares[k] = imputed[k] * imputed[k];
    }
    stats.gram.set(this.fixedGram);
    addModifierGram(design, imputed, squares, stats.gram);
    for (let k = 0; k < nMissing; k++) scratch[k] = imputed[k] * this.yMissing[k];
    crossprodVectorColumns(design.delta, nMissing, p, scratch, stats.cross, design.deltaSupport);
    for (let j = 0; j < p; j++) stats.cross[j] += this.fixedCross[j];
    stats.clusterSums.set(this.fixedSums);
    addModifierClusterSums(design, imputed, stats.clusterSums);

    const sumSqIntercepts = drawBlock(stats, 1 / this.sigma2, this.tau, this.prior, rng, this.beta, this.intercepts, this.work, "substantive-model");
    this.refreshFit();
    const rss = this.residualSumOfSquares(imputed);
    this.sigma2 = 1 / gamma(rng, this.shape + n / 2, this.rate + rss / 2);
    this.tau = gamma(rng, this.shape + clusters / 2, this.rate + sumSqIntercepts / 2);
  }

  /** Extra parameters after β in the trace. */
  readonly extraNames = ["sigma2", "tau"] as const;

  /** Writes β, σ², 1/σ²_u at out[offset…]. */
  record(out: Float64Array, offset: number): void {
    out.set(this.beta, offset);
    out[offset + this.beta.length] = this.sigma2;
    out[offset + this.beta.length + 1] = this.tau;
  }

  /**
   * Σ(y − x(m)ᵀβ − u)² from the sufficient statistics of this update:
   * yᵀy − 2βᵀXᵀy + βᵀXᵀXβ − 2Σ_c u_c(h_c − u_cᵀβ) + Σ_c n_c u_c², without a pass over the rows.
   * When that cancels to almost nothing (an outcome far from 0 fitted almost
   * exactly), the rows are summed directly.
   */
  private residualSumOfSquares(imputed: Float64Array): number {
    const { gram, cross, clusterSums, clusterWeights, clusterCross, p, clusters } = this.stats;
    const beta = this.beta;
    let quadratic = 0;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < i; j++) s += gram[i * p + j] * beta[j];
      quadratic += beta[i] * (2 * s + gram[i * p + i] * beta[i]) - 2 * beta[i] * cross[i];
    }
    let clusterPart = 0;
    for (let c = 0; c < clusters; c++) {
      const u = this.intercepts[c];
      let fitted = 0;
      for (let j = 0; j < p; j++) fitted += clusterSums[c * p + j] * beta[j];
      clusterPart += u * (clusterWeights[c] * u - 2 * (clusterCross[c] - fitted));
    }
    const rss = this.yy + quadratic + clusterPart;
    return rss > 1e-10 * this.yy ? rss : this.rowResidualSumOfSquares(imputed);
  }

  private rowResidualSumOfSquares(imputed: Float64Array): number {
    const { n, starts, clusters, missing } = this.layout;
    const fit = multiplyVectorColumns(this.design.fixed, n, this.design.p, this.beta, new Float64Array(n), this.design.fixedSupport);
    for (let k = 0; k < missing.length; k++) fit[missing[k]] += imputed[k] * this.deltaFit[k];
    let rss = 0;
    for (let c = 0; c < clusters; c++) {
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        const e = this.y[r] - fit[r] - this.intercepts[c];
        rss += e * e;
      }
    }
    return rss;
  }

  private refreshFit(): void {
    const { p, nMissing } = this.design;
    multiplyVectorColumns(this.fixedMissing.columns, nMissing, p, this.beta, this.fitMissing, this.fixedMissing.support);
    multiplyVectorColumns(this.design.delta, nMissing, p, this.beta, this.deltaFit, this.design.deltaSupport);
  }
}
