import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const json = async (args: string[]): Promise<Record<string, unknown>> => {
  const r = await run([...args, "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

test("lmm reports Satterthwaite df by default, Kenward–Roger adjusted SEs on request, z tests with --df none", async () => {
  const base = ["lmm", EXAMPLE, "--formula", "Y ~ A*X1 + (1 | cluster)"];
  const sat = (await json(base)) as { df: string; coefficients: { df: number; stdError: number }[] };
  assert.equal(sat.df, "satterthwaite");
  assert.ok(sat.coefficients.every((c) => c.df > 30 && c.df < 2000));
  const kr = (await json([...base, "--df", "kenward-roger"])) as typeof sat;
  assert.equal(kr.df, "kenward-roger");
  assert.ok(kr.coefficients[1].stdError > sat.coefficients[1].stdError, "KR inflates the treatment SE");
  const none = (await json([...base, "--df", "none"])) as { coefficients: { df: number | null }[] };
  assert.ok(none.coefficients.every((c) => c.df === null));
  const ml = await run([...base, "--method", "ml", "--df", "kenward-roger"]);
  assert.equal(ml.code, 2);
  assert.match(ml.stderr, /Kenward–Roger degrees of freedom need a REML fit/);
});

test("icc --ci --by gives the interval and one row per arm", async () => {
  const r = (await json(["icc", EXAMPLE, "--cluster", "cluster", "--outcome", "Y", "--ci", "--by", "A"])) as {
    icc: number;
    confLow: number;
    confHigh: number;
    intervalMethod: string;
    byGroup: { group: string; icc: number; confLow: number; confHigh: number; nClusters: number }[];
  };
  assert.ok(r.confLow < r.icc && r.icc < r.confHigh);
  assert.equal(r.intervalMethod, "thomas-hultquist");
  assert.deepEqual(r.byGroup.map((g) => [g.group, g.nClusters]), [["0", 20], ["1", 20]]);
  const bad = await run(["icc", EXAMPLE, "--cluster", "cluster", "--outcome", "Y", "--by", "X1"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /'X1' varies within cluster/);
});

test("mediation follows the contract and refuses a cluster-level mediator", async () => {
  const r = (await json(["mediation", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--mediator", "X1", "--outcome", "Y", "--bootstrap", "50", "--seed", "3"])) as Record<string, unknown>;
  for (const key of ["a", "b", "bWithin", "direct", "total", "indirect", "indirectBootstrap", "proportionMediated", "nClusters", "diagnostics"]) assert.ok(key in r, key);
  assert.equal((r.indirectBootstrap as { replicates: number }).replicates, 50);
  const bad = await run(["mediation", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--mediator", "region", "--outcome", "Y"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /constant within every cluster/);
});

test("permutation-test: drawn allocations, schemes from design randomize --schemes-out, and clear errors", async () => {
  const base = ["permutation-test", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--outcome", "Y"];
  const drawn = (await json([...base, "--draws", "999", "--seed", "2"])) as { nAllocations: number; exact: boolean; pValue: number };
  assert.equal(drawn.nAllocations, 1000);
  assert.equal(drawn.exact, false);
  const dir = mkdtempSync(join(tmpdir(), "crtkit-schemes-"));
  const file = join(dir, "schemes.csv");
  const rand = await run(["design", "randomize", EXAMPLE, "--cluster", "cluster", "--covariates", "X1", "--strata", "region", "--seed", "7", "--schemes-out", file]);
  assert.equal(rand.code, 0, rand.stderr);
  const lines = readFileSync(file, "utf8").trim().split("\n");
  assert.equal(lines[0].split(",").length, 40);
  const fromSchemes = (await json([...base, "--schemes", file])) as { nAllocations: number; allocations: string };
  assert.equal(fromSchemes.nAllocations, lines.length - 1);
  assert.equal(fromSchemes.allocations, "schemes");
  const both = await run([...base, "--enumerate", "--draws", "10"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /only one of --enumerate, --draws, --schemes/);
  const tooMany = await run([...base, "--enumerate"]);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /more than can be enumerated/);
  const pairs = join(dir, "pairs.csv");
  writeFileSync(pairs, "cluster,A,Y,pair\n1,1,0.5,a\n1,1,0.7,a\n2,0,0.1,a\n3,1,0.2,b\n4,1,0.3,b\n");
  const badPairs = await run(["permutation-test", pairs, "--cluster", "cluster", "--treatment", "A", "--outcome", "Y", "--pairs", "pair"]);
  assert.equal(badPairs.code, 2);
  assert.match(badPairs.stderr, /pair 'b' .* one treated and one control/);
});

test("design randomize --pairs treats one cluster of each pair; a pair of three is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-pairs-"));
  const file = join(dir, "trial.csv");
  const rows = ["cluster,x,pair"];
  for (let c = 1; c <= 8; c++) rows.push(`${c},${c * 1.5},p${Math.ceil(c / 2)}`);
  writeFileSync(file, rows.join("\n") + "\n");
  const r = (await json(["design", "randomize", file, "--cluster", "cluster", "--covariates", "x", "--pairs", "pair", "--quantile", "0.5"])) as {
    clusters: { cluster: string; treated: number }[];
    totalSchemes: number;
  };
  assert.equal(r.totalSchemes, 16);
  writeFileSync(file, rows.concat("9,3,p4").join("\n") + "\n");
  const bad = await run(["design", "randomize", file, "--cluster", "cluster", "--covariates", "x", "--pairs", "pair"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /has 3 cluster\(s\)/);
});

test("design samplesize --hte and design deff follow the contract", async () => {
  const hte = (await json(["design", "samplesize", "--hte", "--delta", "0.3", "--sd", "1", "--cluster-size", "20", "--icc", "0.05", "--modifier-icc", "0.1", "--modifier-prevalence", "0.4"])) as {
    clusters: number;
    clustersPerArm: number;
    designEffect: number;
  };
  assert.ok(hte.clusters > 0 && hte.clustersPerArm === Math.ceil(hte.clusters / 2 - 1e-9));
  const deff = (await json(["design", "deff", "--cluster-size", "20", "--icc", "0.05", "--individuals", "1000"])) as { deff: number; deft: number; effectiveSampleSize: number };
  assert.ok(Math.abs(deff.deff - 1.95) < 1e-12);
  assert.ok(Math.abs(deff.deft - Math.sqrt(1.95)) < 1e-12);
  assert.ok(Math.abs(deff.effectiveSampleSize - 1000 / 1.95) < 1e-9);
  const missing = await run(["design", "samplesize", "--hte", "--delta", "0.3", "--sd", "1", "--cluster-size", "20", "--icc", "0.05", "--modifier-icc", "0.1"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--modifier-variance .* or --modifier-prevalence/);
});
