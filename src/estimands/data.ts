/**
 * Stage 1 of model-robust standardization: from a data set and a formula
 * `Y ~ X1 + X2 + cluster(H1 + N)` to validated, cluster-ordered numbers.
 *
 * - terms before `cluster(...)` are individual-level covariates (R's model
 *   matrix columns, so `factor(x)`, `I(x^2)` and interactions work);
 * - names inside `cluster(...)` are cluster-level covariates, each constant
 *   within clusters; `N` is the cluster size (rows used) unless the data have
 *   a column `N`;
 * - the treatment is 0/1 and constant within clusters, with at least two
 *   clusters per arm (the jackknife leaves each one out);
 * - randomization probabilities and optional cluster weights ω_i are resolved
 *   per cluster.
 *
 * Everything later (working models, standardization, jackknife) reads only
 * this object: validation and formula parsing happen once.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { clusterConstant, clusterTreatment } from "../data/validate.ts";
import { modelFrame } from "../formula/index.ts";
import { resolveProbabilities, type ProbabilitySpec } from "./probability.ts";

/** Cluster weights ω_i of a general weighted estimand (Li et al. 2025, eq. 1). */
export type ClusterWeightSpec =
  | { readonly column: string }
  | { readonly byCluster: ReadonlyMap<string, number> | Readonly<Record<string, number>> };

export interface MrsDataOptions {
  /** Cluster identifier column. */
  readonly cluster: string;
  /** Cluster-level 0/1 treatment column. */
  readonly treatment: string;
  /** Randomization probability (default 0.5). */
  readonly probability?: ProbabilitySpec;
  /** Weights ω_i of an additional weighted estimand Δ_ω (besides Δ_C and Δ_I). */
  readonly clusterWeights?: ClusterWeightSpec;
}

/**
 * The analysis data, cluster by cluster (cluster c owns rows
 * starts[c] .. starts[c+1]−1; clusters in order of first appearance).
 */
export interface MrsData {
  readonly formula: string;
  readonly response: string;
  readonly treatment: string;
  readonly clusterColumn: string;
  readonly clusterIds: readonly string[];
  /** m. */
  readonly nClusters: number;
  /** n (rows used). */
  readonly nObs: number;
  readonly nDropped: number;
  readonly starts: Int32Array;
  /** N_i: rows used per cluster. */
  readonly sizes: Float64Array;
  /** Outcome per row. */
  readonly y: Float64Array;
  /** Ȳ_i. */
  readonly yBar: Float64Array;
  /** A_i (0/1) per cluster. */
  readonly treated: Uint8Array;
  /** Names of the individual-level covariates (model-matrix columns, intercept excluded). */
  readonly individualNames: readonly string[];
  /** n × q row-major individual covariates X_ij. */
  readonly individual: Float64Array;
  /** m × q row-major cluster means X̄_i. */
  readonly individualMeans: Float64Array;
  /** Names of the cluster-level covariates H (and N when named). */
  readonly clusterNames: readonly string[];
  /** m × h row-major cluster-level covariates. */
  readonly clusterCovariates: Float64Array;
  /** π_i per cluster. */
  readonly probabilities: Float64Array;
  readonly probabilitySource: string;
  /** ω_i per cluster, when a weighted estimand was asked for. */
  readonly weights: Float64Array | null;
  /** Dataset row (0-based) of each analysis row. */
  readonly rows: Int32Array;
  readonly diagnostics: readonly Diagnostic[];
}

/** Name of the computed cluster size in `cluster(...)`. */
export const CLUSTER_SIZE_NAME = "N";

/**
 * Validates and arranges the data for model-robust standardization.
 * Rows with a missing value in the response, an individual covariate, a
 * cluster-level covariate column, the treatment, the cluster, the probability
 * or weight column are dropped (reported in `diagnostics`). Throws an
 * InputError for: a treatment that is not 0/1 or varies within a cluster, a
 * cluster-level covariate that varies within a cluster, probabilities outside
 * (0, 1), fewer than two clusters in an arm, the treatment or a random effect
 * in the formula.
 *
 * @example
 * const d = mrsData(data, "Y ~ X1 + X2 + cluster(H1 + N)", { cluster: "C", treatment: "A" });
 * d.nClusters; d.clusterNames; // ["H1", "N"]
 */
