/**
 * Tables of the smc simulation study (docs/validation/smc-study.ts) from its
 * output directory (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/smc-report.ts --out sim-smc
 *
 * One markdown table per scenario and estimand (conditions × methods):
 * replicates, bias against the truth, empirical and model SE, coverage and
 * rejection rate, each with its Monte Carlo SE; and the mean difference from
 * the complete-data analysis of the same replicate. That analysis (the
 * outcome GEE on the trial before any modifier value was removed) is
 * recomputed here: each replicate's trial is generated again from its own
 * stream, createRng(seed, scenarioId, streamId, r), and the stored
 * complete-case estimate is checked to be reproduced exactly. The paired
 * difference removes the trial-to-trial noise the bias carries, so it shows
 * what the missing data and the method cost. Incomplete conditions are
 * summarised over the replicates found. Writes the summary rows to
 * docs/validation/smc-simulation-summary.json.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { dataset, type Column } from "../../src/data/dataset.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { createRng } from "../../src/random/index.ts";
import { readSimulationDirectory, summarizeDirectory, type Parameters, type ReplicateRow, type SummaryRow } from "../../src/simulate/index.ts";
import { simulateMissingModifierTrial } from "../../src/simulate/scenarios/missing-modifier.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: "sim-smc" }, json: { type: "string", default: "docs/validation/smc-simulation-summary.json" } } });

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" } as const;

/** HTE and ATE of the outcome GEE on the replicate's trial with every modifier value, and the complete-case HTE (the check). */
function completeData(scenario: 1 | 2, p: Parameters, seed: number, scenarioId: number, streamId: number, r: number) {
  const trial = simulateMissingModifierTrial(
    {
      scenario,
      clusters: p.clusters as number,
      meanClusterSize: p.meanClusterSize as number,
      beta3: p.beta3 as number,
      modifierIcc: p.modifierIcc as number,
      outcomeIcc: p.outcomeIcc as number,
      errorVariance: p.errorVariance as number,
    },
    createRng(seed, scenarioId, streamId, r),
  );
  const columns = (m: Float64Array): Column[] => [
    { name: "cluster", kind: "numeric", values: trial.cluster },
    { name: "A", kind: "numeric", values: trial.A },
    { name: "M", kind: "numeric", values: m },
    { name: "Y", kind: "numeric", values: trial.Y },
  ];
  const options = { ...COLUMNS, imputation: [], methods: ["cca" as const], seed: 0 };
  const full = analyzeMissingModifier(dataset(columns(trial.mFull)), options).results[0];
  const cca = analyzeMissingModifier(dataset(columns(trial.M)), options).results[0];
  return { hte: full.hte, ate: full.ate, ccaHte: cca.hte.estimate };
}

