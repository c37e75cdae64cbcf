/**
 * Checks of scalar options (counts, seeds, variances), shared by every API
 * layer so that the same mistake gets the same message everywhere. Each
 * throws an InputError naming the option and the bad value.
 */
import { InputError } from "./errors.ts";

/** A value as it appears in a message: numbers as written, anything else as JSON. */
export function showValue(value: unknown): string {
  return typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** A finite number. */
export function checkFinite(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(`${name} must be a finite number, got ${showValue(value)}`);
  }
  return value;
}

/** A (safe) integer of at least `min` and at most `max`. */
export function checkInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InputError(`${name} must be an integer ≥ ${min}, got ${showValue(value)}`);
  }
  if (value > max) throw new InputError(`${name} is too large (at most ${max}), got ${value}`);
  return value;
}

/** A positive finite number (standard deviation, variance). */
export function checkPositive(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (!(v > 0)) throw new InputError(`${name} must be positive, got ${v}`);
  return v;
}
