/**
 * Which standard error reproduces the paper's "Coef" AESE for the LM and LMM
 * working models (Li et al. (2025) Table 1, adjusted)? Mean SE of the treatment
 * coefficient over 300 replicates of scenario mrs-continuous, for the
 * cluster-robust types CR0–CR3 (one row per cluster for the LM on cluster
 * means, i.e. HC0–HC3) and for the LMM's model-based, CR0 and CR3 variances.
 *
 *   node --conditions=source --import tsx docs/validation/mrs-coef-se.ts 30
 */
import { clusterDesign, mrsData } from "../../src/estimands/index.ts";
import { individualDesign } from "../../src/estimands/design.ts";
import { sumsSandwich } from "../../src/models/gee/refit.ts";
import { clusterSums } from "../../src/models/shared/cluster-sums.ts";
import { individualFrame } from "../../src/estimands/working-gee.ts";
import { lmCovariance, olsFit } from "../../src/models/lm/index.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { createRng } from "../../src/random/rng.ts";
import { mrsContinuousScenario } from "../../src/simulate/scenarios/mrs.ts";

const m = Number(process.argv[2] ?? 30);
const reps = Number(process.argv[3] ?? 300);
const acc: Record<string, number[]> = {};
const push = (k: string, v: number): void => {
  acc[k] ??= [];
  acc[k].push(v);
};
for (let rep = 0; rep < reps; rep++) {
  const data = mrsContinuousScenario.generate({ clusters: m }, createRng(99, rep));
  const d = mrsData(data, "Y ~ X1 + X2 + cluster(H1 + H2 + N)", { cluster: "cluster", treatment: "A" });
  const des = clusterDesign(d);
  const starts = Int32Array.from({ length: d.nClusters + 1 }, (_, i) => i);
  const frame = {
    formula: "", response: "Y", y: d.yBar, X: { rows: d.nClusters, cols: des.p, data: des.x }, columnNames: des.columnNames,
    rows: starts.subarray(0, d.nClusters), droppedRows: new Int32Array(0), nDropped: 0,
    clusters: { column: "cluster", ids: d.clusterIds, starts }, randomTerms: [], diagnostics: [],
  };
  const fit = olsFit(frame);
  for (const t of ["CR0", "CR1", "CR2", "CR3", "classical"] as const) push(`LM ${t === "classical" ? "classical" : "H" + t.slice(1)}`, Math.sqrt(lmCovariance(frame, fit, { vcov: t }).vcov[des.p + 1]));
  const di = individualDesign(d);
  const f = lmm(individualFrame(d, di));
  const sums = clusterSums(di.x, d.nObs, di.p, d.y, d.starts);
  const delta = new Float64Array(di.p);
  for (let j = 0; j < di.p; j++) delta[j] = f.coefficients[j] - sums.beta0[j];
  const alpha = f.theta ** 2 / (1 + f.theta ** 2);
  push("LMM model-based", Math.sqrt(f.vcov[di.p + 1]));
  push("LMM CR0", Math.sqrt(sumsSandwich(sums, delta, alpha, "robust")[di.p + 1]));
  push("LMM CR3", Math.sqrt(sumsSandwich(sums, delta, alpha, "md")[di.p + 1]));
}
for (const [k, v] of Object.entries(acc)) console.log(`m = ${m}: mean SE ${k}: ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}`);
