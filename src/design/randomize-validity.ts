/**
 * Checks on the acceptable allocations of a constrained randomization
 * (randomize.ts): clusters always or never treated, pairs of clusters always
 * together or apart (except matched pairs, apart by design), too few schemes.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import type { StrataDesign } from "./stratified-schemes.ts";

export function clusterName(i: number, labels: readonly string[] | undefined): string {
  return labels ? `cluster ${labels[i]}` : `cluster ${i}`;
}

/** The partner of each cluster in a stratum of two (−1 otherwise). */
export function matchedPairs(strata: StrataDesign, m: number): Int32Array {
  const partner = new Int32Array(m).fill(-1);
  for (const members of strata.members) {
    if (members.length !== 2) continue;
    partner[members[0]] = members[1];
    partner[members[1]] = members[0];
  }
  return partner;
}

/** Validity checks on the acceptable set: clusters always/never treated, pairs always together/apart. */
export function validityDiagnostics(
  schemes: Uint8Array,
  m: number,
  treated: number,
  acceptable: Uint32Array,
  probabilities: Float64Array,
  labels: readonly string[] | undefined,
  matchedPair: (i: number, j: number) => boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const nAcc = acceptable.length;
  const fixed: string[] = [];
  for (let i = 0; i < m; i++) {
    if (probabilities[i] === 0) fixed.push(`${clusterName(i, labels)} never`);
    else if (probabilities[i] === 1) fixed.push(`${clusterName(i, labels)} always`);
  }
  if (fixed.length > 0) {
    out.push(
      warning(
        "deterministic-allocation",
        `in all ${nAcc} acceptable schemes ${fixed.slice(0, 10).join(", ")}${fixed.length > 10 ? ` (and ${fixed.length - 10} more)` : ""} assigned to intervention: ` +
          "π ∈ {0, 1} makes the design invalid for randomization inference; relax the threshold",
      ),
    );
  }
  if (nAcc > 1) {
    // same-arm count for (i, j) = R − n_i − n_j + 2·(times both treated)
    const both = new Float64Array(m * m);
    const idx = new Int32Array(treated);
    for (let a = 0; a < nAcc; a++) {
      const base = acceptable[a] * m;
      let t = 0;
      for (let i = 0; i < m; i++) if (schemes[base + i] === 1) idx[t++] = i;
      for (let u = 0; u < treated; u++) for (let v = u + 1; v < treated; v++) both[idx[u] * m + idx[v]]++;
    }
    const pairs: string[] = [];
    let nPairs = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        if (probabilities[i] === 0 || probabilities[i] === 1 || probabilities[j] === 0 || probabilities[j] === 1) continue;
        if (matchedPair(i, j)) continue; // apart by design
        const same = nAcc - probabilities[i] * nAcc - probabilities[j] * nAcc + 2 * both[i * m + j];
        const rounded = Math.round(same);
        if (rounded === nAcc || rounded === 0) {
          nPairs++;
          if (pairs.length < 10) pairs.push(`${clusterName(i, labels)} & ${clusterName(j, labels)} ${rounded === 0 ? "always apart" : "always together"}`);
        }
      }
    }
    if (nPairs > 0) {
      out.push(
        warning(
          "constrained-pairs",
          `${nPairs} pair(s) of clusters are never separated or never together across the ${nAcc} acceptable schemes (${pairs.join("; ")}${nPairs > pairs.length ? "; …" : ""}): the constraint is very tight`,
        ),
      );
    }
  }
  if (nAcc < 20) {
    out.push(
      warning(
        "few-acceptable-schemes",
        `only ${nAcc} acceptable scheme(s): a randomization test cannot reach p < 0.05 (its smallest p-value is 1/${nAcc})`,
      ),
    );
  }
  return out;
}
