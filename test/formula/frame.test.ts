import assert from "node:assert/strict";
import { test } from "node:test";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { toRows } from "../../src/linalg/matrix.ts";
import {
  designMatrix,
  evaluateVariable,
  modelFrame,
  modelMatrixFor,
  parseFormula,
} from "../../src/formula/index.ts";
import { throwsInput } from "../helpers/assert.ts";

// 8 rows, three clusters appearing in the order b, a, c; M missing in rows 3 and 6.
const data = datasetFromRecord({
  cl: ["b", "a", "b", "c", "a", "b", "c", "a"],
  A: [1, 0, 1, 0, 0, 1, 0, 0],
  M: [1, 0, null, 1, 1, null, 0, 1],
  X1: [0.5, -1, 2, 3, 1.5, 0, -2, 4],
  Y: [2, 1, 3, 0.5, 1, 2, 4, 3],
  site: [2, 10, 3, 2, 10, 3, 3, 10],
  grp: ["low", "ctrl", "High", "low", "ctrl", "High", "low", "ctrl"],
  H1: [5, 1, 5, 7, 1, 5, 7, 1],
  w: [1, 2, 1, 0.5, 2, 1, 0.5, 2],
});

test("rows with a missing value are dropped, listed and reported", () => {
  const f = modelFrame(data, "Y ~ A*M");
  assert.deepEqual(Array.from(f.rows), [0, 1, 3, 4, 6, 7]);
  assert.deepEqual(Array.from(f.droppedRows), [2, 5]);
  assert.equal(f.nDropped, 2);
  assert.deepEqual(f.diagnostics, [
    { code: "dropped-rows", severity: "info", message: "dropped 2 of 8 rows with a missing value in M (2)" },
  ]);
  assert.equal(f.response, "Y");
  assert.deepEqual(Array.from(f.y), [2, 1, 0.5, 1, 4, 3]);
  assert.deepEqual(toRows(f.X)[0], [1, 1, 1, 1]);
  assert.equal(f.clusters, undefined);
  assert.ok(Object.isFrozen(f));
});

test("the dropped-rows message counts each variable", () => {
  const d = datasetFromRecord({ Y: [1, null, 3, 4, 5], M: [null, null, 1, 0, 1], X: [1, 2, null, 4, 5] });
  const f = modelFrame(d, "Y ~ M + X");
  assert.equal(f.diagnostics[0].message, "dropped 3 of 5 rows with a missing value in Y (1), M (2), X (1)");
});

test("clustered frames put each cluster's rows together, clusters in order of appearance", () => {
  const f = modelFrame(data, "Y ~ A*M + X1", { cluster: "cl" });
  // kept rows 0 1 3 4 6 7; clusters b: 0; a: 1 4 7; c: 3 6
  assert.deepEqual(Array.from(f.rows), [0, 1, 4, 7, 3, 6]);
  assert.deepEqual(f.clusters!.ids, ["b", "a", "c"]);
  assert.deepEqual(Array.from(f.clusters!.starts), [0, 1, 4, 6]);
  assert.equal(f.clusters!.column, "cl");
  assert.deepEqual(Array.from(f.y), [2, 1, 1, 3, 0.5, 4]);
  assert.deepEqual(f.X.data.subarray(5 * 5, 6 * 5), Float64Array.of(1, 0, 0, -2, 0));
});

test("a (1 | g) term makes g the cluster; a different cluster column is refused", () => {
  const f = modelFrame(data, "Y ~ A + (1 | cl)");
  assert.deepEqual(f.clusters!.ids, ["b", "a", "c"]);
  assert.deepEqual(f.randomTerms, [{ term: "(Intercept)", group: "cl" }]);
  assert.deepEqual(f.columnNames, ["(Intercept)", "A"]);
  assert.equal(modelFrame(data, "Y ~ A + (1 | cl)", { cluster: "cl" }).clusters!.column, "cl");
  throwsInput(
    () => modelFrame(data, "Y ~ A + (1 | cl)", { cluster: "site" }),
    "the cluster column 'site' differs from the random-effect group 'cl' of formula 'Y ~ A + (1 | cl)'",
  );
  throwsInput(() => modelFrame(data, "Y ~ A + (1 | cl) + (1 | site)"), /more than one grouping factor \(cl, site\)/);
});

