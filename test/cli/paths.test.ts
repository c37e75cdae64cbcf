import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ComputeError, InputError } from "../../src/core/errors.ts";
import { reportFailure } from "../../src/cli/main.ts";
import { EXAMPLE, run } from "./run.ts";

const hasProc = existsSync("/proc/self");
const TOY = ["simulate", "--scenario", "toy", "--reps", "4", "--workers", "1", "--param", "bootstrapReps=5"];

test("--out to a directory, into a missing folder or where nothing can be created: exit 2 naming the path, before computing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-out-"));
  const cases: [string, RegExp][] = [
    [dir, /--out '.*' is a directory; give a file name/],
    [join(dir, "missing", "out.json"), /cannot write --out '.*missing\/out\.json': the folder '.*missing' does not exist/],
  ];
  if (hasProc) cases.push(["/proc/crtkit-out.json", /cannot write --out '\/proc\/crtkit-out\.json'/]);
  for (const [path, message] of cases) {
    // The formula names an unknown column: had the command run, that would be the error.
    const r = await run(["lm", EXAMPLE, "--formula", "Y ~ Z", "--out", path, "--format", "json"]);
    assert.equal(r.code, 2, path);
    assert.match(r.stderr, new RegExp(`^crtkit: error: ${message.source}`), path);
    assert.equal(r.stdout, "");
  }
  // Checking leaves nothing behind; a good path still works.
  assert.deepEqual(readdirSync(dir), []);
  const ok = await run(["lm", EXAMPLE, "--formula", "Y ~ A", "--out", join(dir, "out.json"), "--format", "json"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readdirSync(dir), ["out.json"]);
});

test("analyze --trace is checked like --out", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-trace-"));
  const r = await run(["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y",
    "--imputation", "M ~ X1", "--trace", join(dir, "no", "trace.csv")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^crtkit: error: cannot write --trace '.*no\/trace\.csv': the folder/);
  const asDir = await run(["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--methods", "cca", "--trace", dir]);
  assert.match(asDir.stderr, /^crtkit: error: --trace '.*' is a directory/);
});

test("simulate --out DIR: created up front; a file, or a place where nothing can be created, is refused without hanging", { timeout: 20_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), "crtkit-simout-"));
  const file = join(root, "file");
  writeFileSync(file, "x");
  const asFile = await run([...TOY, "--out", file]);
  assert.equal(asFile.code, 2);
  assert.match(asFile.stderr, /^crtkit: error: --out '.*file': '.*file' is not a directory/);
  const under = await run([...TOY, "--out", join(file, "sub")]);
  assert.equal(under.code, 2);
  assert.match(under.stderr, /is not a directory/);
  if (hasProc) {
    const proc = await run([...TOY, "--out", "/proc/crtkit-sim/deeper"]);
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /^crtkit: error: --out '\/proc\/crtkit-sim\/deeper': cannot create the directory '\/proc\/crtkit-sim'/);
  }
  const nested = join(root, "a", "b");
  const ok = await run([...TOY, "--out", nested, "--format", "json"]);
  assert.equal(ok.code, 0, ok.stderr);
  // Only the study is there: the write check left nothing behind.
  assert.deepEqual(readdirSync(nested), ["toy"]);
  assert.ok(existsSync(join(nested, "toy", "manifest.json")));
});

test("simulate refuses replicate counts it cannot hold before allocating anything", { timeout: 20_000 }, async () => {
  const r = await run(["simulate", "--scenario", "toy", "--reps", "1000000000", "--workers", "1"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^crtkit: error: --reps is too large \(at most 100000\)/);
});

test("an unexpected failure is one line without a stack unless CRTKIT_DEBUG is set", () => {
  const bug = new TypeError("cannot read properties of undefined (reading 'x')");
  const plain = reportFailure(bug, false);
  assert.equal(plain.code, 1);
  assert.equal(plain.text, "crtkit: internal error: cannot read properties of undefined (reading 'x') (set CRTKIT_DEBUG=1 for details)\n");
  const debug = reportFailure(bug, true);
  assert.match(debug.text, /^crtkit: internal error: cannot read[^\n]*\nTypeError: [\s\S]*\n\s+at /);
  assert.deepEqual(reportFailure(new InputError("bad")), { code: 2, text: "crtkit: error: bad\n" });
  assert.deepEqual(reportFailure(new ComputeError("no convergence")), { code: 1, text: "crtkit: error: no convergence\n" });
  assert.equal(reportFailure("thrown text", false).text, "crtkit: internal error: thrown text (set CRTKIT_DEBUG=1 for details)\n");
});
