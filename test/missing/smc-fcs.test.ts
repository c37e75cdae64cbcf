/**
 * smc with covariate models (SMC-FCS style): the full conditional of an
 * imputed value against the exact conditional (two points for a binary
 * value; a grid for a continuous one entering a logistic model, where the
 * sampler takes a Metropolis–Hastings step), a simulated trial with the
 * modifier observed and two covariates partly missing at random given the
 * outcome (posterior against the truth and the complete-data fit, bounds
 * from the posterior SD and the Monte Carlo error), and bad input.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { dataset, type Dataset } from "../../src/data/dataset.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { effectiveSampleSize } from "../../src/inference/mcmc.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { sensitivityAnalysis } from "../../src/missing/sensitivity.ts";
import { rowConditional } from "../../src/missing/smc/fcs-chain.ts";
import { drawBinary, drawContinuous, logisticLogLik, logisticTerms } from "../../src/missing/smc/fcs-draw.ts";
import { FcsModel, type FcsKind } from "../../src/missing/smc/fcs-model.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { createRng } from "../../src/random/index.ts";
import { EXAMPLE, run } from "../cli/run.ts";

/** A one-row, one-cluster model with the given coefficients, for the conditional checks. */
function model(kind: FcsKind, beta: number[], y: number, sigma2 = 1, intercept = 0): FcsModel {
  const p = beta.length;
  const m = new FcsModel({
    kind,
    what: "test",
    X: new Float64Array(p),
    p,
    y: Float64Array.of(y),
    starts: Int32Array.of(0, 1),
    priorMean: beta,
    priorVariance: new Float64Array(p).fill(1),
    tauShape: 1,
    tauRate: 1,
    precisionShape: 1,
    precisionRate: 1,
    startIntercepts: [intercept],
    startTau: 1,
    startSigma2: sigma2,
    offset: null,
  });
  return m;
}

/** Design rows (intercept, v, w·v) of a model where the value v enters with an interaction by w. */
const rowsAt = (w: number) => ({ at0: Float64Array.of(1, 0, 0), at1: Float64Array.of(1, 1, w) });

/** log of the joint density of every model as a function of the value v (design affine in v). */
function logJoint(own: FcsModel, ownY: (v: number) => number, touching: { model: FcsModel; at0: Float64Array; at1: Float64Array }[], v: number): number {
  let s = own.logLik(ownY(v), own.linear(0));
  for (const { model: m, at0, at1 } of touching) {
    const x = Float64Array.from(at0, (x0, j) => x0 + v * (at1[j] - x0));
    s += m.logLik(m.y[0], m.linearWith(0, x, 0));
  }
  return s;
}

test("a binary covariate's full conditional is exactly its two points, and the draw follows it", () => {
  const own = model("logistic", [0.3], 1);
  own.X[0] = 1;
  const touching = [
    { model: model("normal", [1, 0.8, -0.5], 2.4, 1.3, 0.2), ...rowsAt(1) },
    { model: model("logistic", [-0.4, 1.7, 0.9], 0, 1, -0.3), ...rowsAt(1) },
  ];
  const c = rowConditional(true, own, touching, 0, 0, logisticTerms(2));
  const exact = logJoint(own, (v) => v, touching, 1) - logJoint(own, (v) => v, touching, 0);
  assert.ok(Math.abs(c.logOdds - exact) < 1e-12, `${c.logOdds} vs ${exact}`);
  const rng = createRng(4);
  const N = 40000;
  let ones = 0;
  for (let k = 0; k < N; k++) ones += drawBinary(rng, c.logOdds);
  const p = 1 / (1 + Math.exp(-exact));
  assert.ok(Math.abs(ones / N - p) < 4 * Math.sqrt((p * (1 - p)) / N), `${ones / N} vs ${p}`);
});

