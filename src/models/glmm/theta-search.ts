/**
 * The outer search over θ ≥ 0 for the minimum of the profile deviance d(θ).
 * Its minimum is the root of d'(ψ), ψ = θ², found by Brent's root finder
 * from a one-step score estimate of ψ, with d'(0) = Σᵢ(Wᵢ − sᵢ²) known
 * exactly. θ = 0 is accepted as a boundary fit when d'(0) ≥ 0 (and lme4's
 * start θ = 1 is not lower); a grid and Brent's minimiser are the fallback.
 */
import { minimizeNonNegative } from "../shared/brent.ts";
import type { GlmmObjective } from "./objective.ts";
import type { Profile, ProfileDeviance } from "./profile.ts";
import { zeroin } from "./zeroin.ts";

/** θ grid for bracketing the profile minimum (lme4 starts at θ = 1). */
const GRID = [0, 0.25, 0.5, 1, 2];

export interface ThetaSearch {
  /** The profile at the chosen θ. */
  readonly best: Profile;
  readonly boundary: boolean;
  readonly converged: boolean;
}

type ScoreAtZero = ReturnType<GlmmObjective["scoreAtZero"]>;

/** Finds the θ minimising the profile deviance (see the module comment). */
export function searchTheta(objective: GlmmObjective, profiles: ProfileDeviance, thetaStart: number | undefined, tolerance: number): ThetaSearch {
  const zero = profiles.visit(0);
  const score = objective.scoreAtZero(zero.beta);
  if (score.slope >= 0) {
    // θ = 0 is a local minimum; accept it unless lme4's starting point θ = 1 is lower.
    const one = profiles.visit(1);
    if (one.dev >= zero.dev) return { best: zero, boundary: true, converged: true };
  } else {
    const root = slopeRoot(profiles, score, thetaStart, tolerance);
    if (root !== null) return { best: root.best, boundary: false, converged: root.converged };
  }
  return gridSearch(profiles, zero, score);
}

/**
 * The root of h(ψ) = d profile / d(θ²) on ψ > 0, h(0) = slope < 0: a secant
 * search for a bracket, then Brent's root finder. Null when no bracket is
 * found or the root is not a visited profile.
 */
function slopeRoot(
  profiles: ProfileDeviance,
  score: ScoreAtZero,
  thetaStart: number | undefined,
  tolerance: number,
): { best: Profile; converged: boolean } | null {
  const h = (psi: number): number => {
    const e = profiles.visit(Math.sqrt(psi));
    return e.slope / (2 * e.theta);
  };
  let a = 0;
  let fa = score.slope;
  const guess = thetaStart !== undefined && thetaStart > 0 ? thetaStart ** 2 : -score.slope / score.information;
  let b = Math.min(Math.max(guess, 1e-4), 1e4);
  let fb = h(b);
  for (let k = 0; fb < 0 && k < 40 && b < 1e6; k++) {
    let next = b - (fb * (b - a)) / (fb - fa);
    if (!(next > b) || next > 10 * b) next = 4 * b;
    a = b;
    fa = fb;
    b = Math.min(next, 1e6);
    fb = h(b);
  }
  if (fb < 0) return null;
  const root = zeroin(h, a, fa, b, fb, tolerance);
  const theta = Math.sqrt(root.x);
  const best = profiles.visited.find((e) => e.theta === theta);
  return best ? { best, converged: root.converged } : null;
}

/** The fallback: derivative-free search over θ ≥ 0 on a grid and Brent's method. */
function gridSearch(profiles: ProfileDeviance, zero: Profile, score: ScoreAtZero): ThetaSearch {
  const m = minimizeNonNegative((t) => profiles.visit(t).dev, {
    grid: GRID,
    relTolerance: 1e-8,
    absTolerance: 1e-10,
    maxIter: 100,
    upper: 1e3,
    slopeAtZero: () => score.slope,
  });
  const best = m.boundary ? zero : (profiles.visited.find((e) => e.theta === m.x) ?? profiles.visit(m.x));
  return { best, boundary: m.boundary, converged: m.converged };
}
