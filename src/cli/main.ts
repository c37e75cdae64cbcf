/**
 * crtkit's command line: parses arguments, reads the data, runs a command and
 * renders its result. Exit status 0 on success, 2 for bad usage or input
 * (message on stderr starting "crtkit: error:"), 1 for a failure while computing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ComputeError, InputError } from "../core/errors.ts";
import { readCsv, readCsvFile } from "../data/csv.ts";
import type { Dataset } from "../data/dataset.ts";
import { toJson } from "../report/json.ts";
import { renderCsv } from "../report/csv.ts";
import { provenanceFromHash, sha256Hex, withProvenance } from "../report/provenance.ts";
import { fileSha256 } from "./file-hash.ts";
import { renderText } from "../report/text.ts";
import { crtkitVersion } from "../simulate/version.ts";
import { parseCommandLine } from "./argv.ts";
import { choiceOption, optionalString, seedOf, type Command, type OptionSpec, type OptionValues } from "./command.ts";
import { commands } from "./commands/index.ts";
import { COMMON_OPTIONS, commandHelp, generalHelp, optionSpecs } from "./help.ts";
import { writeHtmlReport } from "./html-report.ts";
import { checkOutputFile, prepareOutputDirectory } from "./paths.ts";
import { progressBar } from "./progress.ts";
import { warningMessages } from "./warnings.ts";

export { COMMON_OPTIONS, commandHelp, generalHelp };

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input as bytes (or text, taken as its UTF-8 bytes). */
  readonly readStdin: () => Uint8Array | string;
  readonly stderrStream?: NodeJS.WriteStream;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0),
  stderrStream: process.stderr,
};

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } {
  const two = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === argv[0]);
  if (one) return { command: one, rest: argv.slice(1) };
  const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name.split(" ")[1]);
  if (group.length > 0) throw new InputError(`crtkit ${argv[0]} needs one of: ${group.join(", ")}`);
  throw new InputError(`unknown command '${argv[0]}'; run 'crtkit --help' for the list`);
}

/** The data set and the SHA-256 of the bytes it was read from (for the provenance). */
function readData(path: string, io: Io): { data: Dataset; sha256: string } {
  if (path === "-") {
    const input = io.readStdin();
    const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    return { data: readCsv(text, "standard input"), sha256: sha256Hex(bytes) };
  }
  // A file is read in chunks, for the data and for its hash: the whole text is never held.
  return { data: readCsvFile(path), sha256: fileSha256(path) };
}

const given = (v: OptionValues[string]): boolean => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);

/** Checks the positional arguments: DATA (when the command takes it), its named ones, and nothing more. */
function checkPositionals(command: Command, positionals: readonly string[], warn: (m: string) => void): void {
  const expected = (command.takesData ? 1 : 0) + (command.positionals?.length ?? 0);
  if (command.takesData && positionals.length === 0) throw new InputError(`crtkit ${command.name} needs a data file (or - for standard input)`);
  if (positionals.length <= expected) return;
  const extra = positionals.slice(expected).map((p) => `'${p}'`).join(", ");
  if (expected === 0) {
    warn(`crtkit ${command.name} takes no data file or other argument; ignored: ${extra}`);
    return;
  }
  const takes = [command.takesData ? "one DATA file" : "", ...(command.positionals ?? [])].filter(Boolean).join(" and ");
  throw new InputError(`unexpected extra argument ${extra}: crtkit ${command.name} takes ${takes}`);
}

/** What the option specs declare: required options present, inapplicable ones warned about, output paths writable. */
function checkOptions(specs: Readonly<Record<string, OptionSpec>>, values: OptionValues, warn: (m: string) => void): void {
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !given(values[name])) throw new InputError(`missing required option --${name}`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.appliesWhen && given(values[name]) && !spec.appliesWhen.when(values)) warn(`--${name} ${spec.appliesWhen.otherwise}; it is ignored`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const path = optionalString(values, name);
    if (spec.output === undefined || path === undefined) continue;
    if (spec.output === "file") checkOutputFile(path, name);
    else prepareOutputDirectory(path, name);
  }
}

