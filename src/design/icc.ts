/**
 * Intraclass correlation of an outcome within clusters:
 *
 * - "anova": the one-way random-effects ANOVA (method-of-moments) estimator
 *   for unbalanced clusters: σ_w² = MSW, σ_b² = (MSB − MSW)/n₀ with
 *   n₀ = (N − Σnᵢ²/N)/(C − 1); a negative σ_b² is truncated at 0 (and said).
 * - "reml" / "ml": the variance components of the random-intercept LMM
 *   `y ~ 1 + (1 | cluster)` (lme4::lmer); never negative.
 * - binaryScale "latent": for a 0/1 outcome, σ_b² of the logistic
 *   random-intercept model (lme4::glmer) with σ_w² = π²/3 on the latent scale.
 *
 * ICC = σ_b² / (σ_b² + σ_w²).
 *
 * the cluster-designs chapter's Table 25.1 example (8 clusters of 2) reports σ_b² = 4.5,
 * σ_w² = 1.5, ICC = 0.75: these are the ML estimates (method "ml"); the ANOVA
 * (and REML) estimates from the same data are σ_b² = 5.25, σ_w² = 1.5,
 * ICC = 0.778, as R's aov and lmer give.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import { modelFrame } from "../formula/frame.ts";
import type { ModelFrame } from "../formula/types.ts";
import { glmm } from "../models/glmm/fit.ts";
import { clusterLayout } from "../models/shared/cluster-layout.ts";
import { lmm } from "../models/lmm/fit.ts";

export type IccMethod = "anova" | "reml" | "ml";

export interface IccOptions {
  /** Estimator of the variance components (default "anova"). */
  readonly method?: IccMethod;
  /**
   * "latent": for a 0/1 outcome, the latent-scale ICC σ_b²/(σ_b² + π²/3) from
   * the logistic random-intercept model (`method` is then not used).
   * Default "observed": the chosen method on the outcome as it is.
   */
  readonly binaryScale?: "observed" | "latent";
  /** Quadrature nodes for the latent-scale GLMM (default 1 = Laplace). */
  readonly nagq?: number;
  /** Truncate a negative ANOVA estimate of σ_b² at 0 (default true). */
  readonly truncate?: boolean;
}

/**
 * An ICC estimate (the `icc` command output, docs/cli.md).
 *
 * @example
 * const r = icc(frame, { method: "anova" });
 * r.icc; r.varianceBetween; r.varianceWithin; r.diagnostics;
 */
export interface IccResult {
  readonly method: IccMethod | "latent";
  readonly icc: number;
  readonly varianceBetween: number;
  readonly varianceWithin: number;
  /** Clusters with at least one row. */
  readonly nClusters: number;
  readonly nObs: number;
  readonly nDropped: number;
  /** N / C. */
  readonly meanClusterSize: number;
  /** ANOVA only: the average cluster size n₀ that weights MSB; null otherwise. */
  readonly n0: number | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Mean squares of the one-way ANOVA (kernel: no validation). */
export interface OneWayAnova {
  readonly msb: number;
  readonly msw: number;
  readonly n0: number;
  /** (MSB − MSW)/n₀, possibly negative. */
  readonly varianceBetween: number;
  readonly varianceWithin: number;
}

/**
 * One-way random-effects ANOVA of y over clusters (cluster c owns
 * y[starts[c] .. starts[c+1]-1]; empty clusters are skipped).
 */
export function oneWayAnova(y: ArrayLike<number>, starts: Int32Array): OneWayAnova {
  const nClusters = starts.length - 1;
  let total = 0;
  let n = 0;
  let c2 = 0;
  let sumSq = 0;
  let k = 0;
  for (let c = 0; c < nClusters; c++) {
    const nc = starts[c + 1] - starts[c];
    if (nc === 0) continue;
    k++;
    for (let i = starts[c]; i < starts[c + 1]; i++) total += y[i];
    n += nc;
    c2 += nc * nc;
  }
  const grand = total / n;
  let ssb = 0;
  for (let c = 0; c < nClusters; c++) {
    const nc = starts[c + 1] - starts[c];
    if (nc === 0) continue;
    let s = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) s += y[i];
    const mean = s / nc;
    for (let i = starts[c]; i < starts[c + 1]; i++) sumSq += (y[i] - mean) * (y[i] - mean);
    ssb += nc * (mean - grand) * (mean - grand);
  }
  const msb = ssb / (k - 1);
  const msw = sumSq / (n - k);
  const n0 = (n - c2 / n) / (k - 1);
  return { msb, msw, n0, varianceBetween: (msb - msw) / n0, varianceWithin: msw };
}

