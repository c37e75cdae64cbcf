/**
 * The browser app's worker replaces Math.exp, log, log1p and expm1 by the
 * stdlib ports of fdlibm (app/src/node-math.ts) so that its random draws
 * match the command line's. That holds while they return Node's bits: this
 * test says so, over wide ranges, near the edges and at special values. The
 * one exception is exp's subnormal results (x < −708.4, exp(x) < 2.2e−308),
 * which may differ in their last bit: they vanish next to any normal number.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { NODE_MATH as PORTS } from "../../app/src/node-math.ts";
import { createRng } from "../../src/random/index.ts";

/** Below this, exp(x) is subnormal. */
const SUBNORMAL_BELOW = -708.3964185322641;

/** Domains where the functions are used and where their algorithms switch branches. */
const RANGES: Record<keyof typeof PORTS, readonly (readonly [number, number])[]> = {
  exp: [[SUBNORMAL_BELOW, 710], [-1, 1], [-1e-8, 1e-8], [-40, 40]],
  log: [[1e-300, 1e-10], [0.5, 2], [1, 1e308], [0.999999, 1.000001]],
  log1p: [[-1, 0], [-1e-9, 1e-9], [-0.3, 0.5], [0, 1e300]],
  expm1: [[-60, 710], [-1e-9, 1e-9], [-0.35, 0.35], [-2, 2]],
};

const SPECIAL = [0, -0, 1, -1, 0.5, 2, Math.PI, Math.E, Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON, Infinity, -Infinity, NaN, 709.782712893384, -746];

test("the worker's exp, log, log1p and expm1 return Node's Math bits", () => {
  const rng = createRng(2024);
  for (const [name, port] of Object.entries(PORTS) as [keyof typeof PORTS, (x: number) => number][]) {
    const native = Math[name];
    const differ: number[] = [];
    const check = (x: number): void => {
      if (!Object.is(port(x), native(x)) && differ.length < 5) differ.push(x);
    };
    for (const [lo, hi] of RANGES[name]) for (let i = 0; i < 50_000; i++) check(lo + (hi - lo) * rng.uniform());
    for (const x of SPECIAL) check(x);
    assert.deepEqual(differ, [], `${name} differs from Node's Math.${name} at ${differ.join(", ")}`);
  }
  for (let i = 0; i < 10_000; i++) {
    const x = -745 + (SUBNORMAL_BELOW + 745) * rng.uniform();
    assert.ok(Math.abs(PORTS.exp(x) - Math.exp(x)) <= Number.MIN_VALUE, `exp(${x})`);
  }
});
