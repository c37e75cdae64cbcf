/**
 * The `crtkit mrs` command object (src/cli/commands/mrs.ts): JSON contract,
 * ratio scales, probability options, and bad input as InputError (exit 2).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mrsCommand } from "../../src/cli/commands/mrs.ts";
import type { OptionValues } from "../../src/cli/command.ts";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { renderText } from "../../src/report/text.ts";
import { toJson } from "../../src/report/json.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/mrs.json", import.meta.url), "utf8")) as {
  datasets: Record<string, Record<string, number[]>>;
};
const continuous = datasetFromRecord(fixture.datasets.continuous);
const binary = datasetFromRecord(fixture.datasets.binary);
const FORMULA = "Y ~ X1 + X2 + cluster(H1 + H2 + N)";

async function run(data: typeof continuous, options: OptionValues) {
  const fractions: number[] = [];
  const result = await mrsCommand.run({ data, options, positionals: [], progress: (f) => fractions.push(f) });
  return { result, fractions };
}

test("mrs JSON has the contract's fields and progress reaches 1", async () => {
  const { result, fractions } = await run(continuous, { formula: FORMULA, cluster: "cluster", treatment: "A", working: "gee-exch" });
  const json = JSON.parse(toJson(result.json)) as Record<string, unknown>;
  for (const k of ["clusterAte", "individualAte", "icsTest", "working", "scale", "nClusters", "nObs", "diagnostics"]) assert.ok(k in json, k);
  for (const k of ["estimate", "stdError", "df", "statistic", "pValue", "confLow", "confHigh"]) {
    assert.ok(k in (json.clusterAte as object), k);
    assert.ok(k in (json.individualAte as object), k);
  }
  for (const k of ["statistic", "df", "pValue"]) assert.ok(k in (json.icsTest as object), k);
  assert.equal(json.working, "gee-exch");
  assert.equal(json.scale, "rd");
  assert.equal(json.nClusters, 30);
  assert.equal((json.clusterAte as { df: number }).df, 29);
  assert.equal(fractions.at(-1), 1);
  const text = renderText(result.summary);
  assert.match(text, /cluster-average/);
  assert.match(text, /ICS test/);
});

test("mrs --scale or: ratio-scale estimate, log-scale SE stated in diagnostics", async () => {
  const { result } = await run(binary, { formula: FORMULA, cluster: "cluster", treatment: "A", working: "gee-ind", family: "binomial", scale: "or", jackknife: "3" });
  const json = result.json as unknown as { clusterAte: { estimate: number; confLow: number; confHigh: number }; jackknife: number; diagnostics: { code: string; message: string }[] };
  assert.ok(json.clusterAte.estimate > 0 && json.clusterAte.confLow < json.clusterAte.estimate && json.clusterAte.estimate < json.clusterAte.confHigh);
  assert.equal(json.jackknife, 3);
  assert.ok(json.diagnostics.some((d) => d.code === "mrs-log-scale" && /stdError.*log/.test(d.message)));
});

test("mrs probability options: --prob, --prob-column, --prob-schemes (one at a time)", async () => {
  const base = { formula: FORMULA, cluster: "cluster", treatment: "A" };
  const half = (await run(continuous, { ...base, prob: "0.5" })).result.json as unknown as { clusterAte: { estimate: number } };
  const dflt = (await run(continuous, base)).result.json as unknown as { clusterAte: { estimate: number } };
  assert.equal(half.clusterAte.estimate, dflt.clusterAte.estimate);
  const dir = mkdtempSync(join(tmpdir(), "crtkit-mrs-"));
  const ids = Array.from({ length: 30 }, (_, i) => String(i + 1));
  const rows = [ids.map((_, i) => (i % 2 === 0 ? 1 : 0)), ids.map((_, i) => (i % 2 === 0 ? 0 : 1))];
  const file = join(dir, "schemes.csv");
  writeFileSync(file, [ids.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n");
  const schemes = (await run(continuous, { ...base, "prob-schemes": file })).result.json as unknown as { clusterAte: { estimate: number } };
  // Both schemes together give π = 1/2 for every cluster.
  assert.ok(Math.abs(schemes.clusterAte.estimate - dflt.clusterAte.estimate) < 1e-12);
  writeFileSync(file, [ids.join(","), ids.map(() => 2).join(",")].join("\n") + "\n");
  await assert.rejects(run(continuous, { ...base, "prob-schemes": file }), (e: unknown) => e instanceof InputError && /value '2' is not 0 or 1/.test((e as Error).message));
  await assert.rejects(run(continuous, { ...base, prob: "0.5", "prob-column": "A" }), /give only one of --prob, --prob-column, --prob-schemes/);
});

test("mrs bad input: InputError (exit 2) naming the problem", async () => {
  const base = { formula: FORMULA, cluster: "cluster", treatment: "A" };
  const bad: [OptionValues, RegExp][] = [
    [{ ...base, prob: "1" }, /--prob must be a number in \(0, 1\); got '1'/],
    [{ ...base, prob: "-0.2" }, /--prob must be a number in \(0, 1\)/],
    [{ ...base, working: "glm" }, /--working must be one of lm, lmm, gee-ind, gee-exch, glmm; got 'glm'/],
    [{ ...base, scale: "hr" }, /--scale must be one of rd, rr, or/],
    [{ ...base, jackknife: "4" }, /--jackknife must be one of 1, 2, 3/],
    [{ formula: FORMULA, cluster: "cluster" }, /missing required option --treatment/],
    [{ ...base, treatment: "H1" }, /treatment 'H1' is added by mrs; remove it from cluster/],
  ];
  for (const [options, message] of bad) {
    await assert.rejects(run(continuous, options), (e: unknown) => e instanceof InputError && message.test((e as Error).message), String(message));
  }
  const varying = datasetFromRecord({ ...fixture.datasets.continuous, A: fixture.datasets.continuous.A.map((a, i) => (i === 3 ? 1 - a : a)) });
  await assert.rejects(run(varying, base), (e: unknown) => e instanceof InputError && /treatment 'A' varies within cluster '1'/.test((e as Error).message));
});
