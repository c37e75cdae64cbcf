import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { parseInteger } from "../../src/cli/command.ts";
import { commands } from "../../src/cli/commands/index.ts";
import { warningMessages } from "../../src/cli/warnings.ts";
import { EXAMPLE, run } from "./run.ts";

const SAMPLESIZE = ["design", "samplesize", "--outcome", "continuous", "--sd", "1", "--cluster-size", "10", "--icc", "0.05", "--format", "json"];
const TOY_BASE = ["simulate", "--scenario", "toy", "--param", "bootstrapReps=5", "--format", "json"];
const TOY = [...TOY_BASE, "--reps", "2", "--workers", "1"];

test("negative option values are taken as users type them, and --name=value works", async () => {
  const positive = await run([...SAMPLESIZE, "--delta", "0.5"]);
  assert.equal(positive.code, 0, positive.stderr);
  for (const args of [["--delta", "-0.5"], ["--delta=-0.5"], ["--delta", "-.5"], ["--delta", "-5e-1"]]) {
    const r = await run([...SAMPLESIZE, ...args]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).clustersPerArm, JSON.parse(positive.stdout).clustersPerArm, args.join(" "));
  }
  // The toy scenario has no beta3 and needs ≥ 4 clusters: the errors show the values reached it.
  const beta = await run([...TOY, "--beta3", "-1.6"]);
  assert.match(beta.stderr, /^crtkit: error: scenario 'toy' has no parameter 'beta3'/);
  const clusters = await run([...TOY, "--clusters", "-4"]);
  assert.match(clusters.stderr, /^crtkit: error: parameter 'clusters' must be an integer ≥ 4; got -4/);
  // A missing value is still a usage error, naming the option.
  const missing = await run(["gee", EXAMPLE, "--cluster", "--formula", "Y ~ A"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^crtkit: error: option --cluster needs a value/);
});

test("a repeated single-valued option or an extra positional argument is an error; repeatable options repeat", async () => {
  const twice = await run(["lm", EXAMPLE, "--formula", "Y ~ A", "--formula", "Y ~ A + X1"]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /^crtkit: error: --formula is given more than once \('Y ~ A', 'Y ~ A \+ X1'\)/);
  const format = await run([...SAMPLESIZE, "--delta", "0.5", "--format=csv"]);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format is given more than once/);
  const extra = await run(["lm", EXAMPLE, EXAMPLE, "--formula", "Y ~ A"]);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /^crtkit: error: unexpected extra argument '.*trial\.csv': crtkit lm takes one DATA file/);
  const dirs = await run(["simulate", "summarize", "a", "b"]);
  assert.equal(dirs.code, 2);
  assert.match(dirs.stderr, /unexpected extra argument 'b': crtkit simulate summarize takes DIR/);
  const params = await run([...TOY, "--param", "clusters=6", "--param", "clusterSize=4"]);
  assert.equal(params.code, 0, params.stderr);
});

test("options and arguments that do not apply are warned about on stderr", async () => {
  const sd = await run(["design", "samplesize", "--outcome", "binary", "--p1", "0.3", "--p2", "0.2", "--sd", "1", "--cluster-size", "10", "--icc", "0.05", "--format", "json"]);
  assert.equal(sd.code, 0, sd.stderr);
  assert.match(sd.stderr, /^crtkit: warning: --sd applies only to a continuous outcome; it is ignored$/m);
  const p1 = await run([...SAMPLESIZE, "--delta", "0.5", "--p1", "0.3"]);
  assert.match(p1.stderr, /^crtkit: warning: --p1 applies only with --outcome binary/m);
  const file = await run([...SAMPLESIZE, "--delta", "0.5", "data.csv"]);
  assert.equal(file.code, 0, file.stderr);
  assert.match(file.stderr, /^crtkit: warning: crtkit design samplesize takes no data file .*'data\.csv'/m);
  JSON.parse(file.stdout);
  // --grid runs its own scenarios: --scenario is ignored (warned before the run starts; --reps 0 stops it there).
  const grid = await run(["simulate", "--grid", "paper-missing-modifier", "--scenario", "toy", "--reps", "0"]);
  assert.match(grid.stderr, /^crtkit: warning: --scenario does not apply with --grid; it is ignored$/m);
  const clean = await run([...SAMPLESIZE, "--delta", "0.5"]);
  assert.equal(clean.stderr, "");
});

