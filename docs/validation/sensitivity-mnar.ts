/**
 * The δ-adjusted (pattern-mixture) sensitivity analysis under a known MNAR
 * mechanism (docs/validation/sensitivity-mnar.md; not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/sensitivity-mnar.ts --reps 500 --seed 2026
 *
 * Data (per replicate): C clusters (1:1, alternating), sizes 15–25 uniform;
 *   X ~ N(0, 1);  u_c ~ N(0, σ_u²), σ_u² = (π²/3)·0.1/0.9 (latent ICC 0.1)
 *   M ~ Bernoulli(expit(0.5·X + u_c))
 *   Y = A + 0.5·M − 1·A·M + 0.5·X + v_c + ε,  v_c ~ N(0, 0.11), ε ~ N(0, 1)
 * and M missing (R = 1) with, for mechanism "m", logit P(R = 1 | M, X, Y) =
 * −1.6 + 0.5·X + γ_M·M, for "my" the same plus 0.4·Y (then missingness
 * also depends on the outcome), γ_M = 1.5; and for "arm" −1.6 + 0.5·X +
 * γ_AM·A·M with γ_AM = 2.5 (missingness depends on M in the treated arm only).
 *
 * True δ. For any set Z of variables, Bayes' rule gives
 *   odds(M = 1 | Z, R = 1) / odds(M = 1 | Z, R = 0)
 *     = [P(R=1 | M=1, Z) / P(R=0 | M=1, Z)] / [P(R=1 | M=0, Z) / P(R=0 | M=0, Z)].
 * When the selection model depends on M and on variables in Z only (X for
 * "m"; X and Y for "my") and is logistic without M-by-Z terms, each bracket
 * is exp(linear predictor) and the ratio is exp(γ_M): the missing rows'
 * model is the observed rows' shifted by exactly δ = γ_M on the logit, for
 * every value of Z. The imputation model M ~ X*A*Y (mi; mmi adds a cluster
 * random intercept, which only enlarges Z) conditions on such a Z, so the
 * true δ is γ_M = 1.5 for "m" and "my". For "arm" the selection model has
 * an A·M term and A is in Z, so the ratio is exp(γ_AM·A): δ = 2.5 in the
 * treated arm and 0 in the control arm (sensitivity's deltaArm "treated").
 * The identity is exact; what is
 * approximate is the imputation model's fit of the observed rows'
 * conditional distribution P(M | Z, R = 0).
 *
 * Analyses (outcome GEE Y ~ A*M + X, exchangeable, robust SEs): mi, mmi
 * and bmmi through sensitivityAnalysis at δ = 0 (MAR) and the true δ, and cca and
 * indicator (δ does not apply). `--outcome-m` and `--outcome-am` set the
 * coefficients of M and A·M (defaults 0.5 and −1; the stronger design of the
 * .md uses 1.5 and −3 on the same random numbers). Truths: HTE = the A·M
 * coefficient; ATE = 1 + am·E[M] (0.5 by default), E[M] = 0.5 by symmetry of
 * 0.5·X + u_c about 0. Streams are named:
 * (seed, "sensitivity-mnar", mechanism, "data" | "analysis", replicate), so a
 * mechanism's results do not depend on which other mechanisms run.
 * Writes docs/validation/sensitivity-mnar-summary.json (deterministic) and
 * prints the table and the CPU time to stdout.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Estimate } from "../../src/core/records.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { failed } from "../../src/missing/methods.ts";
import type { MethodName, MethodResult } from "../../src/missing/result.ts";
import { sensitivityAnalysis, type DeltaArm } from "../../src/missing/sensitivity.ts";
import { namedStream } from "../../src/random/streams.ts";
import type { Rng } from "../../src/random/rng.ts";
import { performanceMeasures } from "../../src/simulate/performance.ts";

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "200" },
    seed: { type: "string", default: "2026" },
    clusters: { type: "string", default: "36" },
    mechanisms: { type: "string", default: "m,my,arm" },
    methods: { type: "string", default: "mi,mmi,bmmi" },
    // The modifier's effect on Y in the control arm and its interaction with A (the HTE).
    "outcome-m": { type: "string", default: "0.5" },
    "outcome-am": { type: "string", default: "-1" },
    out: { type: "string", default: new URL("./sensitivity-mnar-summary.json", import.meta.url).pathname },
  },
});
const reps = Number(values.reps);
const seed = Number(values.seed);
const clusters = Number(values.clusters);
const mechanisms = values.mechanisms.split(",") as Mechanism[];
const deltaMethods = values.methods.split(",") as MethodName[];

const DESIGN = {
  sizes: [15, 25],
  modifier: { intercept: 0, x: 0.5, latentIcc: 0.1 },
  outcome: { intercept: 0, a: 1, m: Number(values["outcome-m"]), am: Number(values["outcome-am"]), x: 0.5, clusterVariance: 0.11, errorVariance: 1 },
  selection: { intercept: -1.6, x: 0.5, m: 1.5, y: 0.4, am: 2.5 },
} as const;
type Mechanism = "m" | "my" | "arm";
/** Each mechanism's selection model, its true δ and the arm δ shifts (sensitivity's deltaArm). */
const MECHANISMS: Record<Mechanism, { selection: string; eta: (x: number, m: number, y: number, a: number) => number; delta: number; arm: DeltaArm }> = {
  m: {
    selection: `logit P(R = 1) = ${DESIGN.selection.intercept} + ${DESIGN.selection.x}·X + ${DESIGN.selection.m}·M`,
    eta: (x, m) => DESIGN.selection.intercept + DESIGN.selection.x * x + DESIGN.selection.m * m,
    delta: DESIGN.selection.m,
    arm: "both",
  },
  my: {
    selection: `logit P(R = 1) = ${DESIGN.selection.intercept} + ${DESIGN.selection.x}·X + ${DESIGN.selection.m}·M + ${DESIGN.selection.y}·Y`,
    eta: (x, m, y) => DESIGN.selection.intercept + DESIGN.selection.x * x + DESIGN.selection.m * m + DESIGN.selection.y * y,
    delta: DESIGN.selection.m,
    arm: "both",
  },
  arm: {
    selection: `logit P(R = 1) = ${DESIGN.selection.intercept} + ${DESIGN.selection.x}·X + ${DESIGN.selection.am}·A·M`,
    eta: (x, m, _y, a) => DESIGN.selection.intercept + DESIGN.selection.x * x + DESIGN.selection.am * a * m,
    delta: DESIGN.selection.am,
    arm: "treated",
  },
};
const TRUTH = { hte: DESIGN.outcome.am, ate: DESIGN.outcome.a + DESIGN.outcome.am * 0.5 };
const IMPUTATION = "M ~ X*A*Y";
const OUTCOME_MODEL = "Y ~ A*M + X";

