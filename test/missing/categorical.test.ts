/**
 * A categorical modifier against R on examples/trial-categorical.csv
 * (fixtures/r/missing-categorical.R): the complete-case GEE
 * Y ~ A*factor(M) (contrasts, their covariance, the joint Wald test, the ATE
 * with centred dummies), D1 pooling against mice::D1, how the type and the
 * levels are chosen, and the input errors.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { readCsv } from "../../src/data/csv.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { pchisq } from "../../src/distributions/index.ts";
import { chisqUpperTail, poolD1, waldJointTest } from "../../src/inference/pool-multivariate.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { covarianceFactor, drawLevels, drawNormal, multinomialImputationModel } from "../../src/missing/categorical/impute.ts";
import { levelProbabilities } from "../../src/missing/categorical/multinomial.ts";
import { fitOutcomeModel } from "../../src/missing/outcome.ts";
import { namedStream } from "../../src/random/streams.ts";
import { closeAbs, closeRel } from "../helpers/assert.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/missing-categorical.json", import.meta.url), "utf8"));
const csv = readFileSync(new URL("../../examples/trial-categorical.csv", import.meta.url), "utf8");
const data = readCsv(csv);
const columns = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const base = { ...columns, imputation: [] as string[], seed: 1 };
/** Imputations of the long crtkit run. */
const LONG = 200;

/** The trial with M recoded as numbers (the sorted levels as 1, 2, 3). */
function numericCoded(): Dataset {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const code = new Map<string, number>(fixture.levels.map((l: string, i: number) => [l, i + 1]));
  return datasetFromRecord({
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    X1: rows.map((r) => Number(r[2])),
    M: rows.map((r) => (r[3] === "NA" ? null : code.get(r[3])!)),
    Y: rows.map((r) => Number(r[4])),
  });
}

test("a text modifier is categorical with R's sorted levels; the reference is the first", () => {
  const prepared = prepareModifierData(data, columns, []);
  assert.equal(prepared.modifierType, "categorical");
  assert.deepEqual(prepared.levels, fixture.levels);
  assert.deepEqual(prepared.outcomeModel.hteTerms, fixture.interactions);
  assert.equal(prepared.outcomeModel.hteTerm, fixture.interactions[0]);
});

test("complete-case analysis equals geeglm(Y ~ A*factor(M)): contrasts, covariance, joint Wald test and ATE", () => {
  const result = analyzeMissingModifier(data, { ...base, methods: ["cca"] });
  const cca = result.results[0];
  const ref = fixture.cca;
  assert.deepEqual(cca.hteTerms!.map((t) => t.term), fixture.interactions);
  closeRel(cca.hteTerms!.map((t) => t.estimate), ref.hte, 1e-10, "contrasts");
  closeRel(cca.hteTerms!.map((t) => t.stdError), [Math.sqrt(ref.hteVcov[0][0]), Math.sqrt(ref.hteVcov[1][1])], 1e-10, "contrast SEs");
  const { term: _term, ...first } = cca.hteTerms![0];
  assert.deepEqual(cca.hte, first);
  closeRel(cca.hte.estimate, ref.hte[0], 1e-10, "hte is the first contrast");
  const k = ref.hte.length;
  assert.equal(cca.hteTest!.method, "wald");
  assert.equal(cca.hteTest!.df1, k);
  assert.equal(cca.hteTest!.df2, null);
  closeRel(cca.hteTest!.statistic, ref.wald / k, 1e-10, "Wald statistic (F scale)");
  closeRel(cca.hteTest!.pValue, ref.waldPValue, 1e-10, "Wald p-value");
  closeRel(cca.ate.estimate, ref.ate, 1e-10, "ATE (centred dummies)");
  closeRel(cca.ate.stdError, Math.sqrt(ref.ateVar), 1e-10, "ATE SE");
});

