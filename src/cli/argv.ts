/**
 * Command-line parsing on top of util.parseArgs, with the conventions users
 * expect: `--beta3 -1.6` (a negative number is the option's value, not an
 * option), `--name=value`, and a single-valued option given twice is an error
 * rather than "the last one wins".
 */
import { parseArgs } from "node:util";
import { InputError } from "../core/errors.ts";
import type { OptionSpec, OptionValues } from "./command.ts";

/** "-1.6", "-.5", "-2e-3", or a comma list starting with one ("-2,-1,0"). */
function isNegativeNumber(token: string): boolean {
  if (!token.startsWith("-") || token === "-") return false;
  return token.split(",").every((part) => /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(part));
}

/** Joins `--name -1.6` into `--name=-1.6` for string options, so parseArgs takes the number as the value. */
export function attachNegativeValues(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const spec = a.startsWith("--") && !a.includes("=") ? specs[a.slice(2)] : undefined;
    const next = args[i + 1];
    if (spec?.type === "string" && next !== undefined && isNegativeNumber(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

interface ParseError extends Error {
  readonly code?: string;
}

/** parseArgs' messages, reworded for people. */
function usageMessage(e: ParseError, commandName: string): string {
  const option = /'(--?[^' ]+)/.exec(e.message)?.[1];
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    return `unknown option '${option}' for crtkit ${commandName}; run 'crtkit ${commandName} --help' for its options`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /argument missing|ambiguous/.test(e.message)) {
    return `option ${option} needs a value (a value starting with '-' can be written ${option}=VALUE)`;
  }
  return e.message.replace(/\. To specify a positional.*$/s, "");
}

/** Parses a command's arguments; every string option is collected as a list first so repeats can be refused. */
export function parseCommandLine(
  args: readonly string[],
  specs: Readonly<Record<string, OptionSpec>>,
  commandName: string,
): { values: OptionValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: attachNegativeValues(args, specs),
      options: Object.fromEntries(
        Object.entries(specs).map(([k, s]) => [k, { type: s.type, multiple: s.type === "string", ...(s.short ? { short: s.short } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new InputError(usageMessage(e as ParseError, commandName));
  }
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    const spec = specs[name];
    if (Array.isArray(value) && !spec.multiple) {
      if (value.length > 1) {
        throw new InputError(`--${name} is given more than once (${value.map((v) => `'${v}'`).join(", ")}); give it once`);
      }
      values[name] = value[0];
    } else {
      values[name] = value as string | boolean | string[];
    }
  }
  return { values, positionals: parsed.positionals };
}
