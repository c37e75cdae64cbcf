/**
 * Agreement with R (fixtures/r/formula.R → test/fixtures/formula.json):
 * column names and term labels exactly, model-matrix values to 1e-12
 * (closed-form arithmetic; the JSON holds 15 significant digits), kept rows
 * and cluster ordering exactly.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import {
  deparse,
  formatRNumber,
  modelFrame,
  parseFormula,
  parseSyntax,
  sortText,
} from "../../src/formula/index.ts";

interface Case {
  name: string;
  formula: string;
  data?: string;
  weights?: string;
  lme4?: boolean;
  dropUnusedLevels?: boolean;
  columnNames: string[];
  termLabels: string[];
  assign: number[];
  X: number[][];
  rows: number[];
  y: number[];
  clusterRows?: number[];
  clusterIds?: string[];
  weightValues?: number[];
}

interface Fixture {
  data: Record<string, (number | string | null)[]>;
  data2: Record<string, (number | string | null)[]>;
  cases: Case[];
  deparse: { input: string; output: string }[];
  numbers: { value: string; text: string }[];
  textSort: { input: string[]; sorted: string[] };
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/formula.json", import.meta.url), "utf8"),
) as Fixture;
const datasets: Record<string, Dataset> = {
  data: datasetFromRecord(fixture.data),
  data2: datasetFromRecord(fixture.data2),
};

// Closed-form arithmetic on the same inputs; R's values were written with 15
// significant digits, so agreement is to about 1e-15 relative.
const TOL = 1e-12;

for (const c of fixture.cases) {
  test(`model frame agrees with R: ${c.name} (${c.formula})`, () => {
    const data = datasets[c.data ?? "data"];
    const frame = modelFrame(data, c.formula, {
      ...(c.weights ? { weights: c.weights } : {}),
      ...(c.dropUnusedLevels !== undefined ? { dropUnusedLevels: c.dropUnusedLevels } : {}),
    });
    assert.deepEqual(
      frame.parsed.terms.map((t) => t.label),
      c.termLabels,
      "term labels",
    );
    assert.deepEqual([...frame.columnNames], c.columnNames, "column names");
    assert.deepEqual([...frame.design.assign], c.assign, "assign");
    const expectedRows = c.clusterRows ?? c.rows;
    assert.deepEqual(Array.from(frame.rows), expectedRows, "rows kept (and their order)");
    assert.equal(frame.nDropped, data.nRows - c.rows.length);
    assert.equal(frame.X.rows, c.rows.length);
    assert.equal(frame.X.cols, c.columnNames.length);
    // R's matrix rows are in data order; ours are in cluster order when clustered.
    const position = new Map(c.rows.map((r, i) => [r, i]));
    let maxDiff = 0;
    for (let i = 0; i < frame.X.rows; i++) {
      const ri = position.get(frame.rows[i])!;
      for (let j = 0; j < frame.X.cols; j++) {
        const ours = frame.X.data[i * frame.X.cols + j];
        const theirs = c.X[ri][j];
        maxDiff = Math.max(maxDiff, Math.abs(ours - theirs) / (1 + Math.abs(theirs)));
      }
      const yd = Math.abs(frame.y[i] - c.y[ri]) / (1 + Math.abs(c.y[ri]));
      assert.ok(yd <= TOL, `y[${i}]: ${frame.y[i]} vs ${c.y[ri]}`);
    }
    assert.ok(maxDiff <= TOL, `max relative difference in X ${maxDiff}`);
    if (c.clusterIds) {
      assert.deepEqual([...frame.clusters!.ids], c.clusterIds);
      assert.equal(frame.clusters!.column, "cl");
    }
    if (c.weightValues) {
      assert.deepEqual(Array.from(frame.weights!), c.weightValues);
    }
  });
}

test("deparse writes expressions as R's deparse() does", () => {
  for (const { input, output } of fixture.deparse) {
    assert.equal(deparse(parseSyntax(input, "expression")), output, input);
  }
});

test("formatRNumber writes doubles as R's as.character() does", () => {
  for (const { value, text } of fixture.numbers) {
    assert.equal(formatRNumber(Number(value)), text, value);
  }
});

test("text levels sort as R's sort() does (ICU collation)", () => {
  assert.deepEqual(sortText(fixture.textSort.input), fixture.textSort.sorted);
});

test("parseFormula gives R's term labels without data", () => {
  for (const c of fixture.cases) {
    assert.deepEqual(
      parseFormula(c.formula).terms.map((t) => t.label),
      c.termLabels,
      c.formula,
    );
  }
});