export function mrsData(data: Dataset, formula: string, options: MrsDataOptions): MrsData {
  const { cluster, treatment } = options;
  if (typeof cluster !== "string" || cluster === "") throw new InputError("mrs needs the cluster column");
  if (typeof treatment !== "string" || treatment === "") throw new InputError("mrs needs the treatment column");
  getColumn(data, cluster);
  getColumn(data, treatment);
  const extra = [treatment];
  const probability = options.probability;
  if (probability !== undefined && typeof probability === "object" && "column" in probability) extra.push(probability.column);
  const weightSpec = options.clusterWeights;
  if (weightSpec && "column" in weightSpec) extra.push(weightSpec.column);

  const frame = modelFrame(data, formula, { cluster, extraVariables: extra });
  const parsed = frame.parsed;
  if (parsed.randomTerms.length > 0) {
    throw new InputError(
      `formula '${formula}': random-effect terms are not used by mrs; choose the working model with --working (lmm, glmm) instead`,
    );
  }
  if (!parsed.intercept) throw new InputError(`formula '${formula}': the working models always have an intercept; remove '- 1' / '+ 0'`);
  for (const v of parsed.variables) {
    if (v.columns.includes(treatment)) {
      throw new InputError(`formula '${formula}': the treatment '${treatment}' is added by mrs; remove it from the formula (term '${v.name}')`);
    }
    if (v.columns.includes(cluster)) {
      throw new InputError(`formula '${formula}': the cluster column '${cluster}' cannot be a covariate (term '${v.name}')`);
    }
  }
  const clusterNames = [...parsed.clusterVariables];
  if (clusterNames.includes(treatment)) {
    throw new InputError(`formula '${formula}': the treatment '${treatment}' is added by mrs; remove it from cluster(...)`);
  }
  const clusters = frame.clusters!;
  const ids = clusters.ids;
  const starts = clusters.starts;
  const m = ids.length;
  const n = frame.y.length;
  const rows = frame.rows;
  const diagnostics: Diagnostic[] = [...frame.diagnostics];

  // Individual covariates: the model-matrix columns after the intercept.
  const p = frame.X.cols;
  const q = p - 1;
  const individualNames = frame.columnNames.slice(1);
  const individual = new Float64Array(n * q);
  for (let r = 0; r < n; r++) for (let k = 0; k < q; k++) individual[r * q + k] = frame.X.data[r * p + 1 + k];
  for (const name of individualNames) {
    if (clusterNames.includes(name)) {
      throw new InputError(`formula '${formula}': '${name}' is both an individual covariate and a cluster(...) covariate`);
    }
  }

  const sizes = new Float64Array(m);
  for (let c = 0; c < m; c++) sizes[c] = starts[c + 1] - starts[c];

  // Treatment: 0/1, constant within clusters, at least two clusters per arm.
  const aValues = numericColumn(data, treatment);
  const treated = clusterTreatment(aValues, { column: cluster, ids, starts, rows }, treatment);

  // Cluster-level covariates, constant within clusters; N = rows used unless a column.
  const h = clusterNames.length;
  const clusterCovariates = new Float64Array(m * h);
  clusterNames.forEach((name, k) => {
    let values: Float64Array;
    if (!data.columns.has(name) && name === CLUSTER_SIZE_NAME) {
      values = sizes;
      diagnostics.push(info("mrs-cluster-size", `'${name}' in cluster(...) is the number of rows used in each cluster`));
    } else {
      const col = getColumn(data, name);
      if (col.kind !== "numeric") {
        throw new InputError(`cluster-level covariate '${name}' is not numeric; code it as 0/1 indicator columns`);
      }
      values = clusterConstant(col.values, { column: cluster, ids, starts, rows }, `cluster-level covariate '${name}'`);
    }
    for (let c = 0; c < m; c++) clusterCovariates[c * h + k] = values[c];
  });

  // Outcome and cluster means.
  const y = frame.y;
  const yBar = new Float64Array(m);
  const individualMeans = new Float64Array(m * q);
  for (let c = 0; c < m; c++) {
    const s0 = starts[c];
    const s1 = starts[c + 1];
    let s = 0;
    for (let r = s0; r < s1; r++) s += y[r];
    yBar[c] = s / (s1 - s0);
    for (let k = 0; k < q; k++) {
      let t = 0;
      for (let r = s0; r < s1; r++) t += individual[r * q + k];
      individualMeans[c * q + k] = t / (s1 - s0);
    }
  }

  const layout = { rows, starts, ids, column: cluster };
  const prob = resolveProbabilities(probability, data, layout);
  diagnostics.push(...prob.diagnostics);

  let weights: Float64Array | null = null;
  if (weightSpec) {
    if ("column" in weightSpec) {
      weights = clusterConstant(numericColumn(data, weightSpec.column), { column: cluster, ids, starts, rows }, `cluster weight column '${weightSpec.column}'`);
    } else {
      weights = new Float64Array(m);
      const map = weightSpec.byCluster;
      ids.forEach((id, c) => {
        const v = map instanceof Map ? map.get(id) : Object.hasOwn(map, id) ? (map as Record<string, number>)[id] : undefined;
        if (v === undefined) throw new InputError(`no cluster weight given for cluster '${id}' of column '${cluster}'`);
        weights![c] = v;
      });
    }
    let total = 0;
    for (let c = 0; c < m; c++) {
      const w = weights[c];
      if (!(w >= 0 && Number.isFinite(w))) throw new InputError(`cluster weight ${w} for cluster '${ids[c]}' is not a finite non-negative number`);
      total += w;
    }
    if (!(total > 0)) throw new InputError("the cluster weights are all 0");
  }

  return Object.freeze({
    formula,
    response: frame.response,
    treatment,
    clusterColumn: cluster,
    clusterIds: ids,
    nClusters: m,
    nObs: n,
    nDropped: frame.nDropped,
    starts,
    sizes,
    y,
    yBar,
    treated,
    individualNames: Object.freeze(individualNames),
    individual,
    individualMeans,
    clusterNames: Object.freeze(clusterNames),
    clusterCovariates,
    probabilities: prob.probabilities,
    probabilitySource: prob.source,
    weights,
    rows,
    diagnostics: Object.freeze(diagnostics),
  });
}
