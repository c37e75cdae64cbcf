/**
 * Command lines for people to read and paste: the one typed, and the one
 * that reproduces a run's JSON result (for the report's reproduce box).
 */
import { seedOf, type Command, type OptionValues } from "./command.ts";
import { COMMON_OPTIONS } from "./help.ts";

/** A word for a POSIX shell: as is when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quoted words, one option per line with shell line continuations, so a long command stays readable and pastable. */
export function formatCommand(words: readonly string[]): string {
  return words.map(shellQuote).reduce((text, word, i) => (i === 0 ? word : word.startsWith("--") ? `${text} \\\n  ${word}` : `${text} ${word}`), "");
}

export function commandLine(argv: readonly string[]): string {
  return formatCommand(["crtkit", ...argv]);
}

/** Options that only say where or how output goes: they never change the JSON result. */
const PRESENTATION = new Set(["format", "quiet", "help"]);

/**
 * `crtkit <command> [DATA] [positionals]` with every option the run was given
 * (in the order the command lists them), the seed written out when it was
 * left at its default, and `--format json`; output destinations are left out.
 */
export function reproduceCommand(command: Command, values: OptionValues, positionals: readonly string[]): string {
  const specs = { ...COMMON_OPTIONS, ...command.options };
  const names = [...Object.keys(command.options), ...Object.keys(COMMON_OPTIONS).filter((n) => !(n in command.options))];
  const words = ["crtkit", ...command.name.split(" "), ...positionals];
  for (const name of names) {
    const spec = specs[name];
    const value = values[name];
    if (value === undefined || value === false || spec.output !== undefined || PRESENTATION.has(name)) continue;
    if (value === true) {
      words.push(`--${name}`);
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      // `--name=-x` keeps a value that starts with "-" from reading as an option.
      words.push(...(v.startsWith("-") ? [`--${name}=${v}`] : [`--${name}`, v]));
    }
  }
  const seed = seedOf(command, values);
  if (seed !== null && values.seed === undefined) words.push("--seed", String(seed));
  words.push("--format", "json");
  return formatCommand(words);
}
