/**
 * The pooled results of mi, mmi and bmmi: mice's pooling record against
 * mice::pool.scalar on D = 15 completed-data GEE fits computed in R
 * (fixtures/r/analyze-outcome.R), the complete-data df per SE type, Rubin's
 * large-sample df, the df formula printed in the missing-modifier paper
 * (against a hand computation of the printed formula), and the ATE on a
 * ratio scale.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { qt } from "../../src/distributions/index.ts";
import type { OutcomeFit } from "../../src/missing/outcome.ts";
import type { OutcomeSettings } from "../../src/missing/outcome-model.ts";
import { pooledEstimates, type PoolingRecord } from "../../src/missing/result.ts";
import { closeRel } from "../helpers/assert.ts";

interface MiceRecord extends Omit<PoolingRecord, "dfcom"> {
  qbar: number;
  dfcom?: number;
}
const { pooling } = JSON.parse(readFileSync(new URL("../fixtures/analyze-outcome.json", import.meta.url), "utf8")) as {
  pooling: { clusters: number; p: number; estimates: number[]; variances: number[]; barnardRubin: MiceRecord; smallSample: MiceRecord; rubin: MiceRecord };
};
const C = pooling.clusters;
const D = pooling.estimates.length;

const SETTINGS: OutcomeSettings = { formula: "Ybin ~ A*M + X1", family: "binomial", link: "logit", se: "robust", ateScale: "rd", poolingDf: "barnard-rubin" };

/** Completed-data fits carrying R's estimates (the same numbers for hte and ate). */
function fits(settings: Partial<OutcomeSettings>, estimates = pooling.estimates): OutcomeFit[] {
  return estimates.map((q, d) => ({
    hte: q,
    hteVariance: pooling.variances[d],
    ate: q,
    ateVariance: pooling.variances[d],
    converged: true,
    nClusters: C,
    nCoefficients: pooling.p,
    settings: { ...SETTINGS, ...settings },
    diagnostics: [],
  }));
}

// Closed forms: agreement with mice to rounding; df and fmi through the same arithmetic.
const CLOSED = 1e-12;

function compare(record: PoolingRecord, mice: MiceRecord, what: string): void {
  assert.equal(record.m, mice.m);
  for (const k of ["ubar", "b", "t", "df", "riv", "lambda", "fmi"] as const) closeRel(record[k], mice[k], CLOSED, `${what}: ${k}`);
  assert.equal(record.dfcom, mice.dfcom ?? null, `${what}: dfcom`);
}

test("the pooling record equals mice::pool.scalar(Q, U, n = C, k = 2) with robust SEs", () => {
  const r = pooledEstimates(fits({}), C, 0.95);
  compare(r.pooling.hte, pooling.barnardRubin, "hte");
  compare(r.pooling.ate, pooling.barnardRubin, "ate");
  closeRel(r.hte.estimate, pooling.barnardRubin.qbar, CLOSED, "qbar");
  closeRel(r.hte.stdError, Math.sqrt(pooling.barnardRubin.t), CLOSED, "se");
  closeRel(r.hte.df!, pooling.barnardRubin.df, CLOSED, "df");
  assert.equal(r.pooling.hte.dfcom, C - 2);
});

test("md/kc SEs pool with the complete-data df C − p: mice::pool.scalar(Q, U, n = C, k = p)", () => {
  for (const se of ["md", "kc"] as const) {
    const r = pooledEstimates(fits({ se }), C, 0.95);
    compare(r.pooling.hte, pooling.smallSample, se);
    assert.equal(r.pooling.hte.dfcom, C - pooling.p);
  }
});

test("--pooling-df rubin: Rubin's (1987) df (D − 1)(1 + 1/riv)², mice's pool.scalar with n = Inf; dfcom null", () => {
  const r = pooledEstimates(fits({ poolingDf: "rubin" }), C, 0.95);
  compare(r.pooling.hte, pooling.rubin, "rubin");
  const riv = pooling.rubin.riv;
  closeRel(r.hte.df!, (D - 1) * (1 + 1 / riv) ** 2, 1e-12, "hand computation");
  assert.ok(r.diagnostics.some((d) => d.code === "pooling-df-rubin" && d.severity === "info"));
});

