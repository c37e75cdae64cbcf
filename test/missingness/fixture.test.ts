/**
 * diagnoseMissingness against R (fixtures/r/missingness.R): counts exactly;
 * glmer fits run to their true optimum; the profile interval of σ_b as roots
 * of the profiled Laplace deviance (and lme4's spline-interpolated
 * confint(method = "profile")); the likelihood-ratio test against glm;
 * complete-case representation and the cluster-level t test.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { diagnoseMissingness, type MissingnessResult } from "../../src/missingness/index.ts";
import { closeRel, near } from "../helpers/assert.ts";

interface RInterval {
  level: number;
  sdLow: number;
  sdHigh: number;
  confLow: number;
  confHigh: number;
  lme4ProfileSd: [number, number] | null;
}

interface RCase {
  name: string;
  variable: string;
  cluster: string;
  treatment: string | null;
  covariates: string[];
  nRows: number;
  nObs: number;
  nClusters: number;
  nMissing: number;
  byCluster: { cluster: string; arm: number | null; n: number; nMissing: number; propMissing: number }[];
  byArm?: { arm: number; nClusters: number; n: number; nMissing: number; propMissing: number; meanClusterPropMissing: number }[];
  nullModel: { theta: number; intercept: number; deviance: number; glmDeviance: number; icc: number; lrt: number; pValue: number; intervals: RInterval[] };
  indicatorModel: {
    rhs: string;
    columnNames: string[];
    nObs: number;
    fixef: number[];
    se: number[];
    theta: number;
    logLik: number;
    confLow: number[];
    confHigh: number[];
  };
  representation: { variable: string; meanAll: number; meanComplete: number; sdAll: number; smd: number }[];
  clustersLosingHalf: string[];
  armComparison?: { arms: number[]; estimate: number; stdError: number; statistic: number; df: number; pValue: number; confLow: number; confHigh: number };
  data?: Record<string, (number | string | null)[]>;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/missingness.json", import.meta.url), "utf8")) as { cases: RCase[] };

function dataOf(c: RCase): Dataset {
  if (c.data) return datasetFromRecord(c.data);
  return readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"), "examples/trial.csv");
}

function diagnose(c: RCase, level = 0.95): MissingnessResult {
  return diagnoseMissingness(dataOf(c), { cluster: c.cluster, variable: c.variable, treatment: c.treatment ?? undefined, covariates: c.covariates, level });
}

/*
 * Tolerances. The glmer references are fitted with PIRLS and the optimizer
 * run to convergence (as in test/models/glmm.test.ts): fixed effects and σ_b
 * agree to 1e-5, logLik to 1e-6, standard errors to 1e-4 relative (lme4
 * differences the deviance with step 1e-4). The profile limits are roots of
 * the same profiled deviance in both (R: optimize over β, uniroot at 1e-13),
 * so they agree to 1e-6. lme4's own confint interpolates a spline through a
 * profile grid: its limits sit up to 3e-4 relative from the roots.
 */
const TOL = { fixef: 1e-5, theta: 1e-5, logLik: 1e-6, se: 1e-4, limit: 1e-6, lme4Spline: 1e-3 };

