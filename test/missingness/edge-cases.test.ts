/**
 * diagnoseMissingness on small constructed data: nothing missing, all
 * missing, unknown columns, a treatment varying within a cluster, rows
 * without a cluster, ties in the sort, a data column named R, purely
 * cluster-level missingness, and the profile interval's defining property.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { qchisq } from "../../src/distributions/index.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { diagnoseMissingness, missingnessData, splitCovariates, thetaProfile } from "../../src/missingness/index.ts";
import { glmm, glmmObjective } from "../../src/models/glmm/index.ts";
import { ProfileDeviance } from "../../src/models/glmm/profile.ts";
import { near, throwsInput } from "../helpers/assert.ts";

const cluster = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6];
const arm = cluster.map((c) => c % 2);
const x = cluster.map((c, i) => ((i * 7) % 5) - 2 + c / 10);
// Missing: cluster 1 all, 2 three, 3 two, 4 one, 5 two, 6 none.
const M = [null, null, null, null, null, null, null, 1, null, null, 0, 1, null, 1, 0, 1, 0, null, null, 1, 1, 0, 1, 0];
const data = datasetFromRecord({ cluster, arm, x, M });

test("per-cluster counts sorted by proportion missing, ties kept in cluster order; arms totalled", () => {
  const r = diagnoseMissingness(data, { cluster: "cluster", variable: "M", treatment: "arm" });
  assert.deepEqual(
    r.byCluster.map((c) => [c.cluster, c.arm, c.n, c.nMissing]),
    [["1", 1, 4, 4], ["2", 0, 4, 3], ["3", 1, 4, 2], ["5", 1, 4, 2], ["4", 0, 4, 1], ["6", 0, 4, 0]],
  );
  assert.deepEqual(r.clustersAllMissing, ["1"]);
  assert.deepEqual(r.clustersLosingHalf, ["1", "2"]);
  assert.deepEqual(r.byArm.map((a) => [a.arm, a.nClusters, a.n, a.nMissing]), [[0, 3, 12, 4], [1, 3, 12, 8]]);
  assert.ok(r.diagnostics.some((d) => d.code === "clusters-all-missing" && d.severity === "warning" && d.message.includes("'1'")));
  assert.ok(r.diagnostics.some((d) => d.code === "clusters-losing-half" && d.message.includes("'2' 3/4")));
  assert.equal(r.nMissing, 12);
  assert.equal(r.armComparison!.difference.df, 4);
});

test("a variable with no missing value: an info note, the table, and null mixed-model parts", () => {
  const r = diagnoseMissingness(data, { cluster: "cluster", variable: "x", treatment: "arm", covariates: ["arm"] });
  assert.equal(r.nMissing, 0);
  assert.equal(r.byCluster.length, 6);
  assert.ok(r.byCluster.every((c) => c.propMissing === 0));
  assert.equal(r.missingnessIcc, null);
  assert.equal(r.zeroVarianceTest, null);
  assert.equal(r.indicatorModel, null);
  assert.equal(r.armComparison, null);
  const note = r.diagnostics.find((d) => d.code === "no-missing")!;
  assert.equal(note.severity, "info");
  assert.match(note.message, /'x' is observed in all 24 rows/);
  assert.deepEqual(r.representation.map((v) => [v.variable, v.smd]), [["arm", 0]]);
});

test("bad input is an InputError naming the column, row or value", () => {
  const all = datasetFromRecord({ cluster, M: cluster.map(() => null) });
  throwsInput(() => diagnoseMissingness(all, { cluster: "cluster", variable: "M" }), "variable 'M' is missing in all 24 rows: there is no observed value to compare with");
  throwsInput(() => diagnoseMissingness(data, { cluster: "cluster", variable: "Q" }), /^unknown column 'Q'; the data have columns: cluster, arm, x, M$/);
  throwsInput(() => diagnoseMissingness(data, { cluster: "site", variable: "M" }), /^unknown column 'site'/);
  throwsInput(() => diagnoseMissingness(data, { cluster: "cluster", variable: "M", treatment: "A" }), /^unknown column 'A'/);
  throwsInput(() => diagnoseMissingness(data, { cluster: "cluster", variable: "M", covariates: ["log(z)"] }), /^unknown column 'z'/);
  throwsInput(() => diagnoseMissingness(data, { cluster: "cluster", variable: "M", covariates: ["I(M^2)"] }), /covariate 'I\(M\^2\)' uses the variable 'M' itself/);
  throwsInput(
    () => diagnoseMissingness(data, { cluster: "cluster", variable: "M", treatment: "x" }),
    /^treatment 'x' varies within cluster '1' of column 'cluster': -1\.9 at row 1, 0\.1 at row 2/,
  );
  throwsInput(() => diagnoseMissingness(data, { cluster: "cluster", variable: "M", level: 1.5 }), "the confidence level must be in (0, 1); got 1.5");
});

test("rows without a cluster are left out and counted; a missing covariate leaves rows out of the indicator model only", () => {
  const withGaps = datasetFromRecord({
    cluster: cluster.map((c, i) => (i === 3 || i === 9 ? null : c)),
    arm,
    x: x.map((v, i) => (i === 5 || i === 20 ? null : v)),
    M,
  });
  const r = diagnoseMissingness(withGaps, { cluster: "cluster", variable: "M", treatment: "arm", covariates: ["x"] });
  assert.equal(r.nRows, 24);
  assert.equal(r.nObs, 22);
  assert.equal(r.nDropped, 2);
  assert.ok(r.diagnostics.some((d) => d.code === "dropped-rows" && d.message.startsWith("2 of 24 rows have no cluster ('cluster' missing)")));
  assert.equal(r.byCluster.reduce((s, c) => s + c.n, 0), 22);
  assert.equal(r.indicatorModel!.nObs, 20);
  assert.equal(r.indicatorModel!.nDropped, 2);
  assert.ok(r.diagnostics.some((d) => d.code === "indicator-model-rows" && d.message.includes("2 of 22 rows have a missing covariate") && d.message.includes("x (2)")));
  const xRow = r.representation.find((v) => v.variable === "x")!;
  assert.equal(xRow.nAll, 20);
});

test("a data column named R: the indicator is named R_M", () => {
  const withR = datasetFromRecord({ cluster, R: x, M });
  const r = diagnoseMissingness(withR, { cluster: "cluster", variable: "M", covariates: ["R"] });
  assert.equal(r.indicator, "R_M");
  assert.equal(r.indicatorModel!.formula, "R_M ~ R + (1 | cluster)");
});

test("missingness all-or-none in every cluster: a warning, no mixed models, the arm comparison still made", () => {
  const blocky = datasetFromRecord({ cluster, arm, M: cluster.map((c) => (c <= 2 ? null : 1)) });
  const r = diagnoseMissingness(blocky, { cluster: "cluster", variable: "M", treatment: "arm" });
  assert.equal(r.missingnessIcc, null);
  assert.equal(r.indicatorModel, null);
  assert.ok(r.diagnostics.some((d) => d.code === "missingness-cluster-level" && d.severity === "warning" && d.message.includes("2 of 6 clusters entirely missing")));
  assert.notEqual(r.armComparison, null);
});

test("profile limits are where the profiled deviance exceeds its minimum by the χ²₁ quantile", () => {
  const prepared = missingnessData(data, { cluster: "cluster", variable: "M" });
  const fit = glmm(prepared.frame);
  for (const level of [0.95, 0.8]) {
    const p = thetaProfile(glmmObjective(prepared.frame), fit.theta, fit.coefficients, level);
    const d = new ProfileDeviance(glmmObjective(prepared.frame), Float64Array.from(fit.coefficients), 100);
    const dHat = d.profile(fit.theta);
    near(d.profile(p.thetaHigh) - dHat, qchisq(level, 1), 1e-8, `excess at the upper limit (${level})`);
    if (p.thetaLow > 0) near(d.profile(p.thetaLow) - dHat, qchisq(level, 1), 1e-8, `excess at the lower limit (${level})`);
    near(p.lrt, d.profile(0) - dHat, 1e-9, "LRT");
  }
});

test("splitCovariates splits at top-level commas only and refuses empty entries", () => {
  assert.deepEqual(splitCovariates("X1, factor(site),I(x^2)"), ["X1", "factor(site)", "I(x^2)"]);
  throwsInput(() => splitCovariates("X1,,Y"), /the covariate list 'X1,,Y' has an empty entry/);
});
