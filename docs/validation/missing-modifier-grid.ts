/**
 * The tables, charts and summary JSON of docs/validation/missing-modifier-grid.md
 * (not part of CI), from the directory of
 *
 *   crtkit simulate --grid paper-missing-modifier --reps 250 --seed 2024 --workers 2 --out DIR
 *
 * Run:
 *
 *   node --conditions=source --import tsx docs/validation/missing-modifier-grid.ts DIR > tables.md
 *
 * Writes docs/validation/missing-modifier-grid-summary.json (every summary row,
 * the CPU time of the run from its timing files, and the ATE of the β₃ ≠ 0
 * conditions scored against 0 as the paper's code scored it) and the charts
 * of `crtkit simulate summarize DIR --report` as SVG files under
 * docs/validation/missing-modifier-grid/ (bias and coverage per scenario, β₃
 * and estimand, a panel per number of clusters), and prints the Markdown
 * tables.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderChart } from "../../src/report/charts/index.ts";
import { simulationCharts, type SimulationJson } from "../../src/report/html/simulate.ts";
import { readSimulationDirectory, summarizeDirectory } from "../../src/simulate/directory.ts";
import type { SummaryRow } from "../../src/simulate/types.ts";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: missing-modifier-grid.ts DIR");
const here = new URL(".", import.meta.url).pathname;
const svgDir = join(here, "missing-modifier-grid");

const SCENARIOS = ["missing-modifier-1", "missing-modifier-2"];
const CLUSTERS = [20, 50, 100];
const BETA3 = [0, -(1 + Math.exp(-0.5))];

const f = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined ? "—" : x.toFixed(digits));
const withSe = (x: number | null | undefined, se: number | null | undefined, digits = 3): string => `${f(x, digits)} (${f(se, digits)})`;
const model = (m: string): string => (m === "" ? "—" : `\`${m}\``);
const beta3Label = (b: number): string => (b === 0 ? "β₃ = 0" : "β₃ = −(1 + e^−0.5)");

const { summary, studies, diagnostics } = summarizeDirectory(dir);
const rows = summary as readonly SummaryRow[];
const pick = (scenario: string, clusters: number, beta3: number, estimand: string) =>
  rows.filter((r) => r.scenario === scenario && r.clusters === clusters && r.beta3 === beta3 && r.estimand === estimand);
const methodKey = (r: { method: string; imputationModel: string }) => `${r.method}|${r.imputationModel}`;

// ---------------------------------------------------------------------------
// CPU time: every method's seconds and the data generation, over all timing files.

function cpuSeconds(root: string): { seconds: number; replicates: number } {
  let seconds = 0;
  let replicates = 0;
  for (const scenario of readdirSync(root)) {
    const sdir = join(root, scenario);
    let conditions: string[];
    try {
      conditions = readdirSync(sdir).filter((c) => c !== "manifest.json");
    } catch {
      continue;
    }
    for (const c of conditions) {
      for (const file of readdirSync(join(sdir, c)).filter((x) => x.endsWith(".timing.jsonl"))) {
        for (const line of readFileSync(join(sdir, c, file), "utf8").split("\n")) {
          if (line === "") continue;
          const t = JSON.parse(line) as { generateSeconds: number; seconds: number[] };
          seconds += t.generateSeconds + t.seconds.reduce((a, b) => a + b, 0);
          replicates++;
        }
      }
    }
  }
  return { seconds, replicates };
}

// ---------------------------------------------------------------------------
// The ATE scored against 0 (the paper's code) where the truth is 1 + β₃·E[M] ≈ 0.0146.

interface Rescored {
  scenario: string;
  clusters: number;
  method: string;
  imputationModel: string;
  truth: number;
  nReps: number;
  coverageOfTruth: number;
  coverageOfZero: number;
  coverageOfZeroMcse: number;
  biasFromZero: number;
}

function rescoreAte(): Rescored[] {
  const out: Rescored[] = [];
  for (const study of readSimulationDirectory(dir).studies) {
    for (const c of study.conditions) {
      if (c.condition.parameters.beta3 === 0) continue;
      const truth = c.condition.truth.ate;
      for (const spec of study.manifest.methods) {
        const usable = c.rows.filter(
          (r) => r.method === spec.method && r.imputationModel === spec.imputationModel && r.estimand === "ate" && r.converged && r.confLow !== null && r.confHigh !== null && r.estimate !== null,
        );
        const n = usable.length;
        if (n === 0) continue;
        const covers = (x: number) => usable.filter((r) => (r.confLow as number) <= x && x <= (r.confHigh as number)).length / n;
        const zero = covers(0);
        out.push({
          scenario: study.manifest.scenario,
          clusters: Number(c.condition.parameters.clusters),
          method: spec.method,
          imputationModel: spec.imputationModel,
          truth,
          nReps: n,
          coverageOfTruth: covers(truth),
          coverageOfZero: zero,
          coverageOfZeroMcse: Math.sqrt((zero * (1 - zero)) / n),
          biasFromZero: usable.reduce((s, r) => s + (r.estimate as number), 0) / n,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Charts: bias and coverage (and the type I error of the null HTE), one file per scenario × β₃ × estimand.

// Drawn afresh, so that no chart of an earlier run stays behind.
rmSync(svgDir, { recursive: true, force: true });
mkdirSync(svgDir, { recursive: true });
const charts: string[] = [];
for (const scenario of SCENARIOS) {
  for (const beta3 of BETA3) {
    for (const estimand of ["hte", "ate"]) {
      const subset = rows.filter((r) => r.scenario === scenario && r.beta3 === beta3 && r.estimand === estimand);
      if (subset.length === 0) continue;
      // Only the grid's parameters name the panels.
      // Short model names ("X*A*Y" for M ~ X1*A*Y or M ~ (X1 + X2 + X3)*A*Y) keep the labels whole.
      const slim = subset.map((r) => ({ ...pickMeasures(r), imputationModel: shortModel(r.imputationModel), scenario: r.scenario, clusters: r.clusters }));
      const json: SimulationJson = { summary: slim as unknown as SimulationJson["summary"], diagnostics: [] };
      const wanted = beta3 === 0 && estimand === "hte" ? ["simulate-bias", "simulate-coverage", "simulate-rejection"] : ["simulate-bias", "simulate-coverage"];
      const specs = simulationCharts(json);
      for (const id of wanted) {
        // The report splits a measure into page-sized parts; a file holds all its panels side by side.
        const parts = specs.filter((c) => c.id === id || c.id.startsWith(`${id}-`));
        const panels = parts.flatMap((c) => c.panels);
        const spec = { ...parts[0], id, panels, columns: panels.length, width: 1100, title: `${parts[0].title.replace(/ \(\d+ of \d+\)$/, "")}: ${scenario}, ${beta3Label(beta3)}, ${estimand.toUpperCase()}` };
        const name = `${scenario.replace("missing-modifier-", "scenario")}-${beta3 === 0 ? "null" : "beta3"}-${estimand}-${id.replace("simulate-", "")}.svg`;
        writeFileSync(join(svgDir, name), `${renderChart(spec)}\n`);
        charts.push(name);
      }
    }
  }
}

function shortModel(formula: string): string {
  return formula.replace(/^M ~ /, "").replace("(X1 + X2 + X3)", "X").replace("X1", "X");
}

function pickMeasures(r: SummaryRow): Record<string, unknown> {
  const keys = ["method", "imputationModel", "estimand", "truth", "nReps", "nFailed", "bias", "biasMcse", "empSe", "empSeMcse", "modelSe", "modelSeMcse", "coverage", "coverageMcse", "rejection", "rejectionMcse", "mse", "mseMcse"];
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}

// ---------------------------------------------------------------------------
// Tables.

const print = (s = ""): void => void process.stdout.write(`${s}\n`);

for (const scenario of SCENARIOS) {
  for (const beta3 of BETA3) {
    for (const estimand of ["hte", "ate"]) {
      const byC = CLUSTERS.map((c) => pick(scenario, c, beta3, estimand));
      if (byC.every((x) => x.length === 0)) continue;
      const truth = byC.find((x) => x.length > 0)?.[0]?.truth;
      print(`\n#### ${scenario}, ${beta3Label(beta3)}, ${estimand.toUpperCase()} (truth ${f(truth, 4)})\n`);
      print(`| method | imputation model | ${CLUSTERS.map((c) => `C = ${c}: bias (MCSE) | coverage (MCSE)`).join(" | ")} |`);
      print(`|---|---|${CLUSTERS.map(() => "---|---|").join("")}`);
      const base = byC.find((x) => x.length > 0) ?? [];
      for (const r of base) {
        const cells = byC.map((list) => {
          const m = list.find((x) => methodKey(x) === methodKey(r));
          return m === undefined ? "— | —" : `${withSe(m.bias, m.biasMcse)} | ${withSe(m.coverage, m.coverageMcse)}`;
        });
        print(`| ${r.method} | ${model(r.imputationModel)} | ${cells.join(" | ")} |`);
      }
    }
  }
}

// Type I error of the null HTE.
print("\n#### Type I error of the HTE test (β₃ = 0), MCSE in parentheses\n");
print(`| scenario | method | imputation model | ${CLUSTERS.map((c) => `C = ${c}`).join(" | ")} |`);
print(`|---|---|---|${CLUSTERS.map(() => "---|").join("")}`);
for (const scenario of SCENARIOS) {
  const base = pick(scenario, 50, 0, "hte");
  for (const r of base) {
    const cells = CLUSTERS.map((c) => {
      const m = pick(scenario, c, 0, "hte").find((x) => methodKey(x) === methodKey(r));
      return m === undefined ? "—" : withSe(m.rejection, m.rejectionMcse);
    });
    print(`| ${scenario.replace("missing-modifier-", "")} | ${r.method} | ${model(r.imputationModel)} | ${cells.join(" | ")} |`);
  }
}

// The df as printed: coverage with the Barnard–Rubin df and with the paper's, from the same imputations.
print("\n#### Coverage with the Barnard–Rubin df against the df as printed (same imputations)\n");
print("Cells: coverage with Barnard–Rubin / with the printed df among the replicates where it gives an interval (in parentheses: counting those without one as misses); in brackets the share of replicates whose printed df is negative or undefined.\n");
for (const estimand of ["hte", "ate"]) {
  print(`\n##### ${estimand.toUpperCase()}\n`);
  print(`| scenario | β₃ | method | imputation model | ${CLUSTERS.map((c) => `C = ${c}`).join(" | ")} |`);
  print(`|---|---|---|---|${CLUSTERS.map(() => "---|").join("")}`);
  for (const scenario of SCENARIOS) {
    for (const beta3 of BETA3) {
      // CCA and SI are not pooled, so the df formula does not touch them.
      for (const r of pick(scenario, 50, beta3, estimand).filter((x) => x.method !== "cca" && x.method !== "si")) {
        const cells = CLUSTERS.map((c) => {
          const br = pick(scenario, c, beta3, estimand).find((x) => methodKey(x) === methodKey(r));
          const paper = pick(scenario, c, beta3, `${estimand}-paper-df`).find((x) => methodKey(x) === methodKey(r));
          if (br === undefined || paper === undefined) return "—";
          const total = paper.nReps + paper.nFailed;
          // Counting a replicate without an interval as a miss, as a reader of the paper's code would see it.
          const missed = paper.coverage === null ? null : (paper.coverage * paper.nReps) / total;
          return `${f(br.coverage)} / ${f(paper.coverage)} (${f(missed)}) [${f(total > 0 ? paper.nFailed / total : null, 2)}]`;
        });
        print(`| ${scenario.replace("missing-modifier-", "")} | ${beta3 === 0 ? "0" : "−1.61"} | ${r.method} | ${model(r.imputationModel)} | ${cells.join(" | ")} |`);
      }
    }
  }
}

const rescored = rescoreAte();
print("\n#### ATE with β₃ ≠ 0: coverage of the truth 1 + β₃·E[M] and of 0 (the paper's code)\n");
print(`| scenario | method | imputation model | ${CLUSTERS.map((c) => `C = ${c}: truth / 0 (MCSE)`).join(" | ")} |`);
print(`|---|---|---|${CLUSTERS.map(() => "---|").join("")}`);
for (const scenario of SCENARIOS) {
  const base = rescored.filter((r) => r.scenario === scenario && r.clusters === 50);
  for (const r of base) {
    const cells = CLUSTERS.map((c) => {
      const m = rescored.find((x) => x.scenario === scenario && x.clusters === c && methodKey(x) === methodKey(r));
      return m === undefined ? "—" : `${f(m.coverageOfTruth)} / ${withSe(m.coverageOfZero, m.coverageOfZeroMcse)}`;
    });
    print(`| ${scenario.replace("missing-modifier-", "")} | ${r.method} | ${model(r.imputationModel)} | ${cells.join(" | ")} |`);
  }
}

const cpu = cpuSeconds(dir);
print(`\nCPU time recorded in the timing files: ${(cpu.seconds / 3600).toFixed(2)} CPU-hours over ${cpu.replicates} condition-replicates.`);
print(`Charts: ${charts.length} SVG files in docs/validation/missing-modifier-grid/.`);

writeFileSync(
  join(here, "missing-modifier-grid-summary.json"),
  `${JSON.stringify(
    {
      command: "crtkit simulate --grid paper-missing-modifier --reps 250 --seed 2024 --workers 2 --out DIR",
      studies,
      cpuHours: cpu.seconds / 3600,
      conditionReplicates: cpu.replicates,
      summary: rows,
      ateScoredAgainstZero: rescored,
      diagnostics: diagnostics.filter((d) => d.severity !== "info"),
    },
    null,
    1,
  )}\n`,
);
