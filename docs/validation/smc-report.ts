/**
 * Tables of the smc simulation study (docs/validation/smc-study.ts) from its
 * output directory (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/smc-report.ts --out sim-smc
 *
 * Prints one markdown table per scenario and estimand (conditions × methods:
 * replicates, bias, empirical and model SE, coverage, rejection rate, each
 * with its Monte Carlo SE) and writes the summary rows to
 * docs/validation/smc-simulation-summary.json. Incomplete conditions are
 * summarised over the replicates found, and the table says how many.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { summarizeDirectory, type SummaryRow } from "../../src/simulate/index.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: "sim-smc" }, json: { type: "string", default: "docs/validation/smc-simulation-summary.json" } } });

const rows: SummaryRow[] = [];
for (const scenarioDir of readdirSync(values.out).filter((d) => d.startsWith("scenario-")).sort()) {
  for (const clusterDir of readdirSync(join(values.out, scenarioDir)).filter((d) => d.startsWith("clusters-"))) {
    const dir = join(values.out, scenarioDir, clusterDir);
    if (existsSync(dir)) rows.push(...summarizeDirectory(dir).summary);
  }
}

const num = (x: unknown, digits = 3): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "—");
const withMcse = (x: unknown, se: unknown): string => `${num(x)} (${num(se)})`;
const METHOD_ORDER = ["cca", "mmi", "bmmi", "smc"];
const ESTIMANDS = ["hte", "ate"];

let text = "";
for (const scenario of [...new Set(rows.map((r) => r.scenario))].sort()) {
  for (const estimand of ESTIMANDS) {
    const own = rows.filter((r) => r.scenario === scenario && r.estimand === estimand);
    if (own.length === 0) continue;
    text += `\n### ${scenario}, ${estimand.toUpperCase()}\n\n`;
    text += "| clusters | β₃ | truth | method | imputation model | reps | bias (MCSE) | empirical SE | model SE | coverage (MCSE) | rejection (MCSE) |\n";
    text += "|---|---|---|---|---|---|---|---|---|---|---|\n";
    const sorted = [...own].sort(
      (a, b) =>
        Number(a.clusters) - Number(b.clusters) ||
        Number(b.beta3) - Number(a.beta3) ||
        METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
    );
    for (const r of sorted) {
      const failed = r.nFailed > 0 ? ` (${r.nFailed} failed)` : "";
      text +=
        `| ${r.clusters} | ${num(r.beta3, 2)} | ${num(r.truth, 4)} | ${r.method} | ${r.imputationModel || "—"} | ${r.nReps}${failed} | ` +
        `${withMcse(r.bias, r.biasMcse)} | ${num(r.empSe)} | ${num(r.modelSe)} | ${withMcse(r.coverage, r.coverageMcse)} | ${withMcse(r.rejection, r.rejectionMcse)} |\n`;
    }
  }
}
process.stdout.write(text);
writeFileSync(values.json, JSON.stringify({ summary: rows }, null, 1) + "\n");
