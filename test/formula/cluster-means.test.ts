import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { readCsv } from "../../src/data/csv.ts";
import { modelFrame } from "../../src/formula/frame.ts";
import { modelMatrixFor } from "../../src/formula/design.ts";
import { lm } from "../../src/models/lm/index.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { near } from "../helpers/assert.ts";

/** R design matrices and fits with ave()-built columns, written by fixtures/r/cluster-means.R. */
interface ClusterMeansCase {
  name: string;
  rows: number[];
  columnNames: string[];
  X: number[][];
  lm: number[];
  lmm?: number[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/cluster-means.json", import.meta.url), "utf8")) as { cases: ClusterMeansCase[] };
const data = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));

const FORMULAS: Record<string, string> = {
  contextual: "Y ~ cwc(X1) + cmean(X1)",
  "dropped-rows": "Y ~ A + cmean(M) + cwc(M) + cmean(X1)",
  interaction: "Y ~ A * cwc(X1)",
};
const R_NAMES: Record<string, string> = { cwc_X1: "cwc(X1)", cmean_X1: "cmean(X1)", cmean_M: "cmean(M)", cwc_M: "cwc(M)", "A:cwc_X1": "A:cwc(X1)" };

for (const c of fixture.cases) {
  const formula = FORMULAS[c.name];
  test(`cmean()/cwc() over the rows used match R's ave(): ${formula}`, () => {
    const frame = modelFrame(data, formula, { cluster: "cluster" });
    assert.deepEqual(frame.columnNames, c.columnNames.map((n) => R_NAMES[n] ?? n));
    assert.equal(frame.X.rows, c.rows.length);
    const position = new Map(c.rows.map((r, i) => [r - 1, i]));
    const p = frame.X.cols;
    for (let i = 0; i < frame.X.rows; i++) {
      const ref = c.X[position.get(frame.rows[i])!];
      for (let j = 0; j < p; j++) near(frame.X.data[i * p + j], ref[j], 1e-13, `${c.name} X[${i},${j}]`);
    }
    const fit = lm(frame);
    c.lm.forEach((b, j) => near(fit.coefficients[j], b, 1e-10, `lm ${c.columnNames[j]}`));
    if (c.lmm) {
      const mixed = lmm(modelFrame(data, `${formula} + (1 | cluster)`));
      c.lmm.forEach((b, j) => near(mixed.coefficients[j], b, 1e-6, `lmm ${c.columnNames[j]}`));
    }
  });
}

test("cmean() and cwc() need a cluster column and are rebuilt for new rows from those rows", () => {
  assert.throws(() => modelFrame(data, "Y ~ cwc(X1)"), (e: Error) => e instanceof InputError && /cwc\(\) needs the cluster column/.test(e.message));
  const frame = modelFrame(data, "Y ~ A*cwc(X1)", { cluster: "cluster" });
  // Overriding A leaves the cluster-centred covariate as it was.
  const treated = modelMatrixFor(frame.design, data, frame.rows, { A: 1 });
  const p = frame.X.cols;
  for (let i = 0; i < frame.X.rows; i++) {
    assert.equal(treated.data[i * p + 2], frame.X.data[i * p + 2]);
    assert.equal(treated.data[i * p + 3], frame.X.data[i * p + 2]);
  }
  // A constant cluster gives its value exactly and 0 within.
  const wide = modelFrame(data, "Y ~ cmean(A) + cwc(A)", { cluster: "cluster" });
  for (let i = 0; i < wide.X.rows; i++) assert.equal(wide.X.data[i * 3 + 2], 0);
});

test("cmean() and cwc() work in analyze's imputation and outcome models, grouped by its cluster column", async () => {
  const { analyzeMissingModifier } = await import("../../src/missing/analyze.ts");
  const r = analyzeMissingModifier(data, {
    cluster: "cluster",
    treatment: "A",
    modifier: "M",
    outcome: "Y",
    imputation: ["M ~ X1 + cmean(X1) + A*Y"],
    outcomeModel: { formula: "Y ~ A*M + cwc(X1) + cmean(X1)" },
    methods: ["cca", "mi"],
    imputations: 3,
    seed: 1,
  });
  assert.equal(r.outcome.formula, "Y ~ A*M + cwc(X1) + cmean(X1)");
  for (const m of r.results) assert.ok(Number.isFinite(m.hte.estimate) && Number.isFinite(m.ate.stdError), m.method);
});
