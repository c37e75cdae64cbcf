import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const COMPLETE = new URL("../../examples/trial-complete.csv", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "crtkit-impose-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));

const QUICK = ["--reps", "2", "--workers", "1", "--methods", "cca,si", "--seed", "3", "--format", "json"];
const study = (data: string, ...more: string[]): string[] => ["simulate", "--scenario", "impose-missingness", "--data", data, ...QUICK, ...more];

interface Row {
  mechanism: string;
  missing: number;
  method: string;
  imputationModel: string;
  estimand: string;
  truth: number;
  nReps: number;
  narrowerThanComplete: number;
  narrowerThanCompleteMcse: number;
  coversCompleteCi: number;
  coversCompleteCiMcse: number;
  meanConfLow: number;
  meanConfHigh: number;
  completeConfLow: number;
  completeConfHigh: number;
}

test("a study of the complete example trial: every mechanism, the application imputation model, the new measures", { timeout: 120_000 }, async () => {
  const r = await run(study(COMPLETE, "--covariates", "X1,X2", "--missing", "0.3"));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { reps: number; summary: Row[]; diagnostics: { code: string; message: string }[] };
  assert.equal(out.reps, 2);
  assert.deepEqual([...new Set(out.summary.map((s) => s.mechanism))], ["mcar", "mar", "mar-cluster"]);
  assert.ok(out.summary.every((s) => s.missing === 0.3 && s.nReps === 2));
  assert.deepEqual([...new Set(out.summary.map((s) => s.imputationModel))], ["", "M ~ (Y + X1 + X2 + A)^2"]);
  for (const s of out.summary) {
    for (const k of ["narrowerThanComplete", "narrowerThanCompleteMcse", "coversCompleteCi", "coversCompleteCiMcse", "meanConfLow", "meanConfHigh"] as const) {
      assert.equal(typeof s[k], "number", k);
    }
    assert.ok(s.completeConfLow < s.truth && s.truth < s.completeConfHigh);
  }
  const notes = out.diagnostics.map((d) => d.code);
  assert.ok(notes.includes("complete-data") && notes.includes("imposed-missingness") && notes.includes("data-file"));
  assert.match(out.diagnostics.find((d) => d.message.includes("mar-cluster:"))!.message, /− 0\.5·Y \+ 0\.6·X1 \+ 0\.3·X2 − 0\.05·Y·X1 \+ 0\.15·Y·X2 − 0\.1·Y·X1·X2 \+ ζ/);
});

test("bad input is refused with exit status 2 and a message naming it", { timeout: 60_000 }, async () => {
  const cases: [string[], RegExp][] = [
    [study(EXAMPLE), /modifier 'M' has 613 missing values in --data '.*trial\.csv' \(rows 4, .*\); impose-missingness needs a complete trial/],
    [study(COMPLETE, "--mechanism", "mnar"), /unknown missingness mechanism 'mnar'; use mcar, mar, mar-cluster/],
    [study(COMPLETE, "--missing", "0"), /--missing \(the expected share of missing modifier values\) must be in \(0, 1\); got 0$/m],
    [study(COMPLETE, "--missing", "1.5"), /must be in \(0, 1\); got 1\.5/],
    [study(COMPLETE, "--cluster", "site"), /--data '.*' has no column 'site' \(--cluster\); its columns are: cluster, region, A, X1, X2, X3, M, Y/],
    [study(COMPLETE, "--covariates", "X1,Z9"), /has no column 'Z9' \(--covariates\)/],
    [study(COMPLETE, "--covariates", "X1,X2,X3"), /--covariates takes at most two columns/],
    [study(COMPLETE, "--imputation-models", "M ~ Z1 + A"), /unknown column 'Z1'/],
    [study(join(root, "absent.csv")), /cannot read --data file '.*absent\.csv': ENOENT/],
    [["simulate", "--scenario", "impose-missingness", ...QUICK], /missing required option --data/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^crtkit: error: /);
    assert.match(r.stderr, message);
  }
});

test("a study directory is resumed and summarized only with the file it was made from", { timeout: 120_000 }, async () => {
  const dir = join(root, "sim");
  const first = await run(study(COMPLETE, "--mechanism", "mcar", "--out", dir));
  assert.equal(first.code, 0, first.stderr);
  // Another trial: one outcome value changed.
  const lines = readFileSync(COMPLETE, "utf8").split("\n");
  lines[1] = lines[1].replace(/,[^,]*$/, ",9.5");
  const other = join(root, "other.csv");
  writeFileSync(other, lines.join("\n"));
  const resumed = await run(study(other, "--mechanism", "mcar", "--out", dir));
  assert.equal(resumed.code, 2);
  assert.match(resumed.stderr, /holds a study of a different data file: its condition mechanism=mcar_missing=0\.2 was made from a file with SHA-256 [0-9a-f]{64}, --data '.*other\.csv' has SHA-256 [0-9a-f]{64}/);
  const refused = await run(["simulate", "summarize", dir, "--data", other]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /different data file/);
  const summarized = await run(["simulate", "summarize", dir, "--data", COMPLETE, "--format", "json"]);
  assert.equal(summarized.code, 0, summarized.stderr);
  assert.deepEqual((JSON.parse(summarized.stdout) as { summary: Row[] }).summary, (JSON.parse(first.stdout) as { summary: Row[] }).summary);
  // The same file again resumes: nothing to recompute.
  const again = await run(study(COMPLETE, "--mechanism", "mcar", "--out", dir));
  assert.equal(again.code, 0, again.stderr);
  assert.ok((JSON.parse(again.stdout) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === "simulate-skipped"));
  const toyDir = join(root, "toy");
  assert.equal((await run(["simulate", "--scenario", "toy", "--reps", "2", "--workers", "1", "--param", "bootstrapReps=5", "--out", toyDir, "--format", "json"])).code, 0);
  const wrongStudy = await run(["simulate", "summarize", toyDir, "--data", COMPLETE]);
  assert.equal(wrongStudy.code, 2);
  assert.match(wrongStudy.stderr, /--data applies to an impose-missingness study, and '.*toy' holds none/);
});
