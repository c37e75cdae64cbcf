/**
 * Stage 2 of the LMM: minimise the profiled deviance over θ ≥ 0 (a grid to
 * bracket the minimum, then Brent's method; θ = 0 is allowed and reported).
 */
import { minimizeNonNegative } from "../shared/brent.ts";
import type { LmmObjective } from "./objective.ts";

export interface LmmOptimum {
  readonly theta: number;
  readonly deviance: number;
  readonly converged: boolean;
  /** Brent iterations after the grid. */
  readonly iterations: number;
  /** Evaluations of the profiled deviance. */
  readonly evaluations: number;
  /** True when the optimum is θ = 0 (random-intercept variance estimated as 0). */
  readonly boundary: boolean;
}

export interface LmmOptimizeOptions {
  /** Relative tolerance on θ (default 1e-10). */
  readonly tolerance?: number;
  readonly maxIter?: number;
}

/** θ grid: dense near 0 where boundary and small-ICC fits live, then geometric. */
const GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 4, 7, 12, 20];

/**
 * Minimises the profiled deviance of `objective` over θ.
 *
 * @example
 * const opt = optimizeLmm(lmmObjective(frame));
 * opt.theta; // σ_b / σ at the REML optimum
 */
export function optimizeLmm(objective: LmmObjective, options: LmmOptimizeOptions = {}): LmmOptimum {
  const m = minimizeNonNegative((t) => objective.deviance(t), {
    grid: GRID,
    relTolerance: options.tolerance ?? 1e-10,
    absTolerance: 1e-12,
    maxIter: options.maxIter ?? 200,
    upper: 1e6,
    slopeAtZero: () => objective.slopeAtZero(),
  });
  return Object.freeze({
    theta: m.x,
    deviance: m.fx,
    converged: m.converged,
    iterations: m.iterations,
    evaluations: m.evaluations,
    boundary: m.boundary,
  });
}