/**
 * The ICC of `frame.y` within `frame.clusters`. For "anova" the frame must
 * be intercept-only; for "reml", "ml" and "latent" other columns of X are
 * covariates (a conditional ICC).
 */
export function icc(frame: ModelFrame, options: IccOptions = {}): IccResult {
  const method = options.method ?? "anova";
  if (method !== "anova" && method !== "reml" && method !== "ml") {
    throw new InputError(`icc: unknown method '${String(method)}'; use 'anova', 'reml' or 'ml'`);
  }
  const scale = options.binaryScale ?? "observed";
  if (scale !== "observed" && scale !== "latent") {
    throw new InputError(`icc: unknown binary scale '${String(scale)}'; use 'latent' (or omit it)`);
  }
  const layout = clusterLayout(frame, "icc");
  const y = frame.y;
  const common = {
    nClusters: layout.nNonEmpty,
    nObs: layout.n,
    nDropped: frame.nDropped,
    meanClusterSize: layout.n / layout.nNonEmpty,
  };
  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...layout.diagnostics];
  const first = y[0];
  let constant = true;
  for (let i = 1; i < y.length && constant; i++) if (y[i] !== first) constant = false;
  if (constant) {
    throw new InputError(`icc: outcome '${frame.response}' is constant (every value is ${first}); the ICC is undefined`);
  }

  if (scale === "latent") {
    const fit = glmm(frame, { nagq: options.nagq });
    const vb = fit.theta * fit.theta;
    const vw = (Math.PI * Math.PI) / 3;
    // The fit's diagnostics already include the frame's and the layout's.
    return Object.freeze({ method: "latent" as const, icc: vb / (vb + vw), varianceBetween: vb, varianceWithin: vw, ...common, n0: null, diagnostics: fit.diagnostics });
  }

  if (method === "anova") {
    if (frame.X.cols !== 1 || frame.X.data.some((v) => v !== 1)) {
      throw new InputError(`icc: the ANOVA estimator takes no covariates ('${frame.formula}'); use method 'reml' or 'ml' for a covariate-adjusted ICC`);
    }
    const a = oneWayAnova(y, layout.starts);
    let vb = a.varianceBetween;
    if (vb < 0 && (options.truncate ?? true)) {
      diagnostics.push(
        warning(
          "negative-variance-truncated",
          `the ANOVA estimate of the between-cluster variance is negative (${vb.toPrecision(4)}: MSB ${a.msb.toPrecision(4)} < MSW ${a.msw.toPrecision(4)}); truncated at 0, so the ICC is 0`,
        ),
      );
      vb = 0;
    }
    if (a.msw === 0) diagnostics.push(info("no-within-variance", `outcome '${frame.response}' does not vary within any cluster; the ICC is 1`));
    return Object.freeze({ method, icc: vb / (vb + a.msw), varianceBetween: vb, varianceWithin: a.msw, ...common, n0: a.n0, diagnostics: Object.freeze(diagnostics) });
  }

  const fit = lmm(frame, { method });
  const vb = fit.randomEffects[0].variance;
  return Object.freeze({ method, icc: fit.icc, varianceBetween: vb, varianceWithin: fit.residualVariance, ...common, n0: null, diagnostics: fit.diagnostics });
}

export interface IccDataOptions extends IccOptions {
  readonly outcome: string;
  readonly cluster: string;
}

/**
 * The ICC of column `outcome` within column `cluster` of a dataset; rows with
 * a missing outcome or cluster are dropped and reported.
 *
 * @example
 * iccFromData(data, { outcome: "Y", cluster: "school", method: "anova" });
 */
export function iccFromData(data: Dataset, options: IccDataOptions): IccResult {
  const quote = (name: string): string => "`" + name.replace(/`/g, "") + "`";
  const frame = modelFrame(data, `${quote(options.outcome)} ~ 1`, { cluster: options.cluster });
  return icc(frame, options);
}
