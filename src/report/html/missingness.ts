/**
 * The report of `crtkit missingness`: where the variable is missing, cluster
 * by cluster and by arm, how strongly missingness clusters (its ICC), what
 * predicts it, and whether the complete cases still represent everyone.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { BarsSpec } from "../charts/types.ts";
import { armLabel } from "./analyze-data.ts";
import { diagnosticsSection, estimateCells, ESTIMATE_HEADERS, fmt, percent, value, warningSummary, type EstimateJson } from "./common.ts";
import type { HtmlCell, HtmlReport, HtmlSection, ReportContext } from "./types.ts";

/** The `crtkit missingness` JSON result (docs/cli.md, "Missingness diagnostics and sensitivity"). */
export interface MissingnessJson {
  readonly nObs: number;
  readonly nClusters: number;
  readonly nMissing: number;
  readonly byCluster: readonly { readonly cluster: string; readonly arm?: number | string | null; readonly n: number; readonly nMissing: number; readonly propMissing: number | null }[];
  readonly byArm?: readonly { readonly arm: number | string | null; readonly nClusters: number; readonly n: number; readonly nMissing: number; readonly propMissing: number | null }[];
  readonly missingnessIcc?: { readonly estimate: number | null; readonly confLow: number | null; readonly confHigh: number | null };
  readonly indicatorModel?: {
    readonly formula: string;
    readonly coefficients: readonly (EstimateJson & { readonly term: string })[];
    readonly randomInterceptSd?: number | null;
  };
  readonly representation?: readonly { readonly variable: string; readonly meanAll: number | null; readonly meanComplete: number | null; readonly smd: number | null }[];
  readonly diagnostics: readonly Diagnostic[];
}

/** |SMD| above this is commonly read as imbalance: marked in the representation table. */
export const SMD_THRESHOLD = 0.1;

function arm(treatment: string | undefined, value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number") return armLabel(treatment ?? "arm", value);
  return value;
}

export function missingnessChart(json: MissingnessJson, variable: string, treatment: string | undefined): BarsSpec {
  const bars = [...json.byCluster]
    .sort((p, q) => value(q.propMissing) - value(p.propMissing))
    .map((c) => {
      const group = arm(treatment, c.arm);
      return { label: c.cluster, value: value(c.propMissing), ...(group === undefined ? {} : { group }) };
    });
  const groups = [...new Set(bars.flatMap((b) => (b.group === undefined ? [] : [b.group])))].sort((p, q) => Number(!p.startsWith("control")) - Number(!q.startsWith("control")) || p.localeCompare(q));
  const overall = json.nObs > 0 ? json.nMissing / json.nObs : NaN;
  return {
    kind: "bars",
    id: "missingness-by-cluster",
    title: `Share of ${variable} missing, by cluster`,
    orientation: "vertical",
    bars,
    groups,
    valueLabel: `${variable} missing`,
    categoryLabel: "Cluster (sorted by missing share)",
    valueFormat: "percent",
    domain: [0, 1],
    ...(Number.isFinite(overall) ? { reference: { value: overall, label: `overall ${percent(overall, 1)}` } } : {}),
  };
}

function clusterSection(json: MissingnessJson, chart: BarsSpec, treatment: string | undefined): HtmlSection {
  const icc = json.missingnessIcc;
  const byArm: HtmlCell[][] = (json.byArm ?? []).map((a) => [arm(treatment, a.arm) ?? "all", a.nClusters, a.n, a.nMissing, a.propMissing]);
  return {
    id: "clusters",
    title: "Missingness by cluster and arm",
    blocks: [
      {
        kind: "facts",
        facts: [
          ["Rows", json.nObs],
          ["Clusters", json.nClusters],
          ["Missing", `${json.nMissing} (${percent(json.nObs > 0 ? json.nMissing / json.nObs : 0, 1)})`],
          ["Clusters without any observed value", json.byCluster.filter((c) => c.n > 0 && c.nMissing === c.n).length],
          ["Missingness ICC (latent scale)", icc ? `${fmt(icc.estimate)} (${fmt(icc.confLow)} to ${fmt(icc.confHigh)})` : "NA"],
        ],
      },
      {
        kind: "paragraph",
        text:
          "The missingness ICC is the share of the variation in the (latent) propensity to be missing that lies between clusters, from the logistic random-intercept model R ~ 1 + (1 | cluster). " +
          "A large value means missingness is a property of clusters (sites, workflows), so complete-case analysis drops some clusters far more than others.",
      },
      { kind: "chart", spec: chart, caption: "Clusters sorted by their share missing; the dashed line is the overall share." },
      ...(byArm.length > 0
        ? [{ kind: "table" as const, table: { caption: "By arm", columns: ["arm", "clusters", "rows", "missing", "share missing"], rows: byArm } }]
        : []),
    ],
  };
}

function modelSection(json: MissingnessJson): HtmlSection | undefined {
  const m = json.indicatorModel;
  if (!m) return undefined;
  return {
    id: "indicator-model",
    title: "What predicts missingness",
    blocks: [
      { kind: "paragraph", text: `Logistic random-intercept model of the missingness indicator (R = 1 when missing): ${m.formula}. Coefficients are log odds ratios of being missing.` },
      { kind: "table", table: { caption: "Indicator model", columns: ["term", ...ESTIMATE_HEADERS], rows: m.coefficients.map((c) => [c.term, ...estimateCells(c)]) } },
      { kind: "facts", facts: [["Random-intercept SD", m.randomInterceptSd ?? null]] },
    ],
  };
}

function representationSection(json: MissingnessJson): HtmlSection | undefined {
  const rows = json.representation ?? [];
  if (rows.length === 0) return undefined;
  const flagged = rows.flatMap((r, i) => (r.smd === null || Math.abs(r.smd) > SMD_THRESHOLD ? [[i, 3] as [number, number]] : []));
  return {
    id: "representation",
    title: "Who the complete cases represent",
    blocks: [
      {
        kind: "paragraph",
        text: `Each variable's mean over all rows and over the rows with the variable observed, and their standardized mean difference (SMD); |SMD| above ${SMD_THRESHOLD} is marked: there the complete cases differ from the trial population.`,
      },
      {
        kind: "table",
        table: { caption: "Representation", columns: ["variable", "mean (all rows)", "mean (complete cases)", "SMD"], rows: rows.map((r) => [r.variable, r.meanAll, r.meanComplete, r.smd]), flagged },
      },
    ],
  };
}

export function missingnessHtml(resultJson: unknown, context: ReportContext): HtmlReport {
  const json = resultJson as MissingnessJson;
  const text = (k: string) => (typeof context.options[k] === "string" ? (context.options[k] as string) : undefined);
  const variable = text("variable") ?? "the variable";
  const treatment = text("treatment");
  const chart = missingnessChart(json, variable, treatment);
  const icc = json.missingnessIcc;
  return {
    title: `Missingness of ${variable}`,
    question: `Where is ${variable} missing, does missingness cluster, and do the complete cases still represent the trial?`,
    headline: [
      ["Missing", `${json.nMissing} of ${json.nObs} rows (${percent(json.nObs > 0 ? json.nMissing / json.nObs : 0, 1)}) in ${json.nClusters} clusters`],
      ["Missingness ICC", icc ? `${fmt(icc.estimate)} (${fmt(icc.confLow)} to ${fmt(icc.confHigh)})` : "NA"],
      ["Warnings", warningSummary(json)],
    ],
    sections: [clusterSection(json, chart, treatment), modelSection(json), representationSection(json), diagnosticsSection(json)].filter((s): s is HtmlSection => s !== undefined),
  };
}
