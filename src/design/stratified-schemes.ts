/**
 * Candidate allocations within strata (or matched pairs, strata of two): each
 * stratum s assigns tₛ of its nₛ clusters to intervention, so there are
 * Π C(nₛ, tₛ) schemes. They are enumerated as a Cartesian product of the
 * per-stratum subsets (first stratum varying slowest) or sampled uniformly
 * (a uniform subset in every stratum, duplicates redrawn).
 */
import { InputError } from "../core/errors.ts";
import type { Rng } from "../random/index.ts";
import { binomialCoefficient, enumerateSchemes, uniqueRowSampler } from "./schemes.ts";

/** Clusters of each stratum (by index) and the number treated in each. */
export interface StrataDesign {
  readonly members: readonly (readonly number[])[];
  readonly treated: readonly number[];
}

/**
 * Strata from a per-cluster stratum index: ⌊nₛ/2⌋ treated in each (pairs:
 * one of two). A stratum of one cluster cannot be randomized.
 */
export function strataDesign(strata: Int32Array, labels?: readonly string[]): StrataDesign {
  const members: number[][] = [];
  for (let i = 0; i < strata.length; i++) {
    const s = strata[i];
    if (!Number.isInteger(s) || s < 0) throw new InputError(`stratum index of cluster ${i} must be a non-negative integer, got ${s}`);
    while (members.length <= s) members.push([]);
    members[s].push(i);
  }
  members.forEach((m, s) => {
    if (m.length === 1) throw new InputError(`stratum ${s + 1} has one cluster (${labels?.[m[0]] ?? m[0]}); each stratum needs at least 2 clusters to randomize`);
  });
  const kept = members.filter((m) => m.length > 0);
  return { members: kept, treated: kept.map((m) => Math.floor(m.length / 2)) };
}

/** Π C(nₛ, tₛ). */
export function stratifiedTotal(design: StrataDesign): number {
  return design.members.reduce((t, m, s) => t * binomialCoefficient(m.length, design.treated[s]), 1);
}

/** Every stratified scheme (R × m, row-major). */
export function enumerateStratifiedSchemes(design: StrataDesign, m: number): Uint8Array {
  const total = stratifiedTotal(design);
  const out = new Uint8Array(total * m);
  const parts = design.members.map((members, s) => ({ members, schemes: enumerateSchemes(members.length, design.treated[s]) }));
  const counts = parts.map((p) => p.schemes.length / p.members.length);
  for (let r = 0; r < total; r++) {
    let rest = r;
    for (let s = parts.length - 1; s >= 0; s--) {
      const k = rest % counts[s];
      rest = Math.floor(rest / counts[s]);
      const { members, schemes } = parts[s];
      const n = members.length;
      for (let j = 0; j < n; j++) out[r * m + members[j]] = schemes[k * n + j];
    }
  }
  return out;
}

/** `count` unique stratified schemes drawn uniformly, in order of first draw. */
export function sampleStratifiedSchemes(design: StrataDesign, m: number, count: number, rng: Rng): Uint8Array {
  const perms = design.members.map((members) => [...members]);
  return uniqueRowSampler(m, count, (row) => {
    for (let s = 0; s < perms.length; s++) {
      const perm = perms[s];
      for (let j = 0; j < design.treated[s]; j++) {
        const pick = j + Math.floor(rng.uniform() * (perm.length - j));
        const t = perm[j];
        perm[j] = perm[pick];
        perm[pick] = t;
        row[perm[j]] = 1;
      }
    }
  });
}
