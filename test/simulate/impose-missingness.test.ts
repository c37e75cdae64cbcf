import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { glm } from "../../src/models/glm/index.ts";
import { glmm } from "../../src/models/glmm/index.ts";
import { createRng } from "../../src/random/rng.ts";
import { bernoulli } from "../../src/random/samplers.ts";
import { summarizeDirectory } from "../../src/simulate/directory.ts";
import { referenceMeasures, summarize } from "../../src/simulate/performance.ts";
import { runSimulation } from "../../src/simulate/runner.ts";
import { completeTrialFromParameters, completeTrialParameters, type TrialRoles } from "../../src/simulate/scenarios/impose-missingness-data.ts";
import {
  calibrateIntercept,
  calibrateMissingness,
  expectedMissingShare,
  MECHANISMS,
  PAPER_COEFFICIENTS,
} from "../../src/simulate/scenarios/impose-missingness-mechanism.ts";
import { imposeMissingnessScenario as scenario, missingnessModel } from "../../src/simulate/scenarios/impose-missingness.ts";
import { expectedExpit } from "../../src/simulate/scenarios/missing-modifier-study.ts";
import { latentInterceptVariance } from "../../src/simulate/scenarios/missing-modifier.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import type { Parameters } from "../../src/simulate/types.ts";

const root = mkdtempSync(join(tmpdir(), "crtkit-impose-"));
after(() => rmSync(root, { recursive: true, force: true }));

const COMPLETE = new URL("../../examples/trial-complete.csv", import.meta.url).pathname;
const ROLES: TrialRoles = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", covariates: ["X1", "X2"] };
const trialParameters = completeTrialParameters(readFileSync(COMPLETE), ROLES, "the example");

/** A full parameter set: the scenario's defaults, the example trial, and overrides. */
function params(overrides: Record<string, string | number> = {}): Parameters {
  return Object.freeze({ ...scenario.defaults, ...trialParameters, ...overrides });
}

function missingShare(data: Dataset): number {
  const col = data.columns.get("M")!;
  let k = 0;
  for (const v of col.values as Float64Array) if (Number.isNaN(v)) k++;
  return k / data.nRows;
}

test("the calibrated intercept gives the requested expected share; Gauss–Hermite matches Simpson's rule", () => {
  const sd = Math.sqrt(latentInterceptVariance(0.1));
  const eta = [-2, -0.5, 0, 0.3, 1.7];
  for (const share of [0.05, 0.2, 0.6]) {
    for (const s of [0, sd]) {
      const g = calibrateIntercept(eta, s, share);
      assert.ok(Math.abs(expectedMissingShare(g, eta, s).share - share) < 1e-12, `share ${share}, sd ${s}`);
    }
  }
  // The quadrature against an independent integration.
  for (const mu of [-3, 0, 1.2]) assert.ok(Math.abs(expectedMissingShare(mu, [0], sd).share - expectedExpit(mu, sd * sd)) < 1e-10);
});

test("every mechanism imposes the requested share within Monte Carlo error, on the example trial", () => {
  const reps = 300;
  for (const mechanism of MECHANISMS) {
    for (const missing of [0.2, 0.35]) {
      const p = params({ mechanism, missing });
      const shares = Array.from({ length: reps }, (_, r) => missingShare(scenario.generate(p, createRng(11, r))));
      const mean = shares.reduce((a, b) => a + b, 0) / reps;
      const sd = Math.sqrt(shares.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
      const mcse = sd / Math.sqrt(reps);
      assert.ok(Math.abs(mean - missing) < 4 * mcse, `${mechanism} ${missing}: mean share ${mean}, MCSE ${mcse}`);
    }
  }
  // mcar draws rows independently: the spread of the share is binomial.
  const n = readCsv(readFileSync(COMPLETE, "utf8")).nRows;
  const p = params({ mechanism: "mcar" });
  const shares = Array.from({ length: reps }, (_, r) => missingShare(scenario.generate(p, createRng(12, r))));
  const mean = shares.reduce((a, b) => a + b, 0) / reps;
  const variance = shares.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1);
  const binomial = (0.2 * 0.8) / n;
  // The sample variance of 300 draws is within ±25% of the truth with probability > 0.99 (√(2/299) ≈ 0.082 relative SD).
  assert.ok(Math.abs(variance / binomial - 1) < 0.25, `variance ${variance} vs binomial ${binomial}`);
});

