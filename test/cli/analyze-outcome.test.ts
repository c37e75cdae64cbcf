/**
 * `crtkit analyze` outcome options on the command line: --outcome-model,
 * --family/--link, --ate-scale, --se, --pooling-df; the JSON pooling records,
 * the CSV columns, and bad input named with exit status 2. Also `gee --se md`'s
 * t(C − p) df.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EXAMPLE, run } from "./run.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/analyze-outcome.json", import.meta.url), "utf8")) as { ybin: number[] };

/** The example trial with the R fixture's binary outcome Ybin appended. */
function binaryTrial(): string {
  const lines = readFileSync(EXAMPLE, "utf8").trim().split("\n");
  const path = join(mkdtempSync(join(tmpdir(), "crtkit-")), "trial-binary.csv");
  writeFileSync(path, [`${lines[0]},Ybin`, ...lines.slice(1).map((l, i) => `${l},${fixture.ybin[i]}`)].join("\n") + "\n");
  return path;
}

const BASE = ["--cluster", "cluster", "--treatment", "A", "--modifier", "M"];
const QUICK = ["--imputation", "M ~ X1*A*Y", "--imputations", "4", "--burnin", "20", "--thin", "2", "--seed", "3"];

test("a binary outcome: pooling records in JSON, ratio-scale ATE, the table's broom and pooling columns in CSV", async () => {
  const data = binaryTrial();
  const args = ["analyze", data, ...BASE, "--outcome", "Ybin", "--outcome-model", "Ybin ~ A*M + X1 + factor(region)", "--family", "binomial",
    "--ate-scale", "or", "--imputation", "M ~ X1*A*Ybin", "--imputations", "4", "--burnin", "20", "--thin", "2", "--seed", "3", "--methods", "cca,mi,bmmi"];
  const json = await run([...args, "--format", "json"]);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.deepEqual(
    { ...out.settings, imputations: undefined, burnin: undefined, thin: undefined, chains: undefined, priorVariance: undefined },
    { corstr: "exchangeable", level: 0.95, outcomeModel: "Ybin ~ A*M + X1 + factor(region)", family: "binomial", link: "logit", se: "robust", ateScale: "or", poolingDf: "barnard-rubin", hteTerm: "A:M", imputations: undefined, burnin: undefined, thin: undefined, chains: undefined, priorVariance: undefined },
  );
  const [cca, mi, bmmi] = out.results;
  assert.equal(cca.pooling, undefined);
  for (const r of [mi, bmmi]) {
    for (const k of ["hte", "ate"]) assert.deepEqual(Object.keys(r.pooling[k]), ["m", "estimate", "ubar", "b", "t", "dfcom", "df", "riv", "lambda", "fmi"]);
    assert.equal(r.pooling.hte.m, 4);
    assert.equal(r.pooling.hte.dfcom, 38);
    assert.equal(r.hte.df, r.pooling.hte.df);
    // Odds ratio: estimate and limits are ratios, the SE is that of the log odds ratio.
    assert.ok(r.ate.confLow > 0 && r.ate.confLow < r.ate.estimate && r.ate.estimate < r.ate.confHigh);
    assert.ok(Math.abs(Math.log(r.ate.confHigh) - Math.log(r.ate.estimate) - (Math.log(r.ate.estimate) - Math.log(r.ate.confLow))) < 1e-12);
  }
  assert.ok(out.diagnostics.some((d: { code: string }) => d.code === "ate-log-scale"));

  const csv = await run([...args, "--format", "csv"]);
  const lines = csv.stdout.trim().split("\n");
  assert.equal(lines[0], "method,imputationModel,estimand,estimate,std.error,statistic,df,p.value,conf.low,conf.high,m,riv,lambda,fmi");
  assert.equal(lines.length, 1 + 6);
  assert.match(lines[1], /^cca,,hte,.*,NA,NA,NA,NA$/);
  assert.match(lines[3], /^mi,M ~ X1\*A\*Ybin,hte,(?:[^,]*,){7}4,/);
});

test("--outcome-model equal to the default gives byte-identical JSON", async () => {
  const a = await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", ...QUICK, "--format", "json"]);
  const b = await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", ...QUICK, "--outcome-model", "Y ~ A*M", "--format", "json"]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.stdout, a.stdout);
});

test("--se kc: t(C − p) for cca and ν_com = C − p for the pooled methods; --pooling-df paper warns", async () => {
  const r = await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", ...QUICK, "--methods", "cca,mmi", "--outcome-model", "Y ~ A*M + X1", "--se", "kc", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const [cca, mmi] = JSON.parse(r.stdout).results;
  assert.equal(cca.hte.df, 40 - 5);
  assert.equal(mmi.pooling.hte.dfcom, 40 - 5);
  const paper = await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", ...QUICK, "--methods", "mi", "--pooling-df", "paper", "--format", "json"]);
  assert.equal(paper.code, 0, paper.stderr);
  assert.match(paper.stderr, /crtkit: warning: hte: df [0-9.e+-]+ from the formula printed in Blette et al\. \(2023\)/);
  const rubin = JSON.parse((await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", ...QUICK, "--methods", "mi", "--pooling-df", "rubin", "--format", "json"])).stdout);
  assert.equal(rubin.results[0].pooling.hte.dfcom, null);
});

test("bad outcome options exit 2 naming the formula, value or row", async () => {
  const cases: [string[], RegExp][] = [
    [["--outcome-model", "Y ~ A + M + X1"], /outcome model 'Y ~ A \+ M \+ X1' has no treatment-by-modifier interaction 'A:M'/],
    [["--family", "binomial"], /outcome 'Y' must be 0 or 1 for the binomial family; row 1 has -0\.208321/],
    [["--ate-scale", "rr"], /ATE scale 'rr' needs a binary outcome/],
    [["--se", "jack"], /--se must be one of/],
    [["--pooling-df", "bayes"], /--pooling-df must be one of/],
    [["--family", "binomial", "--link", "cauchit"], /cauchit/],
  ];
  for (const [extra, message] of cases) {
    const r = await run(["analyze", EXAMPLE, ...BASE, "--outcome", "Y", "--methods", "cca", ...extra]);
    assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^crtkit: error: /);
    assert.match(r.stderr, message);
  }
});

test("gee --se md reports df = C − p with t-based p-values and intervals; robust keeps df null", async () => {
  const args = ["gee", EXAMPLE, "--formula", "Y ~ A*M + X1", "--cluster", "cluster", "--format", "json"];
  const md = JSON.parse((await run([...args, "--se", "md"])).stdout);
  const robust = JSON.parse((await run(args)).stdout);
  assert.equal(md.nClusters, 40);
  for (const c of md.coefficients) assert.equal(c.df, 40 - 5);
  for (const c of robust.coefficients) assert.equal(c.df, null);
});
