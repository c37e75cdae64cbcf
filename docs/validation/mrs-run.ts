/**
 * Runs the model-robust standardization validation studies (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/mrs-run.ts table1 --reps 1000 --workers 2 --out /tmp/mrs-sim
 *   node --conditions=source --import tsx docs/validation/mrs-run.ts table5 --reps 1000 --workers 2 --out /tmp/mrs-sim [--outcome binary] [--shard 1/2]
 *   node --conditions=source --import tsx docs/validation/mrs-run.ts summarize --out /tmp/mrs-sim
 *
 * table1: scenario mrs-continuous (Li et al. (2025) §4.1), m = 30 and 100, all 16 methods.
 * table5: scenario mrs-ics-test (§4.6), δ = 0, continuous and binary outcomes, m = 30 and 100.
 * Results are stored in (and resumed from) --out; `summarize` writes
 * docs/validation/mrs-summary.json, which mrs-report.ts turns into the tables
 * of docs/validation/mrs-table1.md and mrs-table5.md.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runSimulation, summarizeDirectory } from "../../src/simulate/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: "string", default: "1000" },
    workers: { type: "string", default: "2" },
    out: { type: "string", default: "/tmp/mrs-sim" },
    seed: { type: "string", default: "2025" },
    outcome: { type: "string" },
    shard: { type: "string" },
  },
});
const what = positionals[0];
if (what === "summarize") {
  const s = summarizeDirectory(values.out!);
  const path = new URL("./mrs-summary.json", import.meta.url).pathname;
  writeFileSync(path, JSON.stringify({ studies: s.studies, summary: s.summary, diagnostics: s.diagnostics }, null, 1) + "\n");
  console.log(`wrote ${path}: ${s.summary.length} rows`, JSON.stringify(s.studies));
} else {
  const common = {
    reps: Number(values.reps),
    workers: Number(values.workers),
    seed: Number(values.seed),
    outDir: values.out!,
    ...(values.shard ? { shard: values.shard } : {}),
    onProgress: (p: { completed: number; total: number; elapsedSeconds: number; etaSeconds: number | null }) => {
      if (p.completed % 20 === 0 || p.completed === p.total) {
        process.stderr.write(`${what}: ${p.completed}/${p.total} replicates, ${p.elapsedSeconds.toFixed(0)} s, eta ${p.etaSeconds?.toFixed(0) ?? "?"} s\n`);
      }
    },
  };
  const start = performance.now();
  if (what === "table1") {
    const r = await runSimulation({ scenario: "mrs-continuous", grid: { clusters: [30, 100] }, ...common });
    console.log(`table1: ${r.replicatesRun} replicates in ${r.seconds.toFixed(0)} s`);
  } else if (what === "table5") {
    const outcomes = values.outcome ? [values.outcome] : ["continuous", "binary"];
    const r = await runSimulation({ scenario: "mrs-ics-test", grid: { outcome: outcomes, clusters: [30, 100], delta: [0] }, ...common });
    console.log(`table5 (${outcomes.join(", ")}): ${r.replicatesRun} replicates in ${r.seconds.toFixed(0)} s`);
  } else {
    throw new Error(`unknown study '${what}'; use table1, table5 or summarize`);
  }
  console.log(`elapsed ${((performance.now() - start) / 1000).toFixed(0)} s`);
}
