/**
 * Reports of simulation studies: the performance measures of every
 * condition, method, imputation model and estimand, with Monte Carlo SEs.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { DirectorySummary } from "../simulate/directory.ts";
import type { SimulationResult } from "../simulate/runner.ts";
import type { ParamValue, SummaryRow } from "../simulate/types.ts";
import type { Cell, Report, Summary, Table } from "./summary.ts";

/** The measures shown in the table (JSON and the stored files have them all). */
const MEASURES = ["truth", "nReps", "nFailed", "bias", "biasMcse", "empSe", "empSeMcse", "modelSe", "coverage", "coverageMcse", "rejection", "rejectionMcse", "mse", "mseMcse"] as const;

/** Measures against a reference analysis, shown when the rows have them (impose-missingness). */
const REFERENCE_MEASURES = [
  "completeConfLow", "completeConfHigh", "meanConfLow", "meanConfHigh",
  "narrowerThanComplete", "narrowerThanCompleteMcse", "coversCompleteCi", "coversCompleteCiMcse",
] as const;

/** Fields of a summary row that are not condition parameters. */
const ROW_FIELDS = new Set([
  "scenario", "method", "imputationModel", "estimand", "truth", "nReps", "nFailed",
  "bias", "biasMcse", "empSe", "empSeMcse", "modelSe", "modelSeMcse", "relErrorModelSe", "relErrorModelSeMcse",
  "coverage", "coverageMcse", "biasElimCoverage", "biasElimCoverageMcse", "rejection", "rejectionMcse", "mse", "mseMcse",
  "completeStdError", "meanConfLowMcse", "meanConfHighMcse", ...REFERENCE_MEASURES,
]);

function cell(v: ParamValue | null | undefined): Cell {
  return typeof v === "boolean" ? String(v) : (v ?? null);
}

/** One row per condition, method, imputation model and estimand; the condition's parameters as columns. */
export function performanceTable(rows: readonly SummaryRow[]): Table {
  const params = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !ROW_FIELDS.has(k));
  const compared = rows.some((r) => r.narrowerThanComplete !== undefined) ? REFERENCE_MEASURES : [];
  return {
    columns: ["scenario", ...params, "method", "imputationModel", "estimand", ...MEASURES, ...compared],
    rows: rows.map((r) => [
      r.scenario, ...params.map((k) => cell(r[k])), r.method, r.imputationModel, r.estimand,
      ...MEASURES.map((m) => r[m]), ...compared.map((m) => r[m] ?? null),
    ]),
  };
}

function report(summary: readonly SummaryRow[], diagnostics: readonly Diagnostic[], facts: Summary["facts"], extra: object = {}): Report {
  return {
    json: { ...extra, summary, diagnostics },
    summary: { title: "Simulation study", facts, tables: [performanceTable(summary)], diagnostics },
  };
}

/**
 * A study run now (one or more scenarios, e.g. a named grid), all or one
 * shard of it. `runs` are the results of runSimulation, in order.
 */
export function simulationRunReport(
  runs: readonly (Pick<SimulationResult, "summary" | "diagnostics" | "replicatesRun" | "seconds"> & { readonly scenario: string })[],
  settings: { readonly reps: number; readonly seed: number; readonly outDir?: string },
): Report {
  const { reps, seed, outDir } = settings;
  return report(
    runs.flatMap((r) => r.summary),
    runs.flatMap((r) => r.diagnostics),
    [
      ["Scenarios", runs.map((r) => r.scenario).join(", ")],
      ["Replicates per condition", reps],
      ["Replicates run now", runs.reduce((s, r) => s + r.replicatesRun, 0)],
      ["Seed", seed],
      ["Output", outDir ?? "(in memory)"],
      ["Seconds", Math.round(runs.reduce((s, r) => s + r.seconds, 0) * 10) / 10],
    ],
    { seed, reps },
  );
}

/** The summary over every shard file in directory `dir`. */
export function simulationDirectoryReport(dir: string, out: DirectorySummary): Report {
  return report(out.summary, out.diagnostics, [
    ["Directory", dir],
    ["Studies", out.studies.map((s) => `${s.scenario} (${s.replicatesFound} replicates found, ${s.replicatesMissing} missing)`).join("; ")],
  ]);
}
