/**
 * 2-1-1 mediation in a cluster-randomized trial: cluster-level treatment A,
 * individual-level mediator M, individual-level outcome Y (Krull & MacKinnon
 * 2001; Zhang, Zyphur & Preacher 2009). Because A varies only between
 * clusters, only the between-cluster part of M's effect can carry A's effect:
 *
 *   a:        M ~ A + covariates + (1 | C)                         (REML)
 *   b:        Y ~ A + cmean(M) + cwc(M) + covariates + (1 | C)     cmean(M)'s coefficient
 *   bWithin:  the same model's cwc(M) coefficient; direct: its A coefficient
 *   total:    Y ~ A + covariates + (1 | C)
 *   indirect: a·b, with a Monte Carlo interval (MacKinnon et al. 2004; a and
 *             b drawn from scaled t distributions with their Satterthwaite
 *             df, which widens it where few clusters make the normal
 *             sampling distributions too narrow) and a
 *             cluster-bootstrap percentile interval (clusters resampled
 *             within arms, both models refitted).
 *
 * cmean/cwc are the cluster mean of M and M minus it over the rows analysed.
 * The observed cluster mean is an error-prone proxy for the latent one when
 * clusters are small or M's ICC is low, which biases b toward bWithin (Lüdtke
 * et al. 2008); its reliability n̄·ρ/(1 + (n̄ − 1)ρ) is reported.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import type { Estimate } from "../core/records.ts";
import type { Dataset } from "../data/dataset.ts";
import { pnorm } from "../distributions/index.ts";
import { modelFrame } from "../formula/frame.ts";
import type { ModelFrame } from "../formula/types.ts";
import { waldEstimate } from "../inference/wald.ts";
import { lmm } from "../models/lmm/fit.ts";
import type { LmmFit } from "../models/lmm/result.ts";
import { lmmSmallSample } from "../models/lmm/small-sample.ts";
import { createRng, type Rng } from "../random/rng.ts";
import { gamma } from "../random/samplers.ts";

export interface MediationOptions {
  readonly cluster: string;
  readonly treatment: string;
  readonly mediator: string;
  readonly outcome: string;
  readonly covariates?: readonly string[];
  /** Cluster-bootstrap replicates (default 2000; 0 skips the bootstrap). */
  readonly bootstrap?: number;
  /** Monte Carlo draws of (a, b) for the indirect effect's interval (default 20,000). */
  readonly monteCarlo?: number;
  readonly seed?: number;
  readonly level?: number;
}

export interface MediationResult {
  readonly a: Estimate;
  readonly b: Estimate;
  readonly bWithin: Estimate;
  readonly direct: Estimate;
  readonly total: Estimate;
  /** a·b; stdError by the delta method (Sobel), interval from the Monte Carlo draws. */
  readonly indirect: Estimate;
  readonly indirectBootstrap: { readonly confLow: number; readonly confHigh: number; readonly replicates: number };
  /** indirect / (indirect + direct). */
  readonly proportionMediated: number;
  /** Reliability of the observed cluster mean of M as a measure of the latent one. */
  readonly clusterMeanReliability: number;
  readonly nObs: number;
  readonly nClusters: number;
  readonly level: number;
  readonly diagnostics: readonly Diagnostic[];
}

const MONTE_CARLO_STREAM = 0x6d63; // "mc"
const BOOTSTRAP_STREAM = 0x626f6f74; // "boot"
const RELIABILITY_WARNING = 0.7;

/** The three frames of the analysis, on the same rows in cluster order. */
interface MediationFrames {
  /** M ~ A + covariates. */
  readonly mediator: ModelFrame;
  /** Y ~ A + cmean(M) + cwc(M) + covariates. */
  readonly outcome: ModelFrame;
  /** Y ~ A + covariates. */
  readonly total: ModelFrame;
  /** 0/1 treatment of each cluster. */
  readonly arm: Uint8Array;
}

/**
 * @example
 * const r = mediation(data, { cluster: "school", treatment: "A", mediator: "M", outcome: "Y", seed: 1 });
 * r.indirect; r.indirectBootstrap; r.proportionMediated;
 */