/** The complete-data analysis of the same replicates: bias, empirical and model SE, coverage. */
type CompleteData = Record<"completeBias" | "completeBiasMcse" | "completeEmpSe" | "completeModelSe" | "completeCoverage" | "completeCoverageMcse", number>;
const rows: (SummaryRow & { vsComplete: number; vsCompleteMcse: number } & CompleteData)[] = [];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
for (const scenarioDir of readdirSync(values.out).filter((d) => d.startsWith("scenario-")).sort()) {
  for (const clusterDir of readdirSync(join(values.out, scenarioDir)).filter((d) => d.startsWith("clusters-"))) {
    const dir = join(values.out, scenarioDir, clusterDir);
    const summary = summarizeDirectory(dir).summary;
    for (const study of readSimulationDirectory(dir).studies) {
      const scenario = study.manifest.scenario === "missing-modifier-1" ? 1 : 2;
      for (const c of study.conditions) {
        const reference = new Map<number, ReturnType<typeof completeData>>();
        for (const r of c.replicates) {
          const ref = completeData(scenario, c.condition.parameters, study.manifest.seed, study.manifest.scenarioId, c.condition.streamId, r);
          const stored = c.rows.find((x: ReplicateRow) => x.replicate === r && x.method === "cca" && x.estimand === "hte");
          if (stored && stored.estimate !== ref.ccaHte) throw new Error(`${c.condition.key} replicate ${r}: the regenerated trial does not reproduce the stored complete-case estimate`);
          reference.set(r, ref);
        }
        for (const s of summary.filter((x) => x.clusters === c.condition.parameters.clusters && x.beta3 === c.condition.parameters.beta3)) {
          if (s.estimand !== "hte" && s.estimand !== "ate") continue;
          const estimand = s.estimand;
          const truth = s.truth as number;
          const diffs: number[] = [];
          const errors: number[] = [];
          const ses: number[] = [];
          const covers: number[] = [];
          for (const x of c.rows) {
            if (x.method !== s.method || x.imputationModel !== s.imputationModel || x.estimand !== estimand || x.estimate === null) continue;
            const ref = reference.get(x.replicate)![estimand];
            diffs.push(x.estimate - ref.estimate);
            errors.push(ref.estimate - truth);
            ses.push(ref.stdError);
            covers.push(ref.confLow <= truth && truth <= ref.confHigh ? 1 : 0);
          }
          const coverage = mean(covers);
          rows.push({
            ...s,
            vsComplete: mean(diffs),
            vsCompleteMcse: sd(diffs) / Math.sqrt(diffs.length),
            completeBias: mean(errors),
            completeBiasMcse: sd(errors) / Math.sqrt(errors.length),
            completeEmpSe: sd(errors),
            completeModelSe: Math.sqrt(mean(ses.map((x) => x * x))),
            completeCoverage: coverage,
            completeCoverageMcse: Math.sqrt((coverage * (1 - coverage)) / covers.length),
          });
        }
      }
    }
  }
}

const num = (x: unknown, digits = 3): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "—");
const withMcse = (x: unknown, se: unknown): string => `${num(x)} (${num(se)})`;
const METHOD_ORDER = ["cca", "mmi", "bmmi", "smc"];

let text = "";
for (const scenario of [...new Set(rows.map((r) => r.scenario))].sort()) {
  for (const estimand of ["hte", "ate"]) {
    const own = rows.filter((r) => r.scenario === scenario && r.estimand === estimand);
    if (own.length === 0) continue;
    text += `\n### ${scenario}, ${estimand.toUpperCase()}\n\n`;
    text += "| clusters | β₃ | truth | method | imputation model | reps | bias (MCSE) | minus complete data (MCSE) | empirical SE | model SE | coverage (MCSE) | rejection (MCSE) |\n";
    text += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    const sorted = [...own].sort(
      (a, b) =>
        Number(a.clusters) - Number(b.clusters) || Number(b.beta3) - Number(a.beta3) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
    );
    let condition = "";
    for (const r of sorted) {
      const key = `${r.clusters} ${r.beta3}`;
      if (key !== condition) {
        condition = key;
        text +=
          `| ${r.clusters} | ${num(r.beta3, 2)} | ${num(r.truth, 4)} | complete data | — | ${r.nReps} | ${withMcse(r.completeBias, r.completeBiasMcse)} | 0 | ` +
          `${num(r.completeEmpSe)} | ${num(r.completeModelSe)} | ${withMcse(r.completeCoverage, r.completeCoverageMcse)} | |\n`;
      }
      const failed = r.nFailed > 0 ? ` (${r.nFailed} failed)` : "";
      text +=
        `| ${r.clusters} | ${num(r.beta3, 2)} | ${num(r.truth, 4)} | ${r.method} | ${r.imputationModel || "—"} | ${r.nReps}${failed} | ` +
        `${withMcse(r.bias, r.biasMcse)} | ${withMcse(r.vsComplete, r.vsCompleteMcse)} | ${num(r.empSe)} | ${num(r.modelSe)} | ${withMcse(r.coverage, r.coverageMcse)} | ${withMcse(r.rejection, r.rejectionMcse)} |\n`;
    }
  }
}
process.stdout.write(text);
writeFileSync(values.json, JSON.stringify({ summary: rows }, null, 1) + "\n");
