import assert from "node:assert/strict";
import { test } from "node:test";
import { toJson } from "../../src/report/json.ts";
import { renderCsv } from "../../src/report/csv.ts";
import type { Summary } from "../../src/report/summary.ts";
import { formatCell, renderText } from "../../src/report/text.ts";

const summary: Summary = {
  title: "Example",
  facts: [["Clusters", 40]],
  tables: [{ columns: ["term", "estimate", "pValue"], rows: [["A", 1.23456789, 0.00001], ["A:M", -0.5, 0.2]] }],
  diagnostics: [{ code: "dropped-rows", severity: "info", message: "dropped 3 rows" }],
};

test("text rendering shows facts, an aligned table and diagnostics", () => {
  const text = renderText(summary);
  assert.match(text, /Clusters: 40/);
  assert.match(text, /A\s+1\.235\s+<1e-4/);
  assert.match(text, /\[info\] dropped-rows: dropped 3 rows/);
});

test("CSV holds the primary table at full precision", () => {
  assert.equal(renderCsv(summary), "term,estimate,pValue\nA,1.23456789,0.00001\nA:M,-0.5,0.2\n");
});

test("JSON writes non-finite numbers as null and explains them in diagnostics", () => {
  const parsed = JSON.parse(toJson({ a: NaN, b: [1, Infinity], c: Float64Array.from([2]), diagnostics: [] }));
  assert.equal(parsed.a, null);
  assert.deepEqual(parsed.b, [1, null]);
  assert.deepEqual(parsed.c, [2]);
  assert.equal(parsed.diagnostics.length, 1);
  assert.match(parsed.diagnostics[0].message, /a \(NaN\), b\[1\] \(Inf\)/);
});

test("only p-value columns show small values as <1e-4; proportions and probabilities keep their digits", () => {
  for (const column of ["p", "p.value", "pValue", "p-value", "pval"]) assert.equal(formatCell(0.00001, column), "<1e-4", column);
  for (const column of ["propMissing", "probability", "parameter"]) {
    assert.equal(formatCell(0, column), "0", column);
    assert.equal(formatCell(0.00001, column), "1.000e-5", column);
  }
});
