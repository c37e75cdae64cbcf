/** `crtkit missingness` on the bundled example: the JSON contract, the tables for people, CSV, help and bad input. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const BASE = ["missingness", EXAMPLE, "--cluster", "cluster", "--variable", "M"];

interface Interval {
  estimate: number;
  confLow: number;
  confHigh: number;
}

/** The parts of the JSON result these tests read. */
interface MissingnessJson {
  nObs: number;
  nClusters: number;
  nMissing: number;
  byCluster: { cluster: string; arm: number | null; n: number; nMissing: number; propMissing: number }[];
  byArm: Record<string, number | null>[];
  missingnessIcc: (Interval & Record<string, unknown>) | null;
  indicatorModel: { formula: string; coefficients: Record<string, unknown>[]; randomInterceptSd: number } | null;
  representation: Record<string, unknown>[];
  zeroVarianceTest: { statistic: number; pValue: number };
  armComparison: { arms: number[]; difference: { df: number } };
  clustersLosingHalf: string[];
  diagnostics: { code: string; severity: string }[];
}

test("missingness --format json has the contract's fields", async () => {
  const r = await run([...BASE, "--treatment", "A", "--covariates", "X1,X2,X3,Y,factor(region)", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const json = JSON.parse(r.stdout) as MissingnessJson;
  for (const k of ["nObs", "nClusters", "nMissing", "byCluster", "byArm", "missingnessIcc", "indicatorModel", "representation", "diagnostics"]) assert.ok(k in json, k);
  const icc = json.missingnessIcc!;
  const model = json.indicatorModel!;
  assert.deepEqual([json.nObs, json.nClusters, json.nMissing], [1996, 40, 613]);
  assert.deepEqual(Object.keys(json.byCluster[0]), ["cluster", "arm", "n", "nMissing", "propMissing"]);
  const props = json.byCluster.map((c) => c.propMissing);
  assert.deepEqual(props, [...props].sort((a, b) => b - a));
  assert.ok(props.every((p) => p >= 0 && p <= 1));
  assert.deepEqual(json.byArm.map((a) => a.arm), [0, 1]);
  for (const k of ["arm", "nClusters", "n", "nMissing", "propMissing"]) assert.ok(k in json.byArm[0], k);
  for (const k of ["estimate", "confLow", "confHigh"]) assert.equal(typeof icc[k], "number", k);
  assert.ok(icc.confLow < icc.estimate && icc.estimate < icc.confHigh);
  assert.equal(model.formula, "R ~ X1 + X2 + X3 + Y + factor(region) + (1 | cluster)");
  assert.deepEqual(Object.keys(model.coefficients[0]).sort(), ["confHigh", "confLow", "df", "estimate", "pValue", "statistic", "stdError", "term"]);
  assert.equal(typeof model.randomInterceptSd, "number");
  assert.deepEqual(
    json.representation.map((v) => v.variable),
    ["A", "X1", "X2", "X3", "Y", "region=1", "region=2", "region=3", "region=4"],
  );
  for (const k of ["variable", "meanAll", "meanComplete", "smd"]) assert.ok(k in json.representation[0], k);
  assert.ok(json.zeroVarianceTest.statistic > 0 && json.zeroVarianceTest.pValue < 1e-6);
  assert.deepEqual(json.armComparison.arms, [0, 1]);
  assert.equal(json.armComparison.difference.df, 38);
  assert.deepEqual(json.clustersLosingHalf, ["8", "24", "5", "32"]);
});

test("missingness table output: per-cluster table, arms, representation, ICC and LRT facts; CSV is the per-cluster table", async () => {
  const text = await run([...BASE, "--treatment", "A", "--covariates", "X1,Y"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Missingness ICC \(latent scale\): +0\.06\d+ \(0\.03\d+ to 0\.11\d*\)/);
  assert.match(text.stdout, /No cluster variation \(LRT\): +42\.2\d, p <1e-4/);
  assert.match(text.stdout, /Missingness by cluster \(largest proportion first\)\ncluster +arm +n +nMissing +propMissing\n8 +1 +52 +31 +0\.5962/);
  assert.match(text.stdout, /By arm\narm +nClusters/);
  assert.match(text.stdout, /Who the complete cases are/);
  assert.match(text.stdout, /Odds ratios of missing/);
  const csv = await run([...BASE, "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split("\n");
  assert.equal(lines[0], "cluster,arm,n,nMissing,propMissing");
  assert.equal(lines[1], "8,NA,52,31,0.5961538461538461");
  assert.equal(lines.length, 41);
});

test("missingness of a fully observed variable exits 0 with an info note and null models", async () => {
  const r = await run(["missingness", EXAMPLE, "--cluster", "cluster", "--variable", "X1", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as MissingnessJson;
  assert.equal(json.nMissing, 0);
  assert.equal(json.byCluster.length, 40);
  assert.equal(json.missingnessIcc, null);
  assert.equal(json.indicatorModel, null);
  assert.ok(json.diagnostics.some((d) => d.code === "no-missing" && d.severity === "info"));
});

test("missingness bad input: exit 2 naming the column or option", async () => {
  const unknown = await run(["missingness", EXAMPLE, "--cluster", "cluster", "--variable", "Q"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^crtkit: error: unknown column 'Q'/);
  const noVariable = await run(["missingness", EXAMPLE, "--cluster", "cluster"]);
  assert.equal(noVariable.code, 2);
  assert.match(noVariable.stderr, /missing required option --variable/);
  const varying = await run([...BASE, "--treatment", "X1"]);
  assert.equal(varying.code, 2);
  assert.match(varying.stderr, /treatment 'X1' varies within cluster '1' of column 'cluster'/);
  const allMissing = await run(["missingness", "-", "--cluster", "c", "--variable", "M"], "c,M\n1,NA\n1,NA\n2,\n2,.\n");
  assert.equal(allMissing.code, 2);
  assert.match(allMissing.stderr, /variable 'M' is missing in all 4 rows/);
  const level = await run([...BASE, "--level", "2"]);
  assert.equal(level.code, 2);
  assert.match(level.stderr, /--level/);
});

test("missingness --help shows required options with value names and the example", async () => {
  const r = await run(["missingness", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--cluster COL +.*\(required\)/);
  assert.match(r.stdout, /--variable COL +.*\(required\)/);
  assert.match(r.stdout, /--covariates LIST/);
  assert.match(r.stdout, /example: crtkit missingness examples\/trial\.csv/);
});
