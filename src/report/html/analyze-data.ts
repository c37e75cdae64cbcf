/**
 * The data section of the analyze report: who is in the trial and where the
 * modifier is missing, cluster by cluster, because complete-case analysis
 * changes which clusters are represented.
 */
import { cellKey, getColumn, numericColumn, type Dataset } from "../../data/dataset.ts";
import type { BarDatum, BarsSpec } from "../charts/types.ts";
import type { AnalyzeJson } from "./analyze-json.ts";
import { percent } from "./common.ts";
import type { HtmlSection } from "./types.ts";

/** The arm label of each cluster, from the data (the treatment is constant within clusters; the first finite value counts). */
export function clusterArms(data: Dataset, cluster: string, treatment: string): Map<string, string> {
  const clusters = getColumn(data, cluster);
  const a = numericColumn(data, treatment);
  const arms = new Map<string, string>();
  for (let i = 0; i < data.nRows; i++) {
    const key = cellKey(clusters, i);
    if (key !== null && !arms.has(key) && Number.isFinite(a[i])) arms.set(key, armLabel(treatment, a[i]));
  }
  return arms;
}

export function armLabel(treatment: string, value: number): string {
  return value === 1 ? `treated (${treatment} = 1)` : value === 0 ? `control (${treatment} = 0)` : `${treatment} = ${value}`;
}

/** Arm order for charts and tables: control first. */
function armOrder(arm: string | undefined): number {
  return arm === undefined ? 2 : arm.startsWith("control") ? 0 : 1;
}

export interface DataCharts {
  readonly sizes: BarsSpec;
  readonly missing: BarsSpec;
  readonly observed: BarsSpec;
}

/** The three per-cluster charts; `arms` may be empty (a library caller without the data). */
export function dataCharts(json: AnalyzeJson, arms: ReadonlyMap<string, string>, modifier: string): DataCharts {
  const clusters = json.data.missingByCluster.map((c) => ({ ...c, arm: arms.get(c.cluster), share: c.n > 0 ? c.nMissing / c.n : NaN }));
  const group = (arm: string | undefined): Pick<BarDatum, "group"> => (arm === undefined ? {} : { group: arm });
  const bySize = [...clusters].sort((p, q) => armOrder(p.arm) - armOrder(q.arm) || q.n - p.n);
  const byMissing = [...clusters].sort((p, q) => q.share - p.share || armOrder(p.arm) - armOrder(q.arm));
  const overall = json.data.nObs > 0 ? json.data.nMissing / json.data.nObs : NaN;
  const groups = [...new Set(arms.values())].sort((p, q) => armOrder(p) - armOrder(q) || p.localeCompare(q));
  return {
    sizes: {
      kind: "bars",
      id: "analyze-cluster-sizes",
      title: "Cluster sizes by arm",
      orientation: "vertical",
      bars: bySize.map((c) => ({ label: c.cluster, value: c.n, ...group(c.arm) })),
      groups,
      valueLabel: "Rows analysed",
      categoryLabel: "Cluster",
    },
    missing: {
      kind: "bars",
      id: "analyze-missing-by-cluster",
      title: `Share of ${modifier} missing, by cluster`,
      orientation: "vertical",
      bars: byMissing.map((c) => ({ label: c.cluster, value: c.share, ...group(c.arm) })),
      groups,
      valueLabel: `${modifier} missing`,
      categoryLabel: "Cluster (sorted by missing share)",
      valueFormat: "percent",
      domain: [0, 1],
      ...(Number.isFinite(overall) ? { reference: { value: overall, label: `overall ${percent(overall, 1)}` } } : {}),
    },
    observed: {
      kind: "bars",
      id: "analyze-observed-imputed",
      title: `Observed and imputed ${modifier} per cluster`,
      orientation: "vertical",
      bars: byMissing.map((c) => ({ label: c.cluster, value: 1 - c.share, secondary: c.share })),
      stack: { primary: "observed", secondary: "imputed" },
      valueLabel: `Share of the cluster's ${modifier} values`,
      categoryLabel: "Cluster (sorted by missing share)",
      valueFormat: "percent",
      domain: [0, 1],
    },
  };
}

export function dataSection(json: AnalyzeJson, charts: DataCharts, modifier: string): HtmlSection {
  const d = json.data;
  const shares = d.missingByCluster.map((c) => (c.n > 0 ? c.nMissing / c.n : NaN)).filter(Number.isFinite);
  const none = d.missingByCluster.filter((c) => c.n > 0 && c.nMissing === c.n).length;
  const complete = d.missingByCluster.filter((c) => c.nMissing === 0).length;
  return {
    id: "data",
    title: "Data",
    blocks: [
      {
        kind: "facts",
        facts: [
          ["Rows analysed", d.nObs],
          ["Rows dropped", d.nDropped ?? null],
          ["Clusters", d.nClusters],
          [`${modifier} missing`, `${d.nMissing} of ${d.nObs} rows (${percent(d.nObs > 0 ? d.nMissing / d.nObs : 0, 1)})`],
          ["Missing share by cluster", shares.length > 0 ? `${percent(Math.min(...shares))} to ${percent(Math.max(...shares))}` : "NA"],
          [`Clusters without any observed ${modifier}`, none],
          [`Clusters with ${modifier} fully observed`, complete],
        ],
      },
      {
        kind: "paragraph",
        text:
          `Complete-case analysis keeps only the rows with ${modifier} observed, so clusters with much missing data weigh less in it ` +
          "(and a cluster without any observed value drops out); the imputation methods keep every row and fill in the shares shown as imputed.",
      },
      { kind: "chart", spec: charts.sizes, caption: "Rows per cluster, control arm first, each arm from largest to smallest cluster." },
      { kind: "chart", spec: charts.missing, caption: "Clusters sorted by their share of missing values; the dashed line is the overall share." },
      { kind: "chart", spec: charts.observed, caption: "The part of each cluster's modifier values that the imputation methods fill in (same cluster order)." },
    ],
  };
}
