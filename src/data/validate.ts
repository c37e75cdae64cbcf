/**
 * Column checks shared by the analyses of a trial: values constant within
 * clusters and the cluster-level 0/1 treatment. Rows are given in cluster
 * order (`rows[k]` is the dataset row of analysis row k; cluster c owns
 * analysis rows starts[c] … starts[c+1]−1). Messages name the column, the
 * cluster, the rows (first data row = 1) and the values.
 */
import { InputError } from "../core/errors.ts";

/** Rows grouped by cluster, as built by clusterIndex. */
export interface ClusterRows {
  /** Name of the cluster column, for messages. */
  readonly column: string;
  readonly ids: readonly string[];
  readonly starts: Int32Array;
  /** Dataset row (0-based) of each analysis row. */
  readonly rows: Int32Array;
}

/**
 * One value per cluster of a dataset column (`values` indexed by dataset
 * row) that must not vary within a cluster; `what` names it in messages,
 * e.g. "treatment 'A'".
 */
export function clusterConstant(values: ArrayLike<number>, clusters: ClusterRows, what: string): Float64Array {
  const { ids, starts, rows } = clusters;
  const out = new Float64Array(ids.length);
  for (let c = 0; c < ids.length; c++) {
    const first = rows[starts[c]];
    const v = values[first];
    for (let k = starts[c] + 1; k < starts[c + 1]; k++) {
      const row = rows[k];
      if (values[row] !== v) {
        throw new InputError(
          `${what} varies within cluster '${ids[c]}' of column '${clusters.column}': ${v} at row ${first + 1}, ${values[row]} at row ${row + 1}; ` +
            `it must be constant within clusters`,
        );
      }
    }
    out[c] = v;
  }
  return out;
}

/**
 * The treatment of each cluster: 0/1, constant within clusters, with at
 * least two clusters in each arm (cluster-level variances need them).
 */
export function clusterTreatment(values: ArrayLike<number>, clusters: ClusterRows, treatment: string): Uint8Array {
  const perCluster = clusterConstant(values, clusters, `treatment '${treatment}'`);
  const treated = new Uint8Array(perCluster.length);
  let nTreated = 0;
  for (let c = 0; c < perCluster.length; c++) {
    const a = perCluster[c];
    if (a !== 0 && a !== 1) {
      throw new InputError(
        `treatment '${treatment}' has value ${a} in cluster '${clusters.ids[c]}' (row ${clusters.rows[clusters.starts[c]] + 1}); it must be 0 or 1`,
      );
    }
    treated[c] = a;
    nTreated += a;
  }
  const nControl = perCluster.length - nTreated;
  if (nTreated < 2 || nControl < 2) {
    throw new InputError(
      `the analysis needs at least two clusters in each arm; treatment '${treatment}' has ${nTreated} treated and ${nControl} control clusters`,
    );
  }
  return treated;
}
