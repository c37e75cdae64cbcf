/**
 * The logistic random-intercept substantive model (binary outcome) in the
 * smc chain: logit P(y = 1) = x(m)ᵀβ + u_c, u_c ~ N(0, 1/τ). One update,
 * given the completed modifier: ω ~ PG(1, x(m)ᵀβ + u_c) for every row, then
 * (β, u) jointly from the weighted normal regression κ/ω (κ = y − ½) with
 * weights ω (block.ts), then τ ~ Gamma(a₀ + C/2, b₀ + Σu_c²/2).
 */
import { crossprodVectorColumns, multiplyVectorColumns } from "../../linalg/columns.ts";
import { gramPlan, gramWithPlan, type GramPlan } from "../../linalg/gram.ts";
import { polyaGammaFill, polyaGammaMean } from "../../random/polyagamma.ts";
import type { Rng } from "../../random/rng.ts";
import { gamma } from "../../random/samplers.ts";
import { blockStatistics, blockWork, drawBlock, normalPrior, type BlockStatistics, type BlockWork, type NormalPrior } from "./block.ts";
import type { WorkingLayout } from "./layout.ts";
import { addModifierClusterSums, addModifierGram, clusterTotals, weightedClusterSums, type WorkingOutcomeDesign } from "./outcome-design.ts";

