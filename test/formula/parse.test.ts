import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFormula } from "../../src/formula/index.ts";
import { throwsInput } from "../helpers/assert.ts";

function labels(f: string): string[] {
  return parseFormula(f).terms.map((t) => t.label);
}

test("syntax errors quote the formula and give a 1-based position", () => {
  throwsInput(() => parseFormula("Y ~ A * "), "formula 'Y ~ A * ': expected a term at position 9");
  throwsInput(() => parseFormula("Y ~ A + * M"), "formula 'Y ~ A + * M': expected a term but found '*' at position 9");
  throwsInput(() => parseFormula("Y ~ A M"), "formula 'Y ~ A M': unexpected 'M' (missing operator?) at position 7");
  throwsInput(() => parseFormula("Y ~ (A + M"), "formula 'Y ~ (A + M': missing ')' to close '(' opened at position 5 at position 11");
  throwsInput(() => parseFormula("Y ~ A + M)"), "formula 'Y ~ A + M)': unexpected ')' at position 10");
  throwsInput(() => parseFormula("Y ~ A $ M"), "formula 'Y ~ A $ M': unexpected character '$' at position 7");
  throwsInput(() => parseFormula("Y ~ log(X1"), /missing '\)' to close 'log\(' opened at position 5 at position 11$/);
  throwsInput(() => parseFormula("Y ~ A %o% M"), /unsupported operator '%o%' at position 7/);
  throwsInput(() => parseFormula("Y ~ 2a"), /malformed number '2a' at position 5/);
});

test("empty formulas, missing '~' and misplaced '~' are refused", () => {
  throwsInput(() => parseFormula(""), "formula is empty");
  throwsInput(() => parseFormula("   "), "formula is empty");
  throwsInput(() => parseFormula("Y + A"), "formula 'Y + A' has no '~'; write it as 'Y ~ Y + A'");
  throwsInput(() => parseFormula("Y ~ A ~ B"), "formula 'Y ~ A ~ B': unexpected '~' at position 3");
  throwsInput(() => parseFormula("Y ~ A + (B ~ C)"), "formula 'Y ~ A + (B ~ C)': unexpected '~' at position 12");
});

test("unsupported constructs are refused with their position", () => {
  throwsInput(() => parseFormula("Y ~ A + 2"), "formula 'Y ~ A + 2': a number (2) cannot be a term; only 0 and 1 (the intercept) can at position 9");
  throwsInput(() => parseFormula("Y ~ poly(X1, 2)"), /unsupported function 'poly'.* at position 5/);
  throwsInput(() => parseFormula("Y ~ I(A:M)"), /operator ':' cannot be used in arithmetic .* at position 8/);
  throwsInput(() => parseFormula("Y ~ (A + M)^0"), /the power in '\(A \+ M\)\^0' must be a positive whole number at position 12/);
  throwsInput(() => parseFormula("Y ~ (A + M)^X1"), /must be a positive whole number/);
  throwsInput(() => parseFormula("Y ~ A + (X1 | g)"), /'\(X1 \| g\)': only random intercepts \(1 \| g\) are supported at position 9/);
  throwsInput(() => parseFormula("Y ~ A + (1 | g:h)"), /grouping factor must be a single column name/);
  throwsInput(() => parseFormula("Y ~ A + 1 | g"), /must be in parentheses/);
  throwsInput(() => parseFormula("Y ~ A * (1 | g)"), /can only be added to the model/);
  throwsInput(() => parseFormula("Y ~ A * cluster(H1)"), /cluster\(...\) can only be added to the model/);
  throwsInput(() => parseFormula("Y ~ X1 + cluster(log(H1))"), /cluster\(...\) takes column names/);
  throwsInput(() => parseFormula("Y ~ factor(A, B)"), /factor\(\) takes exactly one argument/);
  throwsInput(() => parseFormula("Y ~ I(factor(A))"), /factor\(\) cannot be used inside arithmetic/);
  throwsInput(() => parseFormula("factor(Y) ~ A"), /the response must be numeric/);
  throwsInput(() => parseFormula("Y:Z ~ A"), /the response must be a single variable/);
  throwsInput(() => parseFormula("Y ~ ."), "formula 'Y ~ .': '.' (all other columns) is not supported; list the variables at position 5");
  throwsInput(() => parseFormula("Y ~ A + Y"), "formula 'Y ~ A + Y': the response Y also appears on the right-hand side");
});

