/**
 * Simulation study of smc next to the paper's multilevel methods (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/smc-study.ts --scenario 1 --clusters 50 --reps 500 --workers 2 --out sim-smc --seed 2024
 *
 * Scenario 1 or 2 of Blette et al. (2023) (src/simulate/scenarios/missing-modifier.ts),
 * both values of β₃ (0 and −(1 + e^−0.5)), the given numbers of clusters.
 * Methods, on the same simulated trials: CCA; MMI and B-MMI with the paper's
 * best imputation model (three-way interactions, `M ~ X*A*Y`); smc with the
 * modifier's own model `M ~ X` and the data-generating outcome model as its
 * substantive model. MMI, B-MMI and smc use the paper's schedule (15
 * imputations; burn-in 1000, thin 100 for the chains). With `--models main`,
 * MMI and B-MMI only, with the paper's main-effects model `M ~ X + A + Y`
 * (the misspecified comparison), into OUT/scenario-S/clusters-C-main.
 * Results go to OUT/scenario-S/clusters-C (resumable: rerun the command to
 * continue), and `docs/validation/smc-report.ts` summarises them. The same
 * seed gives the same trials whatever the methods.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runSimulation } from "../../src/simulate/index.ts";
import { PAPER_BETA3, paperImputationModels, smcDefaultModels } from "../../src/simulate/scenarios/missing-modifier-study.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "1" },
    clusters: { type: "string", default: "20,50,100" },
    reps: { type: "string", default: "500" },
    workers: { type: "string", default: "1" },
    out: { type: "string", default: "sim-smc" },
    seed: { type: "string", default: "2024" },
    models: { type: "string", default: "best" },
  },
});
const scenario = Number(values.scenario) as 1 | 2;
if (scenario !== 1 && scenario !== 2) throw new Error("--scenario is 1 or 2");

/** The methods of the study, each with its own imputation model. */
export function studyMethods(s: 1 | 2, models: string) {
  if (models === "main") {
    const main = paperImputationModels(s)[0];
    return [
      { method: "mmi", imputationModel: main },
      { method: "bmmi", imputationModel: main },
    ];
  }
  const threeWay = paperImputationModels(s)[4];
  return [
    { method: "cca", imputationModel: "" },
    { method: "mmi", imputationModel: threeWay },
    { method: "bmmi", imputationModel: threeWay },
    { method: "smc", imputationModel: smcDefaultModels(s).modifier },
  ];
}

for (const clusters of values.clusters.split(",").map(Number)) {
  const started = Date.now();
  const out = await runSimulation({
    scenario: `missing-modifier-${scenario}`,
    parameters: { clusters },
    grid: { beta3: [0, PAPER_BETA3] },
    reps: Number(values.reps),
    methods: studyMethods(scenario, values.models),
    seed: Number(values.seed),
    workers: Number(values.workers),
    outDir: join(values.out, `scenario-${scenario}`, `clusters-${clusters}${values.models === "main" ? "-main" : ""}`),
  });
  process.stdout.write(`scenario ${scenario}, ${clusters} clusters: ${out.summary.length} summary rows in ${((Date.now() - started) / 60000).toFixed(1)} min\n`);
}