test("factor(M) of a numeric modifier gives the same analysis, with R's factor(M) term names", () => {
  const coded = numericCoded();
  const viaFactor = analyzeMissingModifier(coded, { ...base, methods: ["cca"], outcomeModel: { formula: "Y ~ A*factor(M)" } });
  const viaType = analyzeMissingModifier(coded, { ...base, methods: ["cca"], modifierType: "categorical" });
  const text = analyzeMissingModifier(data, { ...base, methods: ["cca"] });
  assert.deepEqual(viaFactor.outcome.hteTerms, ["A:factor(M)2", "A:factor(M)3"]);
  assert.deepEqual(viaType.outcome.hteTerms, ["A:M2", "A:M3"]);
  assert.deepEqual(viaFactor.data.modifierLevels, ["1", "2", "3"]);
  for (const r of [viaFactor, viaType]) {
    assert.deepEqual(r.results[0].hteTerms!.map((t) => t.estimate), text.results[0].hteTerms!.map((t) => t.estimate));
    assert.equal(r.results[0].ate.estimate, text.results[0].ate.estimate);
  }
  // Without factor() or the type, a numeric 1/2/3 modifier stays continuous.
  assert.equal(prepareModifierData(coded, columns, []).modifierType, "continuous");
});

test("D1 equals mice::D1 (Reiter's df with dfcom) and mitml's Li et al. df without", () => {
  const { inputs, dfcom } = fixture.d1;
  const k = inputs[0].q.length;
  const q = inputs.map((i: { q: number[] }) => i.q);
  const u = inputs.map((i: { u: number[][] }) => i.u.flat());
  for (const [got, ref] of [
    [poolD1(q, u, k, dfcom), fixture.d1.reiter],
    [poolD1(q, u, k), fixture.d1.li],
  ] as const) {
    assert.equal(got.df1, ref.df1);
    closeRel(got.statistic, ref.statistic, 1e-10, "D1");
    closeRel(got.riv!, ref.riv, 1e-10, "riv");
    closeRel(got.df2!, ref.df2, 1e-10, "df2");
    closeRel(got.pValue, ref.pValue, 1e-8, "p-value");
  }
});

test("D1 with identical imputations is the Wald test on the χ² reference (Li df) and has no df for m = 2 under Reiter's", () => {
  const q = [[0.5, -0.2], [0.5, -0.2], [0.5, -0.2]];
  const u = [0.04, 0.01, 0.01, 0.09];
  const same = poolD1(q, [u, u, u], 2);
  assert.equal(same.riv, 0);
  assert.equal(same.df2, null);
  closeRel(same.statistic, waldJointTest(q[0], u, 2, null).statistic, 1e-12, "D1 without between-imputation variance");
  const two = poolD1([[0.5, -0.2], [0.4, -0.1]], [u, u], 2, 28);
  assert.ok(Number.isNaN(two.df2!) && Number.isNaN(two.pValue));
});

test("the single-fit Wald test refers W/k to F(k, df) with a df, χ²(k)/k without", () => {
  const q = [0.5, -0.2];
  const u = [0.04, 0.01, 0.01, 0.09];
  const chi = waldJointTest(q, u, 2, null);
  const f = waldJointTest(q, u, 2, 20);
  assert.equal(chi.statistic, f.statistic);
  // χ²(2) has the closed-form upper tail exp(−x/2).
  closeRel(chi.pValue, Math.exp(-chi.statistic), 1e-12, "χ²(2) tail");
  assert.ok(f.pValue > chi.pValue);
  // Odd and even df against the χ² CDF where 1 − CDF is accurate.
  for (const df of [1, 2, 3, 4, 5]) closeRel(chisqUpperTail(3.7, df), 1 - pchisq(3.7, df), 1e-10, `χ²(${df}) tail`);
});

