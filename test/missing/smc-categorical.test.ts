/**
 * smc for a categorical modifier: the k-point full conditional of a missing
 * value against the joint density computed directly at each level (with the
 * design taken from the formula's own factor coding), the substantive
 * posterior with nothing missing against the complete-data fit, a simulated
 * trial with a 3-level modifier missing at random given Y, reproducibility,
 * and the inputs it refuses.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { readCsv } from "../../src/data/csv.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { designSpec, modelFrame, modelMatrixFor, parseFormula } from "../../src/formula/index.ts";
import { gee } from "../../src/models/gee/index.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { CategoricalLogitModel } from "../../src/missing/categorical/gibbs.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { levelProbabilities } from "../../src/missing/smc/categorical-chain.ts";
import { CategoricalOutcome } from "../../src/missing/smc/categorical-outcome.ts";
import { createRng } from "../../src/random/index.ts";

const csv = readFileSync(new URL("../../examples/trial-categorical.csv", import.meta.url), "utf8");
const data = readCsv(csv);
const columns = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const SUBSTANTIVE = "Y ~ A*M*X1 + (1 | cluster)";
const QUICK: AnalyzeOptions = {
  ...columns,
  imputation: ["M ~ X1"],
  methods: ["smc"],
  substantive: SUBSTANTIVE,
  burnin: 100,
  thin: 5,
  imputations: 5,
  seed: 3,
};

/** The trial with Y recoded 0/1 (above its median), for the logistic substantive model. */
function binaryOutcome(): Dataset {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const y = rows.map((r) => Number(r[4]));
  const median = [...y].sort((a, b) => a - b)[Math.floor(y.length / 2)];
  return datasetFromRecord({
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    M: rows.map((r) => (r[3] === "NA" ? null : r[3])),
    Y: y.map((v) => (v > median ? 1 : 0)),
  });
}

function logSumExp(a: readonly number[]): number {
  const max = Math.max(...a);
  return max + Math.log(a.reduce((s, v) => s + Math.exp(v - max), 0));
}

for (const family of ["gaussian", "binomial"] as const) {
  test(`the ${family} k-point full conditional equals the joint density at each level, normalised (1e-12)`, () => {
    const input = family === "gaussian" ? data : binaryOutcome();
    const prepared = prepareModifierData(input, columns, ["M ~ X1"], { substantive: { formula: SUBSTANTIVE, family }, ...(family === "binomial" ? { family } : {}) });
    const design = prepared.designs[0];
    const substantive = prepared.substantive!;
    const levels = prepared.levels!;
    const k = levels.length;
    // The design at each level straight from the formula's factor coding of the text column.
    const spec = designSpec(input, parseFormula("Y ~ A*M*X1"), prepared.rows, { cluster: "cluster" });
    assert.deepEqual(substantive.columnNames, spec.columnNames);
    const p = substantive.p;
    const byFormula = levels.map((l) => modelMatrixFor(spec, input, prepared.rows, { M: l }).data);
    for (let j = 0; j < k; j++) assert.deepEqual(substantive.levelDesigns![j], byFormula[j], `design at level ${levels[j]}`);

    // Both models at an arbitrary state.
    const rng = createRng(11);
    const qm = (k - 1) * design.p;
    const modifierModel = new CategoricalLogitModel(
      { W: design.W, n: prepared.n, p: design.p, k, starts: prepared.starts, modifier: prepared.modifier, priorMean: Float64Array.from({ length: qm }, () => rng.normal()), randomIntercept: true },
      GIBBS_DEFAULTS,
    );
    const { order, starts } = modifierModel.layout;
    const C = starts.length - 1;
    const missing = Int32Array.from(order.map((r, w) => (Number.isNaN(prepared.modifier[r]) ? w : -1)).filter((w) => w >= 0));
    const beta = Float64Array.from({ length: p }, () => rng.normal());
    const intercepts = Float64Array.from({ length: C }, () => 0.5 * rng.normal());
    const sigma2 = 1.7;
    const outcome = new CategoricalOutcome({ order, starts, missing }, substantive.levelDesigns!, p, prepared.outcome, {
      family,
      priorMean: beta,
      priorVariance: new Float64Array(p).fill(1),
      precisionShape: 1,
      precisionRate: 1,
      startSigma2: sigma2,
      startClusterVariance: 1,
      startIntercepts: intercepts,
    });
    const logLik = new Float64Array(missing.length * k);
    outcome.logLikelihoods(logLik);
    let worst = 0;
    for (let q = 0; q < missing.length; q++) {
      const w = missing[q];
      const r = order[w];
      const c = starts.findIndex((s, i) => i < C && s <= w && w < starts[i + 1]);
      const logits = Array.from({ length: k }, (_, j) => modifierModel.eta[w * k + j]);
      // Joint log density log p(M = j | η) + log p(y | x(j), θ), computed directly.
      const joint = levels.map((_, j) => {
        let eta = intercepts[c];
        for (let a = 0; a < p; a++) eta += byFormula[j][r * p + a] * beta[a];
        const y = prepared.outcome[r];
        const logY = family === "gaussian" ? Math.log(Math.exp(-((y - eta) ** 2) / (2 * sigma2)) / Math.sqrt(2 * Math.PI * sigma2)) : Math.log(y === 1 ? 1 / (1 + Math.exp(-eta)) : 1 / (1 + Math.exp(eta)));
        return logits[j] - logSumExp(logits) + logY;
      });
      const total = logSumExp(joint);
      const probabilities = levelProbabilities(logits, logLik.subarray(q * k, (q + 1) * k));
      for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(probabilities[j] - Math.exp(joint[j] - total)));
    }
    assert.ok(missing.length > 200);
    assert.ok(worst < 1e-12, `largest difference ${worst}`);
  });
}

