/**
 * The missingness tab: `crtkit missingness` on the chosen file (options read
 * as the command reads them), and the quick per-cluster chart shown as soon
 * as a file and its roles are known.
 */
import { diagnoseMissingness, InputError, missingnessReport, toJson, type Dataset } from "crtkit/core";
import { numberOption, optionalString, requiredString, type OptionValues } from "../../src/cli/command.ts";
import { clusterCounts, missingnessData, splitCovariates } from "../../src/missingness/index.ts";
import { shellWord } from "./analysis-options.ts";
import { missingBarsSvg } from "./charts.ts";
import { withProvenance } from "./provenance.ts";
import { escapeHtml, figureHtml, summaryHtml } from "./html.ts";
import type { ChartAnswer, ChartRoles } from "./protocol.ts";

export const MISSINGNESS_OPTIONS = ["cluster", "variable", "treatment", "covariates", "level"] as const;

/** `crtkit missingness FILE …` with the options given. */
export function missingnessCommandLine(fileName: string, values: OptionValues): string {
  const words = ["crtkit", "missingness", fileName];
  for (const name of MISSINGNESS_OPTIONS) {
    const v = optionalString(values, name);
    if (v !== undefined && v !== "") words.push(`--${name}`, v);
  }
  return [...words, "--format", "json"].map(shellWord).join(" ");
}

export function missingnessAnswer(data: Dataset, values: OptionValues, fileName: string, width: number, inputSha256: string): { resultJson: string; reportHtml: string } {
  const covariates = optionalString(values, "covariates");
  const result = diagnoseMissingness(data, {
    cluster: requiredString(values, "cluster"),
    variable: requiredString(values, "variable"),
    treatment: optionalString(values, "treatment"),
    covariates: covariates === undefined || covariates === "" ? [] : splitCovariates(covariates),
    level: numberOption(values, "level", 0.95, { min: 0, max: 1, exclusive: true }),
  });
  const report = missingnessReport(result);
  const chart = figureHtml(missingBarsSvg(result.byCluster, result.variable, result.treatment, width, "missingness-by-cluster"));
  const command = `<p class="source">Data: <code>${escapeHtml(fileName)}</code>; the same with the command line: <code>${escapeHtml(missingnessCommandLine(fileName, values))}</code></p>`;
  // The command draws no random numbers: no seed in its provenance.
  return { resultJson: toJson(withProvenance(report.json, inputSha256, null)), reportHtml: command + summaryHtml(report.summary, chart) };
}

/** The share missing by cluster for the roles chosen so far, or why it cannot be drawn yet. */
export function missingChart(data: Dataset, roles: ChartRoles, width: number): ChartAnswer {
  if (roles.cluster === "" || roles.variable === "") return { svg: null, message: "Choose the cluster and modifier columns to see the missing values by cluster." };
  try {
    const prepared = missingnessData(data, { cluster: roles.cluster, variable: roles.variable, ...(roles.treatment ? { treatment: roles.treatment } : {}) });
    const counts = clusterCounts(prepared);
    const message = `'${roles.variable}' is missing in ${prepared.nMissing} of ${prepared.nObs} rows (${((100 * prepared.nMissing) / prepared.nObs).toFixed(1)}%) across ${counts.length} clusters.`;
    return { svg: missingBarsSvg(counts, roles.variable, roles.treatment || null, width), message };
  } catch (e) {
    if (e instanceof InputError) return { svg: null, message: `No chart: ${e.message}` };
    throw e;
  }
}
