/**
 * Seeded random streams.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128 bits of state,
 * 32-bit integer arithmetic only (fast in JavaScript), and it passes BigCrush.
 * Independent streams are derived by hashing (seed, id, id, ...) into the
 * state, so replicate r, chain k always gets the same numbers however work is
 * split across workers, shards or machines.
 */

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

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
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
  private spare = 0;
  private hasSpare = false;

  constructor(state: Uint32Array) {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  uint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16; // 2^-53
  }

  /** Marsaglia's polar method; the second draw of each pair is kept for the next call. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  exponential(): number {
    return -Math.log1p(-this.uniform());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

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
