/**
 * Runs the binary-outcome validation study of missing-binary-scenario.ts (not part of CI):
 *
 *   nice node --conditions=source --import tsx docs/validation/missing-binary-run.ts run --reps 300 --workers 1 --out /tmp/missing-binary
 *   node --conditions=source --import tsx docs/validation/missing-binary-run.ts summarize --out /tmp/missing-binary
 *
 * `run` stores (and resumes) replicates in --out; `summarize` writes
 * docs/validation/missing-binary-summary.json and prints the Markdown tables
 * of docs/validation/missing-binary.md.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runSimulation, summarizeDirectory } from "../../src/simulate/index.ts";
import "./missing-binary-scenario.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: "string", default: "300" },
    workers: { type: "string", default: "1" },
    out: { type: "string", default: "/tmp/missing-binary" },
    seed: { type: "string", default: "2026" },
  },
});

const fmt = (x: number | null, digits = 3): string => (x === null ? "—" : x.toFixed(digits));

if (positionals[0] === "summarize") {
  const s = summarizeDirectory(values.out!);
  const path = new URL("./missing-binary-summary.json", import.meta.url).pathname;
  writeFileSync(path, JSON.stringify({ studies: s.studies, summary: s.summary, diagnostics: s.diagnostics }, null, 1) + "\n");
  for (const estimand of ["hte", "ate"]) {
    const rows = s.summary.filter((r) => r.estimand === estimand);
    console.log(`\n## ${estimand.toUpperCase()} (truth ${rows[0].truth.toFixed(4)})\n`);
    console.log("| method | SE | bias (MCSE) | empirical SE | model SE | coverage (MCSE) | failed |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of rows) {
      const [method, variant] = r.method.split("-");
      const se = variant === "kc" ? "KC, t(C − p)" : variant === "paper" ? "robust, paper df" : "robust";
      console.log(`| ${method} | ${se} | ${fmt(r.bias)} (${fmt(r.biasMcse)}) | ${fmt(r.empSe)} | ${fmt(r.modelSe)} | ${fmt(r.coverage)} (${fmt(r.coverageMcse)}) | ${r.nFailed} |`);
    }
  }
} else if (positionals[0] === "run") {
  const r = await runSimulation({
    scenario: "missing-modifier-binary",
    reps: Number(values.reps),
    workers: Number(values.workers),
    seed: Number(values.seed),
    outDir: values.out!,
    onProgress: (p) => {
      if (p.completed % 10 === 0 || p.completed === p.total) process.stderr.write(`${p.completed}/${p.total} replicates, ${p.elapsedSeconds.toFixed(0)} s\n`);
    },
  });
  console.log(`${r.replicatesRun} replicates in ${r.seconds.toFixed(0)} s`);
} else {
  throw new Error("use: run | summarize");
}
