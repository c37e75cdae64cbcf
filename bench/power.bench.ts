/**
 * Power by simulation against the closed form.
 *
 * Design of the timed runs: 10 clusters per arm of 20, ICC 0.05, continuous
 * outcome, effect 0.5 SD. "power.simulate.<method>" times 1000 replicates of
 * one method on this thread (ms per op = ms per 1000 replicates, data
 * generation included); its setup prints the simulated power, its MCSE and
 * the closed form to stderr. "power.closedForm" and "power.exactNoncentralT"
 * time the formulas.
 *
 * `node --conditions=source --import tsx bench/power.bench.ts --table` prints
 * the comparison table of docs/validation/power-simulation.md (a few
 * designs, 1000 replicates each, 2 workers; about a minute; not run in CI).
 */
import { pathToFileURL } from "node:url";
import { noncentralTPower } from "../src/simulate/power-closed-form.ts";
import { powerBySimulation, type PowerMethod, type PowerSimulationResult, type SimulatedDesign } from "../src/simulate/power.ts";
import { power } from "../src/design/power.ts";
import type { Benchmark } from "./harness.ts";

const REPS = 1000;
const DESIGN: SimulatedDesign = { clustersPerArm: 10, clusterSize: 20, icc: 0.05, outcome: { type: "continuous", effect: 0.5, sd: 1 } };
const METHODS: readonly PowerMethod[] = ["cluster-t", "gee", "gee-md", "lmm", "lm-cr2"];

function simulate(method: PowerMethod, seed: number): Promise<PowerSimulationResult> {
  return powerBySimulation({ design: DESIGN, methods: [method], reps: REPS, seed, workers: 1 });
}

/**
 * R's time for the same 1000 replicates, one thread (R 4.2.2, measured here):
 * a loop of simulate-then-fit with, per method, `t.test` on `aggregate`d
 * cluster means; `geeglm(Y ~ A, id = cluster, corstr = "exchangeable")` +
 * `summary`; `lmer(Y ~ A + (1 | cluster))` + `vcov`; `coef_test(lm(Y ~ A),
 * vcov = "CR2", cluster = cluster, test = "Satterthwaite")`, timed over 200
 * replicates and scaled to 1000. R has no Mancl–DeRouen GEE in these packages.
 */
const R_MS: Partial<Record<PowerMethod, number>> = { "cluster-t": 3290, gee: 20660, lmm: 25890, "lm-cr2": 10930 };
const R_SOURCE = "R 4.2.2 loop: simulate + t.test / geeglm / lmer / clubSandwich::coef_test, 200 replicates scaled to 1000 (measured here)";

const f4 = (x: number | null): string => (x === null ? "—" : x.toFixed(3));

export const benchmarks: Benchmark[] = [
  ...METHODS.map(
    (method): Benchmark => ({
      name: `power.simulate.${method}`,
      unit: `${REPS} simulated trials analysed by ${method} (10 clusters per arm of 20, ICC 0.05, effect 0.5), 1 thread`,
      ...(R_MS[method] !== undefined ? { reference: { msPerOp: R_MS[method]!, source: R_SOURCE } } : {}),
      setup: () => {
        let seed = 1;
        return async () => {
          const r = await simulate(method, seed++);
          if (seed === 2) {
            // The first (warm-up) run reports its accuracy.
            const e = r.estimates[0];
            process.stderr.write(
              `  ${method}: simulated power ${f4(e.power)} (MCSE ${f4(e.powerMcse)}), closed form ${f4(e.closedFormPower)}` +
                (e.exactPower !== null ? `, exact noncentral t ${f4(e.exactPower)}` : "") +
                ` (${r.seconds.toFixed(2)} s)\n`,
            );
          }
          return r;
        };
      },
      warmup: 1,
      minMs: 3000,
    }),
  ),
  {
    name: "power.closedForm",
    unit: "one closed-form power() (t quantiles, 2(k − 1) df)",
    setup: () => () => power({ outcome: { type: "continuous", delta: 0.5, sd: 1 }, clusterSize: 20, clustersPerArm: 10, icc: 0.05, smallSample: true }),
  },
  {
    name: "power.exactNoncentralT",
    unit: "one exact noncentral-t power (numerical integration), df 18",
    setup: () => () => noncentralTPower(3.58, 18, 0.05),
  },
];

