/**
 * A continuous modifier and cluster-level modifiers against R on
 * examples/trial-continuous.csv (fixtures/r/missing-continuous.R): the
 * imputation models equal lm, lmer and glm; MI and MMI, whose results are
 * random, are compared with long R runs of the same procedures. A long
 * crtkit run of D imputations and R's run of D_R are two samples of the same
 * per-imputation estimates, so their means differ by at most
 * 4·sd·√(1/D + 1/D_R) and their log SDs by at most 4·√((κ − 1)/(4D) +
 * (κ − 1)/(4D_R)) (κ the kurtosis; the delta-method SE of a log SD).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { fitLinearMixed } from "../../src/missing/glmm-imputation.ts";
import { linearImputationModel, logisticImputationModel, multilevelModel, singleLevelModel } from "../../src/missing/imputation-model.ts";
import type { OutcomeFit } from "../../src/missing/outcome.ts";
import type { MethodSettings } from "../../src/missing/result.ts";
import { imputeAndFit } from "../../src/missing/single-level.ts";
import { namedStream } from "../../src/random/streams.ts";
import { closeAbs, closeRel } from "../helpers/assert.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/missing-continuous.json", import.meta.url), "utf8"));
const data = readCsv(readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8"));
const columns = (modifier: string) => ({ cluster: "cluster", treatment: "A", modifier, outcome: "Y" });
const SETTINGS: MethodSettings = { imputations: 15, corstr: "exchangeable", level: 0.95, gibbs: GIBBS_DEFAULTS, chains: 1 };
/** Imputations of the long crtkit runs. */
const LONG = 200;

interface LongRun {
  imputations: number;
  hteMean: number;
  hteSd: number;
  ateMean: number;
  ateSd: number;
  hteWithinMean: number;
  hteWithinSd: number;
  ateWithinMean: number;
  ateWithinSd: number;
}

function moments(x: readonly number[]): { mean: number; sd: number; kurtosis: number } {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    m2 += (v - mean) ** 2;
    m4 += (v - mean) ** 4;
  }
  return { mean, sd: Math.sqrt(m2 / (n - 1)), kurtosis: (m4 / n) / (m2 / n) ** 2 };
}

/** The per-imputation estimates and within-variances of a long crtkit run agree with R's long run. */
function agreesWithR(fits: readonly OutcomeFit[], ref: LongRun, what: string): void {
  const D = fits.length;
  const DR = ref.imputations;
  const check = (values: number[], mean: number, sd: number, name: string, sdToo: boolean): void => {
    const ours = moments(values);
    const bound = 4 * sd * Math.sqrt(1 / D + 1 / DR);
    assert.ok(Math.abs(ours.mean - mean) <= bound, `${what} ${name} mean: ${ours.mean} vs R ${mean} (bound ${bound})`);
    if (!sdToo) return;
    const logBound = 4 * Math.sqrt(((ours.kurtosis - 1) / 4) * (1 / D + 1 / DR));
    assert.ok(Math.abs(Math.log(ours.sd / sd)) <= logBound, `${what} ${name} SD: ${ours.sd} vs R ${sd} (log bound ${logBound})`);
  };
  check(fits.map((f) => f.hte), ref.hteMean, ref.hteSd, "hte", true);
  check(fits.map((f) => f.ate), ref.ateMean, ref.ateSd, "ate", true);
  check(fits.map((f) => f.hteVariance), ref.hteWithinMean, ref.hteWithinSd, "hte within-variance", false);
  check(fits.map((f) => f.ateVariance), ref.ateWithinMean, ref.ateWithinSd, "ate within-variance", false);
}

const continuous = prepareModifierData(data, columns("M"), [fixture.continuous.imputationModel]);
const clusterContinuous = prepareModifierData(data, columns("S"), [fixture.clusterContinuous.imputationModel]);
const clusterBinary = prepareModifierData(data, columns("G"), [fixture.clusterBinary.imputationModel]);