test("missing cluster ids, weights and extra variables drop rows too", () => {
  const d = datasetFromRecord({
    Y: [1, 2, 3, 4, 5, 6],
    A: [0, 1, 0, 1, 0, 1],
    g: ["x", null, "y", "x", "y", "x"],
    w: [1, 1, null, 1, 1, 1],
    T: [1, 1, 1, null, 1, 1],
  });
  const f = modelFrame(d, "Y ~ A", { cluster: "g", weights: "w", extraVariables: ["T"] });
  assert.deepEqual(Array.from(f.rows), [0, 5, 4]);
  assert.deepEqual(Array.from(f.weights!), [1, 1, 1]);
  assert.equal(f.diagnostics[0].message, "dropped 3 of 6 rows with a missing value in g (1), w (1), T (1)");
});

test("cluster(...) variables are exposed, not expanded, and drop rows when they are columns", () => {
  const d = datasetFromRecord({ Y: [1, 2, 3, 4], X1: [1, 2, 3, 4], H1: [1, null, 2, 2], A: [0, 1, 0, 1] });
  const f = modelFrame(d, "Y ~ X1 + cluster(H1 + N)");
  assert.deepEqual(f.columnNames, ["(Intercept)", "X1"]);
  assert.deepEqual(f.clusterVariables, ["H1", "N"]);
  assert.deepEqual(Array.from(f.rows), [0, 2, 3]);
});

test("modelMatrixFor rebuilds X for new values, e.g. everyone treated", () => {
  const f = modelFrame(data, "Y ~ A*M + factor(site)", { cluster: "cl" });
  assert.deepEqual(f.columnNames, ["(Intercept)", "A", "M", "factor(site)3", "factor(site)10", "A:M"]);
  const treated = modelMatrixFor(f.design, data, f.rows, { A: 1 });
  const Mcol = 2;
  for (let i = 0; i < treated.rows; i++) {
    const row = treated.data.subarray(i * 6, (i + 1) * 6);
    assert.equal(row[1], 1);
    assert.equal(row[5], row[Mcol]);
    assert.deepEqual(Array.from(row).filter((_, j) => j !== 1 && j !== 5), Array.from(f.X.data.subarray(i * 6, (i + 1) * 6)).filter((_, j) => j !== 1 && j !== 5));
  }
  // the same spec gives the frame's X back
  assert.deepEqual(modelMatrixFor(f.design, data, f.rows).data, f.X.data);
  // new data: same columns, a level the model does not know
  const other = datasetFromRecord({ A: [1, 0], M: [0, 1], site: [3, 7] });
  throwsInput(
    () => modelMatrixFor(f.design, other),
    "factor(site) has level '7' at data row 2 that the model does not know (levels: 2, 3, 10)",
  );
  const ok = datasetFromRecord({ A: [1, 0], M: [0, 1], site: [3, 10] });
  assert.deepEqual(toRows(modelMatrixFor(f.design, ok)), [
    [1, 1, 0, 1, 0, 0],
    [1, 0, 1, 0, 1, 0],
  ]);
  throwsInput(() => modelMatrixFor(f.design, data), "column 'M' is missing at data row 3");
});

test("text columns are factors with R's level order; factor() of text too", () => {
  const f = modelFrame(data, "Y ~ grp + X1");
  assert.deepEqual(f.columnNames, ["(Intercept)", "grpHigh", "grplow", "X1"]);
  assert.ok(f.diagnostics.some((d) => d.code === "text-as-factor" && d.message.includes("levels ctrl, High, low (reference ctrl)")));
  const g = modelFrame(data, "Y ~ 0 + factor(grp)");
  assert.deepEqual(g.columnNames, ["factor(grp)ctrl", "factor(grp)High", "factor(grp)low"]);
  const treated = modelMatrixFor(g.design, data, Int32Array.of(0, 1), { grp: "High" });
  assert.deepEqual(toRows(treated), [[0, 1, 0], [0, 1, 0]]);
});

test("unused factor levels are dropped and reported (dropUnusedLevels: false keeps them, as R's default)", () => {
  const d = datasetFromRecord({ Y: [1, 2, 3, 4, null], s: [1, 2, 1, 2, 3] });
  const f = modelFrame(d, "Y ~ factor(s)");
  assert.deepEqual(f.columnNames, ["(Intercept)", "factor(s)2"]);
  assert.ok(f.diagnostics.some((x) => x.message === "factor(s): level 3 does not occur in the rows used and was dropped"));
  const r = modelFrame(d, "Y ~ factor(s)", { dropUnusedLevels: false });
  assert.deepEqual(r.columnNames, ["(Intercept)", "factor(s)2", "factor(s)3"]);
});