async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.length === 0) {
    io.stderr(generalHelp());
    return 2;
  }
  if (argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    io.stdout(generalHelp());
    return 0;
  }
  if (argv[0] === "--version") {
    io.stdout(`crtkit ${crtkitVersion()}\n`);
    return 0;
  }
  const { command, rest } = findCommand(argv);
  const specs = optionSpecs(command);
  const { values, positionals } = parseCommandLine(rest, specs, command.name);
  if (values.help) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const warn = (m: string): void => io.stderr(`crtkit: warning: ${m}\n`);
  const format = choiceOption(values, "format", ["table", "json", "csv"] as const, "table");
  checkPositionals(command, positionals, warn);
  checkOptions(specs, values, warn);
  const input = command.takesData ? readData(positionals[0], io) : undefined;
  const progress = progressBar(io.stderrStream ?? process.stderr, !values.quiet);
  const result = await command.run({
    data: input?.data,
    options: values,
    positionals: positionals.slice(command.takesData ? 1 : 0),
    progress,
  });
  const provenance = provenanceFromHash(input?.sha256 ?? null, seedOf(command, values));
  const jsonText = toJson(withProvenance(result.json, provenance));
  const text = format === "json" ? jsonText : format === "csv" ? renderCsv(result.summary) : renderText(result.summary);
  // A command that defines --out itself (simulate: the output directory) keeps it; otherwise it names the result file.
  const out = "out" in command.options ? undefined : optionalString(values, "out");
  let code = result.exitCode ?? 0;
  if (out === undefined) {
    io.stdout(text);
  } else {
    try {
      writeFileSync(out, text);
    } catch (e) {
      // Checked before the computation, so rare (a full disk); the result still reaches the user.
      io.stderr(`crtkit: error: cannot write --out '${out}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the result follows on standard output\n`);
      io.stdout(text);
      code = 2;
    }
  }
  const reportPath = optionalString(values, "report");
  if (reportPath !== undefined) {
    const failure = writeHtmlReport(reportPath, { command, result, jsonText, provenance, argv, options: values, positionals, data: input?.data });
    if (failure !== undefined) {
      io.stderr(`crtkit: error: ${failure}\n`);
      code = 2;
    }
  }
  const messages = warningMessages(result.json);
  for (const m of messages) warn(m);
  if (code === 1 && messages.length === 0) io.stderr(`crtkit: error: crtkit ${command.name} did not complete the computation; see the diagnostics in its result\n`);
  return code;
}

/** The exit status and stderr text of a failure; a bug gets one line, with its stack only when `debug`. */
export function reportFailure(e: unknown, debug = Boolean(process.env.CRTKIT_DEBUG)): { code: number; text: string } {
  if (e instanceof InputError) return { code: 2, text: `crtkit: error: ${e.message}\n` };
  if (e instanceof ComputeError) return { code: 1, text: `crtkit: error: ${e.message}\n` };
  const message = e instanceof Error ? e.message : String(e);
  const detail = debug ? `\n${e instanceof Error ? e.stack : String(e)}` : " (set CRTKIT_DEBUG=1 for details)";
  return { code: 1, text: `crtkit: internal error: ${message.split("\n")[0]}${detail}\n` };
}

/** A reader that stops early (`crtkit … | head`) closes the pipe: end quietly instead of an unhandled EPIPE. */
function endQuietlyOnClosedStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`crtkit: error: cannot write to standard output (${e.code ?? e.message})\n`);
    process.exit(1);
  });
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  if (io === processIo) endQuietlyOnClosedStdout();
  try {
    return await runCommand(argv, io);
  } catch (e) {
    const { code, text } = reportFailure(e);
    io.stderr(text);
    return code;
  }
}
