/**
 * Randomization (permutation) tests for the treatment effect of a
 * cluster-randomized trial (Gail et al. 1996): the statistic is the difference
 * between arms of the cluster means of residuals from a covariate model fitted
 * without treatment (`Y ~ 1` when unadjusted, so it is the difference of arm
 * means of cluster means). Its reference distribution comes from re-drawing the
 * allocation as the design drew it: all allocations (exact p), seeded draws,
 * within strata or pairs, or the acceptable schemes of a constrained
 * randomization.
 *
 * Interval by test inversion: under H₀: effect = δ the outcome without
 * treatment is Y − δA, and since residuals and cluster means are linear, the
 * statistic of allocation a is Tₐ(δ) = uₐ − δ·vₐ, with u from the residuals
 * of Y and v from those of the observed A. The point estimate solves
 * T_obs(δ) = 0 (the difference of arm means when unadjusted), and the interval
 * is {δ : p(δ) > α}, its ends found by bisection on δ.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import type { Rng } from "../random/rng.ts";

/** The allocations a test runs over, as per-cluster statistics uₐ and vₐ. */
export interface AllocationStatistics {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly uObserved: number;
  readonly vObserved: number;
  /** True when u, v hold every allocation (p = share); false for draws (p = (1 + count)/(B + 1)). */
  readonly complete: boolean;
}

/** Cluster-level inputs: residual cluster means of Y and of A, the observed 0/1 allocation, strata. */
export interface ClusterLevel {
  readonly yMeans: Float64Array;
  readonly aMeans: Float64Array;
  readonly treated: Uint8Array;
  /** Stratum index of each cluster (0 … S − 1); all 0 when unstratified. */
  readonly strata: Int32Array;
}

/** Tₐ = mean over clusters with aᵢ = 1 of x − mean over the others. */
export function armDifference(x: Float64Array, allocation: Uint8Array, offset = 0): number {
  let s1 = 0;
  let n1 = 0;
  let s0 = 0;
  for (let i = 0; i < x.length; i++) {
    if (allocation[offset + i] === 1) {
      s1 += x[i];
      n1++;
    } else {
      s0 += x[i];
    }
  }
  return s1 / n1 - s0 / (x.length - n1);
}

/** Clusters of each stratum and how many of them are treated. */
function strataMembers(level: ClusterLevel): { members: number[][]; treated: number[] } {
  const members: number[][] = [];
  const treated: number[] = [];
  for (let i = 0; i < level.strata.length; i++) {
    const s = level.strata[i];
    while (members.length <= s) {
      members.push([]);
      treated.push(0);
    }
    members[s].push(i);
    treated[s] += level.treated[i];
  }
  return { members, treated };
}

/** Π C(nₛ, tₛ): the number of allocations that keep each stratum's treated count. */
export function countAllocations(level: ClusterLevel): number {
  const { members, treated } = strataMembers(level);
  let total = 1;
  for (let s = 0; s < members.length; s++) total *= binomial(members[s].length, treated[s]);
  return total;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return Math.round(r);
}

/**
 * Every allocation with each stratum's treated count, as sums over treated
 * clusters built stratum by stratum (a Cartesian product of per-stratum subset
 * sums), so no allocation matrix is formed.
 */
export function enumerateAllocations(level: ClusterLevel): AllocationStatistics {
  const { members, treated } = strataMembers(level);
  let sumY = Float64Array.of(0);
  let sumA = Float64Array.of(0);
  for (let s = 0; s < members.length; s++) {
    const [ys, as] = subsetSums(members[s], treated[s], level);
    const nextY = new Float64Array(sumY.length * ys.length);
    const nextA = new Float64Array(nextY.length);
    for (let i = 0; i < sumY.length; i++) {
      for (let j = 0; j < ys.length; j++) {
        nextY[i * ys.length + j] = sumY[i] + ys[j];
        nextA[i * ys.length + j] = sumA[i] + as[j];
      }
    }
    sumY = nextY;
    sumA = nextA;
  }
  return fromTreatedSums(level, sumY, sumA, true);
}

/** Sums of yMeans and aMeans over every k-subset of `clusters` (lexicographic). */
function subsetSums(clusters: readonly number[], k: number, level: ClusterLevel): [Float64Array, Float64Array] {
  const n = clusters.length;
  const count = binomial(n, k);
  const ys = new Float64Array(count);
  const as = new Float64Array(count);
  const c = Array.from({ length: k }, (_, j) => j);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < k; j++) {
      ys[r] += level.yMeans[clusters[c[j]]];
      as[r] += level.aMeans[clusters[c[j]]];
    }
    let j = k - 1;
    while (j >= 0 && c[j] === n - k + j) j--;
    if (j < 0) break;
    c[j]++;
    for (let t = j + 1; t < k; t++) c[t] = c[t - 1] + 1;
  }
  return [ys, as];
}

