/**
 * The report of `crtkit mrs`: the cluster-average and individual-average
 * treatment effects side by side (they differ when cluster size is
 * informative), the informative-cluster-size test, the standardized means and
 * the working model.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import type { ForestSpec } from "../charts/types.ts";
import { diagnosticsSection, estimateCells, estimateSentence, ESTIMATE_HEADERS, fmt, value, warningSummary, type EstimateJson } from "./common.ts";
import { literal, snippet, type Literal } from "./snippet.ts";
import type { HtmlReport, HtmlSection, ReportContext } from "./types.ts";

/** The `crtkit mrs` JSON result (docs/cli.md, "Model-robust standardization"). */
export interface MrsJson {
  readonly clusterAte: EstimateJson;
  readonly individualAte: EstimateJson;
  readonly weightedAte?: EstimateJson;
  readonly icsTest: { readonly statistic: number | null; readonly df: number | null; readonly pValue: number | null; readonly difference?: number | null };
  readonly working: string;
  readonly family?: string;
  readonly link?: string;
  readonly scale: string;
  readonly jackknife?: number;
  readonly nClusters: number;
  readonly nObs: number;
  readonly nDropped?: number;
  readonly means?: Readonly<Record<string, { readonly treated: number | null; readonly control: number | null } | null>>;
  readonly coefficient?: EstimateJson & { readonly term: string; readonly se?: string; readonly scale?: string };
  readonly diagnostics: readonly Diagnostic[];
}

const SCALE_NAMES: Readonly<Record<string, string>> = { rd: "difference", rr: "risk ratio", or: "odds ratio" };

function estimands(json: MrsJson): [string, EstimateJson][] {
  return [
    ["cluster-average", json.clusterAte],
    ["individual-average", json.individualAte],
    ...(json.weightedAte ? [["weighted", json.weightedAte] as [string, EstimateJson]] : []),
  ];
}

export function mrsForest(json: MrsJson): ForestSpec {
  const ratio = json.scale === "rr" || json.scale === "or";
  return {
    kind: "forest",
    id: "mrs-effects",
    title: `Cluster- and individual-average treatment effects (${SCALE_NAMES[json.scale] ?? json.scale})`,
    rows: estimands(json).map(([label, e]) => ({
      label: `${label} ATE`,
      group: `working model ${json.working}`,
      estimate: value(e.estimate),
      low: value(e.confLow),
      high: value(e.confHigh),
    })),
    reference: ratio ? 1 : 0,
    xLabel: ratio ? `${SCALE_NAMES[json.scale]} (1 = no effect)` : "Difference (0 = no effect)",
    digits: 3,
  };
}

function estimatesSection(json: MrsJson, forest: ForestSpec, level: number): HtmlSection {
  const t = json.icsTest;
  return {
    id: "effects",
    title: "Treatment effects",
    blocks: [
      {
        kind: "paragraph",
        text:
          "The cluster-average effect weighs every cluster equally; the individual-average effect weighs every participant equally. " +
          "They differ when the effect depends on cluster size (informative cluster size), which the test below addresses.",
      },
      { kind: "chart", spec: forest, caption: `Estimates with ${Math.round(level * 100)}% jackknife confidence intervals; the vertical line marks no effect.` },
      {
        kind: "table",
        table: {
          caption: "Estimates",
          columns: ["estimand", ...ESTIMATE_HEADERS],
          rows: estimands(json).map(([label, e]) => [label, ...estimateCells(e)]),
        },
      },
      {
        kind: "facts",
        facts: [
          ["Informative cluster size test", `difference ${fmt(t.difference)}, t = ${fmt(t.statistic)}, df ${fmt(t.df)}, p = ${fmt(t.pValue, "p")}`],
          ["Scale", json.scale === "rd" ? "difference" : `${SCALE_NAMES[json.scale] ?? json.scale}: estimate and interval on the ratio scale, std.error on the log scale`],
        ],
      },
    ],
  };
}

