/**
 * The missing-indicator analysis against the same GEE built by hand: the
 * design 1, A, Mc, X1, A·Mc, R, A·R with Mc = M minus its observed mean and
 * 0 where missing, fitted by the project's gee; hte is the A·Mc coefficient
 * and (identity link) ate = β_A + β_{A·R}·π with variance gᵀVg.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { dataset, numericColumn, type Dataset } from "../../src/data/dataset.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { matrix } from "../../src/linalg/matrix.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData, type ModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { indicatorDesign, missingIndicator } from "../../src/missing/indicator.ts";
import { DEFAULT_METHODS, METHOD_NAMES, type MethodSettings } from "../../src/missing/result.ts";
import { gee } from "../../src/models/gee/index.ts";
import { imposeMissingnessScenario } from "../../src/simulate/scenarios/impose-missingness.ts";
import { missingModifier1, missingModifier2 } from "../../src/simulate/scenarios/missing-modifier-study.ts";

const data = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const SETTINGS: MethodSettings = {
  imputations: 2,
  corstr: "exchangeable",
  level: 0.95,
  chains: 1,
  gibbs: { ...GIBBS_DEFAULTS, burnin: 0, thin: 1, imputations: 2 },
};

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** The indicator model's GEE from scratch; `fill` is what a missing M becomes before the columns are formed. */
function handFit(prepared: ModifierData, corstr: "exchangeable" | "independence", fill: "observed-mean" | "raw-zero") {
  const n = prepared.n;
  const x1 = numericColumn(data, "X1");
  let sum = 0;
  let used = 0;
  for (let r = 0; r < n; r++) if (!Number.isNaN(prepared.modifier[r])) (sum += prepared.modifier[r]), used++;
  const mean = sum / used;
  const p = 7;
  const x = new Float64Array(n * p);
  let mStarMean = 0;
  for (let r = 0; r < n; r++) {
    const a = prepared.treatment[r];
    const miss = Number.isNaN(prepared.modifier[r]) ? 1 : 0;
    // Centred at the observed mean (0 where missing), or the raw M with 0 where missing.
    const m = miss ? 0 : fill === "observed-mean" ? prepared.modifier[r] - mean : prepared.modifier[r];
    mStarMean += m / n;
    x.set([1, a, m, x1[prepared.rows[r]], a * m, miss, a * miss], r * p);
  }
  const frame: ModelFrame = {
    formula: "Y ~ A*Mstar + X1 + A*R",
    response: "Y",
    y: prepared.outcome,
    X: matrix(n, p, x),
    columnNames: ["(Intercept)", "A", "Mstar", "X1", "A:Mstar", "R", "A:R"],
    rows: prepared.rows,
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: "cluster", ids: prepared.clusterIds, starts: prepared.starts },
    randomTerms: [],
    diagnostics: [],
  };
  const fit = gee(frame, { family: "gaussian", corstr });
  const share = (n - used) / n;
  // Standardized ATE over all rows: mean of x(1) − x(0) = e_A + mean(M*)·e_{A:M*} + π·e_{A:R}.
  const g = [0, 1, 0, 0, mStarMean, 0, share];
  let ate = 0;
  let ateVar = 0;
  for (let j = 0; j < p; j++) {
    ate += g[j] * fit.coefficients[j];
    for (let k = 0; k < p; k++) ateVar += g[j] * fit.vcov[j * p + k] * g[k];
  }
  return { hte: fit.coefficients[4], hteVar: fit.vcov[4 * p + 4], ate, ateVar, fit };
}

for (const corstr of ["exchangeable", "independence"] as const) {
  test(`indicator equals the hand-built GEE of Y ~ A*M + X1 + R + A:R (${corstr})`, () => {
    const prepared = prepareModifierData(data, COLUMNS, [], { formula: "Y ~ A*M + X1" });
    assert.ok(prepared.nMissing > 0);
    const result = missingIndicator(prepared, { ...SETTINGS, corstr });
    const ref = handFit(prepared, corstr, "observed-mean");
    close(result.hte.estimate, ref.hte, 1e-10, "hte");
    close(result.hte.stdError ** 2, ref.hteVar, 1e-10, "hte variance");
    close(result.ate.estimate, ref.ate, 1e-10, "ate");
    close(result.ate.stdError ** 2, ref.ateVar, 1e-10, "ate variance");
    assert.equal(result.hte.df, null);
    assert.equal(result.method, "indicator");
    assert.equal(result.imputationModel, null);
    assert.equal(result.nImputations, 0);
  });
}

test("the fill value of a missing M only reparametrizes the model: M = 0 in raw units gives the same hte and ate", () => {
  const prepared = prepareModifierData(data, COLUMNS, [], { formula: "Y ~ A*M + X1" });
  const centred = handFit(prepared, "exchangeable", "observed-mean");
  const raw = handFit(prepared, "exchangeable", "raw-zero");
  close(raw.hte, centred.hte, 1e-8, "hte");
  close(raw.hteVar, centred.hteVar, 1e-8, "hte variance");
  close(raw.ate, centred.ate, 1e-8, "ate");
  close(raw.ateVar, centred.ateVar, 1e-8, "ate variance");
  // The treatment coefficients differ: only the standardized ATE is invariant.
  assert.notEqual(raw.fit.coefficients[1].toFixed(6), centred.fit.coefficients[1].toFixed(6));
});

