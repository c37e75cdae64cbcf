import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { commands } from "../../src/cli/commands/index.ts";
import { main } from "../../src/cli/main.ts";
import { cliReference } from "../../scripts/cli-docs.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("docs/cli.md is generated from the commands and up to date (npm run docs)", () => {
  assert.equal(readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8"), cliReference());
});

/** Splits an example command line into arguments (double quotes group words). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

test("every command's documented example runs and exits 0", async () => {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    for (const c of commands) {
      // Simulation examples run hundreds of replicates; the simulate tests cover those commands.
      if (c.name.startsWith("simulate")) continue;
      const args = words(c.example).slice(1);
      let stderr = "";
      const code = await main([...args, "--format", "json"], { stdout: () => {}, stderr: (t) => (stderr += t), readStdin: () => "" });
      assert.equal(code, 0, `${c.example}\n${stderr}`);
    }
  } finally {
    process.chdir(cwd);
  }
});
