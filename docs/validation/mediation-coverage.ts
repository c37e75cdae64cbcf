/**
 * Coverage of the 2-1-1 mediation intervals (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/mediation-coverage.ts --reps 300 --bootstrap 500 --seed 2026
 *
 * Data: C clusters (1:1), sizes 4 + Poisson(n̄ − 4); A cluster-level; X1 ~ N(0, 1);
 *   M = a·A + 0.3·X1 + u + e,            u ~ N(0, 0.5²), e ~ N(0, 1)
 *   Y = c′·A + b·M̄ + 0.2·(M − M̄) + 0.2·X1 + v + ε,   v ~ N(0, 0.4²), ε ~ N(0, 1)
 * with M̄ the observed cluster mean, so the model's b is the data-generating b
 * and a·b is the indirect effect (a = 0.6, b = 0.5, c′ = 0.3). For each
 * condition it reports bias and the coverage of the Monte Carlo and
 * cluster-bootstrap intervals of a·b, with Monte Carlo SEs √(P(1 − P)/R),
 * and writes docs/validation/mediation-coverage.json.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { mediation } from "../../src/estimands/mediation.ts";
import { createRng, type Rng } from "../../src/random/rng.ts";

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "300" },
    bootstrap: { type: "string", default: "500" },
    seed: { type: "string", default: "2026" },
  },
});
const reps = Number(values.reps);
const bootstrap = Number(values.bootstrap);
const seed = Number(values.seed);
const TRUE = { a: 0.6, b: 0.5, direct: 0.3 };
const indirectTruth = TRUE.a * TRUE.b;

function poisson(rng: Rng, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = rng.uniform();
  while (u > s) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

function simulate(clusters: number, meanSize: number, rng: Rng): ReturnType<typeof datasetFromRecord> {
  const cols: Record<string, number[]> = { cluster: [], A: [], X1: [], M: [], Y: [] };
  for (let c = 0; c < clusters; c++) {
    const n = 4 + poisson(rng, meanSize - 4);
    const a = c % 2;
    const u = 0.5 * rng.normal();
    const v = 0.4 * rng.normal();
    const x = Array.from({ length: n }, () => rng.normal());
    const m = x.map((xi) => TRUE.a * a + 0.3 * xi + u + rng.normal());
    const mbar = m.reduce((s, z) => s + z, 0) / n;
    for (let i = 0; i < n; i++) {
      cols.cluster.push(c);
      cols.A.push(a);
      cols.X1.push(x[i]);
      cols.M.push(m[i]);
      cols.Y.push(TRUE.direct * a + TRUE.b * mbar + 0.2 * (m[i] - mbar) + 0.2 * x[i] + v + rng.normal());
    }
  }
  return datasetFromRecord(cols);
}

const conditions = [
  { clusters: 20, meanSize: 12 },
  { clusters: 40, meanSize: 8 },
];
const rows = [];
for (const cond of conditions) {
  let bias = 0;
  let coverMc = 0;
  let coverBoot = 0;
  let done = 0;
  const start = performance.now();
  for (let r = 0; r < reps; r++) {
    const data = simulate(cond.clusters, cond.meanSize, createRng(seed, cond.clusters, r));
    const fit = mediation(data, { cluster: "cluster", treatment: "A", mediator: "M", outcome: "Y", covariates: ["X1"], seed: seed + r, bootstrap });
    bias += fit.indirect.estimate - indirectTruth;
    if (fit.indirect.confLow <= indirectTruth && indirectTruth <= fit.indirect.confHigh) coverMc++;
    if (fit.indirectBootstrap.confLow <= indirectTruth && indirectTruth <= fit.indirectBootstrap.confHigh) coverBoot++;
    done++;
  }
  const mcse = (p: number): number => Math.sqrt((p * (1 - p)) / done);
  const row = {
    ...cond,
    reps: done,
    bias: bias / done,
    coverageMonteCarlo: coverMc / done,
    coverageMonteCarloMcse: mcse(coverMc / done),
    coverageBootstrap: coverBoot / done,
    coverageBootstrapMcse: mcse(coverBoot / done),
    seconds: (performance.now() - start) / 1000,
  };
  process.stderr.write(JSON.stringify(row) + "\n");
  rows.push(row);
}
const path = new URL("./mediation-coverage.json", import.meta.url).pathname;
writeFileSync(path, JSON.stringify({ command: ["docs/validation/mediation-coverage.ts", ...process.argv.slice(2)].join(" "), reps, bootstrap, seed, truth: { ...TRUE, indirect: indirectTruth }, rows }, null, 1) + "\n");
