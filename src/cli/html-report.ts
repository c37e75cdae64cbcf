/**
 * `--report FILE.html`: the command's report content, wrapped in the
 * document shell with the JSON result exactly as `--format json` prints it
 * and the provenance of the run (the time of writing only here).
 */
import { writeFileSync } from "node:fs";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import { renderHtmlDocument } from "../report/html/document.ts";
import type { Provenance } from "../report/provenance.ts";
import type { Command, CommandResult, OptionValues } from "./command.ts";
import { commandLine, reproduceCommand } from "./reproduce.ts";

export interface ReportRun {
  readonly command: Command;
  readonly result: CommandResult;
  /** The result as printed by `--format json`. */
  readonly jsonText: string;
  readonly provenance: Provenance;
  readonly argv: readonly string[];
  readonly options: OptionValues;
  /** All positional arguments, DATA first when the command reads data. */
  readonly positionals: readonly string[];
  readonly data: Dataset | undefined;
}

export function htmlReport(run: ReportRun, time: Date = new Date()): string {
  const { command, result, options, positionals } = run;
  if (result.report === undefined) throw new InputError(`crtkit ${command.name} cannot write --report for these options`);
  const rest = positionals.slice(command.takesData ? 1 : 0);
  const content = result.report(JSON.parse(run.jsonText), {
    command: command.name,
    options,
    positionals: rest,
    ...(command.takesData ? { dataPath: positionals[0], data: run.data } : {}),
  });
  return renderHtmlDocument(content, {
    resultJson: run.jsonText,
    commandLine: commandLine(run.argv),
    reproduceCommand: reproduceCommand(command, options, positionals),
    crtkitVersion: run.provenance.crtkitVersion,
    nodeVersion: process.version,
    inputSha256: run.provenance.inputSha256,
    seed: run.provenance.seed,
    time: time.toISOString(),
  });
}

/** Writes the report; a failure (checked writable before the run, so rare) is an error message, not a lost result. */
export function writeHtmlReport(path: string, run: ReportRun): string | undefined {
  const html = htmlReport(run);
  try {
    writeFileSync(path, html);
    return undefined;
  } catch (e) {
    return `cannot write --report '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