test("--version, -h for every command, and no arguments (usage on stderr, exit 2)", async () => {
  const version = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
  const v = await run(["--version"]);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `crtkit ${version}\n`);
  const none = await run([]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, "");
  assert.match(none.stderr, /^crtkit — .*\n[\s\S]*usage: crtkit <command>/);
  for (const c of commands) {
    const h = await run([...c.name.split(" "), "-h"]);
    assert.equal(h.code, 0, c.name);
    assert.ok(h.stdout.startsWith(`crtkit ${c.name} — `), c.name);
    const common = h.stdout.indexOf("\ncommon options:\n");
    assert.ok(common > 0, c.name);
    for (const [name, spec] of Object.entries(c.options)) {
      const line = h.stdout.split("\n").find((l) => l.startsWith(`  --${name} `));
      assert.ok(line, `${c.name} --${name}`);
      assert.ok(h.stdout.indexOf(line) < common, `${c.name}: its own --${name} comes before the common options`);
      if (spec.required) assert.match(line, /\(required/, `${c.name} --${name}`);
      if (spec.valueName) assert.ok(line.startsWith(`  --${name} ${spec.valueName} `), `${c.name} --${name}`);
    }
  }
  const gee = (await run(["gee", "--help"])).stdout;
  assert.match(gee, /^ {2}--cluster COL +cluster identifier column \(required\)$/m);
  assert.match(gee, /^ {2}--formula F +.*\(required\)$/m);
  assert.match((await run(["simulate", "-h"])).stdout, /^ {2}--seed N /m);
});

const BUILT = { skip: !existsSync(new URL("../../dist/cli/main.js", import.meta.url)) && "needs npm run build" };
const BIN = new URL("../../bin/crtkit.js", import.meta.url).pathname;

test("crtkit --version works from the built files too", BUILT, () => {
  const version = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
  const out = execFileSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
  assert.equal(out, `crtkit ${version}\n`);
});

