/**
 * The missing-modifier scenarios take the outcome GEE's SEs and the pooled df
 * as parameters (`se`, `poolingDf`); bad values are refused naming the parameter.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runSimulation } from "../../src/simulate/index.ts";

const BASE = { scenario: "missing-modifier-1", reps: 2, seed: 4, workers: 1, methods: ["cca", "mi"], imputationModels: ["M ~ X1*A*Y"] };
const FIXED = { clusters: 20, beta3: 0, meanClusterSize: 20, imputations: 4 };

test("se = kc: cca uses t(C − p) and mi the complete-data df C − p; poolingDf = rubin drops ν_com", async () => {
  const kc = (await runSimulation({ ...BASE, parameters: { ...FIXED, se: "kc" } })).rows!;
  const dfcom = 20 - 4;
  for (const r of kc) {
    if (r.method === "cca") assert.equal(r.df, dfcom);
    else assert.ok(r.df! > 0 && r.df! <= (dfcom * (dfcom + 1)) / (dfcom + 3), `mi df ${r.df}`);
  }
  const rubin = (await runSimulation({ ...BASE, methods: ["mi"], parameters: { ...FIXED, poolingDf: "rubin" } })).rows!;
  assert.equal(rubin.length, 4);
  for (const r of rubin) assert.ok(r.df === null || r.df > 0);
});

test("bad se or poolingDf values are refused naming the parameter", async () => {
  await assert.rejects(runSimulation({ ...BASE, parameters: { ...FIXED, poolingDf: "exact" } }), /parameter 'poolingDf' must be one of barnard-rubin, rubin, paper; got 'exact'/);
  await assert.rejects(runSimulation({ ...BASE, parameters: { ...FIXED, se: "jack" } }), /parameter 'se' must be one of robust, md, kc; got 'jack'/);
});
