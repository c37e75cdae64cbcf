/**
 * Sharing the imputation-model fits (SI with MI, MMI with B-MMI) and, in the
 * simulations, the prepared data of the methods with the same imputation
 * model: the results are exactly those of a run that fits everything afresh.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { mixedImputationModel } from "../../src/missing/glmm-imputation.ts";
import { singleLevelModel } from "../../src/missing/imputation-model.ts";
import { setSharing, sharingCounts } from "../../src/missing/shared-fits.ts";
import { expandConditions, hashString, resolveMethods } from "../../src/simulate/conditions.ts";
import { runReplicate } from "../../src/simulate/replicate.ts";
import { missingModifier1, paperImputationModels } from "../../src/simulate/scenarios/missing-modifier-study.ts";

const trial = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const continuous = readCsv(readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8"));
const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };
const SHORT = { imputations: 4, burnin: 40, thin: 5, seed: 11 };

/** `run` with sharing off, then on; the hits counted in the shared run. */
function bothWays<T>(run: () => T): { fresh: T; shared: T; hits: number } {
  const before = setSharing(false);
  try {
    const fresh = run();
    setSharing(true);
    const hits = sharingCounts.hits;
    const shared = run();
    return { fresh, shared, hits: sharingCounts.hits - hits };
  } finally {
    setSharing(before);
  }
}

for (const [name, data, models] of [
  ["binary modifier", trial, ["M ~ X1*A*Y", "M ~ X1 + A + Y"]],
  ["continuous modifier", continuous, ["M ~ (X1 + X2)*A*Y", "M ~ X1 + A + Y"]],
] as const) {
  test(`analysis with shared imputation fits equals one with separate fits (${name})`, () => {
    const options: AnalyzeOptions = { ...COLUMNS, ...SHORT, imputation: [...models], methods: ["cca", "si", "mi", "mmi", "bmmi"], chains: 2 };
    const { fresh, shared, hits } = bothWays(() => analyzeMissingModifier(data, options));
    assert.deepStrictEqual(shared, fresh);
    // Per model: mi reuses si's fit, bmmi reuses mmi's.
    assert.equal(hits, 2 * models.length);
  });
}

test("a cluster-level modifier shares its one regression among si, mi, mmi and bmmi with the same results", () => {
  const options: AnalyzeOptions = { ...COLUMNS, modifier: "G", ...SHORT, imputation: ["G ~ X1 + A"], methods: ["si", "mi", "mmi", "bmmi"] };
  const { fresh, shared, hits } = bothWays(() => analyzeMissingModifier(continuous, options));
  assert.deepStrictEqual(shared, fresh);
  assert.equal(hits, 3);
});

test("a simulation replicate with shared preparation and fits gives the same rows as with none", () => {
  const parameters = { clusters: 12, meanClusterSize: 20, imputations: 3, burnin: 20, thin: 4 };
  const { conditions } = expandConditions(missingModifier1, parameters);
  const ctx = {
    scenario: missingModifier1,
    seed: 5,
    scenarioId: hashString(missingModifier1.name),
    conditions,
    methods: resolveMethods(missingModifier1, undefined, paperImputationModels(1).slice(3)),
  };
  const { fresh, shared, hits } = bothWays(() => [0, 1].map((r) => runReplicate(ctx, 0, r).text));
  assert.deepStrictEqual(shared, fresh);
  // Per replicate and model: mi, mmi and bmmi reuse si's preparation; mi and bmmi reuse a fit.
  assert.equal(hits, 2 * 2 * (3 + 2));
});

test("a shared fit is handed out again as the same frozen value, per data and design", () => {
  const prepared = prepareModifierData(trial, COLUMNS, ["M ~ X1 + A + Y"]);
  const again = prepareModifierData(trial, COLUMNS, ["M ~ X1 + A + Y"]);
  const design = prepared.designs[0];
  const single = singleLevelModel(prepared, design);
  assert.equal(singleLevelModel(prepared, design), single);
  assert.ok(Object.isFrozen(single) && Object.isFrozen(single.diagnostics));
  assert.notEqual(singleLevelModel(again, again.designs[0]), single);
  assert.deepStrictEqual(singleLevelModel(again, again.designs[0]), single);
  assert.equal(mixedImputationModel(prepared, design), mixedImputationModel(prepared, design));
});