test("a non-0/1 modifier is continuous and individual-level; S and G are cluster-level", () => {
  assert.equal(continuous.modifierType, "continuous");
  assert.equal(continuous.level, "individual");
  assert.ok(continuous.diagnostics.some((d) => d.code === "modifier-type" && /modifier 'M' is continuous/.test(d.message)));
  assert.equal(clusterContinuous.modifierType, "continuous");
  assert.equal(clusterContinuous.level, "cluster");
  assert.equal(clusterBinary.modifierType, "binary");
  assert.equal(clusterBinary.level, "cluster");
  assert.equal(clusterContinuous.units.n, fixture.clusters);
  const observed = clusterContinuous.units.observed.filter((v) => !Number.isNaN(v)).length;
  assert.equal(observed, fixture.clusterContinuous.clustersObserved);
  const note = clusterContinuous.diagnostics.find((d) => d.code === "cluster-level-modifier")!.message;
  assert.match(note, new RegExp(`constant within each of the ${observed} clusters where it is observed \\(${observed} of them with two or more observed values\\): .* each of the ${fixture.clusters - observed} clusters without an observed value`));
  assert.match(note, /\d+ missing rows in \d+ partly observed clusters take their cluster's observed value/);
  // Every row of a cluster carries the cluster's value; the rows of clusters without one stay missing.
  for (let r = 0; r < clusterContinuous.n; r++) {
    const v = clusterContinuous.units.observed[clusterContinuous.units.ofRow[r]];
    assert.ok(Object.is(clusterContinuous.modifier[r], v), `row ${r}`);
  }
});

test("the continuous imputation models equal R's lm and lmer (REML) fits", () => {
  const design = continuous.designs[0];
  assert.deepEqual(design.columnNames, fixture.continuous.lm.names);
  const linear = linearImputationModel(continuous, design);
  closeRel(linear.coefficients, fixture.continuous.lm.coefficients, 1e-8, "lm coefficients");
  closeRel(linear.sigma, fixture.continuous.lm.sigma, 1e-10, "sigma(lm)");
  const mixed = fitLinearMixed(continuous, design);
  // lmer against lme4: 1e-6 (optimizer tolerance on θ).
  closeAbs(mixed.coefficients, fixture.continuous.lmer.fixef, 1e-6, "lmer fixef");
  closeRel(mixed.sigma, fixture.continuous.lmer.sigma, 1e-6, "sigma(lmer)");
  closeRel(mixed.sd, fixture.continuous.lmer.sd, 1e-5, "random-intercept SD");
  const modes = fixture.continuous.lmer.modeClusters.map((id: number) => mixed.modes[continuous.clusterIds.indexOf(String(id))]);
  closeAbs(modes, fixture.continuous.lmer.modes, 1e-6, "conditional modes");
  // MMI predicts wᵀβ̂ + b̂_i with lmer's sigma.
  const mmi = multilevelModel(continuous, design);
  assert.equal(mmi.sigma, mixed.sigma);
  const r = continuous.starts[5];
  let eta = 0;
  for (let j = 0; j < design.p; j++) eta += design.W[r * design.p + j] * mixed.coefficients[j];
  closeAbs(mmi.mean[r], eta + mixed.modes[5], 1e-12, "MMI mean of a row of cluster 6");
});

test("cluster-level models are the regressions of the clusters on cluster means, as lm and glm in R", () => {
  const s = linearImputationModel(clusterContinuous, clusterContinuous.designs[0]);
  assert.deepEqual(clusterContinuous.designs[0].columnNames, fixture.clusterContinuous.lm.names);
  closeRel(s.coefficients, fixture.clusterContinuous.lm.coefficients, 1e-8, "cluster lm");
  closeRel(s.sigma, fixture.clusterContinuous.lm.sigma, 1e-10, "cluster sigma(lm)");
  const g = logisticImputationModel(clusterBinary, clusterBinary.designs[0]);
  closeRel(g.coefficients, fixture.clusterBinary.glm.coefficients, 1e-6, "cluster glm");
  // MMI at the cluster level is the same regression, and says so.
  const mmi = multilevelModel(clusterContinuous, clusterContinuous.designs[0]);
  assert.deepEqual(mmi.coefficients, s.coefficients);
  assert.ok(mmi.diagnostics.some((d) => d.code === "mmi-cluster-level"));
});

const longRuns = [
  ["continuous MI", continuous, () => singleLevelModel(continuous, continuous.designs[0]), fixture.continuous.mi],
  ["continuous MMI", continuous, () => multilevelModel(continuous, continuous.designs[0]), fixture.continuous.mmi],
  ["cluster-level continuous MI", clusterContinuous, () => singleLevelModel(clusterContinuous, clusterContinuous.designs[0]), fixture.clusterContinuous.mi],
  ["cluster-level binary MI", clusterBinary, () => singleLevelModel(clusterBinary, clusterBinary.designs[0]), fixture.clusterBinary.mi],
] as const;

for (const [what, prepared, model, ref] of longRuns) {
  test(`${what}: ${LONG} imputations agree with R's long run`, () => {
    const fits = imputeAndFit(prepared, model(), LONG, SETTINGS, namedStream(99, "long run", what));
    agreesWithR(fits, ref, what);
  });
}

test("analyze with a continuous modifier: mi and mmi pooled estimates within Monte Carlo error of R", () => {
  const D = 15;
  const r = analyzeMissingModifier(data, { ...columns("M"), imputation: ["M ~ X1*A*Y"], methods: ["cca", "mi", "mmi"], imputations: D, seed: 5 });
  assert.equal(r.data.modifierType, "continuous");
  const cca = r.results[0];
  closeRel(cca.hte.estimate, fixture.continuous.cca.hte, 1e-6, "cca hte");
  closeRel(cca.hte.stdError ** 2, fixture.continuous.cca.hteVar, 1e-6, "cca hte variance");
  for (const [k, method] of [[1, "mi"], [2, "mmi"]] as const) {
    const ref: LongRun = fixture.continuous[method];
    const res = r.results[k];
    const bound = (sd: number) => 4 * sd * Math.sqrt(1 / D + 1 / ref.imputations);
    assert.ok(Math.abs(res.hte.estimate - ref.hteMean) <= bound(ref.hteSd), `${method} hte ${res.hte.estimate} vs ${ref.hteMean}`);
    assert.ok(Math.abs(res.ate.estimate - ref.ateMean) <= bound(ref.ateSd), `${method} ate ${res.ate.estimate} vs ${ref.ateMean}`);
  }
});

test("B-MMI with a continuous modifier converges and lands near MMI", () => {
  const D = 15;
  const r = analyzeMissingModifier(data, { ...columns("M"), imputation: ["M ~ X1*A*Y"], methods: ["bmmi"], imputations: D, seed: 8 });
  const bmmi = r.results[0];
  assert.equal(bmmi.nImputations, D);
  assert.deepEqual(bmmi.convergence!.parameters.map((p) => p.name), [...fixture.continuous.lm.names, "tau", "sigma"]);
  for (const p of bmmi.convergence!.parameters) assert.ok(p.rhat < 1.1, `${p.name} R̂ ${p.rhat}`);
  // The same imputation model as MMI with its parameter uncertainty propagated: within Monte Carlo error of
  // MMI's long-run mean, with the between-imputation SD allowed to grow by √2.
  const ref: LongRun = fixture.continuous.mmi;
  const bound = (4 * Math.SQRT2 * ref.hteSd) / Math.sqrt(D);
  assert.ok(Math.abs(bmmi.hte.estimate - ref.hteMean) <= bound, `bmmi hte ${bmmi.hte.estimate} vs MMI ${ref.hteMean} (bound ${bound})`);
});
