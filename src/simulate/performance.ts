/**
 * Performance measures of a simulation study and their Monte Carlo standard
 * errors, as in Morris, White & Crowther (2019, Stat Med 38:2074), Table 6.
 * With n usable replicates, estimates θ̂ᵢ, model SEs sᵢ (Vᵢ = sᵢ²), truth θ:
 *
 *   bias      θ̄ − θ                                MCSE √(Σ(θ̂ᵢ − θ̄)² / (n(n − 1)))
 *   empSe     √(Σ(θ̂ᵢ − θ̄)² / (n − 1))              MCSE empSe / √(2(n − 1))
 *   modelSe   √(V̄), V̄ = ΣVᵢ/n                       MCSE √(Var(V) / (4n·V̄)), Var(V) = Σ(Vᵢ − V̄)²/(n − 1)
 *   relErr    100(modelSe/empSe − 1)                 MCSE 100(modelSe/empSe)·√(Var(V)/(4n·V̄²) + 1/(2(n − 1)))
 *   coverage  Σ1(lowᵢ ≤ θ ≤ highᵢ)/n                  MCSE √(C(1 − C)/n)
 *   bias-eliminated coverage: the same with θ̄ in place of θ
 *   rejection Σ1(pᵢ ≤ α)/n                           MCSE √(P(1 − P)/n)
 *   mse       Σ(θ̂ᵢ − θ)²/n                          MCSE √(Σ((θ̂ᵢ − θ)² − mse)² / (n(n − 1)))
 *
 * Against a reference analysis with interval [L, H] (impose-missingness: the
 * complete-data analysis, whose estimate is then the truth θ):
 *
 *   meanConfLow  l̄ = Σlowᵢ/n                        MCSE sd(low)/√n (likewise meanConfHigh)
 *   narrowerThanComplete  Σ1(highᵢ − lowᵢ < H − L)/n  MCSE √(P(1 − P)/n)
 *   coversCompleteCi      Σ1(lowᵢ ≤ L, H ≤ highᵢ)/n    MCSE √(P(1 − P)/n)
 *
 * A replicate is used when the method converged and returned a finite
 * estimate, SE, interval and p-value; the others are counted in nFailed.
 * A measure that is undefined (e.g. an MCSE with n < 2) is null.
 * Sums run over replicates in increasing replicate order, so the same rows
 * give bit-identical measures however they were computed or stored.
 */
import { InputError } from "../core/errors.ts";
import type { PerformanceRow, ReferenceInterval, ReferenceMeasures, ReplicateRow } from "./types.ts";

/** The fields `summarize` reads from a row. */
export type SummarizableRow = Pick<
  ReplicateRow,
  "method" | "imputationModel" | "estimand" | "estimate" | "stdError" | "confLow" | "confHigh" | "pValue" | "converged"
> & { readonly replicate?: number; readonly error?: string };

/** The values of the usable replicates of one method × estimand. */
export interface PerformanceSample {
  readonly estimates: ArrayLike<number>;
  readonly stdErrors: ArrayLike<number>;
  readonly confLow: ArrayLike<number>;
  readonly confHigh: ArrayLike<number>;
  readonly pValues: ArrayLike<number>;
}

export type PerformanceMeasures = Omit<PerformanceRow, "method" | "imputationModel" | "estimand" | "truth" | "nReps" | "nFailed">;

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Whether a row enters the performance measures (see the module comment). */
export function isUsable(row: SummarizableRow): boolean {
  return (
    row.converged === true &&
    (row.error === undefined || row.error === "") &&
    isNum(row.estimate) &&
    isNum(row.stdError) &&
    isNum(row.confLow) &&
    isNum(row.confHigh) &&
    isNum(row.pValue)
  );
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Performance measures and MCSEs of one sample against `truth`; rejection at p ≤ `alpha`. */
export function performanceMeasures(sample: PerformanceSample, truth: number, alpha = 0.05): PerformanceMeasures {
  const { estimates: est, stdErrors: se, confLow: lo, confHigh: hi, pValues: p } = sample;
  const n = est.length;
  if (n === 0) {
    return {
      bias: null, biasMcse: null, empSe: null, empSeMcse: null, modelSe: null, modelSeMcse: null,
      relErrorModelSe: null, relErrorModelSeMcse: null, coverage: null, coverageMcse: null,
      biasElimCoverage: null, biasElimCoverageMcse: null, rejection: null, rejectionMcse: null, mse: null, mseMcse: null,
    };
  }
  let sum = 0;
  let sumV = 0;
  for (let i = 0; i < n; i++) {
    sum += est[i];
    sumV += se[i] * se[i];
  }
  const mean = sum / n;
  const meanV = sumV / n;
  let ss = 0; // Σ(θ̂ᵢ − θ̄)²
  let ssV = 0; // Σ(Vᵢ − V̄)²
  let sqErr = 0; // Σ(θ̂ᵢ − θ)²
  let covered = 0;
  let coveredMean = 0;
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const d = est[i] - mean;
    ss += d * d;
    const dv = se[i] * se[i] - meanV;
    ssV += dv * dv;
    const e = est[i] - truth;
    sqErr += e * e;
    if (lo[i] <= truth && truth <= hi[i]) covered++;
    if (lo[i] <= mean && mean <= hi[i]) coveredMean++;
    if (p[i] <= alpha) rejected++;
  }
  const mse = sqErr / n;
  let ssMse = 0; // Σ((θ̂ᵢ − θ)² − mse)²
  for (let i = 0; i < n; i++) {
    const e = est[i] - truth;
    const d = e * e - mse;
    ssMse += d * d;
  }
  const empSe = Math.sqrt(ss / (n - 1));
  const modelSe = Math.sqrt(meanV);
  const varV = ssV / (n - 1);
  const ratio = modelSe / empSe;
  const coverage = covered / n;
  const biasElimCoverage = coveredMean / n;
  const rejection = rejected / n;
  return {
    bias: mean - truth,
    biasMcse: orNull(Math.sqrt(ss / (n * (n - 1)))),
    empSe: orNull(empSe),
    empSeMcse: orNull(empSe / Math.sqrt(2 * (n - 1))),
    modelSe,
    modelSeMcse: orNull(Math.sqrt(varV / (4 * n * meanV))),
    relErrorModelSe: orNull(100 * (ratio - 1)),
    relErrorModelSeMcse: orNull(100 * ratio * Math.sqrt(varV / (4 * n * meanV * meanV) + 1 / (2 * (n - 1)))),
    coverage,
    coverageMcse: Math.sqrt((coverage * (1 - coverage)) / n),
    biasElimCoverage,
    biasElimCoverageMcse: Math.sqrt((biasElimCoverage * (1 - biasElimCoverage)) / n),
    rejection,
    rejectionMcse: Math.sqrt((rejection * (1 - rejection)) / n),
    mse,
    mseMcse: orNull(Math.sqrt(ssMse / (n * (n - 1)))),
  };
}