/** A large complete trial: `clusters` clusters of `size`, 1:1 treatment, a 0/1 modifier, Y normal, X1, X2 0/1 (as the paper's covariates). */
function bigTrial(clusters: number, size: number): Parameters {
  const rng = createRng(99);
  const lines = ["site,arm,type,ta,cos,ja"];
  for (let c = 0; c < clusters; c++) {
    const u = 0.5 * rng.normal();
    for (let j = 0; j < size; j++) {
      const y = u + rng.normal();
      lines.push([c + 1, c % 2, bernoulli(rng, 0.4), y.toFixed(6), bernoulli(rng, 0.5), bernoulli(rng, 0.3)].join(","));
    }
  }
  const roles = { cluster: "site", treatment: "arm", modifier: "type", outcome: "ta", covariates: ["cos", "ja"] };
  return { ...scenario.defaults, ...completeTrialParameters(Buffer.from(lines.join("\n") + "\n"), roles, "the big trial") };
}

/** The imposed indicators of one replicate as a column R (1 = missing) beside the trial. */
function withIndicator(p: Parameters, rng: number): Dataset {
  const data = scenario.generate(p, createRng(rng));
  const type = data.columns.get("type")!.values as Float64Array;
  const text = ["site,ta,cos,ja,R"];
  const col = (name: string) => data.columns.get(name)!.values as Float64Array;
  for (let i = 0; i < data.nRows; i++) text.push([col("site")[i], col("ta")[i], col("cos")[i], col("ja")[i], Number.isNaN(type[i]) ? 1 : 0].join(","));
  return readCsv(text.join("\n"));
}

test("mar: a logistic fit on the imposed indicators recovers the outcome and covariate coefficients", () => {
  const p = Object.freeze({ ...bigTrial(200, 150), mechanism: "mar" });
  const fit = glm(modelFrame(withIndicator(p, 5), "R ~ ta + cos + ja"), { family: "binomial" });
  const intercept = calibrateMissingness(completeTrialFromParameters(p), missingnessModel(p)).intercept;
  const expected = [intercept, PAPER_COEFFICIENTS.y, PAPER_COEFFICIENTS.x1, PAPER_COEFFICIENTS.x2];
  expected.forEach((b, k) => {
    const row = fit.table[k];
    assert.ok(Math.abs(row.estimate - b) < 4 * row.stdError, `${row.term}: ${row.estimate} (SE ${row.stdError}) vs ${b}`);
  });
  // The outcome matters: its coefficient is far from 0.
  assert.ok(Math.abs(fit.table[1].estimate) > 10 * fit.table[1].stdError);
});

test("mar-cluster: a logistic random-intercept fit recovers the coefficients and the latent-scale variance", () => {
  const p = Object.freeze({ ...bigTrial(300, 100), mechanism: "mar-cluster" });
  const fit = glmm(modelFrame(withIndicator(p, 6), "R ~ ta*cos*ja - cos:ja + (1 | site)"), { family: "binomial" });
  const b = PAPER_COEFFICIENTS;
  const expected: Record<string, number> = { ta: b.y, cos: b.x1, ja: b.x2, "ta:cos": b.yx1, "ta:ja": b.yx2, "ta:cos:ja": b.yx1x2 };
  for (const row of fit.table) {
    if (!(row.term in expected)) continue;
    assert.ok(Math.abs(row.estimate - expected[row.term]) < 4 * row.stdError, `${row.term}: ${row.estimate} (SE ${row.stdError}) vs ${expected[row.term]}`);
  }
  // Var(ζ) = (π²/3)·0.1/0.9 = 0.366; its estimate from 300 clusters has SE ≈ 0.045 (√(2/300)·0.366 plus the binomial noise).
  const variance = fit.randomEffects[0].variance;
  assert.ok(Math.abs(variance - latentInterceptVariance(0.1)) < 0.15, `random-intercept variance ${variance}`);
});