const expit = (z: number): number => 1 / (1 + Math.exp(-z));

/** One trial, and the true mean of M over the rows where it is missing. */
function simulate(mechanism: Mechanism, rng: Rng): { data: Dataset; missingMean: number; missingShare: number } {
  const cols: Record<string, number[]> = { cluster: [], A: [], X: [], M: [], Y: [] };
  const { modifier: md, outcome: od } = DESIGN;
  const uSd = Math.sqrt(((Math.PI * Math.PI) / 3) * (md.latentIcc / (1 - md.latentIcc)));
  let missing = 0;
  let missingM = 0;
  for (let c = 0; c < clusters; c++) {
    const size = DESIGN.sizes[0] + Math.floor(rng.uniform() * (DESIGN.sizes[1] - DESIGN.sizes[0] + 1));
    const a = c % 2;
    const u = uSd * rng.normal();
    const v = Math.sqrt(od.clusterVariance) * rng.normal();
    for (let i = 0; i < size; i++) {
      const x = rng.normal();
      const m = rng.uniform() < expit(md.intercept + md.x * x + u) ? 1 : 0;
      const y = od.intercept + od.a * a + od.m * m + od.am * a * m + od.x * x + v + Math.sqrt(od.errorVariance) * rng.normal();
      const eta = MECHANISMS[mechanism].eta(x, m, y, a);
      const miss = rng.uniform() < expit(eta);
      if (miss) {
        missing++;
        missingM += m;
      }
      cols.cluster.push(c + 1);
      cols.A.push(a);
      cols.X.push(x);
      cols.M.push(miss ? NaN : m);
      cols.Y.push(y);
    }
  }
  return { data: datasetFromRecord(cols), missingMean: missingM / missing, missingShare: missing / cols.Y.length };
}

/** One analysis's row: the method, its δ (null where δ does not apply) and its estimates. */
interface Row {
  readonly method: MethodName;
  readonly delta: number | null;
  readonly hte: Estimate;
  readonly ate: Estimate;
  readonly meanImputed: number | null;
  readonly failed: boolean;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const cpu = new Map<string, number>();
function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = cpuSeconds();
  return f().then((v) => {
    cpu.set(label, (cpu.get(label) ?? 0) + cpuSeconds() - start);
    return v;
  });
}

async function replicate(mechanism: Mechanism, rep: number): Promise<{ rows: Row[]; missingMean: number; missingShare: number }> {
  const { data, missingMean, missingShare } = simulate(mechanism, namedStream(seed, "sensitivity-mnar", mechanism, "data", rep));
  const options: AnalyzeOptions = {
    cluster: "cluster",
    treatment: "A",
    modifier: "M",
    outcome: "Y",
    imputation: [IMPUTATION],
    outcomeModel: { formula: OUTCOME_MODEL },
    seed: namedStream(seed, "sensitivity-mnar", mechanism, "analysis", rep).uint32(),
  };
  const rows: Row[] = [];
  const add = (r: MethodResult, delta: number | null) =>
    rows.push({ method: r.method, delta, hte: r.hte, ate: r.ate, meanImputed: r.meanImputed ?? null, failed: failed(r) });
  const { delta: trueDelta, arm } = MECHANISMS[mechanism];
  for (const method of deltaMethods) {
    const s = await timed(method, () =>
      sensitivityAnalysis(data, { ...options, methods: [method], deltas: [0, trueDelta], deltaArm: arm, bisectionSteps: 0 }, analyzeMissingModifier),
    );
    for (const delta of [0, trueDelta]) {
      const a = s.analyses.find((x) => x.kind === "delta" && x.setting === delta && x.method === method)!;
      add({ method, imputationModel: a.imputationModel, hte: a.hte, ate: a.ate, nImputations: 0, diagnostics: [], meanImputed: a.meanImputed ?? undefined }, delta);
    }
  }
  const plain = await timed("cca+indicator", async () => analyzeMissingModifier(data, { ...options, imputation: [], methods: ["cca", "indicator"] }));
  for (const r of plain.results) add(r, null);
  return { rows, missingMean, missingShare };
}

