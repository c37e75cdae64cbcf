/**
 * A small, fast scenario for testing and demonstrating the simulation engine:
 * a two-arm cluster-randomized trial with a cluster-level treatment.
 *
 * DGM: `clusters` clusters of `clusterSize` members, exact 1:1 randomization
 * (an odd cluster goes to control); Y_ij = controlMean + effect·A_i + u_i + e_ij
 * with u_i ~ N(0, icc), e_ij ~ N(0, 1 − icc) (total variance 1, ICC `icc`).
 * Estimands: `ate` (difference in arm means; truth `effect`) and
 * `controlMean` (mean outcome under control; truth `controlMean`).
 * Methods:
 * - `cluster-t`: analysis of cluster means, pooled two-sample t with C − 2 df
 *   (control mean: t with C₀ − 1 df);
 * - `individual-t`: the naive individual-level t test that ignores clustering
 *   (under-covers when icc > 0: the point of including it);
 * - `cluster-bootstrap`: cluster-means estimates with a bootstrap SE
 *   (clusters resampled within arm, `bootstrapReps` resamples) and a normal interval.
 */
import { InputError } from "../../core/errors.ts";
import { waldEstimate } from "../../inference/wald.ts";
import type { Rng } from "../../random/rng.ts";
import { integerParameter, numberParameter } from "../conditions.ts";
import { estimandRow } from "../rows.ts";
import type { AnalysisRow, MethodSpec, Parameters, Scenario } from "../types.ts";

/** One simulated toy trial; rows are contiguous by cluster (cluster i owns rows i·m … i·m + m − 1). */
export interface ToyTrial {
  readonly clusters: number;
  readonly clusterSize: number;
  /** 1 = treated, per cluster. */
  readonly treated: Uint8Array;
  readonly y: Float64Array;
}

function readDesign(p: Parameters): { C: number; m: number; icc: number; effect: number; mu: number; B: number } {
  return {
    C: integerParameter(p, "clusters", 4),
    m: integerParameter(p, "clusterSize", 1),
    icc: numberParameter(p, "icc"),
    effect: numberParameter(p, "effect"),
    mu: numberParameter(p, "controlMean"),
    B: integerParameter(p, "bootstrapReps", 2),
  };
}

/** Simulates one toy trial. */
export function simulateToyTrial(params: Parameters, rng: Rng): ToyTrial {
  const { C, m, icc, effect, mu } = readDesign(params);
  const treated = new Uint8Array(C);
  for (let i = 0; i < Math.floor(C / 2); i++) treated[i] = 1;
  for (let i = C - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = treated[i];
    treated[i] = treated[j];
    treated[j] = t;
  }
  const y = new Float64Array(C * m);
  const sdU = Math.sqrt(icc);
  const sdE = Math.sqrt(1 - icc);
  for (let i = 0; i < C; i++) {
    const centre = mu + effect * treated[i] + sdU * rng.normal();
    for (let j = 0; j < m; j++) y[i * m + j] = centre + sdE * rng.normal();
  }
  return { clusters: C, clusterSize: m, treated, y };
}

function clusterMeans(d: ToyTrial): Float64Array {
  const out = new Float64Array(d.clusters);
  for (let i = 0; i < d.clusters; i++) {
    let s = 0;
    for (let j = 0; j < d.clusterSize; j++) s += d.y[i * d.clusterSize + j];
    out[i] = s / d.clusterSize;
  }
  return out;
}

/** Mean and sum of squared deviations of `x` over the indices with `arm[i] === a`. */
function armMoments(x: Float64Array, arm: Uint8Array, a: number): { n: number; mean: number; ss: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    if (arm[i] !== a) continue;
    n++;
    s += x[i];
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (arm[i] === a) ss += (x[i] - mean) * (x[i] - mean);
  return { n, mean, ss };
}

function row(estimand: string, estimate: number, stdError: number, df: number | null): AnalysisRow {
  return estimandRow(estimand, waldEstimate(estimate, stdError, df));
}