// ---------------------------------------------------------------------------
// The comparison table of docs/validation/power-simulation.md.

interface Row {
  readonly label: string;
  readonly design: SimulatedDesign;
  readonly methods: readonly PowerMethod[];
  readonly imputations?: number;
}

const ROWS: readonly Row[] = [
  { label: "continuous, k = 10, n = 20, ICC 0.05, Δ = 0.5", design: DESIGN, methods: METHODS },
  {
    label: "continuous, k = 6, n = 10, ICC 0.1, Δ = 0.55",
    design: { clustersPerArm: 6, clusterSize: 10, icc: 0.1, outcome: { type: "continuous", effect: 0.55, sd: 1 } },
    methods: METHODS,
  },
  {
    label: "continuous, k = 6, n = 10, ICC 0.1, Δ = 0 (type I error)",
    design: { clustersPerArm: 6, clusterSize: 10, icc: 0.1, outcome: { type: "continuous", effect: 0, sd: 1 } },
    methods: METHODS,
  },
  {
    label: "continuous, k = 10, mean n = 20, cv 0.6, ICC 0.05, Δ = 0.5",
    design: { ...DESIGN, cv: 0.6 },
    methods: METHODS,
  },
  {
    label: "binary, k = 12, n = 50, ICC 0.02, p 0.2 → 0.3",
    design: { clustersPerArm: 12, clusterSize: 50, icc: 0.02, outcome: { type: "binary", p0: 0.2, effect: 0.1 } },
    methods: METHODS,
  },
  {
    label: "HTE, k = 20, n = 20, ICC 0.05, modifier 0.5 / ICC 0.1, interaction 0.4, ATE 0.3",
    design: {
      clustersPerArm: 20,
      clusterSize: 20,
      icc: 0.05,
      outcome: { type: "continuous", effect: 0.3, sd: 1 },
      modifier: { prevalence: 0.5, icc: 0.1, interaction: 0.4 },
    },
    methods: ["gee", "gee-md", "lmm", "lm-cr2"],
  },
  {
    label: "same HTE design, modifier 30% MCAR",
    design: {
      clustersPerArm: 20,
      clusterSize: 20,
      icc: 0.05,
      outcome: { type: "continuous", effect: 0.3, sd: 1 },
      modifier: { prevalence: 0.5, icc: 0.1, interaction: 0.4 },
      missing: { rate: 0.3 },
    },
    methods: ["cca", "mi", "mmi"],
    imputations: 5,
  },
];

async function table(): Promise<void> {
  const lines = [
    "| design | method | estimand | simulated power (MCSE) | closed form | exact (noncentral t) | coverage | empirical SE | model SE | closed-form SE |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of ROWS) {
    const r = await powerBySimulation({ design: row.design, methods: row.methods, reps: REPS, seed: 2024, workers: 2, imputations: row.imputations });
    for (const e of r.estimates) {
      const df = e.closedForm?.df ? ` (t ${e.closedForm.df})` : e.closedForm ? " (normal)" : "";
      lines.push(
        `| ${row.label} | ${e.method} | ${e.estimand} | ${f4(e.power)} (${f4(e.powerMcse)}) | ${f4(e.closedFormPower)}${df} | ${f4(e.exactPower)} | ${f4(e.coverage)} | ${f4(e.empSe)} | ${f4(e.modelSe)} | ${f4(e.closedForm?.standardError ?? null)} |`,
      );
    }
    process.stderr.write(`table: ${row.label} done (${r.seconds.toFixed(1)} s)\n`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === "--table") {
  await table();
}
