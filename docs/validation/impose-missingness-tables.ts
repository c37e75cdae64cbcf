/**
 * Prints the tables of docs/validation/impose-missingness.md (Markdown) from
 * the study's summary JSON, and, given the study directory, the spread of the
 * point estimates (the paper's box plots, Web Figure 7) from its stored rows:
 *
 *   node --conditions=source --import tsx docs/validation/impose-missingness-tables.ts \
 *     docs/validation/impose-missingness-summary.json [/tmp/p5/wfhs]
 */
import { readFileSync } from "node:fs";
import { readSimulationDirectory } from "../../src/simulate/directory.ts";
import type { SummaryRow } from "../../src/simulate/types.ts";

const [summaryPath, dir] = process.argv.slice(2);
const { summary } = JSON.parse(readFileSync(summaryPath, "utf8")) as { summary: SummaryRow[] };

const f = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined ? "—" : x.toFixed(digits));
const pct = (x: number | null | undefined, se: number | null | undefined): string => `${f(x === null || x === undefined ? x : 100 * x, 1)} (${f(se === null || se === undefined ? se : 100 * se, 1)})`;
const withSe = (x: number | null | undefined, se: number | null | undefined, digits = 3): string => `${f(x, digits)} (${f(se, digits)})`;
const label = (r: SummaryRow): string => `| ${r.method} | ${r.imputationModel === "" ? "—" : `\`${r.imputationModel}\``} |`;

const mechanisms = [...new Set(summary.map((r) => String(r.mechanism)))];
for (const mechanism of mechanisms) {
  for (const estimand of ["hte", "ate"]) {
    const rows = summary.filter((r) => r.mechanism === mechanism && r.estimand === estimand);
    const ref = rows[0];
    console.log(`\n#### ${mechanism}, ${estimand.toUpperCase()} (complete data ${f(ref.truth)}, 95% CI ${f(ref.completeConfLow)} to ${f(ref.completeConfHigh)})\n`);
    console.log("| method | imputation model | n | narrower % (MCSE) | covers % (MCSE) | mean lower (MCSE) | mean upper (MCSE) | bias (MCSE) | emp. SE | model SE | coverage % (MCSE) |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of rows) {
      console.log(
        `${label(r)} ${r.nReps}${r.nFailed > 0 ? ` (+${r.nFailed} failed)` : ""} | ${pct(r.narrowerThanComplete, r.narrowerThanCompleteMcse)} | ${pct(r.coversCompleteCi, r.coversCompleteCiMcse)} | ` +
          `${withSe(r.meanConfLow, r.meanConfLowMcse, 4)} | ${withSe(r.meanConfHigh, r.meanConfHighMcse, 4)} | ${withSe(r.bias, r.biasMcse)} | ${f(r.empSe)} | ${f(r.modelSe)} | ${pct(r.coverage, r.coverageMcse)} |`,
      );
    }
  }
}

if (dir !== undefined) {
  // Quantiles of the estimates by type 7 (R's default), and the share outside the complete-data interval.
  const quantile = (sorted: readonly number[], q: number): number => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
  };
  const { studies } = readSimulationDirectory(dir);
  for (const s of studies) {
    for (const c of s.conditions) {
      for (const estimand of ["hte", "ate"]) {
        const ref = c.condition.reference![estimand];
        console.log(`\n#### Estimates, ${String(c.condition.parameters.mechanism)}, ${estimand.toUpperCase()} (complete data ${f(ref.estimate)}, 95% CI ${f(ref.confLow)} to ${f(ref.confHigh)})\n`);
        console.log("| method | imputation model | min | 25% | median | 75% | max | outside the complete-data CI % |");
        console.log("|---|---|---|---|---|---|---|---|");
        for (const spec of s.manifest.methods) {
          const est = c.rows
            .filter((r) => r.method === spec.method && r.imputationModel === spec.imputationModel && r.estimand === estimand && r.estimate !== null && r.converged)
            .map((r) => r.estimate as number)
            .sort((a, b) => a - b);
          const outside = est.filter((x) => x < ref.confLow || x > ref.confHigh).length;
          const model = spec.imputationModel === "" ? "—" : `\`${spec.imputationModel}\``;
          console.log(
            `| ${spec.method} | ${model} | ${[0, 0.25, 0.5, 0.75, 1].map((q) => f(quantile(est, q))).join(" | ")} | ${f((100 * outside) / est.length, 1)} |`,
          );
        }
      }
    }
  }
}
