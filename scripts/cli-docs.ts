/**
 * Writes docs/cli.md, the command reference, from the commands themselves
 * (summary, usage, options, example), so the reference cannot drift from
 * the code. `npm run docs`; a test checks the file is current.
 */
import { writeFileSync } from "node:fs";
import { flagText } from "../src/cli/command.ts";
import { COMMON_OPTIONS } from "../src/cli/main.ts";
import { commands } from "../src/cli/commands/index.ts";

export function cliReference(): string {
  const lines = [
    "# crtkit command reference",
    "",
    "Generated from the commands by `npm run docs`. Every command accepts the common options",
    "`--format table|json|csv`, `--out FILE`, `--level 0.95`, `--quiet` and `--help`.",
    "DATA is a CSV file with a header row (empty cells, `NA` and `.` are missing) or `-` for standard input.",
    "Exit status: 0 success, 2 bad usage or input (stderr starts with `crtkit: error:`), 1 a failure while computing.",
    "Warnings (`crtkit: warning: …`) go to stderr in every format; a usage error writes nothing on stdout, even with `--format json`.",
    "Option values may be negative numbers (`--delta -0.5`) or written `--name=value`; a single-valued option given twice is an error.",
    "Integer options (`--seed`, `--reps`, …) are written as decimal digits. `crtkit --version` prints the version.",
    "",
  ];
  for (const c of commands) {
    lines.push(`## crtkit ${c.name}`, "", c.summary[0].toUpperCase() + c.summary.slice(1) + ".", "", "```", `crtkit ${c.name} ${c.usage}`, "```", "");
    const opts = Object.entries(c.options);
    if (opts.length > 0) {
      lines.push("| option | meaning | default |", "|---|---|---|");
      for (const [name, spec] of opts) {
        const marks = `${spec.required ? " (required)" : ""}${spec.multiple ? " (repeatable)" : ""}`;
        lines.push(`| \`${flagText(name, spec)}\`${marks} | ${spec.help.replace(/\|/g, "\\|")} | ${spec.default ?? ""} |`);
      }
      lines.push("");
    }
    lines.push("Example:", "", "```sh", c.example, "```", "");
    for (const note of c.notes ?? []) lines.push(note, "");
  }
  lines.push("## Common options", "", "| option | meaning | default |", "|---|---|---|");
  for (const [name, spec] of Object.entries(COMMON_OPTIONS)) {
    lines.push(`| \`${flagText(name, spec)}\` | ${spec.help} | ${spec.default ?? ""} |`);
  }
  return lines.join("\n") + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL("../docs/cli.md", import.meta.url), cliReference());
}