/** The df exactly as printed in Blette et al. (2023): ν_obs with Σγ̂_d where Σ Var(γ̂_d) belongs, combined with Rubin's ν. */
function printedPaperDf(estimates: number[], variances: number[]): number {
  const mean = estimates.reduce((a, b) => a + b, 0) / D;
  const ss = estimates.reduce((a, q) => a + (q - mean) ** 2, 0);
  const sumQ = estimates.reduce((a, b) => a + b, 0);
  const sumU = variances.reduce((a, b) => a + b, 0);
  const nu = (D - 1) * (1 + sumU / ((D + 1) * (ss / (D - 1)))) ** 2;
  const nuObs = (((C - 1) * (C - 2)) / (C + 1)) * (1 + ((D + 1) * ss) / ((D - 1) * sumQ)) ** -1;
  return 1 / (1 / nu + 1 / nuObs);
}

test("--pooling-df paper reproduces the printed formula, with a warning naming the Barnard–Rubin df", () => {
  const r = pooledEstimates(fits({ poolingDf: "paper" }), C, 0.95);
  const expected = printedPaperDf(pooling.estimates, pooling.variances);
  closeRel(r.hte.df!, expected, 1e-12, "paper df");
  closeRel(r.pooling.hte.df, expected, 1e-12, "record df");
  assert.notEqual(Math.round(r.hte.df!), Math.round(pooling.barnardRubin.df));
  // Same estimate and variance as the correct rule; only df, p-value and interval change.
  closeRel(r.hte.stdError, Math.sqrt(pooling.barnardRubin.t), CLOSED, "se");
  closeRel(r.hte.confHigh - r.hte.estimate, qt(0.975, expected) * r.hte.stdError, 1e-12, "interval half-width");
  const w = r.diagnostics.find((d) => d.code === "pooling-df-paper" && d.message.startsWith("hte:"));
  assert.ok(w && w.severity === "warning", "warning");
  assert.match(w!.message, new RegExp(`Barnard–Rubin gives df ${pooling.barnardRubin.df.toPrecision(4)}`));
});

test("the paper's df with a pooled estimate just below 0 is negative: no t reference, said so, never silently", () => {
  const mean = pooling.barnardRubin.qbar;
  const shifted = pooling.estimates.map((q) => q - mean - 0.01);
  const r = pooledEstimates(fits({ poolingDf: "paper" }, shifted), C, 0.95);
  const expected = printedPaperDf(shifted, pooling.variances);
  assert.ok(expected < 0);
  closeRel(r.hte.df!, expected, 1e-12, "paper df");
  assert.ok(Number.isNaN(r.hte.pValue) && Number.isNaN(r.hte.confLow) && Number.isNaN(r.hte.confHigh));
  assert.ok(Number.isFinite(r.hte.statistic));
  assert.ok(r.diagnostics.some((d) => d.code === "pooling-df-undefined" && /hte: the paper's df -?[0-9.]+ is not positive/.test(d.message)));
  // The correct rule is unaffected by where the estimate lies.
  const correct = pooledEstimates(fits({}, shifted), C, 0.95);
  closeRel(correct.hte.df!, pooling.barnardRubin.df, 1e-10, "Barnard–Rubin df");
});

test("a ratio-scale ATE is pooled on the log scale: estimate and interval exponentiated, SE on the log scale", () => {
  const logRatios = pooling.estimates.map((q) => q + 0.4);
  const r = pooledEstimates(fits({ ateScale: "rr" }, logRatios), C, 0.95);
  const qbar = pooling.barnardRubin.qbar + 0.4;
  closeRel(r.ate.estimate, Math.exp(qbar), 1e-12, "ratio");
  closeRel(r.ate.stdError, Math.sqrt(pooling.barnardRubin.t), CLOSED, "log-scale se");
  const half = qt(0.975, pooling.barnardRubin.df) * Math.sqrt(pooling.barnardRubin.t);
  closeRel(r.ate.confLow, Math.exp(qbar - half), 1e-10, "lower limit");
  closeRel(r.ate.confHigh, Math.exp(qbar + half), 1e-10, "upper limit");
  closeRel(r.pooling.ate.ubar, pooling.barnardRubin.ubar, CLOSED, "record on the log scale");
  closeRel(r.hte.estimate, qbar, 1e-12, "hte stays on the link scale");
});
