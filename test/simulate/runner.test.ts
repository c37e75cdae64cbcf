import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ComputeError } from "../../src/core/errors.ts";
import { readSimulationDirectory, summarizeDirectory } from "../../src/simulate/directory.ts";
import { runSimulation, type SimulationOptions } from "../../src/simulate/runner.ts";
import type { Progress } from "../../src/simulate/types.ts";
import { failingScenario } from "./helpers/failing-scenario.ts";

const root = mkdtempSync(join(tmpdir(), "crtkit-simulate-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `run${dirs++}`);

// Small and fast: 4 conditions × 3 methods × 2 estimands.
const base: SimulationOptions = {
  scenario: "toy",
  reps: 12,
  seed: 2024,
  workers: 1,
  parameters: { clusterSize: 5, bootstrapReps: 50 },
};

/** Every stored result line of a run directory, by condition then replicate (file order ignored). */
function storedLines(dir: string): string[] {
  const out: string[] = [];
  const sdir = join(dir, "toy");
  for (const cond of readdirSync(sdir).filter((d) => d !== "manifest.json").sort()) {
    const lines: string[] = [];
    for (const f of readdirSync(join(sdir, cond)).filter((f) => /^shard-\d+-of-\d+\.jsonl$/.test(f))) {
      lines.push(...readFileSync(join(sdir, cond, f), "utf8").split("\n").filter((l) => l !== ""));
    }
    const rep = (l: string): number => (JSON.parse(l) as { replicate: number }).replicate;
    // Stable sort by replicate keeps each replicate's method/estimand order.
    out.push(...lines.map((l, i) => ({ l, i })).sort((a, b) => rep(a.l) - rep(b.l) || a.i - b.i).map((x) => `${cond} ${x.l}`));
  }
  return out;
}

test("the same seed gives identical rows, files and summary with 1 worker (main thread) and 2 worker threads", async () => {
  const d1 = freshDir();
  const d2 = freshDir();
  const progress: Progress[] = [];
  const one = await runSimulation({ ...base, outDir: d1, onProgress: (p) => progress.push(p) });
  const two = await runSimulation({ ...base, outDir: d2, workers: 2, chunkSize: 5 });
  assert.equal(one.workers, 1);
  assert.equal(two.workers, 2);
  assert.equal(one.replicatesRun, 48);
  const cond = "clusters=10_effect=0.5";
  // Files are written in replicate order, so they are byte-identical, not just equal as sets.
  assert.equal(
    readFileSync(join(d1, "toy", cond, "shard-1-of-1.jsonl"), "utf8"),
    readFileSync(join(d2, "toy", cond, "shard-1-of-1.jsonl"), "utf8"),
  );
  assert.deepEqual(storedLines(d1), storedLines(d2));
  assert.deepEqual(one.summary, two.summary);
  assert.equal(one.summary.length, 4 * 3 * 2);
  assert.deepEqual(summarizeDirectory(d1).summary, one.summary);
  // In memory (no output directory) gives the same summary again.
  const mem = await runSimulation(base);
  assert.deepEqual(mem.summary, one.summary);
  assert.equal(mem.rows!.length, 4 * 12 * 3 * 2);
  // Progress runs up to 1 and ends with no time left.
  assert.ok(progress.length >= 2);
  assert.equal(progress.at(-1)!.fraction, 1);
  assert.equal(progress.at(-1)!.etaSeconds, 0);
  assert.ok(progress.every((p, i) => i === 0 || p.completed >= progress[i - 1].completed));
  // A different seed gives different numbers.
  const other = await runSimulation({ ...base, seed: 2025 });
  assert.notDeepEqual(other.summary, one.summary);
});

test("three shards, then summarize, equal the unsharded run exactly", async () => {
  const whole = freshDir();
  const sharded = freshDir();
  const unsharded = await runSimulation({ ...base, outDir: whole });
  const shardRuns = [];
  for (const index of [2, 1, 3]) shardRuns.push(await runSimulation({ ...base, outDir: sharded, shard: `${index}/3` }));
  assert.deepEqual(shardRuns.map((r) => r.replicatesRun), [16, 16, 16]); // 4 conditions × 4 replicates each
  assert.ok(shardRuns[0].diagnostics.some((d) => d.code === "simulate-shard"));
  const s = summarizeDirectory(sharded);
  assert.deepEqual(s.summary, unsharded.summary);
  assert.deepEqual(storedLines(sharded), storedLines(whole));
  assert.deepEqual(s.studies, [
    { scenario: "toy", seed: 2024, reps: 12, crtkitVersion: s.studies[0].crtkitVersion, conditions: 4, replicatesFound: 48, replicatesMissing: 0 },
  ]);
  assert.equal(s.diagnostics.length, 0);
  assert.deepEqual(readdirSync(join(sharded, "toy", "clusters=20_effect=0")).sort(), [
    "shard-1-of-3.jsonl",
    "shard-1-of-3.timing.jsonl",
    "shard-2-of-3.jsonl",
    "shard-2-of-3.timing.jsonl",
    "shard-3-of-3.jsonl",
    "shard-3-of-3.timing.jsonl",
  ]);
});

test("summarize reports missing replicates (with the shard that holds them) and duplicates", async () => {
  const dir = freshDir();
  await runSimulation({ ...base, outDir: dir, shard: "1/3" });
  await runSimulation({ ...base, outDir: dir, shard: "3/3" });
  const s = summarizeDirectory(dir);
  const missing = s.diagnostics.filter((d) => d.code === "simulate-missing");
  assert.equal(missing.length, 4);
  assert.match(missing[0].message, /4 of 12 replicates are missing \(1, 4, 7, 10\); they belong to shard 2 of 3/);
  assert.equal(s.studies[0].replicatesMissing, 16);
  assert.equal(s.summary[0].nReps, 8);
  // The same replicates stored twice (an unsharded rerun into the same place) are counted once.
  const cdir = join(dir, "toy", "clusters=10_effect=0");
  writeFileSync(join(cdir, "shard-1-of-1.jsonl"), readFileSync(join(cdir, "shard-1-of-3.jsonl")));
  const again = summarizeDirectory(dir);
  assert.ok(again.diagnostics.some((d) => d.code === "simulate-duplicate" && /0, 3, 6, 9/.test(d.message)));
  assert.deepEqual(again.summary, s.summary);
  assert.throws(() => summarizeDirectory(join(dir, "nothing")), /does not exist/);
  assert.throws(() => summarizeDirectory(root), /no simulation found/);
});

test("resuming: 10 replicates then 20 into the same directory equal 20 from scratch; unfinished lines are cut", async () => {
  const scratch = freshDir();
  const resumed = freshDir();
  const full = await runSimulation({ ...base, reps: 20, outDir: scratch });
  const first = await runSimulation({ ...base, reps: 10, outDir: resumed });
  assert.equal(first.replicatesRun, 40);
  // Simulate a job killed while writing: half of a replicate's lines, the last one unfinished.
  const cond = "clusters=20_effect=0";
  const file = join(resumed, "toy", cond, "shard-1-of-1.jsonl");
  const extra = readFileSync(join(scratch, "toy", cond, "shard-1-of-1.jsonl"), "utf8").split("\n").slice(60, 63);
  appendFileSync(file, extra.join("\n").slice(0, -20));
  const partial = readSimulationDirectory(resumed);
  assert.ok(partial.diagnostics.some((d) => d.code === "simulate-partial-line"));
  assert.ok(partial.diagnostics.some((d) => d.code === "simulate-bad-replicate" && /replicates 10/.test(d.message)));
  const second = await runSimulation({ ...base, reps: 20, outDir: resumed });
  assert.equal(second.replicatesRun, 40);
  assert.equal(second.replicatesSkipped, 40);
  assert.ok(second.diagnostics.some((d) => d.code === "simulate-resume"));
  assert.deepEqual(second.summary, full.summary);
  for (const c of ["clusters=10_effect=0", cond]) {
    assert.equal(
      readFileSync(join(resumed, "toy", c, "shard-1-of-1.jsonl"), "utf8"),
      readFileSync(join(scratch, "toy", c, "shard-1-of-1.jsonl"), "utf8"),
    );
  }
  assert.deepEqual(summarizeDirectory(resumed).summary, full.summary);
  // A third run has nothing left to do.
  const third = await runSimulation({ ...base, reps: 20, outDir: resumed });
  assert.equal(third.replicatesRun, 0);
  assert.deepEqual(third.summary, full.summary);
  // The manifest records the study; a different study in the same directory is refused.
  const manifest = JSON.parse(readFileSync(join(resumed, "toy", "manifest.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.reps, 20);
  assert.equal(manifest.seed, 2024);
  assert.equal((manifest.conditions as unknown[]).length, 4);
  await assert.rejects(runSimulation({ ...base, reps: 20, seed: 7, outDir: resumed }), /already holds a different simulation: seed 2024, this run seed 7/);
  await assert.rejects(runSimulation({ ...base, reps: 20, methods: ["cluster-t"], outDir: resumed }), /methods cluster-t, individual-t, cluster-bootstrap; this run: cluster-t/);
  await assert.rejects(runSimulation({ ...base, reps: 20, parameters: { clusterSize: 6 }, outDir: resumed }), /condition clusters=10_effect=0 with parameters/);
});

test("a directory written before the scenario gained a parameter resumes when the run leaves it at its default", async () => {
  const dir = freshDir();
  const first = await runSimulation({ ...base, outDir: dir });
  const path = join(dir, "toy", "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as { conditions: { parameters: Record<string, unknown> }[] };
  // As an older crtkit would have written it: no controlMean (default 0) ...
  for (const c of manifest.conditions) delete c.parameters.controlMean;
  writeFileSync(path, JSON.stringify(manifest));
  const again = await runSimulation({ ...base, outDir: dir });
  assert.equal(again.replicatesRun, 0);
  assert.deepEqual(again.summary, first.summary);
  // New replicates of the old study run with the parameter at its default.
  const more = await runSimulation({ ...base, reps: base.reps + 3, outDir: dir });
  assert.equal(more.replicatesRun, 12);
  assert.deepEqual(more.summary, (await runSimulation({ ...base, reps: base.reps + 3 })).summary);
  // ... but the parameter away from its default is another study.
  await assert.rejects(runSimulation({ ...base, parameters: { ...base.parameters, controlMean: 1 }, outDir: dir }), /condition clusters=10_effect=0 with parameters/);
  // A parameter the stored study set away from its default cannot be dropped either.
  for (const c of manifest.conditions) delete c.parameters.clusterSize;
  writeFileSync(path, JSON.stringify(manifest));
  await assert.rejects(runSimulation({ ...base, outDir: dir }), /condition clusters=10_effect=0 with parameters/);
});

test("failing methods are recorded and counted, never stop the run (also on worker threads with a non-built-in scenario)", async () => {
  const options: SimulationOptions = { scenario: failingScenario, reps: 30, seed: 5, workers: 1 };
  const inline = await runSimulation(options);
  const threaded = await runSimulation({ ...options, workers: 2 });
  assert.deepEqual(threaded.summary, inline.summary);
  // Rows are identical except for the timings (seconds), which are never reproducible.
  const untimed = (rows: readonly { seconds: number | null }[] | null) => rows!.map(({ seconds, ...rest }) => rest);
  assert.deepEqual(untimed(threaded.rows), untimed(inline.rows));
  assert.ok(inline.rows!.every((r) => typeof r.seconds === "number" && r.seconds >= 0));
  const rows = inline.rows!;
  const failedThrow = rows.filter((r) => r.method === "throws" && r.error !== undefined);
  assert.ok(failedThrow.length > 0 && failedThrow.length < rows.filter((r) => r.method === "throws").length);
  for (const r of failedThrow) {
    assert.equal(r.converged, false);
    assert.equal(r.estimate, null);
    assert.match(r.error!, /^RangeError: first outcome .* is positive$/);
  }
  const nan = rows.filter((r) => r.method === "nan" && r.error !== undefined);
  assert.ok(nan.length > 0);
  assert.match(nan[0].error!, /not finite: stdError = NaN/);
  assert.ok(nan.every((r) => r.estimate !== null && r.stdError === null));
  const partial = rows.filter((r) => r.method === "partial" && r.error !== undefined);
  assert.ok(partial.length > 0 && partial.every((r) => r.estimand === "controlMean"));
  assert.match(partial[0].error!, /returned no row for estimand 'controlMean'/);
  const byMethod = (m: string, e: string) => inline.summary.find((s) => s.method === m && s.estimand === e)!;
  assert.equal(byMethod("ok", "ate").nFailed, 0);
  assert.equal(byMethod("throws", "ate").nFailed, failedThrow.length / 2);
  assert.equal(byMethod("throws", "ate").nReps + byMethod("throws", "ate").nFailed, 30);
  assert.equal(byMethod("partial", "ate").nFailed, 0);
  assert.equal(byMethod("partial", "controlMean").nFailed, partial.length);
  const warnings = inline.diagnostics.filter((d) => d.code === "simulate-method-failed");
  assert.deepEqual(warnings.map((d) => d.message.split(" failed")[0]), ["condition default: method throws", "condition default: method nan", "condition default: method partial"]);
  // Paired: every method analysed the same data set, so "ok" and the failing methods agree where they succeed.
  const okRows = rows.filter((r) => r.method === "ok");
  for (const r of rows.filter((x) => x.method === "throws" && x.error === undefined)) {
    assert.equal(r.estimate, okRows.find((o) => o.replicate === r.replicate && o.estimand === r.estimand)!.estimate);
  }
});

test("bad options are refused with the value named", async () => {
  await assert.rejects(runSimulation({ ...base, reps: 0 }), /number of replicates must be an integer ≥ 1, got 0/);
  await assert.rejects(runSimulation({ ...base, seed: -1 }), /seed must be an integer ≥ 0, got -1/);
  await assert.rejects(runSimulation({ ...base, workers: 1.5 }), /number of workers must be an integer ≥ 1, got 1.5/);
  await assert.rejects(runSimulation({ ...base, shard: "4/3" }), /--shard must be I\/N/);
  await assert.rejects(runSimulation({ ...base, scenario: "nope" }), /unknown scenario 'nope'/);
  const unregistered = { ...failingScenario, name: "loose", module: undefined };
  await assert.rejects(runSimulation({ ...base, scenario: unregistered, workers: 2 }), /has no 'module'/);
  // A worker that cannot load its scenario stops the run with a ComputeError, it does not hang.
  const ghost = { ...failingScenario, name: "ghost", module: new URL("./helpers/no-such-file.ts", import.meta.url).href };
  await assert.rejects(runSimulation({ ...base, scenario: ghost, workers: 1, useThreads: true, reps: 2 }), (e: Error) => e instanceof ComputeError && /worker thread failed/.test(e.message));
});
