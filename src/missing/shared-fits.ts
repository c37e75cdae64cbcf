/**
 * Work shared by the methods of one analysis, so that it is done once:
 * SI and MI fit the same single-level imputation regression, MMI and B-MMI
 * the same random-intercept model, and the simulations prepare one data set
 * for every method that uses the same imputation model.
 *
 * Each is a pure function of immutable inputs, so it is kept per input
 * object (WeakMaps: an entry lives as long as its data set) and handed out
 * again as the very same value; what a method computes from it cannot change.
 * Keys are object identities plus, where plain options enter, their JSON, so
 * two different inputs never meet one entry. A computation that throws is
 * not kept: the next caller meets the same error. Shared values are frozen
 * (their typed arrays cannot be, and no method writes them).
 */
import type { Dataset } from "../data/dataset.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";

/** Which imputation-model fit of a (data, design) pair. */
export type SharedFitKind = "single-level" | "mixed";

const fits = new WeakMap<ModifierData, WeakMap<ImputationDesign, Map<string, unknown>>>();
const prepared = new WeakMap<Dataset, Map<string, unknown>>();
let enabled = true;

/** How often a shared value was handed out again, and computed (for tests). */
export const sharingCounts = { hits: 0, misses: 0 };

/**
 * Turns sharing on or off (on by default) and returns the previous setting;
 * off, every call computes afresh (tests compare the two).
 */
export function setSharing(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

function frozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) if (Array.isArray(v)) Object.freeze(v);
    Object.freeze(value);
  }
  return value;
}

function lookup<T>(map: Map<string, unknown>, key: string, compute: () => T): T {
  if (map.has(key)) {
    sharingCounts.hits++;
    return map.get(key) as T;
  }
  sharingCounts.misses++;
  const value = frozen(compute());
  map.set(key, value);
  return value;
}

/** The entry of `key` in a WeakMap of maps, made when absent. */
function entries<K extends object, M>(maps: WeakMap<K, M>, key: K, make: () => M): M {
  const found = maps.get(key);
  if (found !== undefined) return found;
  const made = make();
  maps.set(key, made);
  return made;
}

/** The imputation-model fit `kind` of (data, design), computed by `fit` the first time. */
export function sharedFit<T>(data: ModifierData, design: ImputationDesign, kind: SharedFitKind, fit: () => T): T {
  if (!enabled) return fit();
  const byDesign = entries(fits, data, () => new WeakMap<ImputationDesign, Map<string, unknown>>());
  return lookup(entries(byDesign, design, () => new Map<string, unknown>()), kind, fit);
}

/** A preparation of `data` under the plain options `key` (JSON-serialisable), computed by `prepare` the first time. */
export function sharedPreparation<T>(data: Dataset, key: unknown, prepare: () => T): T {
  if (!enabled) return prepare();
  return lookup(entries(prepared, data, () => new Map<string, unknown>()), JSON.stringify(key), prepare);
}
