/**
 * The δ-adjustment: δ = 0 is the MAR analysis bit for bit; the mean imputed
 * modifier rises with δ (the same random numbers at every δ); the B-MMI
 * chain's parameter draws do not depend on δ; a per-arm δ shifts one arm only.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { shiftedProbability } from "../../src/missing/mnar.ts";

const binary = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const continuous = readCsv(readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8"));
const BASE: AnalyzeOptions = {
  cluster: "cluster",
  treatment: "A",
  modifier: "M",
  outcome: "Y",
  imputation: ["M ~ X1*A*Y"],
  methods: ["si", "mi", "mmi", "bmmi"],
  imputations: 5,
  burnin: 50,
  thin: 5,
  seed: 11,
};

for (const [kind, data] of [["binary", binary], ["continuous", continuous]] as const) {
  test(`${kind}: δ = 0 (overall or by arm) reproduces the analysis without δ bit for bit`, () => {
    const plain = JSON.stringify(analyzeMissingModifier(data, BASE));
    assert.equal(JSON.stringify(analyzeMissingModifier(data, { ...BASE, delta: 0 })), plain);
    assert.equal(JSON.stringify(analyzeMissingModifier(data, { ...BASE, deltaBy: { treated: 0, control: 0 } })), plain);
  });

  test(`${kind}: the mean imputed modifier rises with δ for every imputing method`, () => {
    const grid = [-2, -1, -0.5, 0, 0.5, 1, 2];
    const runs = grid.map((delta) => analyzeMissingModifier(data, { ...BASE, delta }));
    for (const method of BASE.methods!) {
      const means = runs.map((r) => r.results.find((x) => x.method === method)!.meanImputed!);
      for (let i = 1; i < means.length; i++) assert.ok(means[i] > means[i - 1], `${method}: ${means.join(", ")}`);
    }
  });

  test(`${kind}: δ leaves the B-MMI parameter draws as they are`, () => {
    const mar = analyzeMissingModifier(data, { ...BASE, methods: ["bmmi"] });
    const shifted = analyzeMissingModifier(data, { ...BASE, methods: ["bmmi"], delta: 1.5 });
    assert.deepEqual(shifted.traces[0].draws, mar.traces[0].draws);
    assert.notEqual(shifted.results[0].hte.estimate, mar.results[0].hte.estimate);
  });
}

test("a δ for one arm moves the imputed values of that arm only", () => {
  const methods = ["mi"] as const;
  const mar = analyzeMissingModifier(continuous, { ...BASE, methods });
  const treated = analyzeMissingModifier(continuous, { ...BASE, methods, deltaBy: { treated: 1, control: 0 } });
  const control = analyzeMissingModifier(continuous, { ...BASE, methods, deltaBy: { treated: 0, control: 1 } });
  const both = analyzeMissingModifier(continuous, { ...BASE, methods, delta: 1 });
  const gain = (r: typeof mar) => r.results[0].meanImputed! - mar.results[0].meanImputed!;
  // A continuous shift adds δ to every shifted draw: the gains split by the arms' shares of the missing rows and sum to δ.
  assert.ok(Math.abs(gain(both) - 1) < 1e-9);
  assert.ok(Math.abs(gain(treated) + gain(control) - 1) < 1e-9);
  assert.ok(gain(treated) > 0 && gain(control) > 0);
});

test("shiftedProbability shifts the logit and keeps 0 and 1", () => {
  const p = 0.3;
  const logit = (q: number) => Math.log(q / (1 - q));
  assert.ok(Math.abs(logit(shiftedProbability(p, 0.7)) - (logit(p) + 0.7)) < 1e-12);
  assert.equal(shiftedProbability(p, 0), p);
  assert.equal(shiftedProbability(0, 3), 0);
  assert.equal(shiftedProbability(1, -3), 1);
});

test("a non-finite δ is refused, naming it", () => {
  assert.throws(() => analyzeMissingModifier(binary, { ...BASE, delta: Number.NaN }), /delta must be a finite number, got NaN/);
});
