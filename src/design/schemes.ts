/**
 * Candidate allocations of constrained randomization (randomize.ts): every
 * C(m, m₁) scheme in lexicographic order, or a sample of unique schemes.
 * A scheme matrix is R × m, row-major, 1 = intervention.
 */
import { fmix32, type Rng } from "../random/index.ts";

/** C(m, k) as a double (exact below 2⁵³). */
export function binomialCoefficient(m: number, k: number): number {
  const kk = Math.min(k, m - k);
  let c = 1;
  for (let i = 1; i <= kk; i++) c = (c * (m - kk + i)) / i;
  return Math.round(c);
}

/** Stage 2a: all C(m, m₁) schemes, treated sets in lexicographic order (as R's combn). */
export function enumerateSchemes(m: number, treated: number): Uint8Array {
  const total = binomialCoefficient(m, treated);
  const out = new Uint8Array(total * m);
  const c = new Int32Array(treated);
  for (let j = 0; j < treated; j++) c[j] = j;
  for (let r = 0; r < total; r++) {
    const base = r * m;
    for (let j = 0; j < treated; j++) out[base + c[j]] = 1;
    // next combination: bump the rightmost index that can move, reset the rest
    let j = treated - 1;
    while (j >= 0 && c[j] === m - treated + j) j--;
    if (j < 0) break;
    c[j]++;
    for (let t = j + 1; t < treated; t++) c[t] = c[t - 1] + 1;
  }
  return out;
}

/** A 53-bit hash of the allocation bitset of row `r`. */
function rowHash(s: Uint8Array, base: number, m: number): number {
  let h1 = 0x9e3779b9;
  let h2 = 0x6a09e667;
  for (let start = 0; start < m; start += 32) {
    let word = 0;
    const end = Math.min(m, start + 32);
    for (let i = start; i < end; i++) if (s[base + i] === 1) word |= 1 << (i - start);
    h1 = fmix32((h1 ^ word) + 0x7f4a7c15);
    h2 = fmix32(Math.imul(h2 ^ (word >>> 0), 0x01000193) + start);
  }
  return h1 * 2097152 + (h2 >>> 11);
}

function sameRow(s: Uint8Array, a: number, b: number, m: number): boolean {
  for (let i = 0; i < m; i++) if (s[a * m + i] !== s[b * m + i]) return false;
  return true;
}

/**
 * `count` unique rows of length m, each filled by `fill` (which sets the 1s
 * of a zeroed row), in order of first draw: a duplicate is drawn again into
 * the same row.
 */
export function uniqueRowSampler(m: number, count: number, fill: (row: Uint8Array) => void): Uint8Array {
  const out = new Uint8Array(count * m);
  const seen = new Map<number, number[]>();
  let r = 0;
  while (r < count) {
    const base = r * m;
    const row = out.subarray(base, base + m);
    row.fill(0);
    fill(row);
    const h = rowHash(out, base, m);
    const bucket = seen.get(h);
    if (bucket === undefined) {
      seen.set(h, [r]);
    } else {
      if (bucket.some((b) => sameRow(out, b, r, m))) continue;
      bucket.push(r);
    }
    r++;
  }
  return out;
}

/**
 * Stage 2b: `count` unique schemes drawn uniformly (each a uniform m₁-subset
 * by partial Fisher–Yates), kept in order of first draw. `count` must not
 * exceed C(m, m₁).
 */
export function sampleSchemes(m: number, treated: number, count: number, rng: Rng): Uint8Array {
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  return uniqueRowSampler(m, count, (row) => {
    for (let j = 0; j < treated; j++) {
      const pick = j + Math.floor(rng.uniform() * (m - j));
      const t = perm[j];
      perm[j] = perm[pick];
      perm[pick] = t;
    }
    for (let j = 0; j < treated; j++) row[perm[j]] = 1;
  });
}

/** Row r of a scheme matrix (a view, not a copy). */
export function schemeRow(schemes: Uint8Array, m: number, r: number): Uint8Array {
  return schemes.subarray(r * m, (r + 1) * m);
}