test("with independence working correlation and no covariates, indicator's hte is the complete-case hte", () => {
  // The missing rows are fitted exactly by their arm-specific intercepts, so they leave the M coefficients alone.
  const prepared = prepareModifierData(data, COLUMNS, []);
  const settings = { ...SETTINGS, corstr: "independence" as const };
  const ind = missingIndicator(prepared, settings);
  const cca = analyzeMissingModifier(data, { ...COLUMNS, imputation: [], methods: ["cca"], corstr: "independence", seed: 1 }).results[0];
  close(ind.hte.estimate, cca.hte.estimate, 1e-10, "hte");
  // The ATE is not: indicator standardizes over all rows.
  assert.ok(Math.abs(ind.ate.estimate - cca.ate.estimate) > 1e-6);
});

test("its diagnostics say what it estimates and why it can be biased", () => {
  const prepared = prepareModifierData(data, COLUMNS, [], { formula: "Y ~ A*M + X1" });
  const result = missingIndicator(prepared, SETTINGS);
  const model = result.diagnostics.find((d) => d.code === "indicator-model")!;
  assert.equal(model.severity, "info");
  assert.match(model.message, new RegExp(`${prepared.nMissing} rows where it is missing`));
  assert.match(model.message, /arm-specific intercept/);
  const bias = result.diagnostics.find((d) => d.code === "indicator-bias")!;
  assert.equal(bias.severity, "warning");
  assert.match(bias.message, new RegExp(`only the ${prepared.n - prepared.nMissing} rows with M observed`));
  assert.match(bias.message, /unrelated to the outcome/);
  assert.match(bias.message, /White & Thompson 2005/);
});

/** The example trial with M kept as it is in one arm and as given by `m` elsewhere. */
function withModifier(m: (row: number, a: number, value: number) => number): Dataset {
  const a = numericColumn(data, "A");
  const values = Float64Array.from(numericColumn(data, "M"), (v, i) => m(i, a[i], v));
  return dataset([...data.names.map((name) => (name === "M" ? { name, kind: "numeric" as const, values } : data.columns.get(name)!))]);
}

test("rows missing M in one arm only: no A:R column, and a warning says what that assumes", () => {
  // Control rows get their M back (observed as 0 where it was missing), so only treated rows miss it.
  const oneArm = withModifier((_i, a, v) => (a === 0 && Number.isNaN(v) ? 0 : v));
  const prepared = prepareModifierData(oneArm, COLUMNS, []);
  const { design } = indicatorDesign(prepared);
  assert.deepEqual(design.columnNames, ["(Intercept)", "A", "M", "A:M", "missing(M)"]);
  const result = missingIndicator(prepared, SETTINGS);
  const note = result.diagnostics.find((d) => d.code === "indicator-one-arm")!;
  assert.match(note.message, /treated arm/);
  assert.ok(Number.isFinite(result.hte.estimate) && Number.isFinite(result.ate.estimate));
});

test("with M observed everywhere, indicator is the complete-data analysis, exactly", () => {
  const complete = withModifier((i, _a, v) => (Number.isNaN(v) ? i % 2 : v));
  const result = analyzeMissingModifier(complete, { ...COLUMNS, imputation: [], methods: ["cca", "indicator"], seed: 1 });
  const [cca, ind] = result.results;
  assert.deepEqual(ind.hte, cca.hte);
  assert.deepEqual(ind.ate, cca.ate);
  assert.ok(ind.diagnostics.some((d) => d.code === "indicator-no-missing"));
});

test("indicator is asked for by name: not a default, and it needs no imputation model", () => {
  assert.ok(METHOD_NAMES.includes("indicator"));
  assert.ok(!DEFAULT_METHODS.includes("indicator"));
  const defaults = analyzeMissingModifier(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], methods: undefined, imputations: 2, burnin: 10, thin: 1, seed: 3 });
  assert.ok(!defaults.results.some((r) => r.method === "indicator"));
  const alone = analyzeMissingModifier(data, { ...COLUMNS, imputation: [], methods: ["indicator"], seed: 3 });
  assert.equal(alone.results.length, 1);
});

test("an imputation model given with cca or indicator only is not used, and a note says so (both alike)", () => {
  for (const methods of [["cca"], ["indicator"], ["cca", "indicator"]] as const) {
    const r = analyzeMissingModifier(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], methods: [...methods], seed: 1 });
    const note = r.diagnostics.find((d) => d.code === "imputation-unused")!;
    assert.equal(note.severity, "info");
    assert.match(note.message, /'M ~ X1\*A\*Y' not used/);
    const without = analyzeMissingModifier(data, { ...COLUMNS, imputation: [], methods: [...methods], seed: 1 });
    assert.deepEqual(r.results, without.results);
  }
});

test("indicator's result does not depend on the other methods or their order", () => {
  const a = analyzeMissingModifier(data, { ...COLUMNS, imputation: ["M ~ X1*A*Y"], methods: ["mi", "indicator", "cca"], imputations: 2, seed: 5 });
  const b = analyzeMissingModifier(data, { ...COLUMNS, imputation: [], methods: ["indicator"], seed: 9 });
  assert.deepEqual(a.results.map((r) => r.method), ["cca", "indicator", "mi"]);
  assert.deepEqual(a.results[1], b.results[0]);
});

test("the simulation scenarios keep their method lists: indicator only where it is named", () => {
  const names = (s: { methods: readonly { name: string }[] }) => s.methods.map((m) => m.name);
  for (const s of [missingModifier1, missingModifier2]) {
    assert.deepEqual(names(s), ["cca", "si", "mi", "mmi", "bmmi", "smc"]);
    assert.deepEqual(s.defaultMethods, ["cca", "si", "mi", "mmi", "bmmi"]);
  }
  assert.deepEqual(imposeMissingnessScenario.defaultMethods, ["cca", "si", "mi", "mmi", "bmmi"]);
  const indicator = imposeMissingnessScenario.methods.find((m) => m.name === "indicator")!;
  assert.equal(indicator.usesImputationModel, false);
});
