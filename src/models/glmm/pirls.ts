/**
 * PIRLS for one cluster: the conditional mode of its spherical random effect.
 * The effect is scalar, so this is a safeguarded Newton iteration on
 * φ(u) = u − θ·Σ(y − μ(u)) = 0, with φ increasing (φ' = Hᵢ > 0).
 */
import type { ClusterPass } from "./cluster-pass.ts";

/**
 * A bracket of the root of φ for rows s … e − 1: inside (−θn₀, θn₁) (n₀, n₁ =
 * rows with y = 0, 1) for binomial; for Poisson inside
 * [min(0, θ(Σy − Σμ(0))), θΣy], as φ is non-positive at the left end
 * (μ(u) ≤ μ(0) there) and φ(θΣy) = θΣμ > 0.
 */
function modeBracket(rows: ClusterPass, s: number, e: number, theta: number): [number, number] {
  const { eta0, y } = rows;
  let lo: number;
  let hi: number;
  if (rows.poisson) {
    let sy = 0;
    let sm = 0;
    for (let j = s; j < e; j++) {
      sy += y[j];
      sm += Math.exp(eta0[j]);
    }
    lo = Math.min(0, theta * (sy - sm));
    hi = Math.max(0, theta * sy);
    // A closed interval: the root may sit at the left end 0 only when φ(0) = 0.
    if (hi <= lo) hi = lo + 1;
  } else {
    let ones = 0;
    for (let j = s; j < e; j++) ones += y[j];
    const zeros = e - s - ones;
    lo = Math.min(-theta * zeros, theta * ones);
    hi = Math.max(-theta * zeros, theta * ones);
  }
  return [lo, hi];
}

/**
 * The mode u* of rows s … e − 1 and Dᵢ(u*). Newton steps from `start` (the
 * previous mode), safeguarded by bisection on the bracket, stop when the step
 * is below 1e-7 (quadratic convergence leaves an error of order 1e-14); a
 * final deviance pass at the mode writes μ into `mu` (frame rows) and leaves
 * Σ(y − μ), Σw and Σw(1 − 2μ) in `rows`.
 */
export function clusterMode(rows: ClusterPass, s: number, e: number, theta: number, start: number, mu: Float64Array): [number, number] {
  if (theta === 0) return [0, rows.deviance(s, e, 0, 0, mu, s)];
  let [lo, hi] = modeBracket(rows, s, e, theta);
  let uc = start;
  if (!(uc > lo && uc < hi)) uc = 0.5 * (lo + hi);
  const t2 = theta * theta;
  for (let iter = 0; iter < 200; iter++) {
    rows.scoreAndWeight(s, e, theta, uc);
    const phi = uc - theta * rows.score;
    if (phi > 0) hi = uc;
    else if (phi < 0) lo = uc;
    else break;
    const step = phi / (1 + t2 * rows.weight);
    if (Math.abs(step) <= 1e-7 * (1 + Math.abs(uc))) {
      uc -= step; // a converged Newton step (it may land on the bracket end it came from)
      break;
    }
    let next = uc - step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    uc = next;
    if (hi - lo <= 1e-15 * (1 + Math.abs(uc))) break;
  }
  return [uc, rows.deviance(s, e, theta, uc, mu, s)];
}
