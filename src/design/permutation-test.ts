/**
 * `permutationTest(data, options)`: the randomization test of a cluster
 * trial's treatment effect on a dataset (see permutation.ts for the method):
 * rows → covariate-model residuals → cluster means → allocations → p-value,
 * estimate and inverted interval.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { cellKey, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { modelFrame } from "../formula/frame.ts";
import { qrLeastSquares } from "../linalg/qr.ts";
import { createRng } from "../random/rng.ts";
import {
  countAllocations,
  drawAllocations,
  enumerateAllocations,
  invertPermutationTest,
  permutationPValue,
  schemeAllocations,
  type AllocationStatistics,
  type ClusterLevel,
} from "./permutation.ts";

/** Above this many allocations "auto" draws instead of enumerating. */
export const AUTO_ENUMERATE_LIMIT = 200_000;
/** The most allocations "enumerate" will hold (two Float64Arrays of this length). */
export const ENUMERATE_LIMIT = 20_000_000;
/** Stream id of the allocation draws (the stream derives from the seed and this name's id). */
const DRAW_STREAM = 0x7065726d; // "perm"

export interface PermutationTestOptions {
  readonly cluster: string;
  readonly treatment: string;
  readonly outcome: string;
  /** Covariate model without treatment, e.g. "Y ~ X1 + X2" (default "Y ~ 1": unadjusted). */
  readonly formula?: string;
  /** Cluster-level column: allocations are re-drawn within its levels. */
  readonly strata?: string;
  /** Cluster-level column naming matched pairs (one treated, one control each). */
  readonly pairs?: string;
  /** "auto" (default: enumerate up to AUTO_ENUMERATE_LIMIT, else draw), "enumerate", "draws" or "schemes". */
  readonly allocations?: "auto" | "enumerate" | "draws" | "schemes";
  /** Number of draws (default 10,000). */
  readonly draws?: number;
  readonly seed?: number;
  /** Acceptable allocations of a constrained randomization (rows 0/1 over clusterIds). */
  readonly schemes?: { readonly schemes: Uint8Array; readonly clusterIds: readonly string[] };
  readonly level?: number;
}

export interface PermutationTestResult {
  /** The effect δ at which the observed statistic is 0 (unadjusted: difference of arm means of cluster means). */
  readonly estimate: number;
  /** The observed statistic under H₀: no effect. */
  readonly statistic: number;
  readonly pValue: number;
  readonly nAllocations: number;
  readonly exact: boolean;
  readonly allocations: "enumerate" | "draws" | "schemes";
  readonly confLow: number;
  readonly confHigh: number;
  readonly level: number;
  readonly nClusters: number;
  readonly nObs: number;
  readonly nDropped: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * @example
 * const r = permutationTest(data, { cluster: "cluster", treatment: "A", outcome: "Y", formula: "Y ~ X1" });
 * r.pValue; r.confLow; r.confHigh;
 */
export function permutationTest(data: Dataset, options: PermutationTestOptions): PermutationTestResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`the confidence level must be in (0, 1); got ${level}`);
  if (options.strata !== undefined && options.pairs !== undefined) throw new InputError("give --strata or --pairs, not both");
  const formula = options.formula ?? `\`${options.outcome}\` ~ 1`;
  const groupColumn = options.strata ?? options.pairs;
  const frame = modelFrame(data, formula, {
    cluster: options.cluster,
    extraVariables: [options.treatment, ...(groupColumn ? [groupColumn] : [])],
  });
  if (frame.columnNames.some((name) => name.split(":").includes(options.treatment))) {
    throw new InputError(`the covariate model '${formula}' contains the treatment '${options.treatment}'; it must be fitted without it`);
  }
  const clusters = clusterLevel(data, frame, options, groupColumn);
  const diagnostics: Diagnostic[] = [...frame.diagnostics];
  const mode = resolveMode(clusters, options);
  const stats = allocationStatistics(clusters, mode, options, frame.clusters!.ids, diagnostics);
  const pValue = permutationPValue(stats, 0);
  const interval = invertPermutationTest(stats, level);
  diagnostics.push(...interval.diagnostics);
  return Object.freeze({
    estimate: interval.estimate,
    statistic: stats.uObserved,
    pValue,
    nAllocations: stats.complete ? stats.u.length : stats.u.length + 1,
    exact: stats.complete,
    allocations: mode,
    confLow: interval.confLow,
    confHigh: interval.confHigh,
    level,
    nClusters: clusters.treated.length,
    nObs: frame.y.length,
    nDropped: frame.nDropped,
    diagnostics: Object.freeze(diagnostics),
  });
}

function allocationStatistics(
  level: ClusterLevel,
  mode: "enumerate" | "draws" | "schemes",
  options: PermutationTestOptions,
  ids: readonly string[],
  diagnostics: Diagnostic[],
): AllocationStatistics {
  if (mode === "schemes") return schemeStatistics(level, options.schemes!, ids, diagnostics);
  if (mode === "enumerate") return enumerateAllocations(level);
  const draws = options.draws ?? 10_000;
  if (!Number.isSafeInteger(draws) || draws < 1 || draws > ENUMERATE_LIMIT) {
    throw new InputError(`--draws must be an integer from 1 to ${ENUMERATE_LIMIT}; got ${draws}`);
  }
  if (options.seed === undefined) throw new InputError("drawn allocations need a seed (--seed N)");
  diagnostics.push(info("allocations-drawn", `${draws} allocations drawn at random (seed ${options.seed}); the p-value is (1 + count)/(${draws} + 1)`));
  return drawAllocations(level, draws, createRng(options.seed, DRAW_STREAM));
}

