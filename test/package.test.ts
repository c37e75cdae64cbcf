import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as crtkit from "crtkit";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the package imports itself by name", () => {
  for (const name of ["gee", "pool", "glm", "lm", "lmm", "glmm", "analyzeMissingModifier", "readCsv", "modelFrame", "createRng", "runSimulation", "sampleSize"]) {
    assert.equal(typeof (crtkit as Record<string, unknown>)[name], "function", name);
  }
});

test("the built package and its command line work without the TypeScript sources", () => {
  // Plain node resolves "crtkit" to dist/ (npm ci builds it).
  const names = execFileSync(process.execPath, ["--input-type=module", "-e", "import * as c from 'crtkit'; console.log(typeof c.gee, typeof c.pool)"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(names.trim(), "function function");
  const help = execFileSync(process.execPath, ["bin/crtkit.js", "--help"], { cwd: root, encoding: "utf8" });
  assert.match(help, /crtkit <command>/);
});
