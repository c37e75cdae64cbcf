/**
 * The δ-adjustment of smc (crtkit sensitivity): δ = 0 is the analyze result
 * bit for bit; the imputed modifier moves with δ in the direction of the
 * shift, for a binary and a continuous modifier and by arm; a τ prior reaches
 * smc's modifier model; and the CLI reports smc's rows and tipping points.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { sensitivityAnalysis } from "../../src/missing/sensitivity.ts";
import { EXAMPLE, run } from "../cli/run.ts";

const binary = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const continuous = readCsv(readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8"));
const QUICK: AnalyzeOptions = {
  cluster: "cluster",
  treatment: "A",
  modifier: "M",
  outcome: "Y",
  imputation: ["M ~ X1 + X2 + X3"],
  methods: ["smc"],
  substantive: "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)",
  burnin: 60,
  thin: 5,
  imputations: 4,
  seed: 11,
};
const CONTINUOUS: AnalyzeOptions = { ...QUICK, imputation: ["M ~ X1 + X2"], substantive: "Y ~ A*M*X1 + (1 | cluster)" };
const DELTAS = [-2, -1, 0, 1, 2];

function deltaRows(s: Awaited<ReturnType<typeof sensitivityAnalysis>>) {
  return s.analyses.filter((a) => a.kind === "delta" && a.method === "smc").sort((a, b) => (a.setting as number) - (b.setting as number));
}

for (const [label, data, options] of [
  ["binary", binary, QUICK],
  ["continuous", continuous, CONTINUOUS],
] as const) {
  test(`smc, ${label} modifier: δ = 0 is analyze bit for bit, and the imputed mean rises with δ`, async () => {
    const s = await sensitivityAnalysis(data, { ...options, deltas: DELTAS, bisectionSteps: 0 }, analyzeMissingModifier);
    const reference = analyzeMissingModifier(data, options);
    assert.equal(JSON.stringify(s.reference.results), JSON.stringify(reference.results));
    const rows = deltaRows(s);
    assert.deepEqual(
      rows.map((r) => r.setting),
      DELTAS,
    );
    const zero = rows.find((r) => r.setting === 0)!;
    assert.deepEqual(zero.hte, reference.results[0].hte);
    assert.deepEqual(zero.ate, reference.results[0].ate);
    assert.equal(zero.meanImputed, reference.results[0].meanImputed);
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i].meanImputed! > rows[i - 1].meanImputed!, `meanImputed at δ = ${rows[i].setting} (${rows[i].meanImputed}) above δ = ${rows[i - 1].setting} (${rows[i - 1].meanImputed})`);
    }
    if (label === "binary") for (const r of rows) assert.ok(r.meanImputed! > 0 && r.meanImputed! < 1);
    assert.equal(s.tippingPoint.filter((t) => t.method === "smc").length, 2);
    assert.ok(s.diagnostics.some((d) => d.code === "delta-adjustment" && /smc shifts the modifier model inside each missing value's full conditional/.test(d.message)));
  });
}

test("smc reports the imputed mean under MAR too (analyze)", () => {
  const r = analyzeMissingModifier(binary, QUICK).results[0];
  assert.ok(r.meanImputed! > 0 && r.meanImputed! < 1);
});

test("smc, δ for the treated arm only: δ = 0 unchanged, the imputed mean moves up, by less than with both arms shifted", async () => {
  const both = await sensitivityAnalysis(binary, { ...QUICK, deltas: [0, 2], bisectionSteps: 0 }, analyzeMissingModifier);
  const treated = await sensitivityAnalysis(binary, { ...QUICK, deltas: [0, 2], deltaArm: "treated", bisectionSteps: 0 }, analyzeMissingModifier);
  const [b0, b2] = deltaRows(both);
  const [t0, t2] = deltaRows(treated);
  assert.deepEqual(t0.hte, b0.hte);
  // Shifting one arm moves the imputed mean less than shifting both, but still upwards.
  assert.ok(t2.meanImputed! > t0.meanImputed! && t2.meanImputed! < b2.meanImputed!, `${t0.meanImputed} < ${t2.meanImputed} < ${b2.meanImputed}`);
});

test("smc with a τ prior: the sensitivity run reaches smc's modifier model and changes its draws", async () => {
  const s = await sensitivityAnalysis(binary, { ...QUICK, methods: ["smc"], deltas: [0], tauPriors: ["gamma(1,1)"], bisectionSteps: 0 }, analyzeMissingModifier);
  const rows = s.analyses.filter((a) => a.kind === "tau-prior");
  assert.deepEqual(rows.map((r) => r.method).sort(), ["bmmi", "smc"]);
  const smcPrior = rows.find((r) => r.method === "smc")!;
  const mar = deltaRows(s)[0];
  assert.notEqual(smcPrior.hte.estimate, mar.hte.estimate);
  assert.equal(smcPrior.setting, "gamma(1,1)");
  // A half-normal prior on the SD is B-MMI's only: smc keeps its Gamma prior and is left out of that row.
  const both = await sensitivityAnalysis(binary, { ...QUICK, methods: ["smc"], deltas: [0], tauPriors: ["half-normal(1)"], bisectionSteps: 0 }, analyzeMissingModifier);
  assert.deepEqual(both.analyses.filter((a) => a.kind === "tau-prior").map((r) => r.method), ["bmmi"]);
});

test("crtkit sensitivity --methods smc: the contract's rows, δ = 0 equal to analyze, tipping points", async () => {
  const common = [
    EXAMPLE,
    "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y",
    "--imputation", "M ~ X1 + X2 + X3", "--substantive", "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)",
    "--methods", "cca,smc", "--burnin", "40", "--thin", "4", "--imputations", "3", "--seed", "5", "--format", "json",
  ];
  const s = await run(["sensitivity", ...common, "--delta", "-1,0,1", "--delta-by", "control"]);
  assert.equal(s.code, 0, s.stderr);
  const json = JSON.parse(s.stdout);
  const a = JSON.parse((await run(["analyze", ...common])).stdout);
  const smc = a.results.find((r: { method: string }) => r.method === "smc");
  const rows = json.analyses.filter((x: { kind: string; method: string }) => x.kind === "delta" && x.method === "smc");
  assert.deepEqual(rows.map((x: { setting: number }) => x.setting), [-1, 0, 1]);
  const zero = rows.find((x: { setting: number }) => x.setting === 0);
  assert.deepEqual(zero.hte, smc.hte);
  assert.deepEqual(zero.ate, smc.ate);
  for (const x of rows) for (const k of ["kind", "setting", "method", "imputationModel", "hte", "ate", "meanImputed", "nClusters"]) assert.ok(k in x, k);
  assert.ok(rows[0].meanImputed < zero.meanImputed && zero.meanImputed < rows[2].meanImputed);
  const tips = json.tippingPoint.filter((t: { method: string }) => t.method === "smc");
  assert.deepEqual(tips.map((t: { estimand: string }) => t.estimand), ["hte", "ate"]);
  for (const t of tips) assert.ok(t.delta === null || (t.delta >= -1 && t.delta <= 1));
});
