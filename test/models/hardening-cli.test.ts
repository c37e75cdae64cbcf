/**
 * The hardening checks as the CLI reports them: exit 2 with
 * "crtkit: error: …" naming the column or row, and `gee --time` in the JSON.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";

const EXAMPLE = readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8");

async function run(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin });
  return { code, stdout, stderr };
}

/** The example data with column `name` rewritten by `f(value, dataRow)`, and a column T appended when asked. */
function edited(name: string, f: (v: string, row: number) => string): string {
  const [header, ...lines] = EXAMPLE.trim().split("\n");
  const k = header.split(",").indexOf(name);
  return [header, ...lines.map((l, r) => l.split(",").map((v, j) => (j === k ? f(v, r + 1) : v)).join(","))].join("\n") + "\n";
}

test("lm, glm and gee refuse (1 | cluster) with exit 2; a constant or overflowing outcome is named", async () => {
  for (const args of [
    ["lm", "-", "--formula", "Y ~ A + (1 | cluster)"],
    ["glm", "-", "--formula", "Y ~ A + (1 | cluster)"],
    ["gee", "-", "--formula", "Y ~ A + (1 | cluster)", "--cluster", "cluster"],
  ]) {
    const r = await run(args, EXAMPLE);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, new RegExp(`^crtkit: error: formula 'Y ~ A \\+ \\(1 \\| cluster\\)' contains the random-effect term \\(1 \\| cluster\\); ${args[0]} fits fixed effects only: use lmm or glmm`));
  }
  const constant = edited("Y", () => "2.5");
  for (const args of [
    ["glm", "-", "--formula", "Y ~ A + X1"],
    ["lm", "-", "--formula", "Y ~ A + X1", "--cluster", "cluster"],
    ["lmm", "-", "--formula", "Y ~ A + X1 + (1 | cluster)"],
    ["mrs", "-", "--formula", "Y ~ X1", "--cluster", "cluster", "--treatment", "A"],
  ]) {
    const r = await run(args, constant);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, /^crtkit: error: the outcome 'Y' is 2\.5 in all 1996 rows used/);
  }
  const big = edited("Y", (v, row) => (row === 6 ? "1e308" : v));
  for (const cmd of ["glm", "gee", "lm", "lmm", "mrs"]) {
    const formula = cmd === "lmm" ? "Y ~ A + X1 + (1 | cluster)" : cmd === "mrs" ? "Y ~ X1" : "Y ~ A + X1";
    const extra = cmd === "gee" || cmd === "lm" ? ["--cluster", "cluster"] : cmd === "mrs" ? ["--cluster", "cluster", "--treatment", "A", "--scale", "rd"] : [];
    const r = await run([cmd, "-", "--formula", formula, ...extra], big);
    assert.equal(r.code, 2, cmd);
    assert.match(r.stderr, /^crtkit: error: response 'Y' is 1e\+308 at data row 6: values beyond/, cmd);
  }
});

test("gee --time reports the order used; rows shuffled within clusters give the fit of the ordered rows", async () => {
  // T = position of the row within its cluster, then each cluster's rows reversed.
  const seen = new Map<string, number>();
  const [header, ...lines] = EXAMPLE.trim().split("\n");
  const withTime = lines.map((l) => {
    const c = l.split(",")[0];
    seen.set(c, (seen.get(c) ?? 0) + 1);
    return `${l},${seen.get(c)}`;
  });
  const reversed = [...withTime].reverse();
  const args = ["gee", "-", "--formula", "Y ~ A*X1", "--cluster", "cluster", "--corstr", "ar1", "--format", "json"];
  const ordered = JSON.parse((await run(args, [`${header},T`, ...withTime].join("\n") + "\n")).stdout);
  assert.equal(ordered.timeOrder, "row order within cluster");
  const r = await run([...args, "--time", "T"], [`${header},T`, ...reversed].join("\n") + "\n");
  assert.equal(r.code, 0, r.stderr);
  const timed = JSON.parse(r.stdout);
  assert.equal(timed.timeOrder, "by column 'T'");
  assert.ok(Math.abs(timed.alpha - ordered.alpha) < 1e-10);
  timed.coefficients.forEach((c: { estimate: number; stdError: number }, j: number) => {
    assert.ok(Math.abs(c.estimate - ordered.coefficients[j].estimate) < 1e-10);
    assert.ok(Math.abs(c.stdError - ordered.coefficients[j].stdError) < 1e-10);
  });
});
