import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { summarizeDirectory } from "../../src/simulate/directory.ts";
import { runSimulation, type SimulationOptions } from "../../src/simulate/runner.ts";
import { sealRecords } from "../../src/simulate/checksum.ts";
import { MAX_REPLICATES } from "../../src/simulate/storage.ts";
import { run } from "../cli/run.ts";

const root = mkdtempSync(join(tmpdir(), "crtkit-integrity-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `run${dirs++}`);

// One condition × 3 methods × 2 estimands: 6 lines per replicate.
const base: SimulationOptions = { scenario: "toy", reps: 6, seed: 11, workers: 1, parameters: { clusters: 8, effect: 0, clusterSize: 4, bootstrapReps: 20 } };
const LINES_PER_REPLICATE = 6;

function shardFile(dir: string): string {
  const cond = readdirSync(join(dir, "toy")).find((d) => d !== "manifest.json")!;
  return join(dir, "toy", cond, "shard-1-of-1.jsonl");
}

/** Changes the estimate stored on line `lineNo` (from 1) without updating its checksum. */
function editLine(path: string, lineNo: number, edit: (record: Record<string, unknown>) => void): void {
  const lines = readFileSync(path, "utf8").split("\n");
  const record = JSON.parse(lines[lineNo - 1]) as Record<string, unknown>;
  edit(record);
  lines[lineNo - 1] = JSON.stringify(record);
  writeFileSync(path, lines.join("\n"));
}

const shift = (r: Record<string, unknown>): void => {
  r.estimate = (r.estimate as number) + 1;
};

test("every stored record carries a checksum of its content; the summary is that of the in-memory run", async () => {
  const dir = freshDir();
  const stored = await runSimulation({ ...base, outDir: dir });
  const memory = await runSimulation(base);
  assert.deepEqual(stored.summary, memory.summary);
  const lines = readFileSync(shardFile(dir), "utf8").trim().split("\n");
  assert.equal(lines.length, base.reps * LINES_PER_REPLICATE);
  for (const l of lines) assert.match(l, /^\{"replicate":\d+,.*,"check":"[0-9a-f]{16}"\}$/);
  assert.equal(sealRecords('{"a":1}\n{"a":2}\n'), sealRecords('{"a":1}\n{"a":2}\n'));
  assert.notEqual(sealRecords('{"a":1}\n'), sealRecords('{"a":2}\n'));
  const s = summarizeDirectory(dir);
  assert.deepEqual(s.summary, memory.summary);
  assert.ok(!s.diagnostics.some((d) => d.code === "simulate-checksum" || d.code === "simulate-unverified"));
});

test("a record changed by hand is reported with its file and line; its replicate is left out, then recomputed on resume", async () => {
  const dir = freshDir();
  const clean = await runSimulation({ ...base, outDir: dir });
  const file = shardFile(dir);
  editLine(file, 2 * LINES_PER_REPLICATE + 3, shift); // replicate 2
  const s = summarizeDirectory(dir);
  const bad = s.diagnostics.filter((d) => d.code === "simulate-checksum");
  assert.equal(bad.length, 1);
  assert.equal(bad[0].severity, "error");
  assert.match(bad[0].message, /shard-1-of-1\.jsonl line 15 does not match its checksum .*replicate 2 is left out/);
  assert.ok(s.summary.every((r) => r.nReps + r.nFailed === base.reps - 1));
  // The command line prints it on stderr.
  const cli = await run(["simulate", "summarize", dir, "--format", "json"]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /^crtkit: warning: .*shard-1-of-1\.jsonl line 15 does not match its checksum/m);
  // Resuming recomputes replicate 2 only, with a warning, and the summary is the clean one again.
  const resumed = await runSimulation({ ...base, outDir: dir });
  assert.equal(resumed.replicatesRun, 1);
  const warned = resumed.diagnostics.filter((d) => d.code === "simulate-checksum");
  assert.equal(warned.length, 1);
  assert.equal(warned[0].severity, "warning");
  assert.match(warned[0].message, /line 15 .*an intact copy of replicate 2 is used/);
  assert.deepEqual(resumed.summary, clean.summary);
  assert.deepEqual(summarizeDirectory(dir).summary, clean.summary);
});

test("the last replicate changed by hand is kept (not cut as unfinished) and reported; a removed checksum counts as a change", async () => {
  const dir = freshDir();
  const clean = await runSimulation({ ...base, outDir: dir });
  const file = shardFile(dir);
  editLine(file, base.reps * LINES_PER_REPLICATE, shift);
  editLine(file, 1, (r) => {
    delete r.check;
  });
  const s = summarizeDirectory(dir);
  const messages = s.diagnostics.filter((d) => d.code === "simulate-checksum").map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages.join("\n"), /line 1 does not match .*replicate 0 is left out/);
  assert.match(messages.join("\n"), /line 36 does not match .*replicate 5 is left out/);
  const resumed = await runSimulation({ ...base, outDir: dir });
  assert.equal(resumed.replicatesRun, 2);
  assert.ok(resumed.diagnostics.some((d) => d.code === "simulate-checksum" && /line 36/.test(d.message)));
  assert.ok(!resumed.diagnostics.some((d) => d.code === "simulate-resume"), "nothing was cut");
  assert.deepEqual(resumed.summary, clean.summary);
});

test("files written without checksums (older crtkit) are read unverified, with an info diagnostic", async () => {
  const dir = freshDir();
  const clean = await runSimulation({ ...base, outDir: dir });
  const file = shardFile(dir);
  writeFileSync(file, readFileSync(file, "utf8").replace(/,"check":"[0-9a-f]{16}"\}/g, "}"));
  const s = summarizeDirectory(dir);
  assert.deepEqual(s.summary, clean.summary);
  assert.ok(s.diagnostics.some((d) => d.code === "simulate-unverified" && d.severity === "info"));
  assert.ok(!s.diagnostics.some((d) => d.severity === "error"));
});

test("a manifest whose condition key leads out of the study directory is refused, naming the key", async () => {
  for (const key of ["../../outside", "..", "a/b", "/etc", "a\\b"]) {
    const dir = freshDir();
    await runSimulation({ ...base, reps: 1, outDir: dir });
    const path = join(dir, "toy", "manifest.json");
    const manifest = JSON.parse(readFileSync(path, "utf8"));
    manifest.conditions[0].key = key;
    writeFileSync(path, JSON.stringify(manifest));
    assert.throws(() => summarizeDirectory(dir), (e: Error) => e instanceof InputError && e.message.includes(`condition key '${key}'`), key);
    await assert.rejects(runSimulation({ ...base, reps: 1, outDir: dir }), (e: Error) => e instanceof InputError && e.message.includes(`'${key}'`), key);
    const cli = await run(["simulate", "summarize", dir]);
    assert.equal(cli.code, 2);
    assert.ok(cli.stderr.startsWith("crtkit: error: ") && cli.stderr.includes(`condition key '${key}'`), cli.stderr);
  }
});

test("a study directory is read where it is, whatever it is called now", async () => {
  const dir = freshDir();
  const clean = await runSimulation({ ...base, outDir: dir });
  renameSync(join(dir, "toy"), join(dir, "toy-copy"));
  assert.deepEqual(summarizeDirectory(join(dir, "toy-copy")).summary, clean.summary);
});

test("more replicates than a condition can hold are refused up front", async () => {
  await assert.rejects(runSimulation({ ...base, reps: MAX_REPLICATES + 1 }), (e: Error) => e instanceof InputError && /too large \(at most 100000\)/.test(e.message));
});
