/**
 * Gauss–Hermite rules for the standard normal density: nodes zₖ and weights
 * wₖ (Σwₖ = 1) with Σₖ wₖ f(zₖ) = E f(Z), Z ~ N(0, 1), exact for polynomials of
 * degree ≤ 2K − 1. These are the rules lme4's `GHrule(K)` tabulates.
 *
 * Nodes are the roots of the probabilists' Hermite polynomial He_K, found by
 * bracketing sign changes of the orthonormal recurrence on a fine grid and
 * polishing with Newton's method; the weights are 1/(K·p_{K−1}(zₖ)²) for the
 * orthonormal polynomials p.
 */

export interface GaussHermiteRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussHermiteRule>();

/** Orthonormal Hermite polynomials p_{K−1}(z), p_K(z) at z (p_k = He_k/√k!). */
function hermitePair(k: number, z: number): [number, number] {
  let prev = 0;
  let cur = 1; // p_0
  for (let j = 1; j <= k; j++) {
    const next = (z * cur - Math.sqrt(j - 1) * prev) / Math.sqrt(j);
    prev = cur;
    cur = next;
  }
  return [prev, cur];
}

/** The K-point rule (1 ≤ K ≤ 100), cached. */
export function gaussHermite(k: number): GaussHermiteRule {
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new RangeError(`Gauss-Hermite order must be an integer from 1 to 100, got ${k}`);
  const hit = cache.get(k);
  if (hit) return hit;
  const nodes = new Float64Array(k);
  const weights = new Float64Array(k);
  if (k === 1) {
    weights[0] = 1;
  } else {
    // All roots of He_K lie in (−√(4K+2), √(4K+2)); adjacent roots are further apart than 1/√(4K+2).
    const bound = Math.sqrt(4 * k + 2);
    const step = 0.05 / Math.sqrt(k);
    const steps = Math.ceil((2 * bound) / step);
    let found = 0;
    let a = -bound;
    let fa = hermitePair(k, a)[1];
    for (let s = 1; s <= steps && found < k; s++) {
      const b = -bound + s * step;
      const fb = hermitePair(k, b)[1];
      if (fb === 0 || fa * fb < 0) {
        nodes[found++] = polish(k, a, b, fa);
      }
      a = b;
      fa = fb;
    }
    if (found !== k) throw new Error(`Gauss-Hermite: found ${found} of ${k} nodes`);
    // Symmetrize (the rule is symmetric about 0) and compute weights.
    for (let i = 0; i < k; i++) {
      const z = 0.5 * (nodes[i] - nodes[k - 1 - i]);
      nodes[i] = Math.abs(z) < 1e-15 ? 0 : z;
    }
    let total = 0;
    for (let i = 0; i < k; i++) {
      const pm1 = hermitePair(k, nodes[i])[0];
      weights[i] = 1 / (k * pm1 * pm1);
      total += weights[i];
    }
    for (let i = 0; i < k; i++) weights[i] /= total; // removes the last rounding error: Σw = 1 exactly
  }
  const rule = Object.freeze({ nodes, weights });
  cache.set(k, rule);
  return rule;
}

/** Root of p_K in (a, b) where it changes sign: bisection to a small bracket, then Newton. */
function polish(k: number, a: number, b: number, fa: number): number {
  let lo = a;
  let hi = b;
  let flo = fa;
  for (let i = 0; i < 30; i++) {
    const mid = 0.5 * (lo + hi);
    const fm = hermitePair(k, mid)[1];
    if (fm === 0) return mid;
    if (flo * fm < 0) hi = mid;
    else {
      lo = mid;
      flo = fm;
    }
  }
  let z = 0.5 * (lo + hi);
  for (let i = 0; i < 5; i++) {
    const [pm1, pk] = hermitePair(k, z);
    const dz = pk / (Math.sqrt(k) * pm1); // p_K' = √K·p_{K−1}
    z -= dz;
    if (Math.abs(dz) < 1e-16 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