test("the full conditional is computed in log space: far-apart log-likelihoods neither overflow nor underflow", () => {
  // Joint log weights −5000, −4999, −4001: exp() of each is 0 in double precision, their ratios are not.
  const p = levelProbabilities([0, 2, -1], [-5000, -5001, -4000]);
  assert.ok(p.every((v) => Number.isFinite(v) && v >= 0));
  assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-15);
  assert.ok(p[2] === 1 && p[1] < 1e-300);
  // Inputs near −3000 are held to an ulp of 4.5e-13, so the ratios 1 : 2 : 5 only to about 1e-12.
  const q = levelProbabilities([0, 0, 0], [-3000, -3000 + Math.log(2), -3000 + Math.log(5)]);
  [1 / 8, 2 / 8, 5 / 8].forEach((v, j) => assert.ok(Math.abs(q[j] - v) < 2e-12, `${q[j]} against ${v}`));
});

/** The rows with M observed, so that nothing is missing. */
function observedOnly(): Dataset {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(",")).filter((r) => r[3] !== "NA");
  return datasetFromRecord({
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    M: rows.map((r) => r[3]),
    Y: rows.map((r) => Number(r[4])),
  });
}

test("with nothing missing, smc is the complete-data analysis and its substantive posterior centres at the complete-data fit", () => {
  const complete = observedOnly();
  const options: AnalyzeOptions = { ...QUICK, methods: ["cca", "smc"], burnin: 200, thin: 2, imputations: 200 };
  const out = analyzeMissingModifier(complete, options);
  const [cca, smc] = out.results;
  // Every completed data set is the data: the pooled contrasts are cca's, with no between-imputation variance.
  for (let j = 0; j < 2; j++) {
    assert.ok(Math.abs(smc.hteTerms![j].estimate - cca.hteTerms![j].estimate) < 1e-10);
  }
  // Posterior means of the substantive coefficients against the exchangeable GEE fit of the same mean model.
  const fit = gee(modelFrame(complete, "Y ~ A*M*X1", { cluster: "cluster" }), { corstr: "exchangeable" });
  const [trace] = out.traces;
  const { draws, parameterNames, iterations, burnin } = trace;
  const width = parameterNames.length;
  const kept = iterations - burnin;
  fit.terms.forEach((term, a) => {
    const j = parameterNames.indexOf(`Y~${term}`);
    assert.ok(j >= 0, term);
    let s = 0;
    let ss = 0;
    for (let t = burnin; t < iterations; t++) {
      const v = draws[t * width + j];
      s += v;
      ss += v * v;
    }
    const mean = s / kept;
    const sd = Math.sqrt(ss / kept - mean * mean);
    assert.ok(Math.abs(mean - fit.coefficients[a]) < 4 * sd, `${term}: posterior mean ${mean} (sd ${sd}) against GEE ${fit.coefficients[a]}`);
  });
});

