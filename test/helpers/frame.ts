/** ModelFrames built by hand from fixture data, and the comparison helpers the model tests share. */
import type { ModelFrame } from "../../src/formula/types.ts";

export { closeRel as nearRel, near } from "./assert.ts";

/**
 * A frame from row-major design rows, the response and per-row cluster labels
 * (each cluster's rows must already be contiguous). `randomIntercept` adds the
 * `(1 | cluster)` term the mixed models expect.
 */
export function makeFrame(
  x: readonly (readonly number[])[],
  y: readonly number[],
  columnNames: readonly string[],
  cluster?: readonly (string | number)[],
  weights?: readonly number[],
  options: { formula?: string; response?: string; randomIntercept?: boolean } = {},
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
        if (ids.includes(String(c))) throw new Error(`cluster ${c} is not contiguous`);
        ids.push(String(c));
        starts.push(r);
      }
    });
    starts.push(n);
    clusters = { column: "cluster", ids, starts: Int32Array.from(starts) };
  }
  return {
    formula: options.formula ?? `y ~ ${columnNames.join(" + ")}`,
    response: options.response ?? "Y",
    y: Float64Array.from(y),
    X: { rows: n, cols: p, data },
    columnNames,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    ...(clusters ? { clusters } : {}),
    randomTerms: options.randomIntercept ? [{ term: "(Intercept)", group: "cluster" }] : [],
    ...(weights ? { weights: Float64Array.from(weights) } : {}),
    diagnostics: [],
  };
}

/** A mixed-model fixture case: X rows, response and cluster labels as R wrote them. */
export interface MixedCase {
  readonly formula: string;
  readonly columnNames: readonly string[];
  readonly X: readonly (readonly number[])[];
  readonly y: readonly number[];
  readonly cluster: readonly (number | string)[];
}

/** The frame of a mixed-model fixture case, with its random intercept. */
export function mixedFrame(c: MixedCase, response: string): ModelFrame {
  return makeFrame(c.X, c.y, c.columnNames, c.cluster, undefined, { formula: c.formula, response, randomIntercept: true });
}

/** Standard errors from a covariance matrix given as rows. */
export const standardErrors = (v: readonly (readonly number[])[]): number[] => v.map((row, i) => Math.sqrt(row[i]));