for (const c of fixture.cases) {
  test(`missingness '${c.name}': counts by cluster and arm equal R's exactly`, () => {
    const r = diagnose(c);
    assert.equal(r.nRows, c.nRows);
    assert.equal(r.nObs, c.nObs);
    assert.equal(r.nDropped, c.nRows - c.nObs);
    assert.equal(r.nClusters, c.nClusters);
    assert.equal(r.nMissing, c.nMissing);
    assert.deepEqual(r.byCluster, c.byCluster.map((b) => ({ ...b, arm: b.arm ?? null })));
    assert.deepEqual(r.clustersLosingHalf, c.clustersLosingHalf);
    if (c.byArm) {
      assert.equal(r.byArm.length, c.byArm.length);
      c.byArm.forEach((a, k) => {
        const ours = r.byArm[k];
        assert.deepEqual([ours.arm, ours.nClusters, ours.n, ours.nMissing, ours.propMissing], [a.arm, a.nClusters, a.n, a.nMissing, a.propMissing]);
        near(ours.meanClusterPropMissing, a.meanClusterPropMissing, 1e-14, `byArm[${k}].meanClusterPropMissing`);
      });
    } else {
      assert.deepEqual(r.byArm.map((a) => [a.arm, a.n, a.nMissing]), [[null, c.nObs, c.nMissing]]);
    }
  });

  test(`missingness '${c.name}': ICC of R, its profile interval and the zero-variance LRT match glmer`, () => {
    const levels = c.nullModel.intervals.map((i) => i.level);
    for (const level of levels) {
      const r = diagnose(c, level);
      const ref = c.nullModel.intervals.find((i) => i.level === level)!;
      const icc = r.missingnessIcc!;
      near(icc.randomInterceptSd.estimate, c.nullModel.theta, TOL.theta, "σ_b");
      near(icc.estimate, c.nullModel.icc, TOL.theta, "ICC");
      near(icc.intercept, c.nullModel.intercept, TOL.fixef, "intercept");
      near(icc.deviance, c.nullModel.deviance, 2 * TOL.logLik, "deviance");
      near(icc.randomInterceptSd.confLow, ref.sdLow, TOL.limit, `σ_b lower limit at ${level}`);
      near(icc.randomInterceptSd.confHigh, ref.sdHigh, TOL.limit, `σ_b upper limit at ${level}`);
      near(icc.confLow, ref.confLow, TOL.limit, `ICC lower limit at ${level}`);
      near(icc.confHigh, ref.confHigh, TOL.limit, `ICC upper limit at ${level}`);
      if (ref.lme4ProfileSd) {
        near(icc.randomInterceptSd.confLow, ref.lme4ProfileSd[0], TOL.lme4Spline, "lme4 confint lower");
        closeRel(icc.randomInterceptSd.confHigh, ref.lme4ProfileSd[1], TOL.lme4Spline, "lme4 confint upper");
      }
      const t = r.zeroVarianceTest!;
      near(t.statistic, c.nullModel.lrt, 2 * TOL.logLik, "LRT");
      // At θ = 0 the Laplace deviance is the GLM's: the statistic is also glm(R ~ 1)'s deviance minus glmer's.
      near(t.statistic, c.nullModel.glmDeviance - c.nullModel.deviance, 1e-6, "LRT against glm");
      if (c.nullModel.lrt === 0) assert.equal(t.pValue, c.nullModel.pValue);
      else closeRel(t.pValue, c.nullModel.pValue, 1e-4, "boundary-corrected p-value");
    }
  });

  test(`missingness '${c.name}': the indicator model R ~ ${c.indicatorModel.rhs} + (1 | C) matches glmer`, () => {
    const m = diagnose(c).indicatorModel!;
    const ref = c.indicatorModel;
    assert.deepEqual(m.coefficients.map((k) => k.term), ref.columnNames);
    assert.equal(m.nObs, ref.nObs);
    assert.equal(m.nDropped, c.nObs - ref.nObs);
    near(m.randomInterceptSd, ref.theta, TOL.theta, "σ_b");
    near(m.logLik, ref.logLik, TOL.logLik, "logLik");
    m.coefficients.forEach((k, j) => {
      near(k.estimate, ref.fixef[j], TOL.fixef, `${k.term} estimate`);
      closeRel(k.stdError, ref.se[j], TOL.se, `${k.term} SE`);
      near(k.confLow, ref.confLow[j], TOL.se, `${k.term} Wald lower`);
      near(k.confHigh, ref.confHigh[j], TOL.se, `${k.term} Wald upper`);
    });
    for (const o of m.oddsRatios) {
      const j = ref.columnNames.indexOf(o.term);
      closeRel(o.oddsRatio, Math.exp(ref.fixef[j]), TOL.fixef, `${o.term} odds ratio`);
      closeRel(o.confLow, Math.exp(ref.confLow[j]), TOL.se, `${o.term} odds-ratio lower`);
      closeRel(o.confHigh, Math.exp(ref.confHigh[j]), TOL.se, `${o.term} odds-ratio upper`);
    }
  });

  test(`missingness '${c.name}': representation of complete cases and the arm comparison match R`, () => {
    const r = diagnose(c);
    assert.deepEqual(r.representation.map((v) => v.variable), c.representation.map((v) => v.variable));
    r.representation.forEach((v, k) => {
      const ref = c.representation[k];
      near(v.meanAll, ref.meanAll, 1e-13, `${v.variable} meanAll`);
      near(v.meanComplete!, ref.meanComplete, 1e-13, `${v.variable} meanComplete`);
      near(v.sdAll, ref.sdAll, 1e-13, `${v.variable} sdAll`);
      near(v.smd!, ref.smd, 1e-12, `${v.variable} smd`);
    });
    if (!c.armComparison) {
      assert.equal(r.armComparison, null);
      return;
    }
    const a = r.armComparison!;
    assert.deepEqual(a.arms, c.armComparison.arms);
    for (const k of ["estimate", "stdError", "statistic", "df", "pValue", "confLow", "confHigh"] as const) {
      near(a.difference[k]!, c.armComparison[k], 1e-12, `arm comparison ${k}`);
    }
  });
}
