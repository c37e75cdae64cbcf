/**
 * Input checks shared by the design formulas (internal to src/design). Each
 * throws an InputError whose message names the argument and the bad value.
 */
import { checkFinite, checkInteger, checkPositive } from "../core/check.ts";
import { InputError } from "../core/errors.ts";

export { checkFinite, checkInteger, checkPositive };

/** An intraclass correlation in [0, 1) (or [0, 1] when `allowOne`). */
export function checkIcc(value: unknown, name = "icc", allowOne = false): number {
  const v = checkFinite(value, name);
  if (v < 0 || v > 1 || (v === 1 && !allowOne)) {
    throw new InputError(`${name} must be in [0, ${allowOne ? "1]" : "1)"}, got ${v}`);
  }
  return v;
}

/** A probability strictly inside (0, 1): α, power, a proportion. */
export function checkOpenUnit(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (!(v > 0 && v < 1)) throw new InputError(`${name} must be in (0, 1), got ${v}`);
  return v;
}

/** A (mean) cluster size of at least 1; `integer` demands a whole number. */
export function checkClusterSize(value: unknown, name = "clusterSize", integer = false): number {
  const v = checkFinite(value, name);
  if (v < 1) throw new InputError(`${name} must be at least 1, got ${v}`);
  if (integer && !Number.isInteger(v)) throw new InputError(`${name} must be a whole number, got ${v}`);
  return v;
}

/** A non-negative finite number (coefficient of variation). */
export function checkNonNegative(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (v < 0) throw new InputError(`${name} must be non-negative, got ${v}`);
  return v;
}

/** A non-zero effect size. */
export function checkEffect(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (v === 0) throw new InputError(`${name} must be non-zero, got 0 (no effect to detect)`);
  return v;
}

/**
 * α and target power. Power must exceed α/2: below that the one-sided
 * rejection rate under the null already reaches the target and the
 * formulas (z₁₋α/₂ + z_power)² stop making sense.
 */
export function checkAlphaPower(alpha: unknown, power: unknown): { alpha: number; power: number } {
  const a = checkOpenUnit(alpha, "alpha");
  const p = checkOpenUnit(power, "power");
  if (!(p > a / 2)) throw new InputError(`power must exceed alpha/2 = ${a / 2}, got ${p}`);
  return { alpha: a, power: p };
}

/**
 * Rounds a number of clusters up, ignoring floating-point noise of a few ulps
 * (9.000000000000002 → 9, not 10): values within 1e-10 relative of an integer
 * count as that integer.
 */
export function ceilClusters(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - r) <= 1e-10 * Math.max(1, Math.abs(x))) return r;
  return Math.ceil(x);
}