/** Mean and its MCSE (sample SD / √n); null where undefined. */
function meanWithMcse(x: ArrayLike<number>): [number | null, number | null] {
  const n = x.length;
  if (n === 0) return [null, null];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  return [mean, n < 2 ? null : Math.sqrt(ss / (n - 1) / n)];
}

/** A share and its MCSE √(P(1 − P)/n); null for an empty sample. */
function shareWithMcse(hits: number, n: number): [number | null, number | null] {
  if (n === 0) return [null, null];
  const p = hits / n;
  return [p, Math.sqrt((p * (1 - p)) / n)];
}

/**
 * Intervals compared with a reference interval (see ReferenceMeasures):
 * mean limits, the share narrower than the reference and the share
 * containing it, with MCSEs.
 *
 * @example
 * referenceMeasures({ confLow: [0, 1], confHigh: [2, 2] }, { estimate: 1, stdError: 0.4, confLow: 0.2, confHigh: 1.8 })
 * // narrowerThanComplete 0.5, coversCompleteCi 0.5, meanConfLow 0.5
 */
export function referenceMeasures(sample: Pick<PerformanceSample, "confLow" | "confHigh">, reference: ReferenceInterval): ReferenceMeasures {
  const { confLow: lo, confHigh: hi } = sample;
  const n = lo.length;
  const width = reference.confHigh - reference.confLow;
  let narrower = 0;
  let covers = 0;
  for (let i = 0; i < n; i++) {
    if (hi[i] - lo[i] < width) narrower++;
    if (lo[i] <= reference.confLow && reference.confHigh <= hi[i]) covers++;
  }
  const [meanConfLow, meanConfLowMcse] = meanWithMcse(lo);
  const [meanConfHigh, meanConfHighMcse] = meanWithMcse(hi);
  const [narrowerThanComplete, narrowerThanCompleteMcse] = shareWithMcse(narrower, n);
  const [coversCompleteCi, coversCompleteCiMcse] = shareWithMcse(covers, n);
  return {
    completeStdError: reference.stdError,
    completeConfLow: reference.confLow,
    completeConfHigh: reference.confHigh,
    meanConfLow,
    meanConfLowMcse,
    meanConfHigh,
    meanConfHighMcse,
    narrowerThanComplete,
    narrowerThanCompleteMcse,
    coversCompleteCi,
    coversCompleteCiMcse,
  };
}

/**
 * Performance of every method × imputation model × estimand in `rows` (one
 * condition), in order of first appearance after sorting by replicate.
 * `truth` gives the true value of each estimand; `reference`, when given,
 * the reference interval of each estimand (adds the reference measures).
 *
 * @example
 * summarize(rows, { hte: -1.61, ate: 0.0146 })
 */
export function summarize(
  rows: readonly SummarizableRow[],
  truth: Readonly<Record<string, number>>,
  options: { alpha?: number; reference?: Readonly<Record<string, ReferenceInterval>> } = {},
): PerformanceRow[] {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`alpha must be in (0, 1); got ${alpha}`);
  const sorted = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (a.row.replicate ?? 0) - (b.row.replicate ?? 0) || a.i - b.i)
    .map((x) => x.row);
  const groups = new Map<string, SummarizableRow[]>();
  for (const row of sorted) {
    const key = `${row.method}\u0000${row.imputationModel}\u0000${row.estimand}`;
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(row);
  }
  const out: PerformanceRow[] = [];
  for (const g of groups.values()) {
    const { method, imputationModel, estimand } = g[0];
    const t = truth[estimand];
    if (typeof t !== "number" || !Number.isFinite(t)) throw new InputError(`no finite true value for estimand '${estimand}'`);
    const used = g.filter(isUsable);
    const column = (f: (r: SummarizableRow) => number | null): Float64Array => Float64Array.from(used, (r) => f(r) as number);
    const sample: PerformanceSample = {
      estimates: column((r) => r.estimate),
      stdErrors: column((r) => r.stdError),
      confLow: column((r) => r.confLow),
      confHigh: column((r) => r.confHigh),
      pValues: column((r) => r.pValue),
    };
    const measures = performanceMeasures(sample, t, alpha);
    const ref = options.reference?.[estimand];
    const compared = ref === undefined ? {} : referenceMeasures(sample, ref);
    out.push(Object.freeze({ method, imputationModel, estimand, truth: t, nReps: used.length, nFailed: g.length - used.length, ...measures, ...compared }));
  }
  return out;
}
