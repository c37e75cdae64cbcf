import { InputError } from "../core/errors.ts";
import type { Column } from "./dataset.ts";

/**
 * Rows grouped by cluster. Clusters are numbered in order of first
 * appearance in the data; `order` lists row indices cluster by cluster
 * (stable within a cluster), and cluster c owns order[starts[c] .. starts[c+1]).
 */
export interface ClusterIndex {
  readonly ids: readonly string[];
  readonly order: Int32Array;
  readonly starts: Int32Array;
}

/** Groups rows by key (null keys are refused: a row must belong to a cluster). */
export function clusterIndex(keys: readonly (string | null)[], column = "cluster"): ClusterIndex {
  return groupRows(keys.length, (i) => keys[i], column);
}

/**
 * clusterIndex of `col`'s cells at `rows` (as clusterIndex(rows.map(cellKey))),
 * keyed by the numbers themselves for a numeric column, so no string is
 * made per row. Distinct numbers have distinct cellKey texts (0 and -0 share
 * both), so the grouping is the same.
 */
export function clusterIndexOf(col: Column, rows: ArrayLike<number>, column = "cluster"): ClusterIndex {
  if (col.kind === "text") return groupRows(rows.length, (k) => col.values[rows[k]], column);
  const values = col.values;
  return groupRows(rows.length, (k) => (Number.isNaN(values[rows[k]]) ? null : values[rows[k]]), column);
}

function groupRows<K>(n: number, key: (i: number) => K | null, column: string): ClusterIndex {
  const position = new Map<K, number>();
  const ids: string[] = [];
  const clusterOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (k === null) throw new InputError(`column '${column}' row ${i + 1} is missing: every row needs a cluster`);
    let c = position.get(k);
    if (c === undefined) {
      c = ids.length;
      position.set(k, c);
      ids.push(String(k));
    }
    clusterOf[i] = c;
  }
  const starts = new Int32Array(ids.length + 1);
  for (let i = 0; i < n; i++) starts[clusterOf[i] + 1]++;
  for (let c = 0; c < ids.length; c++) starts[c + 1] += starts[c];
  const next = starts.slice(0, ids.length);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[clusterOf[i]]++] = i;
  return { ids, order, starts };
}

/** Sizes of the clusters. */
export function clusterSizes(index: ClusterIndex): Int32Array {
  const n = new Int32Array(index.ids.length);
  for (let c = 0; c < n.length; c++) n[c] = index.starts[c + 1] - index.starts[c];
  return n;
}
