/**
 * Writes examples/trial-continuous.csv: a synthetic cluster-randomized trial
 * whose effect modifiers are partly missing and not all binary, for the
 * continuous and cluster-level modifier analyses. 40 clusters of Poisson(40)
 * people, exact 1:1 cluster randomization.
 *
 * Columns: cluster, A (treatment 0/1), H (cluster-level covariate), X1, X2
 * (individual covariates), M (continuous individual-level modifier), S
 * (continuous cluster-level modifier), G (binary cluster-level modifier), Y.
 *
 *   node --conditions=source --import tsx examples/generate-trial-continuous.ts > examples/trial-continuous.csv
 */
import { bernoulli, namedStream, normal, poisson } from "../src/random/index.ts";

const SEED = 20250114;
const C = 40;
const rng = namedStream(SEED, "trial-continuous");
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

// Exact 1:1 randomization: a random half of the clusters is treated.
const order = Array.from({ length: C }, (_, c) => ({ c, key: rng.uniform() })).sort((a, b) => a.key - b.key);
const A = new Array<number>(C).fill(0);
order.slice(0, C / 2).forEach(({ c }) => (A[c] = 1));

const fmt = (x: number): string => (Number.isNaN(x) ? "NA" : String(Math.round(x * 1e6) / 1e6));
const lines = ["cluster,A,H,X1,X2,M,S,G,Y"];
for (let c = 0; c < C; c++) {
  const size = Math.max(2, poisson(rng, 40));
  const H = normal(rng);
  const x1 = Array.from({ length: size }, () => normal(rng));
  const x2 = Array.from({ length: size }, () => normal(rng));
  const meanX1 = x1.reduce((s, v) => s + v, 0) / size;
  // Cluster-level modifiers, missing for about a quarter of the clusters (more often where H is high).
  const S = 2 + 0.5 * H + 0.4 * meanX1 + normal(rng, 0, 0.5);
  const G = bernoulli(rng, expit(0.3 + 0.8 * H));
  const clusterMissing = bernoulli(rng, expit(-1.2 + 0.8 * H)) === 1;
  const modifierEffect = normal(rng, 0, Math.sqrt(0.2));
  const outcomeEffect = normal(rng, 0, Math.sqrt(0.35));
  for (let j = 0; j < size; j++) {
    const M = 1 + 0.6 * x1[j] + modifierEffect + normal(rng);
    const Y =
      1 + A[c] + 0.5 * M - 0.6 * A[c] * M + 0.3 * x1[j] + 0.4 * S - 0.5 * A[c] * S + 0.5 * G + outcomeEffect + normal(rng, 0, Math.sqrt(1.5));
    // M missing at random given X1 and Y (about 30%); S and G also missing in a few rows of observed clusters.
    const mMissing = bernoulli(rng, expit(-1.1 + 0.5 * x1[j] + 0.3 * (Y - 1.5))) === 1;
    const rowMissing = bernoulli(rng, 0.05) === 1;
    const hide = (v: number, missing: boolean): number => (missing ? NaN : v);
    lines.push(
      [c + 1, A[c], fmt(H), fmt(x1[j]), fmt(x2[j]), fmt(hide(M, mMissing)), fmt(hide(S, clusterMissing || rowMissing)), fmt(hide(G, clusterMissing || rowMissing)), fmt(Y)].join(","),
    );
  }
}
process.stdout.write(lines.join("\n") + "\n");