test("a continuous covariate in a logistic model: normal factor plus logistic terms is the exact log conditional, and the Metropolis–Hastings chain has it as its distribution", () => {
  // Own normal model N(0.4, 0.8); a linear substantive model; a logistic modifier model in which v enters steeply.
  const own = model("normal", [0.4], NaN, 0.8);
  own.X[0] = 1;
  const touching = [
    { model: model("normal", [1, 0.6, 0.3], 2.1, 1.5, 0.1), ...rowsAt(1) },
    { model: model("logistic", [-1.5, 2.5, 0.5], 1, 1, 0.2), ...rowsAt(1) },
  ];
  const terms = logisticTerms(2);
  const c = rowConditional(false, own, touching, 0, 0, terms);
  assert.equal(terms.count, 1);
  const approx = (v: number) => -0.5 * c.precision * v * v + c.linear * v + logisticLogLik(terms, v);
  for (const v of [-2, -0.3, 0.7, 3]) {
    const exact = logJoint(own, (x) => x, touching, v) - logJoint(own, (x) => x, touching, 0);
    assert.ok(Math.abs(approx(v) - approx(0) - exact) < 1e-9, `at ${v}: ${approx(v) - approx(0)} vs ${exact}`);
  }
  // The exact conditional on a fine grid.
  const mean0 = c.linear / c.precision;
  const sd0 = 1 / Math.sqrt(c.precision);
  const G = 8000;
  const lo = mean0 - 12 * sd0;
  const h = (24 * sd0) / G;
  const grid = Float64Array.from({ length: G }, (_, k) => lo + (k + 0.5) * h);
  const logDensity = Float64Array.from(grid, approx);
  const top = Math.max(...logDensity);
  const density = Float64Array.from(logDensity, (l) => Math.exp(l - top));
  const total = density.reduce((a, b) => a + b, 0);
  const gridMean = grid.reduce((s, v, k) => s + v * density[k], 0) / total;
  const gridVar = grid.reduce((s, v, k) => s + (v - gridMean) ** 2 * density[k], 0) / total;
  const cdf = (x: number) => grid.reduce((s, v, k) => s + (v <= x ? density[k] : 0), 0) / total;

  const rng = createRng(9);
  const N = 60000;
  const draws = new Float64Array(N);
  let v = mean0;
  let moves = 0;
  for (let k = 0; k < N; k++) {
    const next = drawContinuous(rng, v, c.precision, c.linear, terms);
    if (next !== v) moves++;
    v = next;
    draws[k] = v;
  }
  const ess = effectiveSampleSize([draws]);
  const mean = draws.reduce((a, b) => a + b, 0) / N;
  const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (N - 1);
  const mcse = Math.sqrt(gridVar / ess);
  // The logistic term moves the conditional well away from its normal factor: the check can tell them apart.
  assert.ok(Math.abs(gridMean - mean0) > 10 * mcse, `grid mean ${gridMean} vs normal factor ${mean0}`);
  assert.ok(moves > 0.3 * N, `acceptance ${moves / N}`);
  assert.ok(Math.abs(mean - gridMean) < 4 * mcse, `mean ${mean} vs ${gridMean} (MCSE ${mcse})`);
  assert.ok(Math.abs(variance / gridVar - 1) < 4 * Math.sqrt(2 / ess) + 0.01, `variance ${variance} vs ${gridVar}`);
  const sorted = Float64Array.from(draws).sort();
  for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
    const F = cdf(sorted[Math.floor(q * N)]);
    assert.ok(Math.abs(F - q) < 4 * Math.sqrt((q * (1 - q)) / ess), `quantile ${q}: grid CDF ${F}`);
  }
});

// A simulated trial: M observed, X2 (continuous) and X3 (binary) partly missing at random given Y, A and X1.
const TRUTH = { "Y~A:M": -1, "Y~M": 1, "Y~X2": 0.8, "Y~A:X2": 0.5, "Y~X3": 0.6, "X2~X1": 0.6, "X2~A": 0.4, "X3~X1": 0.8 } as const;
const SUBSTANTIVE = "Y ~ A*M + X1 + X2 + X3 + A:X2 + (1 | cluster)";

