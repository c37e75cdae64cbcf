/** Numeric and error assertions shared by the tests. Arrays are compared elementwise. */
import assert from "node:assert/strict";
import { InputError } from "../../src/core/errors.ts";

type Numbers = number | ArrayLike<number>;

function each(actual: Numbers, expected: Numbers, what: string, ok: (a: number, e: number) => boolean, tolText: string): void {
  if (typeof actual === "number" || typeof expected === "number") {
    assert.ok(typeof actual === "number" && typeof expected === "number", `${what}: a number compared with an array`);
    assert.ok(ok(actual, expected), `${what}: ${actual} vs ${expected} (${tolText})`);
    return;
  }
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(ok(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]} (${tolText})`);
  }
}

/** |actual − expected| ≤ tol. */
export function closeAbs(actual: Numbers, expected: Numbers, tol: number, what: string): void {
  each(actual, expected, what, (a, e) => Math.abs(a - e) <= tol, `tol ${tol}`);
}

/** |actual − expected| ≤ tol·|expected| (|actual| ≤ tol when expected is 0). */
export function closeRel(actual: Numbers, expected: Numbers, tol: number, what: string): void {
  each(actual, expected, what, (a, e) => Math.abs(a - e) <= tol * (e === 0 ? 1 : Math.abs(e)), `relative tol ${tol}`);
}

/** |actual − expected| ≤ tol·(1 + |expected|): absolute near 0, relative for large values. */
export function near(actual: Numbers, expected: Numbers, tol: number, what: string): void {
  each(actual, expected, what, (a, e) => Math.abs(a - e) <= tol * (1 + Math.abs(e)), `tol ${tol}·(1 + |expected|)`);
}

/** `f` throws an InputError whose message equals `message` (a string) or matches it (a RegExp). */
export function throwsInput(f: () => unknown, message: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

/** Kolmogorov–Smirnov distance between the sample and a CDF (sorts the sample in place). */
export function ksDistance(sample: Float64Array, cdf: (x: number) => number): number {
  sample.sort();
  const n = sample.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sample[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
