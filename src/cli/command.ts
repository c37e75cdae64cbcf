/**
 * The shape of a CLI command: options it accepts, and a run function that
 * turns validated input into a result object (the JSON output) and a summary
 * (the table and CSV outputs). Commands stay thin: the statistics live in the
 * library.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Summary } from "../report/summary.ts";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** One line for --help, e.g. "model formula, R syntax". */
  readonly help: string;
  readonly default?: string;
}

export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface CommandContext {
  readonly data: Dataset | undefined;
  readonly options: OptionValues;
  readonly positionals: readonly string[];
  /** Reports progress (fraction 0..1) on a terminal; a no-op otherwise. */
  readonly progress: (fraction: number, label?: string) => void;
}

export interface CommandResult {
  readonly json: { readonly diagnostics: readonly Diagnostic[] } & object;
  readonly summary: Summary;
  /** 0 unless the computation failed in a way the caller must see (1). */
  readonly exitCode?: number;
}

export interface Command {
  /** One or two words: "gee", "design samplesize". */
  readonly name: string;
  readonly summary: string;
  /** Synopsis after `crtkit <name>`. */
  readonly usage: string;
  readonly example: string;
  /** Whether the first positional argument is a data file (or - for stdin). */
  readonly takesData: boolean;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}

/** The string value of a required option, or an InputError naming it. */
export function requiredString(options: OptionValues, name: string): string {
  const v = options[name];
  if (typeof v === "string" && v !== "") return v;
  if (Array.isArray(v) && v.length > 0) return v[v.length - 1];
  throw new InputError(`missing required option --${name}`);
}

export function optionalString(options: OptionValues, name: string): string | undefined {
  const v = options[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === "string" ? v : undefined;
}

/** A string option restricted to `choices` (default when absent). */
export function choiceOption<T extends string>(options: OptionValues, name: string, choices: readonly T[], fallback: T): T {
  const v = optionalString(options, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new InputError(`--${name} must be one of ${choices.join(", ")}; got '${v}'`);
  }
  return v as T;
}

/** A numeric option, checked against an open or closed range. */
export function numberOption(
  options: OptionValues,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean; exclusive?: boolean } = {},
): number {
  const v = optionalString(options, name);
  if (v === undefined) return fallback;
  const x = Number(v);
  const { min = -Infinity, max = Infinity, integer = false, exclusive = false } = range;
  const inRange = exclusive ? x > min && x < max : x >= min && x <= max;
  if (v.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || !inRange) {
    const kind = integer ? "an integer" : "a number";
    const bounds = exclusive ? `in (${min}, ${max})` : `in [${min}, ${max}]`;
    throw new InputError(`--${name} must be ${kind} ${bounds}; got '${v}'`);
  }
  return x;
}
