/**
 * Cluster-level covariates for constrained randomization (randomize.ts) from
 * individual-level data: the mean of each covariate within each cluster.
 *
 * A missing value is an InputError, not skipped: a mean over the observed
 * rows only describes a different set of individuals in each cluster, so
 * the balance achieved would silently refer to other clusters than the ones
 * randomized. Impute or drop the rows first, or pass cluster-level
 * covariates to constrainedRandomization directly.
 */
import { InputError } from "../core/errors.ts";
import { clusterIndex } from "../data/clusters.ts";
import { cellKey, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";

export interface ClusterCovariates {
  /** Cluster ids in order of first appearance. */
  readonly ids: readonly string[];
  /** m rows (clusters) × q covariate means. */
  readonly covariates: readonly (readonly number[])[];
}

/** How many missing rows a message lists. */
const SHOWN = 5;

/**
 * Cluster means of the covariates `names` of `data`, clusters given by column
 * `cluster`. Throws an InputError naming the first covariate with missing
 * values, how many, and the first rows and clusters affected.
 *
 * @example
 * const { ids, covariates } = clusterCovariateMeans(data, "cluster", ["X1", "X2"]);
 * constrainedRandomization({ covariates, treated: 10, clusterLabels: ids, rng: createRng(7) });
 */
export function clusterCovariateMeans(data: Dataset, cluster: string, names: readonly string[]): ClusterCovariates {
  const col = getColumn(data, cluster);
  const idx = clusterIndex(Array.from({ length: data.nRows }, (_, i) => cellKey(col, i)), cluster);
  const columns = names.map((name) => numericColumn(data, name));
  const clusterOf = new Int32Array(data.nRows);
  for (let c = 0; c < idx.ids.length; c++) for (let t = idx.starts[c]; t < idx.starts[c + 1]; t++) clusterOf[idx.order[t]] = c;
  names.forEach((name, k) => checkObserved(columns[k], name, clusterOf, idx.ids));
  const covariates = idx.ids.map((_, c) =>
    columns.map((x) => {
      let s = 0;
      for (let t = idx.starts[c]; t < idx.starts[c + 1]; t++) s += x[idx.order[t]];
      return s / (idx.starts[c + 1] - idx.starts[c]);
    }),
  );
  return { ids: idx.ids, covariates };
}

function checkObserved(x: Float64Array, name: string, clusterOf: Int32Array, ids: readonly string[]): void {
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) rows.push(i);
  if (rows.length === 0) return;
  const clusters = [...new Set(rows.map((i) => ids[clusterOf[i]]))];
  const list = (items: readonly string[], total: number): string =>
    items.slice(0, SHOWN).join(", ") + (total > SHOWN ? ` and ${total - SHOWN} more` : "");
  throw new InputError(
    `covariate '${name}' has ${rows.length} missing value(s) (row${rows.length > 1 ? "s" : ""} ${list(rows.map((i) => String(i + 1)), rows.length)}; ` +
      `cluster${clusters.length > 1 ? "s" : ""} ${list(clusters.map((id) => `'${id}'`), clusters.length)}); ` +
      "cluster means over the observed rows would balance different individuals in each cluster: impute or drop those rows, or leave the covariate out",
  );
}

/**
 * The stratum index (0, 1, …, in order of first appearance) of each cluster of
 * `cluster` (clusters in order of first appearance, as clusterCovariateMeans
 * orders them) from the cluster-level column `stratum`, e.g. a site or a pair id.
 */
export function clusterStrata(data: Dataset, cluster: string, stratum: string): Int32Array {
  const clusterCol = getColumn(data, cluster);
  const stratumCol = getColumn(data, stratum);
  const clusterNumber = new Map<string, number>();
  const keyOfCluster: string[] = [];
  for (let i = 0; i < data.nRows; i++) {
    const c = cellKey(clusterCol, i);
    if (c === null) continue;
    const s = cellKey(stratumCol, i);
    if (s === null) throw new InputError(`'${stratum}' is missing at data row ${i + 1} (cluster ${c})`);
    const k = clusterNumber.get(c);
    if (k === undefined) {
      clusterNumber.set(c, keyOfCluster.length);
      keyOfCluster.push(s);
    } else if (keyOfCluster[k] !== s) {
      throw new InputError(`'${stratum}' varies within cluster ${c} ('${keyOfCluster[k]}' and '${s}', data row ${i + 1}); strata and pairs are cluster-level`);
    }
  }
  const index = new Map<string, number>();
  return Int32Array.from(keyOfCluster, (key) => {
    if (!index.has(key)) index.set(key, index.size);
    return index.get(key)!;
  });
}
