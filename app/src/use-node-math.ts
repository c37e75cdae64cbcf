/**
 * Makes this worker's Math compute exp, log, log1p and expm1 as Node does
 * (node-math.ts), so its results equal the command line's bit for bit. The
 * worker's first import: it runs before any library module, so tables those
 * compute when loaded agree too.
 */
import { NODE_MATH } from "./node-math.ts";

Object.assign(Math, NODE_MATH);
