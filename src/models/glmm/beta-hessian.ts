/**
 * The Gauss–Newton β-Hessian of the Laplace deviance without its log Hᵢ terms,
 * 2·(XᵀWX − θ² Σᵢ aᵢaᵢᵀ/Hᵢ), aᵢ = Σⱼ wᵢⱼxᵢⱼ: what the Newton steps for β use,
 * and half of lme4's R_XᵀR_X.
 */
import type { ClusterLayout } from "../shared/cluster-layout.ts";

/**
 * Writes the Hessian (p × p, row-major) into `out` from the conditional means
 * `mu` and curvatures `curvature` of an evaluation at θ = `theta`; `a` is
 * scratch of length p.
 */
export function betaHessian(
  x: Float64Array,
  layout: ClusterLayout,
  poisson: boolean,
  theta: number,
  mu: Float64Array,
  curvature: Float64Array,
  a: Float64Array,
  out: Float64Array,
): Float64Array {
  const { p, nClusters, starts } = layout;
  // One pass: lower triangle of Σ w x xᵀ per cluster, minus θ²/Hᵢ · aᵢaᵢᵀ (aᵢ = Σ w x).
  out.fill(0);
  const t2 = theta * theta;
  for (let c = 0; c < nClusters; c++) {
    a.fill(0);
    for (let j = starts[c]; j < starts[c + 1]; j++) {
      const m = mu[j];
      const w = poisson ? m : m * (1 - m);
      const row = j * p;
      for (let i = 0; i < p; i++) {
        const xi = w * x[row + i];
        a[i] += xi;
        const oi = i * p;
        for (let k = 0; k <= i; k++) out[oi + k] += xi * x[row + k];
      }
    }
    if (t2 > 0) {
      const f = t2 / curvature[c];
      for (let i = 0; i < p; i++) {
        const ai = f * a[i];
        const oi = i * p;
        for (let k = 0; k <= i; k++) out[oi + k] -= ai * a[k];
      }
    }
  }
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < i; k++) {
      const v = 2 * out[i * p + k];
      out[i * p + k] = v;
      out[k * p + i] = v;
    }
    out[i * p + i] *= 2;
  }
  return out;
}