export function mediation(data: Dataset, options: MediationOptions): MediationResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`the confidence level must be in (0, 1); got ${level}`);
  const bootstrap = options.bootstrap ?? 2000;
  const draws = options.monteCarlo ?? 20_000;
  for (const [name, v] of [["bootstrap", bootstrap], ["Monte Carlo draws", draws]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > 1_000_000) throw new InputError(`${name} must be an integer from 0 to 1000000; got ${v}`);
  }
  if ((bootstrap > 0 || draws > 0) && options.seed === undefined) throw new InputError("mediation intervals are simulated: give a seed (--seed N)");
  const frames = mediationFrames(data, options);
  const fitA = lmm(frames.mediator);
  const fitB = lmm(frames.outcome);
  const fitTotal = lmm(frames.total);
  const diagnostics: Diagnostic[] = [...frames.mediator.diagnostics];
  const [a] = estimates(frames.mediator, fitA, [1], level, diagnostics);
  const [direct, b, bWithin] = estimates(frames.outcome, fitB, [1, 2, 3], level, diagnostics);
  const [total] = estimates(frames.total, fitTotal, [1], level, diagnostics);

  const ab = a.estimate * b.estimate;
  const sobel = Math.sqrt(b.estimate ** 2 * a.stdError ** 2 + a.estimate ** 2 * b.stdError ** 2);
  const tail = (1 - level) / 2;
  const mc = draws > 0 ? monteCarloInterval(a, b, draws, tail, createRng(options.seed!, MONTE_CARLO_STREAM)) : [NaN, NaN];
  const statistic = ab / sobel;
  const indirect: Estimate = { estimate: ab, stdError: sobel, df: null, statistic, pValue: 2 * pnorm(-Math.abs(statistic)), confLow: mc[0], confHigh: mc[1] };
  const boot = bootstrap > 0 ? bootstrapInterval(frames, bootstrap, tail, options.seed!, diagnostics) : { confLow: NaN, confHigh: NaN, replicates: 0 };

  const reliability = clusterMeanReliability(frames.mediator, fitA);
  diagnostics.push(info("cluster-mean-reliability", `the observed cluster mean of '${options.mediator}' has reliability ${reliability.toFixed(3)} (mediator ICC ${fitA.icc.toFixed(3)}, mean cluster size ${(fitA.nObs / fitA.nClusters).toFixed(1)})`));
  if (reliability < RELIABILITY_WARNING) {
    diagnostics.push(
      warning(
        "unreliable-cluster-mean",
        `the observed cluster mean of '${options.mediator}' is an unreliable proxy for its latent cluster mean (reliability ${reliability.toFixed(3)} < ${RELIABILITY_WARNING}): b, the between-cluster effect, is biased toward the within-cluster effect bWithin (Lüdtke et al. 2008); a latent-mean (multilevel SEM) model would correct this`,
      ),
    );
  }
  diagnostics.push(info("intervals", `a, b, bWithin, direct and total use Satterthwaite df; the indirect effect's interval is the ${level * 100}% Monte Carlo percentile interval of a·b (${draws} draws of a and b from t distributions with those df), its p-value the Sobel test`));
  return Object.freeze({
    a,
    b,
    bWithin,
    direct,
    total,
    indirect,
    indirectBootstrap: boot,
    proportionMediated: ab / (ab + direct.estimate),
    clusterMeanReliability: reliability,
    nObs: fitA.nObs,
    nClusters: fitA.nClusters,
    level,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** Wald estimates of coefficients `indices` with Satterthwaite df. */
function estimates(frame: ModelFrame, fit: LmmFit, indices: readonly number[], level: number, diagnostics: Diagnostic[]): Estimate[] {
  const small = lmmSmallSample(frame, fit, "satterthwaite");
  for (const d of [...fit.diagnostics, ...small.diagnostics]) {
    if (d.severity !== "info" && !diagnostics.some((e) => e.message === d.message)) diagnostics.push(d);
  }
  const p = fit.coefficients.length;
  return indices.map((j) => waldEstimate(fit.coefficients[j], Math.sqrt(fit.vcov[j * p + j]), small.df[j], level));
}

/** n̄ρ/(1 + (n̄ − 1)ρ) with ρ the mediator's (conditional) ICC and n̄ the mean cluster size. */
function clusterMeanReliability(frame: ModelFrame, fit: LmmFit): number {
  const nBar = frame.y.length / fit.nClusters;
  return (nBar * fit.icc) / (1 + (nBar - 1) * fit.icc);
}

function mediationFrames(data: Dataset, options: MediationOptions): MediationFrames {
  const q = (name: string): string => "`" + name.replace(/`/g, "") + "`";
  const covariates = options.covariates ?? [];
  for (const role of [options.treatment, options.mediator, options.outcome, options.cluster]) {
    if (covariates.includes(role)) throw new InputError(`'${role}' is a role column and cannot also be a covariate`);
  }
  const rhs = [q(options.treatment), ...covariates.map(q)].join(" + ");
  const random = ` + (1 | ${q(options.cluster)})`;
  const mediator = modelFrame(data, `${q(options.mediator)} ~ ${rhs}${random}`, { cluster: options.cluster, extraVariables: [options.outcome] });
  if (mediator.columnNames[1] !== options.treatment) {
    throw new InputError(`treatment '${options.treatment}' must be a numeric 0/1 column (the mediator model's columns are ${mediator.columnNames.join(", ")})`);
  }
  const { X, rows } = mediator;
  const { ids, starts } = mediator.clusters!;
  const n = rows.length;
  const nClusters = ids.length;
  const m = mediator.y;
  const treatCol = 1;
  const arm = new Uint8Array(nClusters);
  const cmean = new Float64Array(n);
  const cwc = new Float64Array(n);
  let withinVaries = false;
  for (let c = 0; c < nClusters; c++) {
    const a0 = X.data[starts[c] * X.cols + treatCol];
    if (a0 !== 0 && a0 !== 1) throw new InputError(`treatment '${options.treatment}' must be 0 or 1; cluster ${ids[c]} has ${a0}`);
    arm[c] = a0;
    let s = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      if (X.data[i * X.cols + treatCol] !== a0) throw new InputError(`treatment '${options.treatment}' varies within cluster ${ids[c]} (data row ${rows[i] + 1})`);
      s += m[i];
    }
    const mean = s / (starts[c + 1] - starts[c]);
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      cmean[i] = mean;
      cwc[i] = m[i] - mean;
      // Rounding in the mean leaves ~1e-16 residues when M is constant in the cluster.
      if (Math.abs(cwc[i]) > 1e-12 * Math.max(1, Math.abs(mean))) withinVaries = true;
    }
  }
  if (!withinVaries) {
    throw new InputError(`mediator '${options.mediator}' is constant within every cluster: it is a cluster-level variable, and a 2-1-1 model needs an individual-level mediator (for a cluster-level mediator fit a 2-2-1 model)`);
  }
  if (arm.every((v) => v === arm[0])) throw new InputError(`every cluster has treatment ${arm[0]}; mediation needs both arms`);
  const y = Float64Array.from(rows, (r) => outcomeValue(data, options.outcome, r));
  const p = X.cols;
  const wide = new Float64Array(n * (p + 2));
  for (let i = 0; i < n; i++) {
    const src = i * p;
    const dst = i * (p + 2);
    wide[dst] = X.data[src];
    wide[dst + 1] = X.data[src + treatCol];
    wide[dst + 2] = cmean[i];
    wide[dst + 3] = cwc[i];
    for (let j = 2, k = 4; j < p; j++, k++) wide[dst + k] = X.data[src + j];
  }
  const mName = q(options.mediator);
  const outcome: ModelFrame = {
    ...mediator,
    formula: `${q(options.outcome)} ~ ${q(options.treatment)} + cmean(${mName}) + cwc(${mName})${covariates.map((c) => " + " + q(c)).join("")}${random}`,
    response: options.outcome,
    y,
    X: { rows: n, cols: p + 2, data: wide },
    columnNames: [mediator.columnNames[0], mediator.columnNames[treatCol], `cmean(${options.mediator})`, `cwc(${options.mediator})`, ...mediator.columnNames.slice(2)],
  };
  const total: ModelFrame = { ...mediator, formula: `${q(options.outcome)} ~ ${rhs}${random}`, response: options.outcome, y };
  return { mediator, outcome, total, arm };
}

function outcomeValue(data: Dataset, name: string, row: number): number {
  const col = data.columns.get(name);
  if (!col || col.kind !== "numeric") throw new InputError(`outcome '${name}' must be a numeric column`);
  return col.values[row];
}

/** Percentile interval of a·b over draws a = â + se_a·T_a, b = b̂ + se_b·T_b, T ~ t(df) (normal when df is null). */
function monteCarloInterval(a: Estimate, b: Estimate, draws: number, tail: number, rng: Rng): [number, number] {
  const products = new Float64Array(draws);
  for (let r = 0; r < draws; r++) {
    const ar = a.estimate + a.stdError * studentT(rng, a.df);
    const br = b.estimate + b.stdError * studentT(rng, b.df);
    products[r] = ar * br;
  }
  return percentiles(products, tail);
}

/** A t(df) draw as Z/√(χ²_df/df); the normal when df is null. */
function studentT(rng: Rng, df: number | null): number {
  const z = rng.normal();
  return df === null ? z : z / Math.sqrt((2 * gamma(rng, df / 2)) / df);
}

/** R's type-7 quantiles at tail and 1 − tail. */
function percentiles(values: Float64Array, tail: number): [number, number] {
  values.sort();
  const at = (prob: number): number => {
    const h = (values.length - 1) * prob;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, values.length - 1);
    return values[lo] + (h - lo) * (values[hi] - values[lo]);
  };
  return [at(tail), at(1 - tail)];
}