/** Two-sample pooled t analysis of values `x` with arm labels `arm`: the ate and the control mean. */
function pooledT(x: Float64Array, arm: Uint8Array): AnalysisRow[] {
  const t = armMoments(x, arm, 1);
  const c = armMoments(x, arm, 0);
  const df = t.n + c.n - 2;
  const s2 = (t.ss + c.ss) / df;
  return [
    row("ate", t.mean - c.mean, Math.sqrt(s2 * (1 / t.n + 1 / c.n)), df),
    row("controlMean", c.mean, Math.sqrt(c.ss / (c.n - 1) / c.n), c.n - 1),
  ];
}

function clusterBootstrap(d: ToyTrial, B: number, rng: Rng): AnalysisRow[] {
  const means = clusterMeans(d);
  const t = armMoments(means, d.treated, 1);
  const c = armMoments(means, d.treated, 0);
  const tIdx = new Int32Array(t.n);
  const cIdx = new Int32Array(c.n);
  for (let i = 0, a = 0, b = 0; i < d.clusters; i++) {
    if (d.treated[i] === 1) tIdx[a++] = i;
    else cIdx[b++] = i;
  }
  // Running sums for the bootstrap variances of the two statistics.
  let sAte = 0, ssAte = 0, sCtl = 0, ssCtl = 0;
  for (let b = 0; b < B; b++) {
    let st = 0;
    for (let k = 0; k < t.n; k++) st += means[tIdx[Math.floor(rng.uniform() * t.n)]];
    let sc = 0;
    for (let k = 0; k < c.n; k++) sc += means[cIdx[Math.floor(rng.uniform() * c.n)]];
    const ctl = sc / c.n;
    const ate = st / t.n - ctl;
    sAte += ate;
    ssAte += ate * ate;
    sCtl += ctl;
    ssCtl += ctl * ctl;
  }
  const sd = (s: number, ss: number): number => Math.sqrt(Math.max(0, (ss - (s * s) / B) / (B - 1)));
  return [row("ate", t.mean - c.mean, sd(sAte, ssAte), null), row("controlMean", c.mean, sd(sCtl, ssCtl), null)];
}

export const toyScenario: Scenario<ToyTrial> = {
  name: "toy",
  description: "two-arm CRT with a cluster-level treatment; cluster-means t, naive individual t, cluster bootstrap",
  defaults: { clusters: 20, clusterSize: 10, icc: 0.1, effect: 0, controlMean: 0, bootstrapReps: 200 },
  grid: { clusters: [10, 20], effect: [0, 0.5] },
  estimands: ["ate", "controlMean"],
  methods: [
    { name: "cluster-t", description: "pooled t test on cluster means, C − 2 df" },
    { name: "individual-t", description: "individual-level t test ignoring clustering" },
    { name: "cluster-bootstrap", description: "cluster bootstrap SE within arm, normal interval" },
  ],
  validate(p) {
    const { icc } = readDesign(p);
    if (!(icc >= 0 && icc < 1)) throw new InputError(`parameter 'icc' must be in [0, 1); got ${icc}`);
  },
  truth: (p) => ({ ate: numberParameter(p, "effect"), controlMean: numberParameter(p, "controlMean") }),
  generate: simulateToyTrial,
  analyse(data: ToyTrial, params: Parameters, spec: MethodSpec, rng: Rng): AnalysisRow[] {
    switch (spec.method) {
      case "cluster-t":
        return pooledT(clusterMeans(data), data.treated);
      case "individual-t": {
        const arm = new Uint8Array(data.y.length);
        for (let i = 0; i < data.y.length; i++) arm[i] = data.treated[Math.floor(i / data.clusterSize)];
        return pooledT(data.y, arm);
      }
      case "cluster-bootstrap":
        return clusterBootstrap(data, readDesign(params).B, rng);
      default:
        throw new InputError(`the toy scenario has no method '${spec.method}'`);
    }
  },
};
