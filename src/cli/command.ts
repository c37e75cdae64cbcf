/**
 * The shape of a CLI command: options it accepts, and a run function that
 * turns validated input into a result object (the JSON output) and a summary
 * (the table and CSV outputs). Commands stay thin: the statistics live in the
 * library.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import type { HtmlReport, ReportContext } from "../report/html/types.ts";
import type { Summary } from "../report/summary.ts";

/** When an option has an effect; given otherwise, it is ignored with a warning. */
export interface Applicability {
  readonly when: (values: OptionValues) => boolean;
  /** Completes "--NAME …; it is ignored", e.g. "applies only to a continuous outcome". */
  readonly otherwise: string;
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** One line for --help, e.g. "model formula, R syntax". */
  readonly help: string;
  readonly default?: string;
  /** Must always be given (checked before the command runs; marked in --help). */
  readonly required?: boolean;
  /** Placeholder of the value in --help: `--cluster COL` (default VALUE). */
  readonly valueName?: string;
  /** A path the command writes: checked to be writable before the computation starts. */
  readonly output?: "file" | "dir";
  readonly appliesWhen?: Applicability;
  /** A one-letter alias, e.g. "h" for -h. */
  readonly short?: string;
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
  /**
   * The HTML report of `--report FILE.html`, built only when asked for, from
   * the JSON result as printed (`json`, parsed) and whatever else the run has.
   */
  readonly report?: (json: unknown, context: ReportContext) => HtmlReport;
}

export interface Command {
  /** One or two words: "gee", "design samplesize". */
  readonly name: string;
  readonly summary: string;
  /** Synopsis after `crtkit <name>`. */
  readonly usage: string;
  readonly example: string;
  /** Paragraphs about the result (JSON fields beyond the shared contract) for the command reference, docs/cli.md. */
  readonly notes?: readonly string[];
  /** Whether the first positional argument is a data file (or - for stdin). */
  readonly takesData: boolean;
  /** Names of the positional arguments after DATA, e.g. ["DIR"]; more are refused. */
  readonly positionals?: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Whether a run draws random numbers, so its --seed goes into the provenance (default: the command has a --seed option). */
  readonly stochastic?: (options: OptionValues) => boolean;
  run(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}

/** More worker threads than this only costs memory (each thread loads crtkit). */
export const MAX_WORKERS = 256;

/** How an option is written in help: `--cluster COL`, `--quiet`. */
export function flagText(name: string, spec: OptionSpec): string {
  return spec.type === "string" ? `--${name} ${spec.valueName ?? "VALUE"}` : `--${name}`;
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

/**
 * Reads an integer written as plain decimal digits (a leading minus sign when
 * `min` is negative): "1e3", "0x10", " 7", "7.0" and "+7" are refused, so a
 * seed or a count means exactly what was typed.
 */
export function parseInteger(text: string, what: string, range: { min?: number; max?: number } = {}): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  if (!/^-?[0-9]+$/.test(text)) {
    throw new InputError(`${what} must be written as decimal digits (an integer from ${min} to ${max}); got '${text}'`);
  }
  const big = BigInt(text);
  if (big < BigInt(min)) throw new InputError(`${what} must be at least ${min}; got '${text}'`);
  if (big > BigInt(max)) throw new InputError(`${what} is too large (at most ${max}); got '${text}'`);
  return Number(big);
}

/** An integer option (strict decimal digits), default when absent. */
export function integerOption(options: OptionValues, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const v = optionalString(options, name);
  return v === undefined ? fallback : parseInteger(v, `--${name}`, range);
}

/** A numeric option, checked against an open or closed range; `integer` reads it strictly (see parseInteger). */
export function numberOption(
  options: OptionValues,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean; exclusive?: boolean } = {},
): number {
  const v = optionalString(options, name);
  if (v === undefined) return fallback;
  const { min = -Infinity, max = Infinity, integer = false, exclusive = false } = range;
  if (integer && !exclusive) {
    const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
    return parseInteger(v, `--${name}`, { min: Math.ceil(lo), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  }
  const x = Number(v);
  const inRange = exclusive ? x > min && x < max : x >= min && x <= max;
  if (v.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || !inRange) {
    const kind = integer ? "an integer" : "a number";
    const bounds = exclusive ? `in (${min}, ${max})` : `in [${min}, ${max}]`;
    throw new InputError(`--${name} must be ${kind} ${bounds}; got '${v}'`);
  }
  return x;
}

/** The seed a run used (given or the option's default), or null when it draws no random numbers. */
export function seedOf(command: Command, options: OptionValues): number | null {
  const spec = command.options.seed;
  if (spec === undefined || command.stochastic?.(options) === false) return null;
  const text = optionalString(options, "seed") ?? spec.default;
  return text === undefined ? null : parseInteger(text, "--seed");
}
