/**
 * Seeded random streams.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128 bits of state,
 * 32-bit integer arithmetic only (fast in JavaScript), and it passes BigCrush.
 * Independent streams are derived by hashing (seed, id, id, ...) into the
 * state, so replicate r, chain k always gets the same numbers however work is
 * split across workers, shards or machines.
 */

import { pnorm } from "../distributions/index.ts";

/** 2⁻⁵³. */
const TWO_M53 = 1.1102230246251565e-16;

/** A source of random numbers. Every stochastic function takes one explicitly. */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal draw. */
  normal(): number;
  /** Standard exponential draw. */
  exponential(): number;
}

/** murmur3's 32-bit finaliser: a bijective avalanche mix of a 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkId(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** Splits a non-negative safe integer into two 32-bit words (low, high). */
function words(value: number): [number, number] {
  return [value >>> 0, Math.floor(value / 4294967296) >>> 0];
}

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: Uint32Array) {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  /** xoshiro128**, written with few bytecodes so that V8 inlines it at every call site. */
  uint32(): number {
    const s1 = this.s1;
    const s2 = this.s2 ^ this.s0;
    const s3 = this.s3 ^ s1;
    const y = s1 * 5; // exact in double; the shifts below reduce it modulo 2^32
    const r = (((y << 7) | (y >>> 25)) * 9) >>> 0;
    this.s0 ^= s3;
    this.s1 = s1 ^ s2;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return r;
  }

  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) * TWO_M53;
  }

  /**
   * Ziggurat method (Marsaglia & Tsang 2000) with 256 layers over the
   * half-normal, exact: the tail beyond r by Marsaglia's exponential method,
   * the wedges by a 53-bit uniform under the curve. Two 32-bit words per draw:
   * the low 8 bits pick the layer, bit 8 the sign, and the other 23 + 30 bits
   * form a 53-bit uniform, so the value bits are independent of the layer bits.
   * The common case (inside the layer's rectangle, ~99%) is kept small so
   * that it inlines; the rest is normalSlow().
   */
  normal(): number {
    const a = this.uint32();
    const b = this.uint32();
    const i = a & 255;
    const hi = a >>> 9;
    if (hi < NORMAL_K[i]) {
      const x = (hi * 1073741824 + (b >>> 2)) * TWO_M53 * NORMAL_X[i];
      return (a & 256) === 0 ? x : -x;
    }
    // Arguments are small integers, which V8 passes without allocating.
    return +this.normalSlow(i, hi, b >>> 2, a & 256);
  }

  /** The rest of the normal ziggurat, for layer i, uniform (hi·2³⁰ + lo)·2⁻⁵³ and sign bit. */
  private normalSlow(i: number, hi: number, lo: number, negative: number): number {
    for (;;) {
      const x = (hi * 1073741824 + lo) * TWO_M53 * NORMAL_X[i];
      let v = -1;
      if (i === 0) {
        v = x < NORMAL_R ? x : normalTail(this); // base layer: rectangle or tail
      } else if (x < NORMAL_X[i + 1]) {
        v = x;
      } else {
        const f0 = NORMAL_F[i];
        if (f0 + this.uniform() * (NORMAL_F[i + 1] - f0) < Math.exp(-0.5 * x * x)) v = x; // wedge
      }
      if (v >= 0) return negative === 0 ? v : -v;
      const a = this.uint32();
      const b = this.uint32();
      i = a & 255;
      hi = a >>> 9;
      lo = b >>> 2;
      negative = a & 256;
    }
  }

  /**
   * Ziggurat method with 256 layers for the standard exponential; same layout
   * as normal() (8 layer bits, then a 24 + 29-bit uniform); the tail beyond r
   * by memorylessness (r plus a fresh draw).
   */
  exponential(): number {
    const a = this.uint32();
    const b = this.uint32();
    const i = a & 255;
    const hi = a >>> 8;
    if (hi < EXPONENTIAL_K[i]) return (hi * 536870912 + (b >>> 3)) * TWO_M53 * EXPONENTIAL_X[i];
    return +this.exponentialSlow(i, hi, b >>> 3);
  }

  /** The rest of the exponential ziggurat, for layer i and uniform (hi·2²⁹ + lo)·2⁻⁵³. */
  private exponentialSlow(i: number, hi: number, lo: number): number {
    let shift = 0;
    for (;;) {
      const x = (hi * 536870912 + lo) * TWO_M53 * EXPONENTIAL_X[i];
      if (i === 0) {
        if (x < EXPONENTIAL_R) return shift + x;
        shift += EXPONENTIAL_R; // the tail: r + a fresh draw
      } else {
        if (x < EXPONENTIAL_X[i + 1]) return shift + x;
        const f0 = EXPONENTIAL_F[i];
        if (f0 + this.uniform() * (EXPONENTIAL_F[i + 1] - f0) < Math.exp(-x)) return shift + x; // wedge
      }
      const a = this.uint32();
      const b = this.uint32();
      i = a & 255;
      hi = a >>> 8;
      lo = b >>> 3;
      if (hi < EXPONENTIAL_K[i]) return shift + (hi * 536870912 + lo) * TWO_M53 * EXPONENTIAL_X[i];
    }
  }
}

