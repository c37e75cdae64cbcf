/**
 * The missing-modifier methods against R on the bundled example trial
 * (fixtures/r/missing.R): CCA equals geepack; MI and MMI, whose results are
 * random, are compared with long R runs of the same procedures (400
 * imputations): a D-imputation pooled estimate is the mean of D draws, so it
 * lies within 4 Monte Carlo SDs (sd/√D) of the long-run mean.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { fitLogisticGlmm } from "../../src/missing/glmm-imputation.ts";
import { logisticImputationModel } from "../../src/missing/imputation-model.ts";
import { closeRel } from "../helpers/assert.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/missing.json", import.meta.url), "utf8"));
const data = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const MODEL = "M ~ X1*A*Y";
const D = 15;

function withinMc(actual: number, mean: number, sd: number, what: string): void {
  const bound = (4 * sd) / Math.sqrt(D);
  assert.ok(Math.abs(actual - mean) <= bound, `${what}: ${actual} vs long-run ${mean} (bound ${bound})`);
}

const result = analyzeMissingModifier(data, { ...COLUMNS, imputation: [MODEL], seed: 2024, imputations: D });
const byMethod = (m: string) => result.results.find((r) => r.method === m)!;

test("complete-case analysis equals geepack's geeglm on the observed rows", () => {
  // GEE against R: 1e-6 relative (ARCHITECTURE.md tolerance tier).
  const cca = byMethod("cca");
  closeRel(cca.hte.estimate, fixture.cca.hte, 1e-6, "hte");
  closeRel(cca.hte.stdError ** 2, fixture.cca.hteVar, 1e-6, "hte variance");
  closeRel(cca.ate.estimate, fixture.cca.ate, 1e-6, "ate");
  closeRel(cca.ate.stdError ** 2, fixture.cca.ateVar, 1e-6, "ate variance");
  assert.equal(cca.hte.df, null);
});

test("the imputation models equal R's glm and glmer fits", () => {
  const prepared = prepareModifierData(data, COLUMNS, [MODEL]);
  const logistic = logisticImputationModel(prepared, prepared.designs[0]);
  logistic.coefficients.forEach((b, j) => closeRel(b, fixture.miLogistic.coefficients[j], 1e-6, `glm ${j}`));
  const glmm = fitLogisticGlmm(prepared, prepared.designs[0]);
  // lme4 optimizer-dependent: fixed effects 1e-4 absolute, SD 1e-3.
  glmm.coefficients.forEach((b, j) => assert.ok(Math.abs(b - fixture.mmiGlmm.fixef[j]) < 1e-4, `glmer fixef ${j}: ${b}`));
  assert.ok(Math.abs(glmm.sd - fixture.mmiGlmm.sd) < 1e-3);
});

for (const method of ["mi", "mmi"] as const) {
  test(`${method}: pooled estimates and within-imputation variances agree with a long R run`, () => {
    const r = byMethod(method);
    const ref = fixture[method];
    assert.equal(r.nImputations, D);
    withinMc(r.hte.estimate, ref.hteMean, ref.hteSd, "hte");
    withinMc(r.ate.estimate, ref.ateMean, ref.ateSd, "ate");
    // Total variance ≥ within-variance; its within part (Ū) is a mean of D within-variances.
    const hteT = r.hte.stdError ** 2;
    assert.ok(hteT > ref.hteWithinMean - (4 * ref.hteWithinSd) / Math.sqrt(D));
    // Barnard–Rubin df with dfcom = C − 2 never exceeds dfcom(dfcom+1)/(dfcom+3).
    const dfcom = fixture.clusters - 2;
    assert.ok(r.hte.df! > 0 && r.hte.df! <= (dfcom * (dfcom + 1)) / (dfcom + 3));
  });
}

test("B-MMI reports convergence and lands near MMI", () => {
  const r = byMethod("bmmi");
  assert.equal(r.nImputations, D);
  assert.ok(r.convergence);
  assert.equal(r.convergence!.parameters.length, 9);
  for (const p of r.convergence!.parameters) assert.ok(p.rhat < 1.1, `${p.name} R̂ ${p.rhat}`);
  // Same imputation model family as MMI with propagated parameter uncertainty: the HTE agrees within Monte Carlo error.
  withinMc(r.hte.estimate, fixture.mmi.hteMean, Math.SQRT2 * fixture.mmi.hteSd, "hte");
});

test("same seed, same results; a method's result does not depend on the others", () => {
  const again = analyzeMissingModifier(data, { ...COLUMNS, imputation: [MODEL], seed: 2024, imputations: D, methods: ["mi"] });
  assert.deepEqual(again.results[0], byMethod("mi"));
  const other = analyzeMissingModifier(data, { ...COLUMNS, imputation: [MODEL], seed: 2025, imputations: D, methods: ["mi"] });
  assert.notEqual(other.results[0].hte.estimate, byMethod("mi").hte.estimate);
});

test("reordering the methods or the imputation models leaves every method's result unchanged", () => {
  const models = [MODEL, "M ~ X1 + A + Y"];
  const quick = { ...COLUMNS, seed: 11, burnin: 100, thin: 10, imputations: 5, chains: 2 };
  const forward = analyzeMissingModifier(data, { ...quick, imputation: models, methods: ["cca", "si", "mi", "mmi", "bmmi"] });
  const backward = analyzeMissingModifier(data, { ...quick, imputation: [...models].reverse(), methods: ["bmmi", "mmi", "mi", "si", "cca"] });
  const key = (r: { method: string; imputationModel: string | null }) => `${r.method} ${r.imputationModel}`;
  const sorted = <T extends { method: string; imputationModel: string | null }>(xs: readonly T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  assert.equal(forward.results.length, 9);
  assert.deepEqual(sorted(backward.results), sorted(forward.results));
  const traceKey = (t: { imputationModel: string; chain: number }) => `${t.imputationModel} ${t.chain}`;
  const traces = (r: typeof forward) => [...r.traces].sort((a, b) => traceKey(a).localeCompare(traceKey(b)));
  assert.deepEqual(traces(backward), traces(forward));
});

test("several chains pool all their imputations and report split-R̂", () => {
  const r = analyzeMissingModifier(data, {
    ...COLUMNS,
    imputation: [MODEL],
    seed: 3,
    methods: ["bmmi"],
    chains: 2,
    burnin: 200,
    thin: 20,
    imputations: 5,
  });
  assert.equal(r.results[0].nImputations, 10);
  assert.equal(r.results[0].convergence!.chains, 2);
  assert.equal(r.traces.length, 2);
  assert.equal(r.traces[0].iterations, 300);
});

test("a cluster with no observed modifier: every method runs and says so", () => {
  const csv = readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8").split("\n");
  const header = csv[0].split(",");
  const mIndex = header.indexOf("M");
  const edited = csv.map((line, i) => {
    const cells = line.split(",");
    if (i > 0 && cells[0] === "3") cells[mIndex] = "NA";
    return cells.join(",");
  });
  const r = analyzeMissingModifier(readCsv(edited.join("\n")), { ...COLUMNS, imputation: [MODEL], seed: 1, burnin: 100, thin: 10, imputations: 5 });
  assert.ok(r.diagnostics.some((d) => d.code === "cluster-without-modifier" && /cluster '3' has 0 of \d+ modifier values observed/.test(d.message)));
  assert.equal(r.results.length, 5);
  for (const m of r.results) assert.ok(Number.isFinite(m.hte.estimate) && Number.isFinite(m.hte.stdError), m.method);
});