/**
 * A trial with a 3-level modifier: X1 ~ N(0, 1); M multinomial-logit in X1
 * with a cluster shift; Y = 0.3·A + 0.5·[mid] − 0.4·[high] + 0.6·X1 + A·(0.8·[mid] + 1.2·[high]) + u + ε;
 * M is then missing with probability expit(−1 + 1.2·(Y − Ȳ)/sd(Y)): at random given Y (and A, X1).
 */
function simulatedTrial(seed: number): { full: Dataset; partly: Dataset; nMissing: number } {
  const rng = createRng(seed);
  const C = 40;
  const cluster: number[] = [];
  const A: number[] = [];
  const X1: number[] = [];
  const M: string[] = [];
  const Y: number[] = [];
  const labels = ["high", "low", "mid"];
  for (let c = 0; c < C; c++) {
    const a = c % 2;
    const u = 0.5 * rng.normal();
    const shift = 0.3 * rng.normal();
    for (let i = 0; i < 30; i++) {
      const x = rng.normal();
      const eta = [0, 0.4 + 0.8 * x + shift, -0.2 - 0.6 * x - shift];
      const total = eta.reduce((s, v) => s + Math.exp(v), 0);
      let level = 2;
      let cumulative = 0;
      const target = rng.uniform() * total;
      for (let j = 0; j < 2; j++) {
        cumulative += Math.exp(eta[j]);
        if (target < cumulative) {
          level = j;
          break;
        }
      }
      const high = level === 0 ? 1 : 0;
      const mid = level === 2 ? 1 : 0;
      cluster.push(c + 1);
      A.push(a);
      X1.push(x);
      M.push(labels[level]);
      Y.push(0.3 * a + 0.5 * mid - 0.4 * high + 0.6 * x + a * (0.8 * mid + 1.2 * high) + u + rng.normal());
    }
  }
  const mean = Y.reduce((s, v) => s + v, 0) / Y.length;
  const sd = Math.sqrt(Y.reduce((s, v) => s + (v - mean) ** 2, 0) / Y.length);
  let nMissing = 0;
  const partlyM = M.map((m, r) => {
    const missing = rng.uniform() < 1 / (1 + Math.exp(-(-1 + 1.2 * (Y[r] - mean) / sd)));
    if (missing) nMissing++;
    return missing ? null : m;
  });
  return { full: datasetFromRecord({ cluster, A, X1, M, Y }), partly: datasetFromRecord({ cluster, A, X1, M: partlyM, Y }), nMissing };
}

test("a simulated trial with a 3-level modifier missing at random given Y: pooled contrasts within Monte Carlo bounds of the complete-data GEE", () => {
  const { full, partly, nMissing } = simulatedTrial(2026);
  assert.ok(nMissing > 250 && nMissing < 700, `${nMissing} missing`);
  const D = 20;
  const options: AnalyzeOptions = { ...QUICK, substantive: SUBSTANTIVE, burnin: 300, thin: 10, imputations: D, seed: 5 };
  const [truth] = analyzeMissingModifier(full, { ...options, methods: ["cca"], imputation: [], substantive: undefined }).results;
  const [smc] = analyzeMissingModifier(partly, options).results;
  assert.deepEqual(smc.hteTerms!.map((t) => t.term), ["A:Mlow", "A:Mmid"]);
  for (let j = 0; j < 2; j++) {
    // θ_smc − θ_full = (θ_smc − θ_∞) + (θ_∞ − θ_full), θ_∞ the estimate of infinitely many imputations:
    // under a correct imputation model its variance is B/D + B = (1 + 1/D)·B = T − Ū, B the
    // between-imputation variance, T the pooled variance and Ū ≈ U_full the complete-data one;
    // 5% of U_full covers Ū ≠ U_full.
    const T = smc.hteTerms![j].stdError ** 2;
    const U = truth.hteTerms![j].stdError ** 2;
    const bound = 4 * Math.sqrt(Math.max(T - U, 0) + 0.05 * U);
    const diff = Math.abs(smc.hteTerms![j].estimate - truth.hteTerms![j].estimate);
    assert.ok(diff < bound, `${smc.hteTerms![j].term}: smc ${smc.hteTerms![j].estimate} against ${truth.hteTerms![j].estimate}, |Δ| ${diff} ≥ ${bound}`);
  }
  assert.ok(smc.hteTest && Number.isFinite(smc.hteTest.statistic));
});