/** A half-normal draw conditioned on exceeding NORMAL_R (Marsaglia 1964). */
function normalTail(rng: Rng): number {
  for (;;) {
    const x = rng.exponential() / NORMAL_R;
    const y = rng.exponential();
    if (2 * y > x * x) return NORMAL_R + x;
  }
}

/**
 * Ziggurat tables for a decreasing density f on [0, ∞) cut into `n` layers of
 * equal area v: x[1] = r, f(x[i+1]) = f(x[i]) + v/x[i], x[n] = 0, and the base
 * layer (rectangle [0, r] × [0, f(r)] plus the tail) gets the virtual width
 * x[0] = v/f(r). A value u·x[i] is inside the curve for sure when u < x[i+1]/x[i];
 * k[i] is that ratio scaled to the `bits` high bits used for the fast check.
 */
interface Ziggurat {
  readonly x: Float64Array;
  readonly f: Float64Array;
  readonly k: Uint32Array;
  readonly r: number;
}

function buildZiggurat(
  n: number,
  bits: number,
  f: (x: number) => number,
  fInverse: (y: number) => number,
  tailArea: (r: number) => number,
  rLow: number,
  rHigh: number,
): Ziggurat {
  // The top of the last layer, minus 1 (= f(0)), for a trial r: positive when
  // the layers reach the top too early (r too small).
  const excess = (r: number): number => {
    const v = r * f(r) + tailArea(r);
    let x = r;
    for (let i = 1; i < n - 1; i++) {
      const y = f(x) + v / x;
      if (y >= 1) return 1;
      x = fInverse(y);
    }
    return f(x) + v / x - 1;
  };
  let lo = rLow;
  let hi = rHigh;
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  const r = hi;
  const v = r * f(r) + tailArea(r);
  const x = new Float64Array(n + 1);
  const fx = new Float64Array(n + 1);
  x[0] = v / f(r);
  x[1] = r;
  for (let i = 1; i < n - 1; i++) x[i + 1] = fInverse(f(x[i]) + v / x[i]);
  x[n] = 0;
  for (let i = 0; i <= n; i++) fx[i] = f(x[i]);
  fx[n] = 1;
  const k = new Uint32Array(n);
  const scale = 2 ** bits;
  for (let i = 0; i < n; i++) k[i] = Math.floor(scale * (x[i + 1] / x[i]));
  return { x, f: fx, k, r };
}

const NORMAL = buildZiggurat(
  256,
  23,
  (x) => Math.exp(-0.5 * x * x),
  (y) => Math.sqrt(-2 * Math.log(y)),
  (r) => Math.sqrt(2 * Math.PI) * pnorm(-r),
  3,
  4,
);
const NORMAL_R = NORMAL.r;
const NORMAL_X = NORMAL.x;
const NORMAL_F = NORMAL.f;
const NORMAL_K = NORMAL.k;
const EXPONENTIAL = buildZiggurat(
  256,
  24,
  (x) => Math.exp(-x),
  (y) => -Math.log(y),
  (r) => Math.exp(-r),
  6,
  9,
);
const EXPONENTIAL_R = EXPONENTIAL.r;
const EXPONENTIAL_X = EXPONENTIAL.x;
const EXPONENTIAL_F = EXPONENTIAL.f;
const EXPONENTIAL_K = EXPONENTIAL.k;

/** The ziggurat tail cut-offs, for the tests. @internal */
export const zigguratCutoffs = { normal: NORMAL_R, exponential: EXPONENTIAL_R } as const;

/**
 * The random stream for `seed` and the stream ids (e.g. replicate, chain).
 * Different id tuples give statistically independent streams.
 *
 * @example
 * const rng = createRng(2024, 17, 0); // seed 2024, replicate 17, chain 0
 * rng.normal();
 */
export function createRng(seed: number, ...streamIds: number[]): Rng {
  checkId(seed, "seed");
  const input: number[] = [...words(seed), streamIds.length];
  for (const id of streamIds) {
    checkId(id, "stream id");
    input.push(...words(id));
  }
  // Absorb the words into four lanes, then mix each lane with its own constant.
  const state = new Uint32Array(4);
  let h = 0x9e3779b9;
  for (let lane = 0; lane < 4; lane++) {
    h = fmix32(h ^ Math.imul(lane + 1, 0x7f4a7c15));
    for (const w of input) h = fmix32((h ^ w) + 0x6a09e667);
    state[lane] = h;
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  const rng = new Xoshiro128(state);
  // Discard a few outputs so nearby seeds decorrelate fully.
  for (let i = 0; i < 8; i++) rng.uint32();
  return rng;
}
