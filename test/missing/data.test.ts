import assert from "node:assert/strict";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { throwsInput } from "../helpers/assert.ts";

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" };

/** A small valid trial: 6 clusters (3 per arm) of 4 rows. */
function trialCsv(edit: (rows: string[][]) => void = () => {}): string {
  const rows: string[][] = [];
  for (let c = 1; c <= 6; c++) {
    for (let j = 0; j < 4; j++) {
      const a = c <= 3 ? 1 : 0;
      const m = (c + j) % 3 === 0 ? "NA" : String((c * j) % 2);
      rows.push([String(c), String(a), m, String((c * 7 + j * 3) % 5), String(((c + j) % 4) / 2)]);
    }
  }
  edit(rows);
  return ["cluster,A,M,Y,X1", ...rows.map((r) => r.join(","))].join("\n");
}

test("a valid trial is prepared cluster by cluster with missingness counted per cluster", () => {
  const data = readCsv(trialCsv());
  const prepared = prepareModifierData(data, COLUMNS, ["M ~ X1*A*Y"]);
  assert.equal(prepared.n, 24);
  assert.equal(prepared.clusterIds.length, 6);
  assert.equal(prepared.missingByCluster.reduce((s, c) => s + c.nMissing, 0), prepared.nMissing);
  assert.deepEqual(prepared.designs[0].columnNames, ["(Intercept)", "X1", "A", "Y", "X1:A", "X1:Y", "A:Y", "X1:A:Y"]);
  assert.equal(prepared.designs[0].W.length, 24 * 8);
});

test("treatment varying within a cluster names the cluster, rows and values", () => {
  const data = readCsv(trialCsv((rows) => (rows[5][1] = "0")));
  throwsInput(() => prepareModifierData(data, COLUMNS, []), /treatment 'A' varies within cluster '2' of column 'cluster': 1 at row 5, 0 at row 6; it must be constant within clusters/);
});

test("a binary modifier with a value other than 0/1 names the row, value and count", () => {
  const data = readCsv(trialCsv((rows) => {
    rows[2][2] = "2";
    rows[4][2] = "0.5";
  }));
  throwsInput(
    () => prepareModifierData(data, COLUMNS, [], { modifierType: "binary" }),
    /modifier 'M' must be 0 or 1 for a binary modifier; row 3 has 2 \(2 rows have values other than 0 and 1\)/,
  );
});

test("fewer than 2 clusters in an arm is refused", () => {
  const data = readCsv(trialCsv((rows) => rows.forEach((r) => (r[1] = r[0] === "1" ? "1" : "0"))));
  throwsInput(() => prepareModifierData(data, COLUMNS, []), /at least two clusters in each arm; treatment 'A' has 1 treated and 5 control clusters/);
});

test("a non-numeric cell and an unknown column are named", () => {
  throwsInput(() => prepareModifierData(readCsv(trialCsv((rows) => (rows[7][3] = "high"))), COLUMNS, []), /column 'Y' row 8 has non-numeric value 'high'/);
  throwsInput(() => prepareModifierData(readCsv(trialCsv()), COLUMNS, ["M ~ X9 + A"]), /unknown column 'X9'/);
});

test("the imputation model must predict the modifier and leave out random effects", () => {
  throwsInput(() => prepareModifierData(readCsv(trialCsv()), COLUMNS, ["Y ~ X1 + A"]), /must have the modifier 'M' as its response/);
  throwsInput(() => prepareModifierData(readCsv(trialCsv()), COLUMNS, ["M ~ X1 + (1 | cluster)"]), /leave out '\(1 \| \.\.\.\)'/);
});

test("rows with a missing outcome or covariate are dropped with a diagnostic", () => {
  const data = readCsv(trialCsv((rows) => {
    rows[0][3] = "NA";
    rows[1][4] = "";
  }));
  const prepared = prepareModifierData(data, COLUMNS, ["M ~ X1 + A"]);
  assert.equal(prepared.n, 22);
  assert.equal(prepared.nDropped, 2);
  const d = prepared.diagnostics.find((x) => x.code === "dropped-rows");
  assert.equal(d!.message, "dropped 2 of 24 rows with a missing value: 'Y' in 1 row, 'X1' in 1 row");
});

test("a treatment other than 0/1 names the cluster, row and value", () => {
  const data = readCsv(trialCsv((rows) => rows.slice(4, 8).forEach((r) => (r[1] = "2"))));
  throwsInput(() => prepareModifierData(data, COLUMNS, []), /treatment 'A' has value 2 in cluster '2' \(row 5\); it must be 0 or 1/);
});

test("a row missing a column used twice is counted once, and a cluster left without rows is named", () => {
  // The outcome Y and the treatment A are also imputation-model covariates.
  const data = readCsv(trialCsv((rows) => {
    rows[0][3] = "NA";
    rows[1][1] = "";
    rows[1][3] = "NA";
    for (let j = 20; j < 24; j++) rows[j][4] = "NA"; // every row of cluster 6
  }));
  const prepared = prepareModifierData(data, COLUMNS, ["M ~ X1*A*Y"]);
  assert.equal(prepared.nDropped, 6);
  assert.equal(prepared.n, 18);
  assert.equal(prepared.clusterIds.length, 5);
  const messages = prepared.diagnostics.map((d) => `${d.code}: ${d.message}`);
  assert.ok(
    messages.includes("dropped-rows: dropped 6 of 24 rows with a missing value: 'A' in 1 row, 'Y' in 2 rows, 'X1' in 4 rows; some rows miss several"),
    messages.join("\n"),
  );
  assert.ok(messages.includes("cluster-dropped: cluster '6' has no rows left: all its 4 rows have a missing value, so no method analyses it"), messages.join("\n"));
});

test("a row without a cluster is refused with its data row", () => {
  const data = readCsv(trialCsv((rows) => {
    rows[0][3] = "NA";
    rows[2][0] = "";
  }));
  throwsInput(() => prepareModifierData(data, COLUMNS, []), /column 'cluster' row 3 is missing: every row needs a cluster/);
});

test("a cluster with no observed modifier runs, with a diagnostic naming it", () => {
  const data = readCsv(trialCsv((rows) => rows.forEach((r) => {
    if (r[0] === "4") r[2] = "NA";
  })));
  const prepared = prepareModifierData(data, COLUMNS, []);
  assert.deepEqual(prepared.clustersWithoutModifier, [3]);
  assert.match(prepared.diagnostics.find((d) => d.code === "cluster-without-modifier")!.message, /cluster '4' has 0 of 4 modifier values observed/);
});

test("no missing modifier at all runs with an info diagnostic", () => {
  const data = readCsv(trialCsv((rows) => rows.forEach((r) => {
    if (r[2] === "NA") r[2] = "0";
  })));
  const prepared = prepareModifierData(data, COLUMNS, []);
  assert.equal(prepared.nMissing, 0);
  assert.ok(prepared.diagnostics.some((d) => d.code === "no-missing-modifier"));
});
