/**
 * Model-robust standardization against the authors' R package MRStdCRT and
 * against the plain-R implementation of fixtures/r/mrs.R (test/fixtures/mrs.json).
 *
 * Tolerances (relative unless said):
 * - LM, GEE and the Gaussian-variance GLM on cluster means: 1e-6 (IRLS/GEE tier;
 *   observed ≤ 1e-7, mostly ~1e-14: the same algorithms as R, iteration for iteration);
 * - LMM: 1e-6 (the REML optimum; nlme and crtkit agree to ~1e-9 here, although
 *   the tier for optimizer-dependent fits is 1e-4);
 * - GLMM: 2e-4 absolute on standardized means against glmer's default fit and
 *   against its fit run to convergence (optimizer tier: lme4's default stops
 *   early, and near-flat deviances leave ~1e-4 differences between optimizers),
 *   2e-3 relative on jackknife SEs (replicate errors of 1e-4 against a spread of
 *   ~0.1), 5e-3 on the model-based coefficient SE (lme4 differences the
 *   deviance numerically for its Hessian).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import {
  fitWorking,
  jackknifeMeans,
  jackknifeStdError,
  mrs,
  mrsData,
  mrsSummary,
  probabilitiesFromSchemes,
  standardize,
  type ProbabilitySpec,
  type WorkingName,
} from "../../src/estimands/index.ts";
import type { FamilyName } from "../../src/models/family/index.ts";

interface Case {
  name: string;
  data: string;
  working: WorkingName;
  family: FamilyName;
  scale: "RD" | "RR" | "OR";
  adjusted: boolean;
  probability: string;
  formula: string;
  reference: { full: number[]; loo: number[][] };
  package?: { estimates: number[]; loo: number[][]; jackknife: Record<"type1" | "type2" | "type3", number[]> };
  coef: { estimate: number; stdError: number; se: string };
  exact?: { full: number[]; loo: number[][]; coef: { estimate: number; stdError: number } };
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/mrs.json", import.meta.url), "utf8")) as {
  packages: Record<string, string>;
  datasets: Record<string, Record<string, number[]>>;
  constrained: { schemes: number[][]; probabilities: number[] };
  cases: Case[];
};

const isMixed = (w: WorkingName) => w === "lmm" || w === "glmm";

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

function probabilityOf(c: Case): ProbabilitySpec {
  if (c.probability === "0.5") return 0.5;
  return { schemes: fixture.constrained.schemes, clusterIds: fixture.constrained.schemes[0].map((_, i) => String(i + 1)) };
}

function contrast(mu1: number, mu0: number, scale: Case["scale"]): number {
  return scale === "RD" ? mu1 - mu0 : scale === "RR" ? mu1 / mu0 : mu1 / (1 - mu1) / (mu0 / (1 - mu0));
}

test("the fixture records its provenance", () => {
  assert.equal(fixture.packages.MRStdCRT, "0.1.0");
  assert.match(fixture.packages.MRStdCRTCommit, /^[0-9a-f]{40}$/);
});

for (const c of fixture.cases) {
  test(`mrs fixture: ${c.name}`, () => {
    const data = datasetFromRecord(fixture.datasets[c.data]);
    const options = { cluster: "cluster", treatment: "A", probability: probabilityOf(c), working: c.working, family: c.family };
    const d = mrsData(data, c.formula, options);
    const model = fitWorking(d, options);
    const full = standardize(d, model.full.eta1, model.full.eta0);
    const jack = jackknifeMeans(d, model);
    const m = d.nClusters;
    const glmm = c.working === "glmm";
    const close = (got: number, want: number, what: string) => {
      const tol = glmm ? 2e-4 : 1e-6;
      const err = glmm ? Math.abs(got - want) : relDiff(got, want);
      assert.ok(err <= tol, `${what}: ${got} vs ${want} (difference ${err})`);
    };
    // Standardized means, full data and every leave-one-cluster-out fit (reference implementation).
    for (let k = 0; k < 4; k++) close(full[k], c.reference.full[k], `mean ${k}`);
    assert.equal(c.reference.loo.length, m);
    for (let g = 0; g < m; g++) for (let k = 0; k < 4; k++) close(jack.means[g * 6 + k], c.reference.loo[g][k], `cluster ${g + 1} left out, mean ${k}`);
    if (c.exact) {
      for (let k = 0; k < 4; k++) close(full[k], c.exact.full[k], `exact mean ${k}`);
      for (let g = 0; g < m; g++) for (let k = 0; k < 4; k++) close(jack.means[g * 6 + k], c.exact.loo[g][k], `exact, cluster ${g + 1} out, mean ${k}`);
    }
    // The package's point estimates (cate, iate on its scale) and its leave-one-out estimates.
    // (GLMM: 1e-3 relative, since ratio contrasts amplify the 2e-4 on the means.)
    const closeContrast = (got: number, want: number, what: string) => {
      if (!glmm) return close(got, want, what);
      assert.ok(Math.abs(got - want) / Math.abs(want) <= 1e-3, `${what}: ${got} vs ${want}`);
    };
    if (c.package) {
      const cate = contrast(full[0], full[1], c.scale);
      const iate = contrast(full[2], full[3], c.scale);
      closeContrast(cate, c.package.estimates[0], "package cate");
      closeContrast(iate, c.package.estimates[1], "package iate");
      for (let g = 0; g < m; g++) {
        const o = g * 6;
        closeContrast(contrast(jack.means[o], jack.means[o + 1], c.scale), c.package.loo[g][0], `package cate without cluster ${g + 1}`);
        closeContrast(contrast(jack.means[o + 2], jack.means[o + 3], c.scale), c.package.loo[g][1], `package iate without cluster ${g + 1}`);
      }
      // Difference scale: crtkit's jackknife SEs (all three types) and ICS test equal the package's.
      if (c.scale === "RD") {
        for (const type of [1, 2, 3] as const) {
          const res = mrsSummary(d, model, jack, { scale: "rd", jackknife: type });
          const want = c.package.jackknife[`type${type}`];
          const tol = glmm ? 2e-3 : 1e-6;
          for (const [got, w, what] of [
            [res.clusterAte.stdError, want[0], "cate"],
            [res.individualAte.stdError, want[1], "iate"],
            [res.icsTest.stdError, want[2], "cate - iate"],
          ] as const) {
            assert.ok(Math.abs(got - w) / w <= tol, `type ${type} SE of ${what}: ${got} vs ${w}`);
          }
          assert.ok(Math.abs(res.icsTest.statistic - c.package.estimates[2] / want[2]) <= tol * Math.abs(res.icsTest.statistic) + 1e-12);
          assert.equal(res.clusterAte.df, m - 1);
        }
      }
    }
    // Ratio scales: SEs are jackknife SEs of the log ratio (computed here from R's leave-one-out means).
    if (c.scale !== "RD") {
      const scale = c.scale === "RR" ? "rr" : "or";
      const res = mrsSummary(d, model, jack, { scale, jackknife: 1 });
      const log = (mu1: number, mu0: number) => Math.log(contrast(mu1, mu0, c.scale));
      const reps = c.reference.loo.map((r) => log(r[0], r[1]));
      const want = jackknifeStdError(reps, log(c.reference.full[0], c.reference.full[1]), 1);
      assert.ok(Math.abs(res.clusterAte.stdError - want) / want <= (glmm ? 2e-3 : 1e-6), `log-scale SE ${res.clusterAte.stdError} vs ${want}`);
      closeContrast(res.clusterAte.estimate, contrast(c.reference.full[0], c.reference.full[1], c.scale), "ratio estimate");
      assert.ok(res.clusterAte.confLow < res.clusterAte.estimate && res.clusterAte.estimate < res.clusterAte.confHigh);
      assert.ok(Math.abs(Math.log(res.clusterAte.confLow) + Math.log(res.clusterAte.confHigh) - 2 * Math.log(res.clusterAte.estimate)) < 1e-9);
    }
    // The working model's treatment coefficient ("Coef") and its usual SE.
    const coef = c.exact ? c.exact.coef : c.coef;
    const t = model.full.treatment;
    assert.equal(t.se, c.coef.se);
    if (glmm) {
      assert.ok(Math.abs(t.estimate - coef.estimate) <= 2e-4, `coef ${t.estimate} vs ${coef.estimate}`);
      assert.ok(Math.abs(t.stdError - coef.stdError) / coef.stdError <= 5e-3, `coef SE ${t.stdError} vs ${coef.stdError}`);
    } else {
      assert.ok(relDiff(t.estimate, coef.estimate) <= 1e-6, `coef ${t.estimate} vs ${coef.estimate}`);
      assert.ok(Math.abs(t.stdError - coef.stdError) / coef.stdError <= 1e-6, `coef SE ${t.stdError} vs ${coef.stdError}`);
    }
    assert.ok(isMixed(c.working) || model.full.converged);
    // geepack's exchangeable alpha exceeds 1 here; crtkit follows it and says so.
    const outside = model.full.diagnostics.some((x) => x.code === "gee-alpha-outside");
    assert.equal(outside, c.name === "continuous-gee-exch-gaussian-RD-unadjusted");
  });
}

test("N inside cluster(...) is the cluster size when the data have no N column", () => {
  const record = { ...fixture.datasets.continuous };
  const withN = datasetFromRecord(record);
  delete (record as Record<string, unknown>).N;
  const withoutN = datasetFromRecord(record);
  const opts = { cluster: "cluster", treatment: "A", working: "gee-exch" as const };
  const a = mrs(withN, "Y ~ X1 + X2 + cluster(H1 + H2 + N)", opts);
  const b = mrs(withoutN, "Y ~ X1 + X2 + cluster(H1 + H2 + N)", opts);
  assert.equal(a.clusterAte.estimate, b.clusterAte.estimate);
  assert.equal(a.individualAte.stdError, b.individualAte.stdError);
  assert.ok(b.diagnostics.some((x) => x.code === "mrs-cluster-size"));
  assert.ok(!a.diagnostics.some((x) => x.code === "mrs-cluster-size"));
});

test("probabilities from the constrained-randomization scheme matrix equal R's colMeans", () => {
  const pi = probabilitiesFromSchemes(fixture.constrained.schemes, fixture.constrained.probabilities.length);
  pi.forEach((p, i) => assert.ok(Math.abs(p - fixture.constrained.probabilities[i]) < 1e-15));
});
