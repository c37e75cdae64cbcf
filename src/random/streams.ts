/**
 * Random streams named by what they are for: (seed, "bmmi", "M ~ X1*A*Y",
 * chain) rather than by a position in a list, so a result does not change
 * when other methods, models or chains are added, removed or reordered.
 */
import { createRng, type Rng } from "./rng.ts";

/** FNV-1a 32-bit hash of the UTF-8 bytes of `text`: a stable stream id for a name. */
export function hashName(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stream path: names (hashed) and non-negative integers (used as they are). */
export type StreamPath = readonly (string | number)[];

/** Stream ids of a path, for `createRng(seed, ...ids)`. */
export function streamIds(path: StreamPath): number[] {
  return path.map((part) => (typeof part === "string" ? hashName(part) : part));
}

/**
 * The random stream at `path` under `seed`.
 *
 * @example
 * const rng = namedStream(1, "bmmi", "M ~ X1*A*Y", 0); // chain 0 of B-MMI under that model
 */
export function namedStream(seed: number, ...path: StreamPath): Rng {
  return createRng(seed, ...streamIds(path));
}
