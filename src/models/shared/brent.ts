/**
 * One-dimensional minimisation: Brent's method (golden-section search with
 * parabolic interpolation) on an interval, and a driver for a parameter on
 * [0, ∞) that brackets the minimum on a grid first, so a boundary optimum at
 * 0 is found and reported exactly.
 *
 * In src/models/shared because the LMM (θ), the GLMM (its θ-only fits) and
 * the LMM refits on cluster sums all use it; no model owns it.
 */

export interface Minimum1d {
  readonly x: number;
  readonly fx: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

export interface BrentOptions {
  /** Relative x tolerance (default 1e-10). */
  readonly relTolerance?: number;
  /** Absolute x tolerance (default 1e-12). */
  readonly absTolerance?: number;
  readonly maxIter?: number;
  /** A point inside (a, b) known to be lower than the ends, and its value. */
  readonly start?: { readonly x: number; readonly fx: number };
}

const GOLDEN = 0.5 * (3 - Math.sqrt(5));

/** Minimises f on [a, b] by Brent's method. */
export function brentMinimize(f: (x: number) => number, a: number, b: number, options: BrentOptions = {}): Minimum1d {
  const rel = options.relTolerance ?? 1e-10;
  const abs = options.absTolerance ?? 1e-12;
  const maxIter = options.maxIter ?? 200;
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  let x: number;
  let fx: number;
  let evaluations = 0;
  if (options.start && options.start.x > lo && options.start.x < hi) {
    x = options.start.x;
    fx = options.start.fx;
  } else {
    x = lo + GOLDEN * (hi - lo);
    fx = f(x);
    evaluations++;
  }
  let w = x;
  let v = x;
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0; // distance moved on the step before last
  for (let iter = 1; iter <= maxIter; iter++) {
    const mid = 0.5 * (lo + hi);
    const tol1 = rel * Math.abs(x) + abs;
    const tol2 = 2 * tol1;
    if (Math.abs(x - mid) <= tol2 - 0.5 * (hi - lo)) {
      return { x, fx, iterations: iter - 1, evaluations, converged: true };
    }
    let golden = true;
    if (Math.abs(e) > tol1) {
      // Parabola through (v, fv), (w, fw), (x, fx).
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      const eOld = e;
      if (Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (lo - x) && p < q * (hi - x)) {
        e = d;
        d = p / q;
        const u = x + d;
        if (u - lo < tol2 || hi - u < tol2) d = x < mid ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x >= mid ? lo - x : hi - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    evaluations++;
    if (fu <= fx) {
      if (u >= x) lo = x;
      else hi = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) lo = u;
      else hi = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx, iterations: maxIter, evaluations, converged: false };
}

export interface NonNegativeOptions extends BrentOptions {
  /** Increasing grid of starting points, beginning at 0. */
  readonly grid: readonly number[];
  /** Largest value tried when the minimum lies beyond the grid (default 1e4). */
  readonly upper?: number;
  /**
   * Derivative of f with respect to x² at x = 0, when known. If it is ≥ 0 and
   * 0 is the best grid point, x = 0 is a local minimum and is returned without
   * searching (f is assumed even in x, as a deviance in a standard deviation is).
   */
  readonly slopeAtZero?: () => number;
}

export interface NonNegativeMinimum extends Minimum1d {
  /** True when the minimum is at x = 0. */
  readonly boundary: boolean;
}

/**
 * Minimises f on [0, ∞): evaluates the grid (doubling past its end while f
 * still decreases), runs Brent's method between the neighbours of the best
 * point, and returns x = 0 exactly when f(0) is not larger than the interior
 * minimum.
 */
export function minimizeNonNegative(f: (x: number) => number, options: NonNegativeOptions): NonNegativeMinimum {
  const xs = [...options.grid];
  if (xs[0] !== 0) xs.unshift(0);
  const upper = options.upper ?? 1e4;
  const fs = xs.map((x) => f(x));
  let evaluations = fs.length;
  let best = argmin(fs);
  while (best === xs.length - 1 && xs[best] < upper) {
    const next = Math.min(2 * xs[best] + 1, upper);
    xs.push(next);
    fs.push(f(next));
    evaluations++;
    best = argmin(fs);
  }
  if (best === xs.length - 1) {
    return { x: xs[best], fx: fs[best], iterations: 0, evaluations, converged: false, boundary: false };
  }
  const f0 = fs[0];
  if (best === 0 && options.slopeAtZero && options.slopeAtZero() >= 0) {
    return { x: 0, fx: f0, iterations: 0, evaluations, converged: true, boundary: true };
  }
  const lo = best === 0 ? 0 : xs[best - 1];
  const hi = xs[best + 1];
  const start = best === 0 ? undefined : { x: xs[best], fx: fs[best] };
  const m = brentMinimize(f, lo, hi, { ...options, start });
  evaluations += m.evaluations;
  // An interior minimum indistinguishable from f(0) (within rounding) is the boundary.
  if (f0 <= m.fx + 1e-13 * Math.max(1, Math.abs(f0))) return { x: 0, fx: f0, iterations: m.iterations, evaluations, converged: m.converged, boundary: true };
  return { ...m, evaluations, boundary: false };
}

function argmin(v: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[k]) k = i;
  return k;
}