function simulate(seed: number): { full: Dataset; observed: Dataset } {
  const rng = createRng(seed);
  const C = 60;
  const size = 25;
  const cols: Record<string, number[]> = { cluster: [], A: [], X1: [], X2: [], X3: [], M: [], Y: [] };
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  for (let c = 0; c < C; c++) {
    const A = c % 2;
    const [a, b, d, u] = [0.5 * rng.normal(), 0.5 * rng.normal(), 0.4 * rng.normal(), Math.sqrt(0.3) * rng.normal()];
    for (let j = 0; j < size; j++) {
      const X1 = rng.normal();
      const X2 = 0.5 + TRUTH["X2~X1"] * X1 + TRUTH["X2~A"] * A + a + rng.normal();
      const X3 = +(rng.uniform() < expit(-0.2 + TRUTH["X3~X1"] * X1 + d));
      const M = +(rng.uniform() < expit(-0.3 + 0.5 * X1 + 0.7 * X2 + 0.5 * X3 + b));
      const Y = 1 + A + TRUTH["Y~M"] * M + 0.5 * X1 + TRUTH["Y~X2"] * X2 + TRUTH["Y~X3"] * X3 + TRUTH["Y~A:M"] * A * M + TRUTH["Y~A:X2"] * A * X2 + u + rng.normal();
      for (const [k, v] of Object.entries({ cluster: c + 1, A, X1, X2, X3, M, Y })) cols[k].push(v);
    }
  }
  const column = (name: string, values: number[]) => ({ name, kind: "numeric" as const, values: Float64Array.from(values) });
  const full = dataset(Object.entries(cols).map(([k, v]) => column(k, v)));
  const x2 = cols.X2.map((v, i) => (rng.uniform() < expit(-1.4 + 0.6 * (cols.Y[i] - 2) + 0.3 * cols.A[i]) ? NaN : v));
  const x3 = cols.X3.map((v, i) => (rng.uniform() < expit(-1.2 + 0.5 * cols.X1[i] - 0.3 * cols.Y[i]) ? NaN : v));
  const observed = dataset(Object.entries({ ...cols, X2: x2, X3: x3 }).map(([k, v]) => column(k, v)));
  return { full, observed };
}

const FCS: AnalyzeOptions = {
  cluster: "cluster",
  treatment: "A",
  modifier: "M",
  outcome: "Y",
  imputation: ["M ~ X1 + X2 + X3", "X2 ~ X1 + A", "X3 ~ X1"],
  methods: ["smc"],
  substantive: SUBSTANTIVE,
  burnin: 300,
  thin: 4,
  imputations: 150,
  seed: 3,
};

test("nothing missing in M, X2 and X3 partly missing at random: the posterior covers the truth and sits on the complete-data fit", () => {
  const { full, observed } = simulate(2024);
  const nMissing = (name: string) => Array.from((observed.columns.get(name)!.values as Float64Array)).filter(Number.isNaN).length;
  assert.ok(nMissing("X2") > 150 && nMissing("X3") > 150, `${nMissing("X2")}, ${nMissing("X3")} missing`);
  const result = analyzeMissingModifier(observed, FCS);
  const [r] = result.results;
  assert.equal(result.data.nObs, 1500, "rows missing an imputed covariate are kept");
  assert.ok(!r.diagnostics.some((d) => d.severity === "error"), JSON.stringify(r.diagnostics));
  const [trace] = result.traces;
  const names = trace.parameterNames;
  assert.ok(names.includes("X2~sigma") && names.includes("X3~tau") && names.includes("Y~sigma2"));
  assert.deepEqual(r.convergence!.parameters.map((p) => p.name), names);
  const width = names.length;
  const kept = trace.iterations - trace.burnin;
  const posterior = (name: string) => {
    const j = names.indexOf(name);
    assert.ok(j >= 0, name);
    const x = Float64Array.from({ length: kept }, (_, t) => trace.draws[(trace.burnin + t) * width + j]);
    const mean = x.reduce((a, b) => a + b, 0) / kept;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (kept - 1));
    return { mean, sd, mcse: sd / Math.sqrt(effectiveSampleSize([x])) };
  };
  const complete = lmm(modelFrame(full, SUBSTANTIVE, { cluster: "cluster" }));
  const completeTerm = (t: string) => complete.coefficients[complete.terms.indexOf(t)];
  for (const [name, truth] of Object.entries(TRUTH)) {
    const p = posterior(name);
    assert.ok(Math.abs(p.mean - truth) < 4 * p.sd + 4 * p.mcse, `${name}: posterior mean ${p.mean} (SD ${p.sd}) vs truth ${truth}`);
    if (name.startsWith("Y~")) {
      const c = completeTerm(name.slice(2));
      assert.ok(Math.abs(p.mean - c) < 2 * p.sd + 4 * p.mcse, `${name}: posterior mean ${p.mean} (SD ${p.sd}, MCSE ${p.mcse}) vs complete-data ${c}`);
    }
  }
  // With M observed, every completed data set has the same modifier: the pooled estimates are the complete-case ones.
  const cca = analyzeMissingModifier(observed, { ...FCS, methods: ["cca"], imputation: [], substantive: undefined }).results[0];
  assert.ok(Math.abs(r.hte.estimate - cca.hte.estimate) < 1e-9);
});

