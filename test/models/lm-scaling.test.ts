/**
 * lm's variances are equivariant to a column's units: multiplying a covariate
 * by 1e6 (a population count next to 0/1 indicators) divides its estimate
 * and standard error by 1e6 and leaves everything else as it was.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { datasetFromRecord, numericColumn } from "../../src/data/dataset.ts";
import { mrs } from "../../src/estimands/index.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { lm, type LmVcovType } from "../../src/models/lm/index.ts";

const trial = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"), "trial.csv");
const SCALE = 1e6;
const cluster = numericColumn(trial, "cluster");
const columns = {
  cluster,
  A: numericColumn(trial, "A"),
  Y: numericColumn(trial, "Y"),
  X1: numericColumn(trial, "X1"),
  X1big: numericColumn(trial, "X1").map((v) => v * SCALE),
  // Positive weights varying within clusters.
  w: numericColumn(trial, "X2").map((v) => 1 + Math.abs(v)),
  // A cluster-level covariate of magnitude 1e6, and the same in units of 1e6.
  pop: cluster.map((c) => 1 + ((c * 7) % 5)),
  popBig: cluster.map((c) => (1 + ((c * 7) % 5)) * SCALE),
};
const data = datasetFromRecord(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Array.from(v)])));

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

const TYPES: readonly LmVcovType[] = ["classical", "CR0", "CR1", "CR1p", "CR1S", "CR2", "CR3"];
// Rounding only: the fits of the two designs differ in the last bits of the scaled column.
const TOL = 1e-9;

for (const weights of [undefined, "w"]) {
  test(`lm estimates, SEs and CR2 df scale with a covariate's units${weights ? " (weighted)" : ""}`, () => {
    const small = modelFrame(data, "Y ~ A * X1", { cluster: "cluster", weights });
    const big = modelFrame(data, "Y ~ A * X1big", { cluster: "cluster", weights });
    for (const vcov of TYPES) {
      const a = lm(small, { vcov });
      const b = lm(big, { vcov });
      const factor = [1, 1, SCALE, SCALE]; // X1 and A:X1 are in units of 1e6 in `big`
      a.table.forEach((ca, j) => {
        const cb = b.table[j];
        const what = `${vcov} ${ca.term}`;
        assert.ok(rel(cb.estimate * factor[j], ca.estimate) <= TOL, `${what} estimate: ${cb.estimate * factor[j]} vs ${ca.estimate}`);
        assert.ok(rel(cb.stdError * factor[j], ca.stdError) <= TOL, `${what} SE: ${cb.stdError * factor[j]} vs ${ca.stdError}`);
        assert.ok(rel(cb.df!, ca.df!) <= TOL, `${what} df: ${cb.df} vs ${ca.df}`);
        assert.ok(rel(cb.pValue, ca.pValue) <= 1e-7, `${what} p-value`);
      });
    }
  });
}

test("mrs with the lm working model accepts a cluster covariate of magnitude 1e6", () => {
  const options = { cluster: "cluster", treatment: "A" } as const;
  const a = mrs(data, "Y ~ X1 + cluster(pop)", options);
  const b = mrs(data, "Y ~ X1 + cluster(popBig)", options);
  for (const k of ["clusterAte", "individualAte"] as const) {
    assert.ok(rel(b[k].estimate, a[k].estimate) <= TOL, `${k} estimate`);
    assert.ok(rel(b[k].stdError, a[k].stdError) <= TOL, `${k} SE`);
  }
  assert.ok(rel(b.coefficient.stdError, a.coefficient.stdError) <= TOL, "working-model treatment SE");
});