test("a level seen only in dropped rows is an InputError naming it; --modifier-type binary with factor(M) is refused", () => {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const record = {
    cluster: rows.map((r) => Number(r[0])),
    A: rows.map((r) => Number(r[1])),
    // X1 missing wherever M is 'mid': those rows are dropped.
    X1: rows.map((r) => (r[3] === "mid" ? null : Number(r[2]))),
    M: rows.map((r) => (r[3] === "NA" ? null : r[3])),
    Y: rows.map((r) => Number(r[4])),
  };
  assert.throws(
    () => prepareModifierData(datasetFromRecord(record), columns, ["M ~ X1 + A"]),
    (e: unknown) => e instanceof InputError && /level 'mid'/.test(e.message),
  );
  assert.throws(
    () => prepareModifierData(numericCoded(), columns, [], { formula: "Y ~ A*factor(M)", modifierType: "binary" }),
    (e: unknown) => e instanceof InputError && /factor\(M\)/.test(e.message),
  );
  assert.throws(
    () => prepareModifierData(data, columns, [], { formula: "Y ~ M + A:M" }),
    (e: unknown) => e instanceof InputError && /term 'A'/.test(e.message),
  );
  const one = { ...record, X1: record.X1.map(() => 0), M: record.M.map((m) => (m === null ? null : "same")) };
  assert.throws(() => prepareModifierData(datasetFromRecord(one), columns, []), (e: unknown) => e instanceof InputError && /one level/.test(e.message));
});

test("the multinomial imputation model equals nnet::multinom(M ~ X1*A*Y): coefficients to 1e-6, covariance, probabilities", () => {
  const prepared = prepareModifierData(data, columns, [fixture.multinom.formula]);
  const design = prepared.designs[0];
  assert.deepEqual(design.columnNames, fixture.multinom.columns);
  const model = multinomialImputationModel(prepared, design);
  assert.ok(model.fit.converged);
  assert.deepEqual(model.diagnostics, []);
  closeAbs(model.fit.coefficients, fixture.multinom.coefficients.flat(), 1e-6, "coefficients");
  closeRel(model.fit.logLik, fixture.multinom.logLik, 1e-10, "log-likelihood");
  closeRel(model.fit.vcov, fixture.multinom.vcov.flat(), 1e-6, "covariance (inverse of nnet's Hessian)");
  const k = fixture.levels.length;
  const probs = new Float64Array(prepared.n * k);
  levelProbabilities(design.W, prepared.n, design.p, k, model.fit.coefficients, probs);
  // R's rows are in file order, ours in cluster order: the file is sorted by cluster.
  closeAbs(probs, fixture.multinom.probs.flat(), 1e-7, "probabilities");
});

test("MI (coefficients drawn from N(β̂, V̂), then levels) agrees with R's long run of the same procedure", () => {
  const prepared = prepareModifierData(data, columns, [fixture.multinom.formula]);
  const design = prepared.designs[0];
  const model = multinomialImputationModel(prepared, design);
  const lower = covarianceFactor(model.fit);
  const rng = namedStream(7, "categorical-mi-long-run");
  const D = LONG;
  const units = new Float64Array(prepared.n);
  const draw = new Float64Array(model.fit.coefficients.length);
  const fits = Array.from({ length: D }, () => {
    drawLevels(prepared.units.observed, design.W, design.p, model.k, drawNormal(model.fit.coefficients, lower, rng, draw), rng, units);
    return fitOutcomeModel(prepared, units, "exchangeable");
  });
  const ref = fixture.mi;
  const check = (values: number[], r: { mean: number; sd: number }, name: string): void => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    const bound = 4 * r.sd * Math.sqrt(1 / D + 1 / ref.imputations);
    assert.ok(Math.abs(mean - r.mean) <= bound, `${name} mean ${mean} vs R ${r.mean} (bound ${bound})`);
    // SDs of near-normal draws: log SD has SE ≈ √(1/(2D)); 4 SEs over both runs.
    const logBound = 4 * Math.sqrt(1 / (2 * D) + 1 / (2 * ref.imputations));
    assert.ok(Math.abs(Math.log(sd / r.sd)) <= logBound, `${name} SD ${sd} vs R ${r.sd} (log bound ${logBound})`);
  };
  check(fits.map((f) => f.hteTerms!.coefficients[0]), ref.hte1, "first contrast");
  check(fits.map((f) => f.hteTerms!.coefficients[1]), ref.hte2, "second contrast");
  check(fits.map((f) => f.ate), ref.ate, "ATE");
  const within = fits.map((f) => f.hteVariance);
  const meanWithin = within.reduce((a, b) => a + b, 0) / D;
  assert.ok(Math.abs(meanWithin - ref.hteVar1.mean) <= 4 * ref.hteVar1.sd * Math.sqrt(1 / D + 1 / ref.imputations), `within-variance ${meanWithin} vs R ${ref.hteVar1.mean}`);
});