test("a partly missing modifier and covariate together; δ reaches the covariate chain; the same seed gives the same bytes", async () => {
  const { observed } = simulate(7);
  const m = Float64Array.from(observed.columns.get("M")!.values as Float64Array);
  const rng = createRng(5);
  for (let i = 0; i < m.length; i++) if (rng.uniform() < 0.3) m[i] = NaN;
  const data = dataset([...observed.names.map((n) => (n === "M" ? { name: "M", kind: "numeric" as const, values: m } : observed.columns.get(n)!))]);
  const quick = { ...FCS, burnin: 50, thin: 2, imputations: 10 };
  const a = analyzeMissingModifier(data, quick);
  const b = analyzeMissingModifier(data, quick);
  assert.equal(JSON.stringify(a.results), JSON.stringify(b.results));
  assert.ok(Number.isFinite(a.results[0].hte.estimate) && a.results[0].hte.stdError > 0);
  const up = analyzeMissingModifier(data, { ...quick, delta: 2 });
  const down = analyzeMissingModifier(data, { ...quick, delta: -2 });
  assert.ok(down.results[0].meanImputed! < a.results[0].meanImputed! && a.results[0].meanImputed! < up.results[0].meanImputed!);
  // crtkit sensitivity keeps the covariate models in every smc run, the bisection's too.
  const s = await sensitivityAnalysis(data, { ...quick, deltas: [-2, 0, 2], bisectionSteps: 1 }, analyzeMissingModifier);
  const zero = s.analyses.find((x) => x.kind === "delta" && x.setting === 0)!;
  assert.deepEqual(zero.hte, a.results[0].hte);
  assert.equal(s.analyses.find((x) => x.kind === "delta" && x.setting === 2)!.meanImputed, up.results[0].meanImputed);
  assert.equal(zero.nObs, a.data.nObs);
  assert.equal(s.tippingPoint.length, 2);
});

function refuses(data: Dataset, options: Partial<AnalyzeOptions>, message: RegExp): void {
  assert.throws(
    () => analyzeMissingModifier(data, { ...FCS, burnin: 10, thin: 1, imputations: 2, ...options }),
    (e: unknown) => e instanceof InputError && message.test(e.message),
  );
}

