/**
 * exp, log, log1p and expm1 as Node computes them: fdlibm's algorithms, as
 * ported in the stdlib packages below, with V8's two departures: exp(1) is
 * Math.E exactly, and expm1 overflows only above log(MAX_VALUE), not at it. Browsers' engines may use other algorithms whose last bits
 * differ, and B-MMI chains carry such differences into their draws.
 * test/browser/node-math.test.ts checks the bits against Node's.
 */
import exp from "@stdlib/math-base-special-exp";
import expm1 from "@stdlib/math-base-special-expm1";
import ln from "@stdlib/math-base-special-ln";
import log1p from "@stdlib/math-base-special-log1p";

/** log(Number.MAX_VALUE): expm1 there is finite (MAX_VALUE rounded), as exp is. */
const LOG_MAX = 709.782712893384;

export const NODE_MATH = {
  exp: (x: number): number => (x === 1 ? Math.E : exp(x)),
  log: ln,
  log1p,
  expm1: (x: number): number => (x === LOG_MAX ? exp(x) : expm1(x)),
} as const;