test("si and mi run in the analysis: D1 over the imputations, named streams; mmi is left out or refused", () => {
  const options = { ...base, imputation: [fixture.multinom.formula], methods: ["cca", "si", "mi"] as const, imputations: 10 };
  const result = analyzeMissingModifier(data, { ...options, methods: [...options.methods] });
  const [cca, si, mi] = result.results;
  assert.equal(si.hteTest!.method, "wald");
  assert.equal(mi.hteTest!.method, "D1");
  assert.equal(mi.hteTerms!.length, 2);
  assert.equal(mi.nImputations, 10);
  assert.ok(mi.hteTest!.df2! > 0 && mi.hteTest!.pValue < 0.05);
  assert.equal(mi.pooling!.hte.estimate, mi.hte.estimate);
  assert.equal(mi.hteTerms![0].estimate, mi.hte.estimate);
  assert.ok(cca.hteTerms && !cca.pooling);
  assert.throws(() => analyzeMissingModifier(data, { ...options, methods: ["mmi"] }), (e: unknown) => e instanceof InputError && /mmi/.test(e.message));
  assert.throws(() => analyzeMissingModifier(data, { ...options, methods: ["cca", "indicator"] }), (e: unknown) => e instanceof InputError && /indicator.*categorical/.test(e.message));
  const defaults = analyzeMissingModifier(data, { ...options, methods: undefined, burnin: 20, thin: 2, imputations: 2 });
  assert.deepEqual(defaults.results.map((r) => r.method), ["cca", "si", "mi", "bmmi"]);
  assert.ok(defaults.diagnostics.some((d) => d.code === "categorical-no-mmi"));
  // A method's draws do not depend on the other methods run.
  const alone = analyzeMissingModifier(data, { ...base, imputation: [fixture.multinom.formula], methods: ["mi"], imputations: 10 });
  assert.deepEqual(alone.results[0].hteTerms, mi.hteTerms);
  assert.throws(
    () => analyzeMissingModifier(data, { ...base, imputation: [fixture.multinom.formula], methods: ["mi"], delta: 0.5 }),
    (e: unknown) => e instanceof InputError && /δ/.test(e.message),
  );
});

test("bmmi: the multinomial random-intercept sampler's chains are traced as level:term and tau:level, and its imputations pooled by D1", () => {
  const options = { ...base, imputation: [fixture.multinom.formula], methods: ["mi", "bmmi"] as ("mi" | "bmmi")[], imputations: 10, burnin: 100, thin: 10, chains: 2 };
  const result = analyzeMissingModifier(data, options);
  const [mi, bmmi] = result.results;
  assert.equal(bmmi.nImputations, 20);
  assert.equal(bmmi.hteTest!.method, "D1");
  assert.deepEqual(bmmi.hteTerms!.map((t) => t.term), fixture.interactions);
  assert.ok(!bmmi.diagnostics.some((d) => d.severity === "error"));
  const names = result.traces[0].parameterNames;
  assert.equal(names[0], `${fixture.levels[1]}:(Intercept)`);
  assert.deepEqual(names.slice(-2), fixture.levels.slice(1).map((l: string) => `tau:${l}`));
  assert.equal(result.traces[0].nTerms, 2 * fixture.multinom.columns.length);
  // Both impute the same model: their contrasts differ by far less than their SEs combined.
  for (let j = 0; j < 2; j++) {
    const a = mi.hteTerms![j];
    const b = bmmi.hteTerms![j];
    assert.ok(Math.abs(a.estimate - b.estimate) < 2 * Math.hypot(a.stdError, b.stdError), `contrast ${j}: mi ${a.estimate}, bmmi ${b.estimate}`);
  }
  assert.deepEqual(analyzeMissingModifier(data, options).results, result.results);
});