test("bad input gets an InputError naming the column, row and value", () => {
  throwsInput(() => modelFrame(data, "Y ~ A + Z"), "unknown column 'Z'; the data have columns: cl, A, M, X1, Y, site, grp, H1, w");
  throwsInput(() => modelFrame(data, "Y ~ A", { cluster: "clus" }), /unknown column 'clus'/);
  throwsInput(() => modelFrame(data, "Y ~ A", { weights: "ww" }), /unknown column 'ww'/);
  throwsInput(() => modelFrame(data, "Y ~ I(grp^2)"), "column 'grp' row 1 has non-numeric value 'low'");
  throwsInput(() => modelFrame(data, "grp ~ A"), "column 'grp' row 1 has non-numeric value 'low'");
  throwsInput(() => modelFrame(data, "Y ~ log(X1)"), "'log(X1)' is NaN at data row 2 (X1 = -1)");
  throwsInput(() => modelFrame(data, "Y ~ I(1/A)"), "'I(1/A)' is Inf at data row 2 (A = 0)");
  throwsInput(() => modelFrame(data, "log(A) ~ X1"), "'log(A)' is -Inf at data row 2 (A = 0)");
  throwsInput(() => modelFrame(data, "~ A"), "formula '~ A' has no response; write it as 'Y ~ A'");
  throwsInput(() => modelFrame(data, ""), "formula is empty");
  throwsInput(() => modelFrame(data, "Y ~ A *"), "formula 'Y ~ A *': expected a term at position 8");
  const d = datasetFromRecord({ Y: [1, 2, 3], M: [null, null, null], A: [1, 0, 1] });
  throwsInput(() => modelFrame(d, "Y ~ A + M"), "formula 'Y ~ A + M': no rows left: all 3 rows have a missing value in M (3)");
  const typo = datasetFromRecord({ Y: [1, 2, 3, 4], X1: ["1.5", "2", "2..5", "3"] });
  throwsInput(
    () => modelFrame(typo, "Y ~ X1"),
    "column 'X1' row 3 has non-numeric value '2..5'; if X1 is categorical, write factor(X1)",
  );
  const neg = datasetFromRecord({ Y: [1, 2, 3], A: [1, 0, 1], w: [1, -1, 1] });
  throwsInput(() => modelFrame(neg, "Y ~ A", { weights: "w" }), /weights column 'w' has invalid value -1 at data row 2/);
  const one = datasetFromRecord({ Y: [1, 2, 3], s: [4, 4, 4] });
  throwsInput(() => modelFrame(one, "Y ~ factor(s)"), /factor\(s\) has only one level \('4'\) in the rows used/);
  // a single level is fine with full coding
  assert.deepEqual(modelFrame(one, "Y ~ 0 + factor(s)").columnNames, ["factor(s)4"]);
});

test("designMatrix composes parse, design and matrix stages", () => {
  const parsed = parseFormula("Y ~ A*M + X1");
  const rows = Int32Array.of(0, 1, 3);
  const { X, spec } = designMatrix(data, parsed, rows);
  const f = modelFrame(data, "Y ~ A*M + X1");
  assert.deepEqual(spec.columnNames, f.columnNames);
  assert.deepEqual(X.data, f.X.data.subarray(0, 3 * 5));
  assert.deepEqual(spec.terms.map((t) => [t.label, t.firstColumn, t.nColumns]), [
    ["A", 1, 1], ["M", 2, 1], ["X1", 3, 1], ["A:M", 4, 1],
  ]);
});

test("evaluateVariable evaluates one expression, NaN where an input is missing", () => {
  const v = evaluateVariable(data, "I(X1^2) + log(X1 + 10, 10)", Int32Array.of(0, 3));
  assert.ok(Math.abs(v[0] - (0.25 + Math.log10(10.5))) < 1e-15);
  assert.ok(Math.abs(v[1] - (9 + Math.log10(13))) < 1e-15);
  const m = evaluateVariable(data, "A*M");
  assert.ok(Number.isNaN(m[2]) && Number.isNaN(m[5]));
  assert.deepEqual(Array.from(evaluateVariable(data, "A*M", Int32Array.of(1), { A: 1 })), [0]);
  assert.deepEqual(Array.from(evaluateVariable(data, "M^0", Int32Array.of(2))), [NaN]);
  throwsInput(() => evaluateVariable(data, "sqrt(X1)"), "'sqrt(X1)' is NaN at data row 2 (X1 = -1)");
  throwsInput(() => evaluateVariable(data, "X1 +"), "expression 'X1 +': expected a term at position 5");
});