test("a reader that closes the pipe early (crtkit … | head) ends crtkit quietly", { ...BUILT, timeout: 60_000 }, async () => {
  const clusters = Array.from({ length: 57 }, (_, i) => i + 4).join(",");
  const child = spawn(process.execPath, [BIN, "simulate", "--scenario", "toy", "--reps", "2", "--workers", "1", "--param", "bootstrapReps=2", "--param", `clusters=${clusters}`, "--format", "json"]);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.once("data", () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(stderr, "");
  assert.equal(code, 0);
});

test("missing required options are named before any data is read", async () => {
  const r = await run(["gee", "/nonexistent.csv", "--formula", "Y ~ A"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^crtkit: error: missing required option --cluster$/m);
});

test("warning and error diagnostics reach stderr in every format, once each", async () => {
  const csv = "y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n";
  for (const format of ["table", "json", "csv"]) {
    const r = await run(["glm", "-", "--formula", "y ~ x", "--family", "binomial", "--format", format], csv);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, format);
    assert.match(lines[0], /^crtkit: warning: fitted probabilities numerically 0 or 1/, format);
    if (format === "json") assert.ok(JSON.parse(r.stdout).diagnostics.some((d: { message: string }) => lines[0].endsWith(d.message)));
  }
  const nested = {
    results: [
      { diagnostics: [{ code: "a", severity: "warning", message: "chain did not mix" }, { code: "b", severity: "info", message: "fyi" }] },
      { diagnostics: [{ code: "a", severity: "warning", message: "chain did not mix" }] },
    ],
    diagnostics: [{ code: "c", severity: "error", message: "a method failed" }],
  };
  assert.deepEqual(warningMessages(nested), ["chain did not mix", "a method failed"]);
});

test("integers are strict decimal digits: seeds, replicate counts and other counts", async () => {
  for (const bad of ["0x10", "1e3", " 7", "7 ", "7.0", "+7", "", "seven", "-1"]) {
    assert.throws(() => parseInteger(bad, "--seed"), /--seed must (be written as decimal digits|be at least 0)/, JSON.stringify(bad));
  }
  assert.equal(parseInteger("0", "--seed"), 0);
  assert.equal(parseInteger("007", "--seed"), 7);
  assert.equal(parseInteger("9007199254740991", "--seed"), Number.MAX_SAFE_INTEGER);
  assert.throws(() => parseInteger("9007199254740992", "--seed"), /--seed is too large \(at most 9007199254740991\)/);
  assert.throws(() => parseInteger("-3", "--x", { min: -2 }), /--x must be at least -2/);
  const cases: [string[], RegExp][] = [
    [[...TOY, "--seed", "0x10"], /--seed must be written as decimal digits/],
    [[...TOY, "--seed", "-1"], /--seed must be at least 0/],
    [[...TOY_BASE, "--reps", "1e16"], /--reps must be written as decimal digits/],
    [[...TOY_BASE, "--reps", "10000000000000000"], /--reps is too large \(at most \d+\)/],
    [[...TOY_BASE, "--reps", "1000000000"], /--reps is too large \(at most 100000\)/],
    [[...TOY_BASE, "--workers", "2.0"], /--workers must be written as decimal digits/],
    [[...TOY_BASE, "--workers", "100000"], /--workers is too large/],
    [["design", "power", "--outcome", "continuous", "--delta", "0.5", "--sd", "1", "--cluster-size", "10", "--clusters-per-arm", "5", "--icc", "0.05", "--simulate", "--reps", "1000000000"], /--reps is too large/],
    [["glmm", EXAMPLE, "--formula", "M ~ A + (1 | cluster)", "--nagq", "1e1"], /--nagq must be written as decimal digits/],
    [["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputations", "5.0"], /--imputations must be written/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
    assert.equal(r.stdout, "");
  }
  const largest = await run([...TOY, "--seed", "9007199254740991"]);
  assert.equal(largest.code, 0, largest.stderr);
  assert.equal(JSON.parse(largest.stdout).seed, Number.MAX_SAFE_INTEGER);
});

test("a usage error under --format json writes nothing on stdout", async () => {
  for (const args of [
    ["gee", EXAMPLE, "--nonsense"],
    ["gee", EXAMPLE, "--formula", "Y ~ A"],
    ["gee", EXAMPLE, "--formula", "Y ~ Z", "--cluster", "cluster"],
    ["lm", EXAMPLE, "--formula", "Y ~ A", "--level", "2"],
    ["lm", EXAMPLE, "--formula", "Y ~ A", "--out", "/nonexistent-folder/out.json"],
    ["frobnicate"],
  ]) {
    const r = await run([...args, "--format", "json"]);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, /^crtkit: error: /, args.join(" "));
  }
});

test("a semicolon- or tab-separated file is named as such", async () => {
  for (const [sep, word] of [[";", "semicolons"], ["\t", "tabs"]]) {
    const text = ["cluster", "A", "Y"].join(sep) + "\n" + ["1", "0", "2,5"].join(sep) + "\n";
    const r = await run(["glm", "-", "--formula", "Y ~ A"], text);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^crtkit: error: standard input: the header 'cluster.A.Y' reads as a single column separated by ${word}`));
  }
  const one = await run(["glm", "-", "--formula", "Y ~ 1"], "Y\n1\n2\n3\n");
  assert.equal(one.code, 0, one.stderr);
});

test("a computation that fails exits 1 with its reason on stderr, and the JSON result still on stdout", async () => {
  const separated = "c,y,x\n1,0,1\n1,0,2\n2,0,3\n2,1,4\n3,1,5\n3,1,6\n4,1,7\n4,1,8\n";
  const r = await run(["gee", "-", "--formula", "y ~ x", "--cluster", "c", "--family", "binomial", "--format", "json"], separated);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).converged, false);
  assert.match(r.stderr, /^crtkit: warning: GEE did not converge/m);
});
