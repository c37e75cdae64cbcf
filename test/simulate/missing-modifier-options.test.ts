/**
 * The missing-modifier scenarios take the outcome GEE's SEs as an analysis
 * parameter (`se`: same simulated data and draws, other inference) and report
 * every estimand twice: pooled by Barnard–Rubin and by the df formula printed
 * in the paper, from the same imputations.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { conditionStreamId } from "../../src/simulate/conditions.ts";
import { runSimulation } from "../../src/simulate/index.ts";

const BASE = { scenario: "missing-modifier-1", reps: 2, seed: 4, workers: 1, methods: ["cca", "mi"], imputationModels: ["M ~ X1*A*Y"] };
const FIXED = { clusters: 20, beta3: 0, meanClusterSize: 20, imputations: 4 };

test("se = kc analyses the same data: identical estimates, t(C − p) for cca and ν_com = C − p for mi", async () => {
  const robust = (await runSimulation({ ...BASE, parameters: FIXED })).rows!;
  const kc = (await runSimulation({ ...BASE, parameters: { ...FIXED, se: "kc" } })).rows!;
  const dfcom = 20 - 4;
  assert.equal(kc.length, robust.length);
  kc.forEach((r, i) => {
    assert.equal(r.estimate, robust[i].estimate, "same data and draws");
    if (r.method === "cca") assert.equal(r.df, dfcom);
    else if (!r.estimand.endsWith("-paper-df")) assert.ok(r.df! > 0 && r.df! <= (dfcom * (dfcom + 1)) / (dfcom + 3), `mi df ${r.df}`);
  });
});

test("the paper's df pools the same imputations: same estimate and SE, its own df", async () => {
  const rows = (await runSimulation({ ...BASE, methods: ["mi"], parameters: FIXED })).rows!;
  for (const estimand of ["hte", "ate"]) {
    for (const replicate of [0, 1]) {
      const br = rows.find((r) => r.estimand === estimand && r.replicate === replicate)!;
      const paper = rows.find((r) => r.estimand === `${estimand}-paper-df` && r.replicate === replicate)!;
      assert.equal(paper.estimate, br.estimate);
      assert.equal(paper.stdError, br.stdError);
      assert.notEqual(paper.df, br.df);
    }
  }
});

test("an analysis parameter leaves the stream id as it was without it; a bad se is refused naming it", async () => {
  const params = { clusters: 50, beta3: 0 };
  assert.equal(conditionStreamId({ ...params, se: "kc" }, ["se"]), conditionStreamId(params));
  await assert.rejects(runSimulation({ ...BASE, parameters: { ...FIXED, se: "jack" } }), /parameter 'se' must be one of robust, md, kc; got 'jack'/);
});