test("terms are expanded and ordered as R's terms() does", () => {
  assert.deepEqual(labels("M ~ (X1 + X2)*A*Y"), [
    "X1", "X2", "A", "Y", "X1:A", "X2:A", "X1:Y", "X2:Y", "A:Y", "X1:A:Y", "X2:A:Y",
  ]);
  assert.deepEqual(labels("y ~ b + a:b"), ["b", "b:a"]);
  assert.deepEqual(labels("y ~ (a+b+c)^2"), ["a", "b", "c", "a:b", "a:c", "b:c"]);
  assert.deepEqual(labels("y ~ (a+b)/c"), ["a", "b", "a:b:c"]);
  assert.deepEqual(labels("y ~ a %in% b"), ["a:b"]);
  assert.deepEqual(labels("y ~ a*b*c - b"), ["a", "c", "a:b", "a:c", "b:c", "a:b:c"]);
  assert.deepEqual(labels("y ~ (a+b):(c+d)"), ["a:c", "a:d", "b:c", "b:d"]);
  assert.deepEqual(labels("y ~ a + -b"), ["a"]);
  assert.deepEqual(labels("y ~ a*b + b:a"), ["a", "b", "a:b"]);
  assert.deepEqual(labels("y ~ a^2"), ["a"]);
  assert.deepEqual(labels("y ~ (a)"), ["a"]);
  assert.deepEqual(labels("y ~ a**2"), ["a"]);
});

test("the intercept follows 1, 0, -1 and -0 in order, as in R", () => {
  assert.equal(parseFormula("y ~ a").intercept, true);
  assert.equal(parseFormula("y ~ -1 + a").intercept, false);
  assert.equal(parseFormula("y ~ a - 1").intercept, false);
  assert.equal(parseFormula("y ~ 0 + a").intercept, false);
  assert.equal(parseFormula("y ~ a + 0").intercept, false);
  assert.equal(parseFormula("y ~ a + b - 1 + 1").intercept, true);
  assert.equal(parseFormula("y ~ 0 + a - 0").intercept, true);
  assert.equal(parseFormula("y ~ a - (1 + b)").intercept, false);
  assert.deepEqual(labels("y ~ a - (1 + b)"), ["a"]);
  assert.deepEqual(labels("y ~ 1"), []);
});

test("variable names are R's deparsed text; spelling variants are one variable", () => {
  const f = parseFormula("log( Y+10 ) ~ I(X1^2) + log(X2+10) + log(X2 + 10):A + exp(X1/2)");
  assert.equal(f.response!.name, "log(Y + 10)");
  assert.deepEqual(f.variables.map((v) => v.name), ["I(X1^2)", "log(X2 + 10)", "A", "exp(X1/2)"]);
  assert.deepEqual(labels("Y ~ I(X1^2) + log(X2+10) + log(X2 + 10):A"), ["I(X1^2)", "log(X2 + 10)", "log(X2 + 10):A"]);
  assert.equal(parseFormula("Y ~ I(X1^2L)").variables[0].name, "I(X1^2)"); // as R's term label
  assert.deepEqual(f.variables.map((v) => v.role), ["expression", "expression", "column", "expression"]);
  const g = parseFormula("Y ~ `my var` + factor(`site id`)");
  assert.deepEqual(g.variables.map((v) => v.name), ["`my var`", "factor(`site id`)"]);
  assert.deepEqual(g.variables.map((v) => v.columns), [["my var"], ["site id"]]);
});

test("variables of removed terms stay in the variable list (their NAs still drop rows)", () => {
  const f = parseFormula("Y ~ A*M - M");
  assert.deepEqual(f.variables.map((v) => v.name), ["A", "M"]);
  assert.deepEqual(labels("Y ~ A*M - M"), ["A", "A:M"]);
});

test("random intercepts and cluster(...) are collected apart from the terms", () => {
  const f = parseFormula("Y ~ A*M + (1 | cluster) + X1 + cluster(H1 + H2 + N)");
  assert.deepEqual(labels(f.formula), ["A", "M", "X1", "A:M"]);
  assert.deepEqual(f.randomTerms, [{ term: "(Intercept)", group: "cluster" }]);
  assert.deepEqual(f.clusterVariables, ["H1", "H2", "N"]);
  assert.deepEqual(parseFormula("Y ~ X1 + cluster(H1, N)").clusterVariables, ["H1", "N"]);
  assert.deepEqual(f.variables.map((v) => v.name), ["A", "M", "X1"]);
});

test("factor coding follows R: contrasts when the margin is present", () => {
  const code = (f: string) => parseFormula(f).terms.map((t) => t.coding.join(","));
  // factor:numeric without the numeric main effect: full coding of the factor
  // (X1's code is irrelevant: it is numeric; R's factors attribute also says 2)
  assert.deepEqual(code("Y ~ A + f:X1"), ["contrasts", "full,full"]);
  assert.deepEqual(code("y ~ a*b - b"), ["contrasts", "full,contrasts"]);
  assert.deepEqual(code("Y ~ f*A"), ["contrasts", "contrasts", "contrasts,contrasts"]);
  // a:b:c after a:b: c gets contrasts, a and b full (R's factors attribute 2, 2, 1)
  assert.deepEqual(code("y ~ a:b:c + a:b"), ["full,full", "full,full,contrasts"]);
  // the margin only needs to be contained in a preceding term (R: x:z has
  // factors 2, 2; x:f has 2 for x and 1 for f)
  assert.deepEqual(code("y ~ x:z + f:x"), ["full,full", "full,contrasts"]);
});

test("parsed formulas are frozen", () => {
  const f = parseFormula("Y ~ A");
  assert.ok(Object.isFrozen(f));
  assert.ok(Object.isFrozen(f.terms));
});
