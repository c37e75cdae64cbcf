/**
 * Column names of any script and names starting with '_' work in formulas
 * without backticks, in every position a name can take, and the terms are
 * named exactly as the columns (plus R's interaction and level suffixes).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { deparse, modelFrame, parseFormula, parseSyntax } from "../../src/formula/index.ts";
import { glm } from "../../src/models/glm/index.ts";

const NAMES = ["âge", "größe", "年龄", "_x", "x_1", ".hidden", "e\u0301tat" /* é decomposed: e + combining acute */];

const data = datasetFromRecord({
  Y: [1.2, 0.4, 2.2, 1.9, 0.3, 1.7, 2.8, 1.1],
  âge: [31, 45, 28, 52, 39, 61, 47, 35],
  größe: [1, 2, 3, 1, 2, 3, 1, 2],
  年龄: [0.5, -1, 2, 0.3, 1.5, -0.2, 0.8, 1.1],
  _x: [0, 1, 0, 1, 1, 0, 1, 0],
  x_1: [2, 4, 1, 3, 5, 2, 4, 3],
  ".hidden": [1, 1, 2, 2, 3, 3, 4, 5],
  "e\u0301tat": [3, 1, 4, 1, 5, 9, 2, 6],
});

test("names of any script and '_'-prefixed names parse as names without backticks and deparse unquoted", () => {
  for (const name of NAMES) {
    const e = parseSyntax(`${name} + 1`, "expression");
    assert.equal(e.kind, "binary");
    assert.deepEqual(e.kind === "binary" ? e.left : null, { kind: "name", name, pos: 0 }, name);
    assert.equal(deparse(e), `${name} + 1`, name);
    // Backticks still work and mean the same name.
    assert.deepEqual(parseFormula(`Y ~ \`${name}\``).variables.map((v) => v.name), [name]);
  }
  // Non-syntactic names are still quoted, so a deparsed name always parses back.
  assert.equal(deparse(parseSyntax("`my var` + `2x`", "expression")), "`my var` + `2x`");
  assert.throws(() => parseFormula("Y ~ 2größe"), (e: unknown) => e instanceof InputError && /malformed number '2g'/.test(e.message));
});

test("term names equal the column names, in interactions, factor() and transformations", () => {
  const f = modelFrame(data, "Y ~ âge*_x + factor(größe) + 年龄:x_1 + I(âge^2) + .hidden + e\u0301tat");
  assert.deepEqual(f.columnNames, [
    "(Intercept)",
    "âge",
    "_x",
    "factor(größe)2",
    "factor(größe)3",
    "I(âge^2)",
    ".hidden",
    "e\u0301tat",
    "âge:_x",
    "年龄:x_1",
  ]);
  // The same frame as with backticks: names are names however they are written.
  const quoted = modelFrame(data, "Y ~ `âge`*`_x` + factor(`größe`) + `年龄`:x_1 + I(`âge`^2) + .hidden + `e\u0301tat`");
  assert.deepEqual(quoted.columnNames, f.columnNames);
  assert.deepEqual(Array.from(quoted.X.data), Array.from(f.X.data));
  // And the names reach the coefficient table unchanged.
  const fit = glm(modelFrame(data, "Y ~ âge + 年龄 + _x"), { family: "gaussian" });
  assert.deepEqual(fit.table.map((c) => c.term), ["(Intercept)", "âge", "年龄", "_x"]);
});

test("a non-ASCII response and interaction operators next to non-ASCII names need no spaces", () => {
  const d = datasetFromRecord({ größe: [1.5, 2.5, 1.0, 3.5, 2.0, 2.2], âge: [1, 2, 3, 4, 5, 7], 年龄: [2, 1, 2, 1, 2, 3] });
  const f = modelFrame(d, "größe~âge*年龄");
  assert.equal(f.response, "größe");
  assert.deepEqual(f.columnNames, ["(Intercept)", "âge", "年龄", "âge:年龄"]);
});
