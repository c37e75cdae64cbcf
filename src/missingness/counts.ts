/**
 * Who is missing: rows, missing values and their proportion per cluster
 * (largest proportion first, ties in cluster order) and per arm.
 */
import type { MissingnessData } from "./data.ts";

export interface ClusterCount {
  readonly cluster: string;
  /** The cluster's arm; null without a treatment. */
  readonly arm: number | null;
  readonly n: number;
  readonly nMissing: number;
  /** nMissing / n, a proportion 0–1. */
  readonly propMissing: number;
}

export interface ArmCount {
  readonly arm: number | null;
  readonly nClusters: number;
  readonly n: number;
  readonly nMissing: number;
  /** Over the arm's rows: nMissing / n. */
  readonly propMissing: number;
  /** The unweighted mean of the arm's cluster proportions (what the cluster-level comparison compares). */
  readonly meanClusterPropMissing: number;
}

/** Per-cluster counts, sorted by proportion missing (exact rational comparison), largest first; ties keep cluster order. */
export function clusterCounts(prepared: MissingnessData): ClusterCount[] {
  const { frame, arms } = prepared;
  const { ids, starts } = frame.clusters!;
  const rows: ClusterCount[] = [];
  for (let c = 0; c < ids.length; c++) {
    let miss = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) miss += frame.y[i];
    const n = starts[c + 1] - starts[c];
    rows.push({ cluster: ids[c], arm: arms === null ? null : arms[c], n, nMissing: miss, propMissing: miss / n });
  }
  // Array.prototype.sort is stable; a/b > c/d ⇔ a·d > c·b for positive sizes.
  return rows.sort((a, b) => b.nMissing * a.n - a.nMissing * b.n);
}

/** Per-arm totals, arms ascending (one row with arm null without a treatment). */
export function armCounts(clusters: readonly ClusterCount[]): ArmCount[] {
  const arms = [...new Set(clusters.map((c) => c.arm))].sort((a, b) => (a ?? 0) - (b ?? 0));
  return arms.map((arm) => {
    const members = clusters.filter((c) => c.arm === arm);
    let n = 0;
    let nMissing = 0;
    let sumProp = 0;
    for (const c of members) {
      n += c.n;
      nMissing += c.nMissing;
      sumProp += c.propMissing;
    }
    return { arm, nClusters: members.length, n, nMissing, propMissing: nMissing / n, meanClusterPropMissing: sumProp / members.length };
  });
}
