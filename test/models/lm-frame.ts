/** Builds ModelFrames by hand for the lm tests (until the formula builder lands). */
import type { ModelFrame } from "../../src/formula/types.ts";

/**
 * A frame from row-major design rows, the response and per-row cluster labels
 * (each cluster's rows must already be contiguous).
 */
export function makeFrame(
  x: readonly (readonly number[])[],
  y: readonly number[],
  columnNames: readonly string[],
  cluster?: readonly string[],
  weights?: readonly number[],
): ModelFrame {
  const n = y.length;
  const p = columnNames.length;
  const data = new Float64Array(n * p);
  x.forEach((row, r) => data.set(row, r * p));
  let clusters: ModelFrame["clusters"];
  if (cluster) {
    const ids: string[] = [];
    const starts: number[] = [];
    cluster.forEach((c, r) => {
      if (r === 0 || c !== cluster[r - 1]) {
        if (ids.includes(c)) throw new Error(`cluster ${c} is not contiguous`);
        ids.push(c);
        starts.push(r);
      }
    });
    starts.push(n);
    clusters = { column: "cluster", ids, starts: Int32Array.from(starts) };
  }
  return {
    formula: `y ~ ${columnNames.join(" + ")}`,
    response: "Y",
    y: Float64Array.from(y),
    X: { rows: n, cols: p, data },
    columnNames,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    ...(clusters ? { clusters } : {}),
    randomTerms: [],
    ...(weights ? { weights: Float64Array.from(weights) } : {}),
    diagnostics: [],
  };
}
