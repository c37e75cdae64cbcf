import assert from "node:assert/strict";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { singleLevelModel } from "../../src/missing/imputation-model.ts";
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

test("a modifier that never varies is refused with its value and count", () => {
  const data = readCsv(trialCsv((rows) => rows.forEach((r) => {
    if (r[2] !== "NA") r[2] = "1";
  })));
  throwsInput(() => prepareModifierData(data, COLUMNS, []), /modifier 'M' does not vary: it is 1 in all 16 observed rows, so its interaction with the treatment cannot be estimated/);
});

test("the modifier type: detected from the values, or given and checked", () => {
  const graded = readCsv(trialCsv((rows) => (rows[2][2] = "2")));
  const detected = prepareModifierData(graded, COLUMNS, []);
  assert.equal(detected.modifierType, "continuous");
  assert.match(detected.diagnostics.find((d) => d.code === "modifier-type")!.message, /modifier 'M' is continuous \(row 3 has 2, not 0 or 1\)/);
  const binary = prepareModifierData(readCsv(trialCsv()), COLUMNS, []);
  assert.equal(binary.modifierType, "binary");
  assert.ok(!binary.diagnostics.some((d) => d.code === "modifier-type"));
  const asContinuous = prepareModifierData(readCsv(trialCsv()), COLUMNS, [], { modifierType: "continuous" });
  assert.equal(asContinuous.modifierType, "continuous");
  assert.match(asContinuous.diagnostics.find((d) => d.code === "modifier-type")!.message, /only the values 0 and 1 but is imputed as continuous/);
  const twoValued = readCsv(trialCsv((rows) => rows.forEach((r) => {
    if (r[2] !== "NA") r[2] = r[2] === "1" ? "2" : "1";
  })));
  assert.match(prepareModifierData(twoValued, COLUMNS, []).diagnostics.find((d) => d.code === "modifier-type")!.message, /two values only: recode it 0\/1/);
});

/** The trial with M made cluster-level: cluster c's value is c mod 2, missing in clusters 2 and 5 and in row 1. */
function clusterLevelCsv(edit: (rows: string[][]) => void = () => {}): string {
  return trialCsv((rows) => {
    rows.forEach((r) => (r[2] = r[0] === "2" || r[0] === "5" ? "NA" : String(Number(r[0]) % 2)));
    rows[0][2] = "NA";
    edit(rows);
  });
}

test("a cluster-level modifier: one unit per cluster, partly observed clusters filled, and said so", () => {
  const prepared = prepareModifierData(readCsv(clusterLevelCsv()), COLUMNS, ["M ~ X1 + A"]);
  assert.equal(prepared.level, "cluster");
  assert.equal(prepared.units.n, 6);
  assert.deepEqual(Array.from(prepared.units.observed), [1, NaN, 1, 0, NaN, 0]);
  assert.equal(prepared.modifier[0], 1);
  assert.equal(prepared.nMissing, 8);
  assert.equal(prepared.designs[0].W.length, 6 * 3);
  // Cluster means of X1 (the analysed rows of each cluster).
  const x1 = [0, 1, 2, 3].map((j) => ((1 + j) % 4) / 2);
  assert.equal(prepared.designs[0].W[1], x1.reduce((s, v) => s + v, 0) / 4);
  const note = prepared.diagnostics.find((d) => d.code === "cluster-level-modifier")!.message;
  assert.equal(
    note,
    "modifier 'M' is constant within each of the 4 clusters where it is observed (4 of them with two or more observed values): it is imputed at the cluster level, one value for each of the 2 clusters without an observed value, " +
      "from a model of the clusters (cluster-level covariates and cluster means of individual-level ones; no random intercept); 1 missing row in 1 partly observed cluster takes its cluster's observed value",
  );
  assert.ok(!prepared.diagnostics.some((d) => d.code === "cluster-without-modifier"));
});

test("a cluster-level modifier's model: text covariates must be cluster-level, and the clusters must outnumber the coefficients", () => {
  const csv = clusterLevelCsv().split("\n");
  const withText = [csv[0] + ",sex", ...csv.slice(1).map((line, i) => `${line},${i % 2 === 0 ? "f" : "m"}`)].join("\n");
  throwsInput(
    () => prepareModifierData(readCsv(withText), COLUMNS, ["M ~ sex"]),
    /imputation covariate 'sex' is text and varies within cluster '1' of column 'cluster' \('f' at row 1, 'm' at row 2\)/,
  );
  const prepared = prepareModifierData(readCsv(clusterLevelCsv()), COLUMNS, ["M ~ X1*Y + A"]);
  throwsInput(
    () => singleLevelModel(prepared, prepared.designs[0]),
    /imputation model 'M ~ X1\*Y \+ A' has 5 coefficients but the modifier 'M' is observed in only 4 clusters: use a smaller model/,
  );
});
