import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { clusterIndex, clusterIndexOf, clusterSizes } from "../../src/data/clusters.ts";
import { readCsv } from "../../src/data/csv.ts";
import { cellKey, numericColumn } from "../../src/data/dataset.ts";

test("CSV cells '', NA and . are missing; numeric columns are typed", () => {
  const data = readCsv("cluster,A,Y,site\n1,0,2.5,a\n1,0,NA,b\n2,1,.,a\n2,1,,c\n");
  assert.equal(data.nRows, 4);
  const y = numericColumn(data, "Y");
  assert.equal(y[0], 2.5);
  assert.ok(Number.isNaN(y[1]) && Number.isNaN(y[2]) && Number.isNaN(y[3]));
  assert.equal(data.columns.get("site")?.kind, "text");
});

test("a non-numeric cell in a numeric variable is named with its row and value", () => {
  const data = readCsv("cluster,Y\n1,2\n1,3\n2,abc\n");
  assert.throws(() => numericColumn(data, "Y"), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /column 'Y' row 3 has non-numeric value 'abc'/);
    return true;
  });
});

test("an unknown column lists the available ones", () => {
  const data = readCsv("a,b\n1,2\n");
  assert.throws(() => numericColumn(data, "c"), /unknown column 'c'; the data have columns: a, b/);
});

test("empty data, a header without rows and ragged rows are refused", () => {
  assert.throws(() => readCsv(""), /empty/);
  assert.throws(() => readCsv("a,b\n"), /no data rows/);
  assert.throws(() => readCsv("a,b\n1,2\n3\n"), InputError);
  assert.throws(() => readCsv("a,a\n1,2\n"), /appears more than once/);
});

test("cluster index groups rows in order of first appearance, stable within clusters", () => {
  const idx = clusterIndex(["b", "a", "b", "c", "a"]);
  assert.deepEqual(idx.ids, ["b", "a", "c"]);
  assert.deepEqual(Array.from(idx.order), [0, 2, 1, 4, 3]);
  assert.deepEqual(Array.from(idx.starts), [0, 2, 4, 5]);
  assert.deepEqual(Array.from(clusterSizes(idx)), [2, 2, 1]);
  assert.throws(() => clusterIndex(["a", null], "site"), /column 'site' row 2 is missing/);
});

test("clusterIndexOf groups a column's rows as clusterIndex of their cell keys", () => {
  const numeric = { name: "c", kind: "numeric", values: Float64Array.from([3, 0, -0, 2.5, 3, 1e21, 0, 2.5]) } as const;
  const text = { name: "c", kind: "text", values: ["b", "a", null, "b", "c"] } as const;
  for (const rows of [[0, 1, 2, 3, 4, 5, 6, 7], [7, 5, 2, 0], [4, 4, 1]]) {
    const expected = clusterIndex(rows.map((i) => cellKey(numeric, i)), "site");
    assert.deepStrictEqual(clusterIndexOf(numeric, rows, "site"), expected);
  }
  assert.deepStrictEqual(clusterIndexOf(text, [0, 1, 3, 4], "site"), clusterIndex(["b", "a", "b", "c"], "site"));
  assert.throws(() => clusterIndexOf(text, [0, 2], "site"), /column 'site' row 2 is missing/);
  const withNaN = { name: "c", kind: "numeric", values: Float64Array.from([1, NaN]) } as const;
  assert.throws(() => clusterIndexOf(withNaN, [0, 1], "site"), /column 'site' row 2 is missing/);
});