const quick = analyzeMissingModifier(data, QUICK);

test("same seed, same bytes; smc's result does not depend on the other methods; level:term and tau:level in the trace", () => {
  const again = analyzeMissingModifier(data, QUICK);
  assert.equal(JSON.stringify(again.results), JSON.stringify(quick.results));
  assert.deepEqual(again.traces, quick.traces);
  const withOthers = analyzeMissingModifier(data, { ...QUICK, methods: ["cca", "smc"] });
  assert.equal(JSON.stringify(withOthers.results[1]), JSON.stringify(quick.results[0]));
  const other = analyzeMissingModifier(data, { ...QUICK, seed: 4 });
  assert.notEqual(other.results[0].hte.estimate, quick.results[0].hte.estimate);
  const [r] = quick.results;
  assert.equal(r.method, "smc");
  assert.equal(r.substantiveModel, SUBSTANTIVE);
  assert.equal(r.meanImputed, undefined);
  assert.deepEqual(r.hteTerms!.map((t) => t.term), ["A:Mlow", "A:Mmid"]);
  const names = r.convergence!.parameters.map((p) => p.name);
  assert.deepEqual(names.slice(0, 6), ["low:(Intercept)", "low:X1", "mid:(Intercept)", "mid:X1", "tau:low", "tau:mid"]);
  assert.deepEqual(names.slice(6, 9), ["Y~(Intercept)", "Y~A", "Y~Mlow"]);
  assert.deepEqual(names.slice(-2), ["Y~sigma2", "Y~tau"]);
  assert.equal(quick.traces[0].nTerms, 4);
});

test("a logistic substantive model (0/1 outcome): its chain runs, the contrasts are pooled, its trace ends with Y~tau", () => {
  const out = analyzeMissingModifier(binaryOutcome(), { ...QUICK, outcomeModel: { family: "binomial" } });
  const [r] = out.results;
  assert.equal(r.method, "smc");
  assert.ok(r.hteTerms!.every((t) => Number.isFinite(t.estimate) && t.stdError > 0));
  const names = out.traces[0].parameterNames;
  assert.deepEqual(names.slice(-2), ["Y~A:Mmid:X1", "Y~tau"]);
  assert.ok(Array.from(out.traces[0].draws).every(Number.isFinite));
});

test("factor(M) of a numeric modifier coded 1, 2, 3 gives the same smc analysis as the text column", () => {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const code = new Map([["high", 1], ["low", 2], ["mid", 3]]);
  const numeric = datasetFromRecord({
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    M: rows.map((r) => (r[3] === "NA" ? null : code.get(r[3])!)),
    Y: rows.map((r) => Number(r[4])),
  });
  const out = analyzeMissingModifier(numeric, { ...QUICK, substantive: "Y ~ A*factor(M)*X1 + (1 | cluster)" });
  const [r] = out.results;
  assert.equal(out.data.modifierType, "categorical");
  assert.deepEqual(r.hteTerms!.map((t) => t.term), ["A:M2", "A:M3"]);
  quick.results[0].hteTerms!.forEach((t, j) => assert.equal(r.hteTerms![j].estimate, t.estimate));
  assert.ok(out.traces[0].parameterNames.includes("Y~factor(M)2:X1"));
});

test("smc of a categorical modifier refuses a function of it and a δ-adjustment, naming the value", () => {
  const refuses = (options: Partial<AnalyzeOptions>, message: RegExp, input: Dataset = data): void =>
    assert.throws(() => analyzeMissingModifier(input, { ...QUICK, ...options }), (e: unknown) => e instanceof InputError && message.test(e.message));
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const numeric = datasetFromRecord({
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    M: rows.map((r) => (r[3] === "NA" ? null : r[3] === "high" ? 1 : r[3] === "low" ? 2 : 3)),
    Y: rows.map((r) => Number(r[4])),
  });
  refuses({ substantive: "Y ~ A*M + I(M^2) + (1 | cluster)", modifierType: "categorical" }, /'I\(M\^2\)' is a function of the categorical modifier 'M'/, numeric);
  refuses({ substantive: "Y ~ A:M + (1 | cluster)" }, /substantive model 'Y ~ A:M \+ \(1 \| cluster\)'.*needs the term 'A'/);
  refuses({ delta: 1 }, /δ-adjustment.*categorical modifier 'M' has 3 levels/);
});