function resolveMode(level: ClusterLevel, options: PermutationTestOptions): "enumerate" | "draws" | "schemes" {
  const asked = options.allocations ?? (options.schemes ? "schemes" : "auto");
  if (asked === "schemes") {
    if (!options.schemes) throw new InputError("allocations 'schemes' need a scheme file (--schemes FILE)");
    return "schemes";
  }
  const total = countAllocations(level);
  if (asked === "enumerate" && total > ENUMERATE_LIMIT) {
    throw new InputError(`the design has ${total.toExponential(3)} allocations, more than can be enumerated (${ENUMERATE_LIMIT}); use --draws N`);
  }
  if (asked === "auto") return total <= AUTO_ENUMERATE_LIMIT ? "enumerate" : "draws";
  return asked;
}

function schemeStatistics(
  level: ClusterLevel,
  file: NonNullable<PermutationTestOptions["schemes"]>,
  ids: readonly string[],
  diagnostics: Diagnostic[],
): AllocationStatistics {
  const m = ids.length;
  const where = new Map(file.clusterIds.map((id, j) => [id, j]));
  const missing = ids.filter((id) => !where.has(id));
  if (missing.length > 0) throw new InputError(`the scheme file has no column for cluster(s) ${missing.slice(0, 5).join(", ")}`);
  const k = file.clusterIds.length;
  const count = file.schemes.length / k;
  const schemes = new Uint8Array(count * m);
  let observedFound = false;
  for (let r = 0; r < count; r++) {
    let same = true;
    for (let i = 0; i < m; i++) {
      const v = file.schemes[r * k + where.get(ids[i])!];
      schemes[r * m + i] = v;
      if (v !== level.treated[i]) same = false;
    }
    if (same) observedFound = true;
  }
  if (!observedFound) {
    diagnostics.push(warning("observed-not-in-schemes", "the observed allocation is not among the schemes: the test conditions on a set the trial was not drawn from"));
  }
  return schemeAllocations(level, schemes);
}

/** Residual cluster means of Y and A, the observed allocation and strata, validated. */
function clusterLevel(
  data: Dataset,
  frame: ReturnType<typeof modelFrame>,
  options: PermutationTestOptions,
  groupColumn: string | undefined,
): ClusterLevel {
  const { X, y, rows } = frame;
  const n = y.length;
  const { ids, starts } = frame.clusters!;
  const m = ids.length;
  const aColumn = numericColumn(data, options.treatment);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = aColumn[rows[i]];
  const ry = qrLeastSquares(X.data, n, X.cols, y).residuals;
  const ra = qrLeastSquares(X.data, n, X.cols, a).residuals;
  const yMeans = new Float64Array(m);
  const aMeans = new Float64Array(m);
  const treated = new Uint8Array(m);
  const strataKeys: string[] = [];
  const groupCol = groupColumn ? getColumn(data, groupColumn) : undefined;
  for (let c = 0; c < m; c++) {
    const first = a[starts[c]];
    if (first !== 0 && first !== 1) throw new InputError(`treatment '${options.treatment}' must be 0 or 1; cluster ${ids[c]} has ${first}`);
    let sy = 0;
    let sa = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      if (a[i] !== first) throw new InputError(`treatment '${options.treatment}' varies within cluster ${ids[c]} (data row ${rows[i] + 1})`);
      sy += ry[i];
      sa += ra[i];
    }
    const size = starts[c + 1] - starts[c];
    yMeans[c] = sy / size;
    aMeans[c] = sa / size;
    treated[c] = first;
    if (groupCol) {
      const key = cellKey(groupCol, rows[starts[c]])!;
      for (let i = starts[c]; i < starts[c + 1]; i++) {
        if (cellKey(groupCol, rows[i]) !== key) throw new InputError(`'${groupColumn}' varies within cluster ${ids[c]} (data row ${rows[i] + 1}); strata and pairs are cluster-level`);
      }
      strataKeys.push(key);
    }
  }
  const n1 = treated.reduce((s, t) => s + t, 0);
  if (n1 < 1 || n1 > m - 1) throw new InputError(`a permutation test needs clusters in both arms; ${n1} of ${m} clusters are treated`);
  const strata = new Int32Array(m);
  if (groupCol) {
    const index = new Map<string, number>();
    strataKeys.forEach((key, c) => {
      if (!index.has(key)) index.set(key, index.size);
      strata[c] = index.get(key)!;
    });
    if (options.pairs !== undefined) checkPairs(strata, treated, strataKeys, index.size, options.pairs);
  }
  return { yMeans, aMeans, treated, strata };
}

function checkPairs(strata: Int32Array, treated: Uint8Array, keys: readonly string[], nPairs: number, column: string): void {
  const size = new Int32Array(nPairs);
  const nTreated = new Int32Array(nPairs);
  for (let c = 0; c < strata.length; c++) {
    size[strata[c]]++;
    nTreated[strata[c]] += treated[c];
  }
  for (let s = 0; s < nPairs; s++) {
    if (size[s] !== 2 || nTreated[s] !== 1) {
      const key = keys[strata.indexOf(s)];
      throw new InputError(`pair '${key}' of '${column}' has ${size[s]} cluster(s), ${nTreated[s]} treated; each pair needs one treated and one control cluster`);
    }
  }
}
