/**
 * Validation shared by the mixed models (LMM, GLMM) and the ICC: a frame with
 * a cluster structure, finite numbers, a full-rank design, at least two
 * clusters and at least one cluster with two or more rows. Shared by
 * models/lmm, models/glmm and design/icc, so it belongs to no single model.
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { checkFrame, checkRank } from "../glm/validate.ts";

/** The cluster layout of a validated frame (cluster c owns rows starts[c] .. starts[c+1]-1). */
export interface ClusterLayout {
  /** Rows. */
  readonly n: number;
  /** Fixed-effect columns. */
  readonly p: number;
  /** Clusters in the frame, empty ones included (they carry no information). */
  readonly nClusters: number;
  /** Clusters with at least one row. */
  readonly nNonEmpty: number;
  readonly starts: Int32Array;
  readonly ids: readonly string[];
  /** Name of the grouping column. */
  readonly column: string;
  readonly maxSize: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Checks `frame` for a random-intercept model named `model` (used in
 * messages) and returns its cluster layout. Throws an InputError naming the
 * problem: no cluster structure, a single cluster, a cluster column with a
 * distinct value on every row, non-finite values, prior weights (not
 * supported), or a rank-deficient design.
 */
export function clusterLayout(frame: ModelFrame, model: string): ClusterLayout {
  const clusters = frame.clusters;
  if (!clusters) {
    throw new InputError(`${model}: the frame for '${frame.formula}' has no clusters; add a random intercept such as '(1 | cluster)' to the formula`);
  }
  const n = frame.y.length;
  const { starts, ids, column } = clusters;
  const nClusters = ids.length;
  if (starts.length !== nClusters + 1 || starts[0] !== 0 || starts[nClusters] !== n) {
    throw new InputError(
      `${model}: cluster starts for column '${column}' do not cover the ${n} rows (${starts.length} starts for ${nClusters} clusters, last ${starts[starts.length - 1]})`,
    );
  }
  let nNonEmpty = 0;
  let maxSize = 0;
  const empty: string[] = [];
  for (let c = 0; c < nClusters; c++) {
    const size = starts[c + 1] - starts[c];
    if (size < 0) throw new InputError(`${model}: cluster '${ids[c]}' of column '${column}' has a negative row range`);
    if (size === 0) empty.push(ids[c]);
    else nNonEmpty++;
    if (size > maxSize) maxSize = size;
  }
  if (nNonEmpty < 2) {
    const only = ids.find((_, c) => starts[c + 1] > starts[c]);
    throw new InputError(
      nNonEmpty === 0
        ? `${model}: no rows to fit for '${frame.formula}'`
        : `${model}: cluster column '${column}' has only one cluster ('${only}') in the ${n} rows used; a random intercept needs at least two clusters`,
    );
  }
  if (maxSize < 2) {
    throw new InputError(
      `${model}: cluster column '${column}' has a different value on every one of the ${n} rows (${nNonEmpty} clusters of size 1); ` +
        `the between-cluster variance cannot be separated from the residual variance. Is '${column}' really the cluster identifier?`,
    );
  }
  if (frame.weights && frame.weights.some((w) => w !== 1)) {
    throw new InputError(`${model}: prior weights are not supported; remove the weights from the model`);
  }
  checkFrame(frame);
  checkRank(frame, undefined);
  const p = frame.X.cols;
  if (n <= p) throw new InputError(`${model}: the model has ${p} coefficients but only ${n} rows`);
  const diagnostics: Diagnostic[] = [];
  if (empty.length > 0) {
    diagnostics.push(
      info(
        "empty-clusters",
        `${empty.length} cluster(s) of '${column}' have no rows in the fit (${listIds(empty)}); their conditional modes are 0`,
      ),
    );
  }
  return { n, p, nClusters, nNonEmpty, starts, ids, column, maxSize, diagnostics };
}

/** At most 10 quoted ids, then "and k more". */
export function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).map((id) => `'${id}'`);
  return ids.length > 10 ? `${shown.join(", ")} and ${ids.length - 10} more` : shown.join(", ");
}
