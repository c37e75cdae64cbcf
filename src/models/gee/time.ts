/**
 * Time order within clusters for the AR(1) working correlation, with
 * geepack's `waves` semantics: times are whole numbers, the correlation of
 * two rows of a cluster is α^|t_j − t_k|, so a gap of 3 between consecutive
 * times gives α³ (gaps are not closed up). geepack truncates non-integer
 * waves with as.integer() and does not check ties; here both are refused,
 * as is a missing time, naming the cluster and the data rows.
 */
import { InputError } from "../../core/errors.ts";
import type { TimeIndex } from "../../formula/types.ts";

/** What the result reports as the order the AR(1) lags were taken in. */
export const ROW_ORDER = "row order within cluster";

export function timeOrderText(time: TimeIndex | undefined): string {
  return time ? `by column '${time.column}'` : ROW_ORDER;
}

/**
 * Whether two rows of some cluster are one time unit apart. Fisher scoring
 * starts AR(1) at alpha = 0, where only lag-1 pairs carry information
 * (d·α^(d−1) = 0 for d ≥ 2), so without such a pair alpha stays 0 (geepack
 * alike).
 */
export function hasUnitGap(gaps: Float64Array, starts: Int32Array): boolean {
  for (let c = 0; c + 1 < starts.length; c++) for (let k = starts[c] + 1; k < starts[c + 1]; k++) if (gaps[k] === 1) return true;
  return false;
}

/**
 * Sorts each cluster's segment of `order` (frame rows; cluster c owns
 * positions starts[c]..starts[c+1]−1) by time, in place, and returns the
 * gap of each position to the previous one of its cluster (1 at a
 * cluster's first row, where no lag is used). `dataRows` maps frame rows to
 * 0-based data rows for messages.
 */
export function sortByTime(
  order: Int32Array,
  starts: Int32Array,
  clusterIds: readonly string[],
  clusterColumn: string,
  time: TimeIndex,
  dataRows: Int32Array,
): Float64Array {
  const t = time.values;
  const row = (i: number): number => (dataRows.length === t.length ? dataRows[i] + 1 : i + 1);
  const where = (i: number, c: number): string => `data row ${row(i)} (cluster '${clusterIds[c]}' of '${clusterColumn}')`;
  const gaps = new Float64Array(order.length).fill(1);
  for (let c = 0; c + 1 < starts.length; c++) {
    const a = starts[c];
    const b = starts[c + 1];
    for (let k = a; k < b; k++) {
      const v = t[order[k]];
      if (Number.isNaN(v)) throw new InputError(`time column '${time.column}' is missing at ${where(order[k], c)}; every row needs a time`);
      if (!Number.isInteger(v)) {
        throw new InputError(`time column '${time.column}' is ${v} at ${where(order[k], c)}; AR(1) lags need whole-number times (as geepack's waves)`);
      }
    }
    // Stable sort keeps equal times in row order so that the tie message names the first two.
    const segment = Array.from(order.subarray(a, b)).sort((i, j) => t[i] - t[j] || i - j);
    order.set(segment, a);
    for (let k = a + 1; k < b; k++) {
      const gap = t[order[k]] - t[order[k - 1]];
      if (gap === 0) {
        throw new InputError(
          `time column '${time.column}' has the value ${t[order[k]]} twice in cluster '${clusterIds[c]}' of '${clusterColumn}' ` +
            `(data rows ${row(order[k - 1])} and ${row(order[k])}); AR(1) needs distinct times within a cluster`,
        );
      }
      gaps[k] = gap;
    }
  }
  return gaps;
}