test("covariate models: bad input is refused naming the column, and the notes say what is not imputed", () => {
  const { observed } = simulate(11);
  refuses(observed, { imputation: ["M ~ X1 + X2", "Y ~ X1"] }, /covariate model 'Y ~ X1': the outcome 'Y' is not imputed/);
  refuses(observed, { imputation: ["M ~ X1 + X2", "X2 ~ X1 + M"] }, /covariate model 'X2 ~ X1 \+ M' contains the modifier 'M'/);
  refuses(observed, { imputation: ["M ~ X1 + X2 + X3", "X2 ~ X3", "X3 ~ X2"] }, /the covariate models form a cycle \(X2 → X3 → X2\)/);
  refuses(observed, { imputation: ["M ~ X1", "X2 ~ X1"], substantive: "Y ~ A*M + X1 + (1 | cluster)" }, /covariate model 'X2 ~ X1': 'X2' is in neither the modifier model, the substantive model nor another covariate model/);
  refuses(observed, { imputation: ["X2 ~ X1"] }, /smc needs a model for the modifier 'M' among the imputation models/);
  refuses(observed, { imputation: ["M ~ X1 + X2", "X2 ~ X1", "X2 ~ A"] }, /covariate 'X2' has two covariate models/);
  refuses(observed, { imputation: ["M ~ X1 + X2", "A ~ X1"] }, /'A' is the treatment column/);
  refuses(observed, { methods: ["mmi", "smc"], imputation: ["M ~ X1 + X2", "X2 ~ X1", "X3 ~ X1"] }, /imputation model 'M ~ X1 \+ X2' uses 'X2', which only smc imputes \(covariate model 'X2 ~ X1'\); mmi would see it missing/);
  refuses(observed, { outcomeModel: { formula: "Y ~ A*M + X2" } }, /the outcome model uses 'X2', which smc's covariate model 'X2 ~ X1 \+ A' imputes/);
  refuses(observed, { substantive: "Y ~ A*M + X1 + I(X2^2) + X3 + (1 | cluster)" }, /the continuous 'X2', which smc imputes, must enter 'Y ~ A\*M \+ X1 \+ I\(X2\^2\) \+ X3 \+ \(1 \| cluster\)' linearly \(itself and its interactions\); column 'I\(X2\^2\)'/);
  refuses(observed, { substantive: "Y ~ A*M + X1 + cmean(X2) + X3 + (1 | cluster)" }, /'cmean\(X2\)' in .* takes a cluster mean of 'X2', which smc imputes/);
  refuses(observed, { methods: ["mmi"], imputation: ["M ~ X1", "X2 ~ X1"], substantive: undefined }, /imputation model 'X2 ~ X1' must have the modifier 'M' as its response/);
  // Without smc the formulas keep their old meaning.
  const quick = { burnin: 10, thin: 1, imputations: 2 };
  // X3 without a covariate model: its rows are dropped, and a note says how to impute it instead.
  const noX3 = analyzeMissingModifier(observed, { ...FCS, ...quick, imputation: ["M ~ X1 + X2 + X3", "X2 ~ X1 + A"] });
  assert.ok(noX3.diagnostics.some((d) => d.code === "covariate-not-imputed" && /'X3' is missing in \d+ rows, which are dropped: it has no covariate model/.test(d.message)));
  assert.ok(noX3.data.nObs < 1500);
  // A covariate model for a column with nothing missing: a note, and the single-modifier chain (the same bytes as without it).
  const withX1 = analyzeMissingModifier(observed, { ...FCS, ...quick, imputation: ["M ~ X1 + X2 + X3", "X2 ~ X1 + A", "X3 ~ X1", "X1 ~ A"] });
  assert.ok(withX1.diagnostics.some((d) => d.code === "covariate-model-unused" && /'X1' is observed in every analysed row/.test(d.message)));
  const without = analyzeMissingModifier(observed, { ...FCS, ...quick });
  assert.deepEqual(withX1.results, without.results);
});

test("crtkit analyze with a covariate model: the trace names its parameters X2~term, and a covariate model of the outcome exits 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-fcs-"));
  const lines = readFileSync(EXAMPLE, "utf8").trim().split("\n");
  const x2 = lines[0].split(",").indexOf("X2");
  const csv = lines.map((line, i) => {
    const cells = line.split(",");
    if (i > 0 && i % 4 === 0) cells[x2] = "NA";
    return cells.join(",");
  });
  const file = join(dir, "trial.csv");
  writeFileSync(file, `${csv.join("\n")}\n`);
  const args = ["analyze", file, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--methods", "smc", "--burnin", "20", "--thin", "2", "--imputations", "3", "--seed", "2"];
  const substantive = ["--substantive", "Y ~ A*M*(X1 + X2) + (1 | cluster)"];
  const r = await run([...args, ...substantive, "--imputation", "M ~ X1 + X2; X2 ~ X1 + A", "--format", "json", "--trace", join(dir, "trace.csv")]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.data.nObs, lines.length - 1);
  const names = out.results[0].convergence.parameters.map((p: { name: string }) => p.name);
  assert.deepEqual(names.slice(-5), ["X2~(Intercept)", "X2~X1", "X2~A", "X2~tau", "X2~sigma"]);
  const header = readFileSync(join(dir, "trace.csv"), "utf8").split("\n")[0];
  assert.match(header, /,Y~tau,X2~\(Intercept\),X2~X1,X2~A,X2~tau,X2~sigma/);
  const bad = await run([...args, ...substantive, "--imputation", "M ~ X1 + X2; Y ~ X1"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /covariate model 'Y ~ X1': the outcome 'Y' is not imputed/);
});
