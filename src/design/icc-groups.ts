/**
 * ICC estimates with intervals, for the whole trial and by a cluster-level
 * grouping such as the arm (CONSORT for cluster trials asks for the ICC by
 * arm): each group's clusters are analysed on their own.
 */
import { InputError } from "../core/errors.ts";
import { cellKey, getColumn, type Dataset } from "../data/dataset.ts";
import { selectRows } from "../data/select.ts";
import { sortText } from "../formula/design.ts";
import { modelFrame } from "../formula/frame.ts";
import { icc, type IccDataOptions, type IccResult } from "./icc.ts";
import { iccInterval, type IccInterval } from "./icc-interval.ts";

export interface IccEstimate extends IccResult {
  /** Present when an interval was asked for. */
  readonly interval: (IccInterval & { readonly level: number }) | null;
}

export interface IccGroup {
  readonly group: string;
  readonly icc: number;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly nClusters: number;
  readonly nObs: number;
}

export interface IccEstimateOptions extends IccDataOptions {
  /** Compute the interval (default false). */
  readonly ci?: boolean;
  readonly level?: number;
}

/**
 * @example
 * iccEstimate(data, { outcome: "Y", cluster: "cluster", method: "reml", ci: true });
 */
export function iccEstimate(data: Dataset, options: IccEstimateOptions): IccEstimate {
  const quote = (name: string): string => "`" + name.replace(/`/g, "") + "`";
  const frame = modelFrame(data, `${quote(options.outcome)} ~ 1`, { cluster: options.cluster });
  const result = icc(frame, options);
  const level = options.level ?? 0.95;
  const interval = options.ci ? { ...iccInterval(frame, result, level), level } : null;
  return Object.freeze({ ...result, interval });
}

/** The ICC of each level of the cluster-level column `by` (levels sorted as R sorts them). */
export function iccByGroup(data: Dataset, by: string, options: IccEstimateOptions): IccGroup[] {
  const groupCol = getColumn(data, by);
  const clusterCol = getColumn(data, options.cluster);
  const groupOfCluster = new Map<string, string>();
  const rowsByGroup = new Map<string, number[]>();
  for (let i = 0; i < data.nRows; i++) {
    const cluster = cellKey(clusterCol, i);
    const group = cellKey(groupCol, i);
    if (cluster === null || group === null) continue;
    const seen = groupOfCluster.get(cluster);
    if (seen === undefined) groupOfCluster.set(cluster, group);
    else if (seen !== group) {
      throw new InputError(`'${by}' varies within cluster ${cluster} ('${seen}' and '${group}', data row ${i + 1}); the ICC by group needs a cluster-level column such as the arm`);
    }
    let rows = rowsByGroup.get(group);
    if (!rows) {
      rows = [];
      rowsByGroup.set(group, rows);
    }
    rows.push(i);
  }
  const keys = [...rowsByGroup.keys()];
  const numeric = groupCol.kind === "numeric";
  const order = numeric ? keys.sort((a, b) => Number(a) - Number(b)) : sortText(keys);
  return order.map((group) => {
    const r = iccEstimate(selectRows(data, Int32Array.from(rowsByGroup.get(group)!)), options);
    return Object.freeze({
      group,
      icc: r.icc,
      confLow: r.interval?.confLow ?? null,
      confHigh: r.interval?.confHigh ?? null,
      nClusters: r.nClusters,
      nObs: r.nObs,
    });
  });
}
