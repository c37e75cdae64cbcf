/**
 * Makes this worker compute exp, log, log1p and expm1 as Node does. Node's
 * Math functions are fdlibm's algorithms (as ported in the stdlib packages
 * below: the same bits, checked by test/browser/engine-math.test.ts);
 * browsers' engines may use others whose last bits differ, and B-MMI chains
 * carry such differences into their draws. Installed before any library
 * module runs (it is the worker's first import), so tables computed at load
 * time agree too.
 */
import exp from "@stdlib/math-base-special-exp";
import expm1 from "@stdlib/math-base-special-expm1";
import ln from "@stdlib/math-base-special-ln";
import log1p from "@stdlib/math-base-special-log1p";

export const NODE_MATH = { exp, log: ln, log1p, expm1 } as const;

Object.assign(Math, NODE_MATH);