/** `count` allocations drawn uniformly within strata (partial Fisher–Yates per stratum). */
export function drawAllocations(level: ClusterLevel, count: number, rng: Rng): AllocationStatistics {
  const { members, treated } = strataMembers(level);
  const sumY = new Float64Array(count);
  const sumA = new Float64Array(count);
  const perms = members.map((m) => [...m]);
  for (let b = 0; b < count; b++) {
    let sy = 0;
    let sa = 0;
    for (let s = 0; s < perms.length; s++) {
      const perm = perms[s];
      for (let j = 0; j < treated[s]; j++) {
        const pick = j + Math.floor(rng.uniform() * (perm.length - j));
        const t = perm[j];
        perm[j] = perm[pick];
        perm[pick] = t;
        sy += level.yMeans[perm[j]];
        sa += level.aMeans[perm[j]];
      }
    }
    sumY[b] = sy;
    sumA[b] = sa;
  }
  return fromTreatedSums(level, sumY, sumA, false);
}

/** The allocations of a constrained-randomization scheme matrix (R × m, rows 0/1). */
export function schemeAllocations(level: ClusterLevel, schemes: Uint8Array): AllocationStatistics {
  const m = level.treated.length;
  const count = schemes.length / m;
  const u = new Float64Array(count);
  const v = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    u[r] = armDifference(level.yMeans, schemes, r * m);
    v[r] = armDifference(level.aMeans, schemes, r * m);
  }
  return {
    u,
    v,
    uObserved: armDifference(level.yMeans, level.treated),
    vObserved: armDifference(level.aMeans, level.treated),
    complete: true,
  };
}

/** With a fixed treated count n₁: T = S/n₁ − (total − S)/n₀ from the treated sum S. */
function fromTreatedSums(level: ClusterLevel, sumY: Float64Array, sumA: Float64Array, complete: boolean): AllocationStatistics {
  const m = level.treated.length;
  let n1 = 0;
  let totalY = 0;
  let totalA = 0;
  for (let i = 0; i < m; i++) {
    n1 += level.treated[i];
    totalY += level.yMeans[i];
    totalA += level.aMeans[i];
  }
  const n0 = m - n1;
  const u = new Float64Array(sumY.length);
  const v = new Float64Array(sumY.length);
  for (let r = 0; r < u.length; r++) {
    u[r] = sumY[r] / n1 - (totalY - sumY[r]) / n0;
    v[r] = sumA[r] / n1 - (totalA - sumA[r]) / n0;
  }
  return {
    u,
    v,
    uObserved: armDifference(level.yMeans, level.treated),
    vObserved: armDifference(level.aMeans, level.treated),
    complete,
  };
}

/**
 * Two-sided p-value of H₀: effect = δ: the share of allocations whose
 * |Tₐ(δ)| is at least the observed one (ties within 1e-10 relative count, so
 * that rounding never breaks the tie of an allocation with itself).
 */
export function permutationPValue(stats: AllocationStatistics, delta = 0): number {
  const { u, v } = stats;
  const observed = Math.abs(stats.uObserved - delta * stats.vObserved);
  const cut = observed * (1 - 1e-10);
  let count = 0;
  for (let r = 0; r < u.length; r++) if (Math.abs(u[r] - delta * v[r]) >= cut) count++;
  return stats.complete ? count / u.length : (count + 1) / (u.length + 1);
}

export interface InvertedInterval {
  readonly estimate: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The point estimate (T_obs(δ) = 0) and the interval {δ : p(δ) > α}. */
export function invertPermutationTest(stats: AllocationStatistics, level: number): InvertedInterval {
  const alpha = 1 - level;
  const estimate = stats.uObserved / stats.vObserved;
  const diagnostics: Diagnostic[] = [];
  const nAllocations = stats.complete ? stats.u.length : stats.u.length + 1;
  const smallest = 1 / nAllocations;
  if (smallest > alpha) {
    diagnostics.push(
      warning(
        "interval-unbounded",
        `with ${nAllocations} allocations the smallest attainable p-value is ${smallest.toPrecision(3)} > ${alpha}: no effect is rejected at this level, so the interval is unbounded`,
      ),
    );
    return { estimate, confLow: -Infinity, confHigh: Infinity, diagnostics };
  }
  let spread = 0;
  for (let r = 0; r < stats.u.length; r++) spread += stats.u[r] * stats.u[r];
  const scale = Math.sqrt(spread / stats.u.length) / Math.abs(stats.vObserved) || Math.abs(estimate) || 1;
  const accepts = (delta: number): boolean => permutationPValue(stats, delta) > alpha;
  const end = (direction: 1 | -1): number => {
    let inner = estimate;
    let step = scale;
    let outer = estimate + direction * step;
    for (let i = 0; accepts(outer); i++) {
      if (i > 60) return direction * Infinity;
      inner = outer;
      step *= 2;
      outer = estimate + direction * step;
    }
    for (let i = 0; i < 200 && Math.abs(outer - inner) > 1e-12 * Math.max(1, Math.abs(inner)); i++) {
      const mid = (inner + outer) / 2;
      if (accepts(mid)) inner = mid;
      else outer = mid;
    }
    return (inner + outer) / 2;
  };
  return { estimate, confLow: end(-1), confHigh: end(1), diagnostics };
}
