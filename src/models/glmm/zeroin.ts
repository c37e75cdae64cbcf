/** Double-precision machine epsilon. */
const EPS = 2.220446049250313e-16;

/**
 * Brent's root finder (Dekker's secant/bisection with inverse quadratic
 * interpolation) for h on [a, b] with h(a)·h(b) < 0. Returns an evaluated
 * point within the relative tolerance of the root. The outer search of the
 * GLMM uses it for the root of the profile deviance's slope in θ².
 */
export function zeroin(h: (x: number) => number, a: number, fa: number, b: number, fb: number, rel: number): { x: number; converged: boolean } {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 100; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * EPS * Math.abs(b) + 0.5 * (rel * Math.abs(b) + 1e-300);
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return { x: b, converged: true };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number;
      let q: number;
      if (a === c) {
        pp = 2 * xm * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) q = -q;
      else pp = -pp;
      if (2 * pp < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = pp / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    // The interpolation step is below tolerance: b is the root to within tol1.
    if (Math.abs(d) <= tol1 && e !== d) return { x: b, converged: true };
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = h(b);
  }
  return { x: b, converged: false };
}