/**
 * Clusters resampled with replacement within each arm (the design's
 * randomization strata), both models refitted; replicate r draws from its own
 * stream (seed, BOOTSTRAP_STREAM, r), so the result does not depend on how
 * replicates are split across workers.
 */
function bootstrapInterval(frames: MediationFrames, replicates: number, tail: number, seed: number, diagnostics: Diagnostic[]): MediationResult["indirectBootstrap"] {
  const { starts } = frames.mediator.clusters!;
  const arms = [0, 1].map((t) => Array.from(frames.arm.keys()).filter((c) => frames.arm[c] === t));
  const products: number[] = [];
  let failed = 0;
  for (let r = 0; r < replicates; r++) {
    const rng = createRng(seed, BOOTSTRAP_STREAM, r);
    const chosen: number[] = [];
    for (const members of arms) for (let k = 0; k < members.length; k++) chosen.push(members[Math.floor(rng.uniform() * members.length)]);
    try {
      const a = lmm(resampleFrame(frames.mediator, starts, chosen)).coefficients[1];
      const b = lmm(resampleFrame(frames.outcome, starts, chosen)).coefficients[2];
      products.push(a * b);
    } catch (e) {
      if (!(e instanceof ComputeError || e instanceof InputError)) throw e;
      failed++;
    }
  }
  if (failed > 0) diagnostics.push(warning("bootstrap-failures", `${failed} of ${replicates} bootstrap replicates could not be fitted and were left out`));
  if (products.length < 2) throw new ComputeError("the cluster bootstrap produced fewer than 2 usable replicates");
  const [confLow, confHigh] = percentiles(Float64Array.from(products), tail);
  return { confLow, confHigh, replicates: products.length };
}

/** The frame made of clusters `chosen` (with repeats, each copy its own cluster), in that order. */
function resampleFrame(frame: ModelFrame, starts: Int32Array, chosen: readonly number[]): ModelFrame {
  const p = frame.X.cols;
  let n = 0;
  for (const c of chosen) n += starts[c + 1] - starts[c];
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  const newStarts = new Int32Array(chosen.length + 1);
  let at = 0;
  chosen.forEach((c, k) => {
    newStarts[k] = at;
    for (let i = starts[c]; i < starts[c + 1]; i++, at++) {
      y[at] = frame.y[i];
      x.set(frame.X.data.subarray(i * p, (i + 1) * p), at * p);
    }
  });
  newStarts[chosen.length] = n;
  return {
    ...frame,
    y,
    X: { rows: n, cols: p, data: x },
    rows: new Int32Array(n),
    clusters: { column: frame.clusters!.column, ids: chosen.map((_, k) => String(k)), starts: newStarts },
    diagnostics: [],
  };
}
