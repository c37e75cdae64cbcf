/**
 * crtkit's command line: parses arguments, reads the data, runs a command and
 * renders its result. Exit status 0 on success, 2 for bad usage or input
 * (message on stderr starting "crtkit: error:"), 1 for a failure while computing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ComputeError, InputError } from "../core/errors.ts";
import { readCsv, readCsvFile } from "../data/csv.ts";
import type { Dataset } from "../data/dataset.ts";
import { toJson } from "../report/json.ts";
import { renderCsv, renderText } from "../report/summary.ts";
import { choiceOption, optionalString, type Command, type OptionSpec, type OptionValues } from "./command.ts";
import { commands } from "./commands/index.ts";
import { progressBar } from "./progress.ts";

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  format: { type: "string", help: "output format: table, json or csv", default: "table" },
  out: { type: "string", help: "write the result to this file instead of stdout" },
  level: { type: "string", help: "confidence level of intervals", default: "0.95" },
  quiet: { type: "boolean", help: "no progress bar" },
  help: { type: "boolean", help: "show this help" },
};

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
  readonly stderrStream?: NodeJS.WriteStream;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, "utf8"),
  stderrStream: process.stderr,
};

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const two = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === argv[0]);
  return one ? { command: one, rest: argv.slice(1) } : undefined;
}

export function commandHelp(command: Command): string {
  const all = { ...COMMON_OPTIONS, ...command.options };
  const lines = [`crtkit ${command.name} — ${command.summary}`, "", `usage: crtkit ${command.name} ${command.usage}`, "", "options:"];
  for (const [name, spec] of Object.entries(all)) {
    const flag = spec.type === "string" ? `--${name} VALUE` : `--${name}`;
    const def = spec.default !== undefined ? ` (default ${spec.default})` : "";
    const rep = spec.multiple ? " (repeatable)" : "";
    lines.push(`  ${flag.padEnd(26)} ${spec.help}${def}${rep}`);
  }
  lines.push("", `example: ${command.example}`);
  return lines.join("\n") + "\n";
}

export function generalHelp(): string {
  const lines = ["crtkit — analysis of cluster-randomized trials", "", "usage: crtkit <command> [DATA] [options]", "", "commands:"];
  for (const c of commands) lines.push(`  ${c.name.padEnd(20)} ${c.summary}`);
  lines.push("", "Run `crtkit <command> --help` for a command's options. DATA is a CSV file or - for standard input.");
  return lines.join("\n") + "\n";
}

function readData(path: string, io: Io): Dataset {
  if (path !== "-") return readCsvFile(path);
  let text: string;
  if (path === "-") {
    text = io.readStdin();
  } else {
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new InputError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return readCsv(text, path === "-" ? "standard input" : `'${path}'`);
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
      io.stdout(generalHelp());
      return 0;
    }
    const found = findCommand(argv);
    if (!found) throw new InputError(`unknown command '${argv[0]}'; run 'crtkit --help' for the list`);
    const { command, rest } = found;
    const specs = { ...COMMON_OPTIONS, ...command.options };
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, { type: s.type, multiple: s.multiple ?? false }])),
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new InputError((e as Error).message.replace(/\. To specify a positional.*$/s, ""));
    }
    const positionals = parsed.positionals;
    const values = parsed.values as OptionValues;
    if (values.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const format = choiceOption(values, "format", ["table", "json", "csv"] as const, "table");
    let data: Dataset | undefined;
    if (command.takesData) {
      if (positionals.length === 0) throw new InputError(`crtkit ${command.name} needs a data file (or - for standard input)`);
      data = readData(positionals[0], io);
    }
    const progress = progressBar(io.stderrStream ?? process.stderr, !values.quiet);
    const result = await command.run({
      data,
      options: values,
      positionals: command.takesData ? positionals.slice(1) : positionals,
      progress,
    });
    const text = format === "json" ? toJson(result.json) : format === "csv" ? renderCsv(result.summary) : renderText(result.summary);
    // A command that defines --out itself (simulate: the output directory) keeps it; otherwise it names the result file.
    const out = "out" in command.options ? undefined : optionalString(values, "out");
    if (out) writeFileSync(out, text);
    else io.stdout(text);
    return result.exitCode ?? 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`crtkit: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ComputeError) {
      io.stderr(`crtkit: error: ${e.message}\n`);
      return 1;
    }
    io.stderr(`crtkit: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