test("reference measures: narrower, covering and mean limits by hand", () => {
  const reference = { estimate: 1, stdError: 0.4, confLow: 0.2, confHigh: 1.8 }; // width 1.6
  // Widths 2, 1.4, 2.9, 1.6 (equal: not narrower), 2.5; [0.2, 1.8] itself covers (equal limits).
  const confLow = [0, 0.3, -1, 0.2, 0.5];
  const confHigh = [2, 1.7, 1.9, 1.8, 3];
  const m = referenceMeasures({ confLow, confHigh }, reference);
  const close = (a: number | null, b: number, what: string): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
  close(m.narrowerThanComplete, 1 / 5, "narrower");
  close(m.narrowerThanCompleteMcse, Math.sqrt((0.2 * 0.8) / 5), "narrower MCSE");
  close(m.coversCompleteCi, 3 / 5, "covers");
  close(m.coversCompleteCiMcse, Math.sqrt((0.6 * 0.4) / 5), "covers MCSE");
  close(m.meanConfLow, 0, "mean lower limit");
  close(m.meanConfLowMcse, Math.sqrt(1.38 / 4 / 5), "mean lower limit MCSE"); // Σ(l − l̄)² = 1.38
  close(m.meanConfHigh, 2.08, "mean upper limit");
  close(m.meanConfHighMcse, Math.sqrt(1.108 / 4 / 5), "mean upper limit MCSE"); // Σ(h − h̄)² = 1.108
  assert.deepEqual([m.completeStdError, m.completeConfLow, m.completeConfHigh], [0.4, 0.2, 1.8]);
  // Through summarize: a failed replicate is left out of them as of every measure.
  const row = (i: number) => ({ replicate: i, method: "cca", imputationModel: "", estimand: "hte", estimate: 1, stdError: 0.5, confLow: confLow[i], confHigh: confHigh[i], pValue: 0.01, converged: true });
  const failed = { replicate: 5, method: "cca", imputationModel: "", estimand: "hte", estimate: null, stdError: null, confLow: null, confHigh: null, pValue: null, converged: false };
  const [s] = summarize([...confLow.map((_, i) => row(i)), failed], { hte: 1 }, { reference: { hte: reference } });
  assert.equal(s.nFailed, 1);
  assert.equal(s.narrowerThanComplete, m.narrowerThanComplete);
  assert.equal(s.coversCompleteCi, m.coversCompleteCi);
  assert.equal(s.meanConfHigh, m.meanConfHigh);
  // Without a reference the rows have none of these fields.
  assert.equal(summarize([row(0), row(1)], { hte: 1 })[0].narrowerThanComplete, undefined);
  const empty = referenceMeasures({ confLow: [], confHigh: [] }, reference);
  assert.equal(empty.narrowerThanComplete, null);
  assert.equal(empty.meanConfLow, null);
});

test("the truth is the complete-data analysis: a direct complete-case analysis of the complete file", () => {
  const direct = analyzeMissingModifier(readCsv(readFileSync(COMPLETE, "utf8")), { ...ROLES, imputation: [], methods: ["cca"], seed: 1 }).results[0];
  const p = params();
  const truth = scenario.truth(p);
  const reference = scenario.reference!(p);
  for (const e of ["hte", "ate"] as const) {
    assert.equal(truth[e], direct[e].estimate);
    assert.deepEqual(reference[e], { estimate: direct[e].estimate, stdError: direct[e].stdError, confLow: direct[e].confLow, confHigh: direct[e].confHigh });
  }
});

test("same seed, same bytes: 1 worker, 2 worker threads, and two shards summarized", { timeout: 240_000 }, async () => {
  const base = {
    scenario: "impose-missingness",
    parameters: { ...trialParameters, mechanism: "mar-cluster", imputations: 2, burnin: 4, thin: 2 },
    methods: ["cca", "mi", "bmmi"],
    imputationModels: ["M ~ X1 + A*Y"],
    reps: 4,
    seed: 8,
  };
  const one = await runSimulation({ ...base, workers: 1, outDir: join(root, "one") });
  const two = await runSimulation({ ...base, workers: 2, chunkSize: 1, outDir: join(root, "two") });
  const file = (d: string): string => readFileSync(join(root, d, "impose-missingness", "mechanism=mar-cluster_missing=0.2", "shard-1-of-1.jsonl"), "utf8");
  assert.equal(file("one"), file("two"));
  assert.deepEqual(one.summary, two.summary);
  for (const index of [2, 1]) await runSimulation({ ...base, workers: 1, shard: `${index}/2`, outDir: join(root, "shards") });
  assert.deepEqual(summarizeDirectory(join(root, "shards")).summary, one.summary);
  assert.equal(one.summary.length, 3 * 2);
  for (const row of one.summary) {
    assert.equal(row.nReps + row.nFailed, 4);
    assert.equal(row.truth, one.manifest.conditions[0].reference![row.estimand].estimate);
    assert.ok(typeof row.narrowerThanComplete === "number" && typeof row.coversCompleteCi === "number" && typeof row.meanConfLow === "number");
  }
});
