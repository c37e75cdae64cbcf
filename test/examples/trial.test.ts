/** The bundled example trials: reproduced by their generator, and trial-complete.csv is trial.csv before the modifier went missing. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (name: string): string => readFileSync(`${root}examples/${name}`, "utf8");
const generate = (...args: string[]): string =>
  execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "examples/generate-trial.ts", ...args], { cwd: root, encoding: "utf8" });

test("generate-trial.ts writes trial.csv and, with --complete, trial-complete.csv byte for byte", { timeout: 60_000 }, () => {
  assert.equal(generate(), read("trial.csv"));
  assert.equal(generate("--complete"), read("trial-complete.csv"));
});

test("trial-complete.csv keeps every column of trial.csv and fills in exactly the missing modifier values", () => {
  const partial = read("trial.csv").trimEnd().split("\n").map((l) => l.split(","));
  const complete = read("trial-complete.csv").trimEnd().split("\n").map((l) => l.split(","));
  assert.deepEqual(complete[0], partial[0]);
  assert.equal(complete.length, partial.length);
  const m = partial[0].indexOf("M");
  let filled = 0;
  for (let r = 1; r < partial.length; r++) {
    for (let j = 0; j < partial[r].length; j++) {
      if (j !== m) assert.equal(complete[r][j], partial[r][j], `row ${r}, column ${partial[0][j]}`);
    }
    assert.ok(complete[r][m] === "0" || complete[r][m] === "1", `row ${r}: M = ${complete[r][m]}`);
    if (partial[r][m] === "NA") filled++;
    else assert.equal(complete[r][m], partial[r][m], `row ${r}: M`);
  }
  assert.equal(filled, 613);
});
