/** Help texts: the list of commands, and each command's usage and options (its own first, then the common ones). */
import { flagText, type Command, type OptionSpec } from "./command.ts";
import { commands } from "./commands/index.ts";

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  format: { type: "string", valueName: "FORMAT", help: "output format: table, json or csv", default: "table" },
  out: { type: "string", valueName: "FILE", output: "file", help: "write the result to this file instead of stdout" },
  level: { type: "string", valueName: "L", help: "confidence level of intervals", default: "0.95" },
  quiet: { type: "boolean", help: "no progress bar" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** A command's options: its own, then the common ones it does not redefine. */
export function optionSpecs(command: Command): Record<string, OptionSpec> {
  return { ...COMMON_OPTIONS, ...command.options };
}

function optionLines(entries: readonly [string, OptionSpec][]): string[] {
  return entries.map(([name, spec]) => {
    const notes = [
      spec.required ? "required" : "",
      spec.default !== undefined ? `default ${spec.default}` : "",
      spec.multiple ? "repeatable" : "",
    ].filter(Boolean);
    const flag = (spec.short ? `-${spec.short}, ` : "") + flagText(name, spec);
    return `  ${flag.padEnd(26)} ${spec.help}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  });
}

export function commandHelp(command: Command): string {
  const own = Object.entries(command.options);
  const common = Object.entries(COMMON_OPTIONS).filter(([name]) => !(name in command.options));
  const lines = [`crtkit ${command.name} — ${command.summary}`, "", `usage: crtkit ${command.name} ${command.usage}`, ""];
  if (own.length > 0) lines.push("options:", ...optionLines(own), "");
  lines.push("common options:", ...optionLines(common), "", `example: ${command.example}`);
  return lines.join("\n") + "\n";
}

export function generalHelp(): string {
  const lines = ["crtkit — analysis of cluster-randomized trials", "", "usage: crtkit <command> [DATA] [options]", "", "commands:"];
  for (const c of commands) lines.push(`  ${c.name.padEnd(20)} ${c.summary}`);
  lines.push(
    "",
    "Run `crtkit <command> --help` for a command's options, `crtkit --version` for the version.",
    "DATA is a CSV file or - for standard input.",
  );
  return lines.join("\n") + "\n";
}