function modelSection(json: MrsJson): HtmlSection {
  const means = Object.entries(json.means ?? {}).flatMap(([k, m]) => (m ? [[k, m.treated, m.control]] : []));
  const c = json.coefficient;
  return {
    id: "working-model",
    title: "Working model and standardized means",
    blocks: [
      {
        kind: "facts",
        facts: [
          ["Working model", `${json.working}${json.family ? ` (${json.family}${json.link ? `, ${json.link} link` : ""})` : ""}`],
          ["Jackknife", json.jackknife === undefined ? "NA" : `type ${json.jackknife}, delete-one-cluster, t(${json.nClusters - 1})`],
          ["Clusters", json.nClusters],
          ["Observations", json.nObs],
          ["Dropped rows", json.nDropped ?? null],
        ],
      },
      { kind: "table", table: { caption: "Standardized mean outcomes", columns: ["weighting", "treated", "control"], rows: means } },
      ...(c
        ? [
            {
              kind: "table" as const,
              table: {
                caption: `The working model's own treatment coefficient (${c.scale ?? ""}, ${c.se ?? ""} SE), a conditional effect shown for comparison`,
                columns: ["term", ...ESTIMATE_HEADERS],
                rows: [[c.term, ...estimateCells(c)]],
              },
            },
          ]
        : []),
    ],
  };
}

function methodsSection(json: MrsJson): HtmlSection {
  return {
    id: "methods",
    title: "Methods",
    blocks: [
      {
        kind: "paragraph",
        text:
          `Model-robust standardization (Li et al. 2025): the ${json.working} working model predicts every cluster's mean outcome under treatment and under control; ` +
          "averaging the predictions over clusters gives the cluster-average effect, weighting them by cluster size the individual-average effect. " +
          "The estimators stay consistent when the working model is wrong, because treatment is randomized by cluster. " +
          `Standard errors come from the delete-one-cluster jackknife over the ${json.nClusters} clusters, with a t reference on ${json.nClusters - 1} df; ` +
          "the informative-cluster-size test compares the two estimands with the same jackknife.",
      },
      { kind: "heading", text: "References" },
      { kind: "references", items: ["Li F, Tong J, Fang X, Cheng C, Kahan BC, Wang B. Model-robust standardization in cluster-randomized trials. 2025."] },
    ],
  };
}

/** `mrs(data, formula, { … })` from the options given; undefined for --prob-schemes (its file is read by the command line). */
export function mrsSnippet(context: ReportContext): string | undefined {
  const o = context.options;
  const text = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  if (text("prob-schemes") !== undefined) return undefined;
  const options: Record<string, Literal> = {};
  for (const k of ["cluster", "treatment", "working", "family", "scale"]) if (text(k) !== undefined) options[k] = text(k) as string;
  if (text("jackknife") !== undefined) options.jackknife = Number(text("jackknife"));
  if (text("level") !== undefined) options.level = Number(text("level"));
  if (text("prob") !== undefined) options.probability = Number(text("prob"));
  if (text("prob-column") !== undefined) options.probability = { column: text("prob-column") as string };
  if (text("cluster-weights") !== undefined) options.clusterWeights = { column: text("cluster-weights") as string };
  const call = `const result = mrs(data, ${JSON.stringify(text("formula") ?? "")}, ${literal(options)});`;
  return snippet(["mrs"], call, context.dataPath ?? "data.csv");
}

export function mrsHtml(resultJson: unknown, context: ReportContext): HtmlReport {
  const json = resultJson as MrsJson;
  const level = Number(context.options.level ?? 0.95);
  const formula = typeof context.options.formula === "string" ? context.options.formula : "";
  const outcome = formula.includes("~") ? formula.split("~")[0].trim() : "the outcome";
  const treatment = typeof context.options.treatment === "string" ? context.options.treatment : "the treatment";
  const librarySnippet = mrsSnippet(context);
  return {
    title: `Model-robust standardization: ${formula}`,
    question: `What is the average effect of ${treatment} on ${outcome}, averaged over clusters and over individuals, and do the two differ?`,
    headline: [
      ["Cluster-average ATE", estimateSentence(json.clusterAte, level)],
      ["Individual-average ATE", estimateSentence(json.individualAte, level)],
      ["Informative cluster size", `p = ${fmt(json.icsTest.pValue, "p")} (t = ${fmt(json.icsTest.statistic)}, df ${fmt(json.icsTest.df)})`],
      ["Data", `${json.nObs} observations in ${json.nClusters} clusters`],
      ["Warnings", warningSummary(json)],
    ],
    sections: [estimatesSection(json, mrsForest(json), level), modelSection(json), methodsSection(json), diagnosticsSection(json)],
    ...(librarySnippet ? { librarySnippet } : {}),
  };
}
