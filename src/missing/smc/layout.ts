/**
 * The smc chain's working order of rows. Clusters are sorted (stably) by
 * which design columns vanish on all their rows, so that a column that is
 * zero on whole clusters (an interaction with the cluster-level 0/1
 * treatment) is zero on one block of rows, which the column kernels skip.
 * Designs are stored column-major in that order.
 */
import { columnSupport, type ColumnSupport } from "../../linalg/columns.ts";

export interface WorkingLayout {
  readonly n: number;
  readonly clusters: number;
  /** Working row k is analysed row order[k]. */
  readonly order: Int32Array;
  /** Working cluster c is analysed cluster clusterOrder[c]. */
  readonly clusterOrder: Int32Array;
  /** Working cluster c owns working rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
  /** Working cluster of each working row. */
  readonly clusterOf: Int32Array;
  /** Working rows whose modifier is missing, ascending. */
  readonly missing: Int32Array;
}

/** A row-major n × p design of the analysed rows. */
export interface RowDesign {
  readonly X: Float64Array;
  readonly p: number;
}

/**
 * The working layout for analysed rows grouped by `starts` (cluster order),
 * with `modifier` NaN where missing.
 */
export function workingLayout(starts: Int32Array, designs: readonly RowDesign[], modifier: Float64Array): WorkingLayout {
  const C = starts.length - 1;
  const n = modifier.length;
  const signature: string[] = [];
  for (let c = 0; c < C; c++) {
    let key = "";
    for (const { X, p } of designs) {
      for (let j = 0; j < p; j++) {
        let zero = true;
        for (let r = starts[c]; r < starts[c + 1] && zero; r++) zero = X[r * p + j] === 0;
        key += zero ? "0" : "1";
      }
    }
    signature.push(key);
  }
  const clusterOrder = Array.from({ length: C }, (_, c) => c).sort((a, b) =>
    signature[a] < signature[b] ? -1 : signature[a] > signature[b] ? 1 : a - b,
  );
  const workingStarts = new Int32Array(C + 1);
  const order = new Int32Array(n);
  const clusterOf = new Int32Array(n);
  let k = 0;
  clusterOrder.forEach((c, i) => {
    for (let r = starts[c]; r < starts[c + 1]; r++) {
      clusterOf[k] = i;
      order[k++] = r;
    }
    workingStarts[i + 1] = k;
  });
  const missing: number[] = [];
  for (let w = 0; w < n; w++) if (Number.isNaN(modifier[order[w]])) missing.push(w);
  return { n, clusters: C, order, clusterOrder: Int32Array.from(clusterOrder), starts: workingStarts, clusterOf, missing: Int32Array.from(missing) };
}

/** Column-major copy of selected rows of a row-major design: rows[k] is its row k (nSel = rows.length). */
export function columnsOf(X: Float64Array, p: number, rows: Int32Array): { columns: Float64Array; support: ColumnSupport } {
  const m = rows.length;
  const columns = new Float64Array(m * p);
  for (let k = 0; k < m; k++) {
    const o = rows[k] * p;
    for (let j = 0; j < p; j++) columns[j * m + k] = X[o + j];
  }
  return { columns, support: columnSupport(columns, m, p) };
}

/** Row-major copy of selected rows of a column-major n × p matrix. */
export function rowsOfColumns(columns: Float64Array, n: number, p: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * p);
  for (let k = 0; k < rows.length; k++) for (let j = 0; j < p; j++) out[k * p + j] = columns[j * n + rows[k]];
  return out;
}