export interface LogisticOutcomeSpec {
  readonly priorMean: ArrayLike<number>;
  readonly priorVariance: ArrayLike<number>;
  /** Gamma(shape, rate) prior on τ. */
  readonly precisionShape: number;
  readonly precisionRate: number;
  readonly startClusterVariance: number;
  /** Starting random intercepts per analysed cluster. */
  readonly startIntercepts: ArrayLike<number>;
}

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export class LogisticOutcome {
  readonly beta: Float64Array;
  /** Random intercepts per working cluster. */
  readonly intercepts: Float64Array;
  tau: number;
  readonly extraNames = ["tau"] as const;

  private readonly layout: WorkingLayout;
  private readonly design: WorkingOutcomeDesign;
  private readonly yMissing: Float64Array;
  private readonly kappaMissing: Float64Array;
  private readonly plan: GramPlan;
  private readonly prior: NormalPrior;
  private readonly shape: number;
  private readonly rate: number;
  private readonly fixedCross: Float64Array;
  private readonly stats: BlockStatistics;
  private readonly work: BlockWork;
  /** Linear predictor with the missing rows at m = 0 (fixed·β + u), and Δβ per missing row. */
  private readonly eta0: Float64Array;
  private readonly deltaFit: Float64Array;
  private readonly eta: Float64Array;
  private readonly omega: Float64Array;
  private readonly imputed: Float64Array;
  private readonly scratch: Float64Array;
  private readonly squares: Float64Array;

  constructor(layout: WorkingLayout, design: WorkingOutcomeDesign, y: Float64Array, spec: LogisticOutcomeSpec) {
    const { n, clusters, order, starts, missing } = layout;
    const { p, nMissing } = design;
    this.layout = layout;
    this.design = design;
    const yWorking = Float64Array.from(order, (r) => y[r]);
    const kappa = Float64Array.from(yWorking, (v) => v - 0.5);
    this.yMissing = Float64Array.from(missing, (w) => yWorking[w]);
    this.kappaMissing = Float64Array.from(missing, (w) => kappa[w]);
    this.plan = gramPlan(design.fixed, n, p);
    this.prior = normalPrior(spec.priorMean, spec.priorVariance);
    this.shape = spec.precisionShape + clusters / 2;
    this.rate = spec.precisionRate;
    this.fixedCross = crossprodVectorColumns(design.fixed, n, p, kappa, new Float64Array(p), design.fixedSupport);
    this.stats = blockStatistics(p, clusters);
    clusterTotals(kappa, starts, this.stats.clusterCross);
    this.work = blockWork(p);
    this.beta = Float64Array.from(spec.priorMean);
    this.intercepts = Float64Array.from({ length: clusters }, (_, c) => spec.startIntercepts[layout.clusterOrder[c]]);
    this.tau = 1 / spec.startClusterVariance;
    this.eta0 = new Float64Array(n);
    this.deltaFit = new Float64Array(nMissing);
    this.eta = new Float64Array(n);
    this.imputed = new Float64Array(nMissing);
    this.scratch = new Float64Array(nMissing);
    this.squares = new Float64Array(nMissing);
    this.refreshPredictor();
    // ω is part of the state a continuous modifier's first draw conditions on: start at its mean.
    this.omega = Float64Array.from(this.eta0, polyaGammaMean);
  }

  /** y·δ − log(1 + e^{η⁰+δ}) + log(1 + e^{η⁰}) for each missing row, δ = Δᵀβ. */
  logRatio(out: Float64Array): void {
    const { missing } = this.layout;
    for (let k = 0; k < missing.length; k++) {
      const e0 = this.eta0[missing[k]];
      const d = this.deltaFit[k];
      out[k] = this.yMissing[k] * d - softplus(e0 + d) + softplus(e0);
    }
  }

  /**
   * Given the current Pólya-Gamma ω, the outcome's log-likelihood in η is
   * κη − ωη²/2; with η = η⁰ + m·δ that is −½·(ωδ²)·m² + δ(κ − ωη⁰)·m + const
   * for each missing row (a continuous modifier's full conditional given ω).
   */
  normalTerms(precision: Float64Array, linear: Float64Array): void {
    const { missing } = this.layout;
    for (let k = 0; k < missing.length; k++) {
      const w = missing[k];
      const d = this.deltaFit[k];
      const o = this.omega[w];
      precision[k] = o * d * d;
      linear[k] = d * (this.kappaMissing[k] - o * this.eta0[w]);
    }
  }

  /** One update of (ω, β, u, τ) given the completed modifier `m` (working order). */
  update(m: Float64Array, rng: Rng): void {
    const { layout, design, stats, imputed, scratch, squares, omega, eta } = this;
    const { n, missing, starts } = layout;
    const { p, nMissing } = design;
    eta.set(this.eta0);
    for (let k = 0; k < nMissing; k++) {
      imputed[k] = m[missing[k]];
      eta[missing[k]] += imputed[k] * this.deltaFit[k];
    }
    polyaGammaFill(rng, eta, omega, n);
    gramWithPlan(this.plan, omega, stats.gram);
    for (let k = 0; k < nMissing; k++) {
      scratch[k] = imputed[k] * omega[missing[k]];
      squares[k] = scratch[k] * imputed[k];
    }
    addModifierGram(design, scratch, squares, stats.gram);
    weightedClusterSums(design.fixed, design.fixedSupport, n, p, starts, omega, stats.clusterSums);
    addModifierClusterSums(design, scratch, stats.clusterSums);
    clusterTotals(omega, starts, stats.clusterWeights);
    for (let k = 0; k < nMissing; k++) scratch[k] = imputed[k] * this.kappaMissing[k];
    crossprodVectorColumns(design.delta, nMissing, p, scratch, stats.cross, design.deltaSupport);
    for (let j = 0; j < p; j++) stats.cross[j] += this.fixedCross[j];
    const sumSq = drawBlock(stats, 1, this.tau, this.prior, rng, this.beta, this.intercepts, this.work, "substantive-model");
    this.tau = gamma(rng, this.shape, this.rate + sumSq / 2);
    this.refreshPredictor();
  }

  /** Writes β and τ at out[offset…]. */
  record(out: Float64Array, offset: number): void {
    out.set(this.beta, offset);
    out[offset + this.beta.length] = this.tau;
  }

  private refreshPredictor(): void {
    const { n, starts, clusters } = this.layout;
    const { p, nMissing } = this.design;
    multiplyVectorColumns(this.design.fixed, n, p, this.beta, this.eta0, this.design.fixedSupport);
    for (let c = 0; c < clusters; c++) {
      const u = this.intercepts[c];
      for (let r = starts[c]; r < starts[c + 1]; r++) this.eta0[r] += u;
    }
    multiplyVectorColumns(this.design.delta, nMissing, p, this.beta, this.deltaFit, this.design.deltaSupport);
  }
}