const usable = (e: Estimate): boolean => [e.estimate, e.stdError, e.confLow, e.confHigh, e.pValue].every(Number.isFinite);

function mean(x: readonly number[]): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

const start = cpuSeconds();
const wallStart = Date.now();
const summary: Record<string, unknown>[] = [];
const missingness: Record<string, unknown>[] = [];
for (const mechanism of mechanisms) {
  const all: Row[][] = [];
  const missingMeans: number[] = [];
  const shares: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const r = await replicate(mechanism, rep);
    all.push(r.rows);
    missingMeans.push(r.missingMean);
    shares.push(r.missingShare);
    if ((rep + 1) % 10 === 0) process.stderr.write(`${mechanism}: ${rep + 1}/${reps} replicates, ${(cpuSeconds() - start).toFixed(0)} s CPU\n`);
  }
  missingness.push({ mechanism, selection: MECHANISMS[mechanism].selection, meanMissingShare: mean(shares), meanTrueMissingM: mean(missingMeans) });
  const keys = all[0].map((r) => ({ method: r.method, delta: r.delta }));
  for (const key of keys) {
    const rows = all.map((rs) => rs.find((r) => r.method === key.method && r.delta === key.delta)!);
    for (const estimand of ["hte", "ate"] as const) {
      const ok = rows.filter((r) => !r.failed && usable(r[estimand]));
      const sample = {
        estimates: ok.map((r) => r[estimand].estimate),
        stdErrors: ok.map((r) => r[estimand].stdError),
        confLow: ok.map((r) => r[estimand].confLow),
        confHigh: ok.map((r) => r[estimand].confHigh),
        pValues: ok.map((r) => r[estimand].pValue),
      };
      const m = performanceMeasures(sample, TRUTH[estimand]);
      const imputed = ok.flatMap((r) => (r.meanImputed === null ? [] : [r.meanImputed]));
      summary.push({
        mechanism,
        method: key.method,
        delta: key.delta,
        estimand,
        truth: TRUTH[estimand],
        nReps: rows.length,
        nFailed: rows.length - ok.length,
        bias: m.bias,
        biasMcse: m.biasMcse,
        empSe: m.empSe,
        empSeMcse: m.empSeMcse,
        modelSe: m.modelSe,
        coverage: m.coverage,
        coverageMcse: m.coverageMcse,
        meanImputed: imputed.length > 0 ? mean(imputed) : null,
      });
    }
  }
}
const cpuTotal = cpuSeconds() - start;

const result = {
  command: `node --conditions=source --import tsx docs/validation/sensitivity-mnar.ts --reps ${reps} --seed ${seed} --clusters ${clusters} --mechanisms ${mechanisms.join(",")} --methods ${deltaMethods.join(",")} --outcome-m=${DESIGN.outcome.m} --outcome-am=${DESIGN.outcome.am}`,
  seed,
  reps,
  clusters,
  design: DESIGN,
  imputationModel: IMPUTATION,
  outcomeModel: OUTCOME_MODEL,
  trueDelta: Object.fromEntries(mechanisms.map((m) => [m, { delta: MECHANISMS[m].delta, arm: MECHANISMS[m].arm }])),
  truth: TRUTH,
  missingness,
  summary,
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);

const f = (x: unknown, d = 3): string => (typeof x === "number" ? x.toFixed(d) : "—");
console.log("| mechanism | method | δ | estimand | n | bias (MCSE) | emp. SE (MCSE) | model SE | coverage % (MCSE) | mean imputed M |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const s of summary) {
  const cov = typeof s.coverage === "number" ? `${(100 * s.coverage).toFixed(1)} (${(100 * (s.coverageMcse as number)).toFixed(1)})` : "—";
  console.log(
    `| ${s.mechanism} | ${s.method} | ${s.delta === null ? "—" : s.delta} | ${s.estimand} | ${(s.nReps as number) - (s.nFailed as number)} | ` +
      `${f(s.bias)} (${f(s.biasMcse)}) | ${f(s.empSe)} (${f(s.empSeMcse)}) | ${f(s.modelSe)} | ${cov} | ${f(s.meanImputed)} |`,
  );
}
for (const m of missingness) console.log(`${m.mechanism}: ${m.selection}; mean share missing ${f(m.meanMissingShare)}, true mean of M among the missing ${f(m.meanTrueMissingM)}`);
console.log(`CPU ${cpuTotal.toFixed(1)} s in all (${[...cpu].map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}); wall ${((Date.now() - wallStart) / 1000).toFixed(1)} s`);
