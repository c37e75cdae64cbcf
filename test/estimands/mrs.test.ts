/**
 * Model-robust standardization: closed forms, stage composition, refits
 * against fresh fits, randomization probabilities, weights, and the
 * validation of bad input. Data: the simulated trials of test/fixtures/mrs.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ComputeError, InputError } from "../../src/core/errors.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { constrainedRandomization } from "../../src/design/randomize.ts";
import {
  contrast,
  fitWorking,
  jackknifeMeans,
  jackknifeStdError,
  logitMarginalDivisor,
  mrs,
  mrsData,
  mrsSummary,
  standardize,
  WORKING_MODELS,
  type MrsOptions,
  type WorkingName,
} from "../../src/estimands/index.ts";
import { GeeSumsSolver, sumsSandwich } from "../../src/models/gee/refit.ts";
import { clusterSums, SumsView } from "../../src/models/shared/cluster-sums.ts";
import { individualDesign } from "../../src/estimands/design.ts";
import { individualFrame } from "../../src/estimands/working-gee.ts";
import type { FamilyName } from "../../src/models/family/index.ts";
import { gee } from "../../src/models/gee/index.ts";
import { createRng } from "../../src/random/index.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/mrs.json", import.meta.url), "utf8")) as {
  datasets: Record<string, Record<string, number[]>>;
};
const continuous = datasetFromRecord(fixture.datasets.continuous);
const binary = datasetFromRecord(fixture.datasets.binary);
const ADJ = "Y ~ X1 + X2 + cluster(H1 + H2 + N)";
const BASE = { cluster: "cluster", treatment: "A" } as const;

/** The fixture record with some cells changed: `edit(record)` mutates copies of the columns. */
function edited(name: string, edit: (r: Record<string, (number | string | null)[]>) => void): Dataset {
  const r: Record<string, (number | string | null)[]> = {};
  for (const [k, v] of Object.entries(fixture.datasets[name])) r[k] = [...v];
  edit(r);
  return datasetFromRecord(r);
}

/** Rows of `name` without cluster `id`. */
function without(name: string, id: number): Dataset {
  const src = fixture.datasets[name];
  const keep = src.cluster.map((c, i) => (c === id ? -1 : i)).filter((i) => i >= 0);
  const r: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(src)) r[k] = keep.map((i) => v[i]);
  return datasetFromRecord(r);
}

test("jackknife standard errors of types 1–3 (closed form)", () => {
  const reps = [1, 2, 4, 7];
  const m = 4;
  const mean = 3.5;
  const ss1 = reps.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ss2 = reps.reduce((s, v) => s + (v - 3) ** 2, 0);
  // Tolerance 1e-12: closed forms.
  assert.ok(Math.abs(jackknifeStdError(reps, 3, 1) - Math.sqrt(((m - 1) / m) * ss1)) < 1e-12);
  assert.ok(Math.abs(jackknifeStdError(reps, 3, 2) - Math.sqrt(((m - 1) / m) * ss2)) < 1e-12);
  assert.ok(Math.abs(jackknifeStdError(reps, 3, 3) - Math.sqrt(ss2)) < 1e-12);
  // Type 1 = √((m−1)²/m · var) with var the sample variance (MRStdCRT's form).
  assert.ok(Math.abs(jackknifeStdError(reps, 3, 1) - Math.sqrt(((m - 1) ** 2 / m) * (ss1 / (m - 1)))) < 1e-12);
  assert.throws(() => jackknifeStdError([1], 1, 1), InputError);
});

test("standardize: eqs. (6)–(7) by hand, and ω = 1 / ω = N reproduce Δ_C / Δ_I", () => {
  const d = mrsData(continuous, ADJ, { ...BASE, clusterWeights: { column: "N" } });
  const m = d.nClusters;
  const eta1 = Float64Array.from({ length: m }, (_, i) => 0.1 * i);
  const eta0 = Float64Array.from({ length: m }, (_, i) => -0.05 * i);
  const mu = standardize(d, eta1, eta0);
  let c1 = 0, c0 = 0, i1 = 0, i0 = 0, n = 0;
  for (let i = 0; i < m; i++) {
    const a = d.treated[i];
    const t1 = eta1[i] + (a ? (d.yBar[i] - eta1[i]) / 0.5 : 0);
    const t0 = eta0[i] + (a ? 0 : (d.yBar[i] - eta0[i]) / 0.5);
    c1 += t1 / m;
    c0 += t0 / m;
    i1 += d.sizes[i] * t1;
    i0 += d.sizes[i] * t0;
    n += d.sizes[i];
  }
  for (const [got, want] of [[mu[0], c1], [mu[1], c0], [mu[2], i1 / n], [mu[3], i0 / n], [mu[4], i1 / n], [mu[5], i0 / n]]) {
    assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
  }
  const res = mrs(continuous, ADJ, { ...BASE, clusterWeights: { column: "N" }, working: "lm" });
  assert.ok(res.weightedAte !== null);
  assert.ok(Math.abs(res.weightedAte.estimate - res.individualAte.estimate) < 1e-12);
  assert.ok(Math.abs(res.weightedAte.stdError - res.individualAte.stdError) < 1e-12);
  const ones = mrs(continuous, ADJ, { ...BASE, clusterWeights: { byCluster: Object.fromEntries(d.clusterIds.map((id) => [id, 1])) } });
  assert.ok(Math.abs(ones.weightedAte!.estimate - ones.clusterAte.estimate) < 1e-12);
});

test("contrasts on the analysis scale; the GLMM marginalizing divisor", () => {
  assert.equal(contrast(0.6, 0.4, "rd"), 0.6 - 0.4);
  assert.ok(Math.abs(contrast(0.6, 0.4, "rr") - Math.log(1.5)) < 1e-15);
  assert.ok(Math.abs(contrast(0.6, 0.4, "or") - Math.log((0.6 / 0.4) / (0.4 / 0.6))) < 1e-15);
  assert.ok(Number.isNaN(contrast(0.6, -0.1, "rr")));
  assert.ok(Number.isNaN(contrast(1.2, 0.4, "or")));
  // Li et al. (2025): √((σ² + π²/3)/(π²/3)) = √(1 + 3σ²/π²).
  const s2 = 0.7;
  const pi2 = Math.PI * Math.PI;
  assert.ok(Math.abs(logitMarginalDivisor(s2) - Math.sqrt((s2 + pi2 / 3) / (pi2 / 3))) < 1e-15);
});

test("mrs() is the composition of its stages and returns a frozen result", () => {
  const options: MrsOptions = { ...BASE, working: "gee-exch", scale: "rd", jackknife: 2 };
  const whole = mrs(continuous, ADJ, options);
  const d = mrsData(continuous, ADJ, options);
  const model = fitWorking(d, options);
  const staged = mrsSummary(d, model, jackknifeMeans(d, model), options);
  assert.deepEqual(staged, whole);
  assert.ok(Object.isFrozen(whole) && Object.isFrozen(whole.clusterAte) && Object.isFrozen(whole.icsTest));
  assert.equal(whole.clusterAte.df, d.nClusters - 1);
  assert.equal(whole.replicates.clusterAte.length, d.nClusters);
  // t(m − 1) interval around the estimate.
  const half = whole.clusterAte.confHigh - whole.clusterAte.estimate;
  assert.ok(Math.abs(whole.clusterAte.estimate - whole.clusterAte.confLow - half) < 1e-12);
});

test("ratio scales: estimate and interval on the ratio scale, stdError on the log scale", () => {
  const rr = mrs(binary, ADJ, { ...BASE, working: "gee-ind", family: "binomial", scale: "rr" });
  const rd = mrs(binary, ADJ, { ...BASE, working: "gee-ind", family: "binomial", scale: "rd" });
  assert.ok(Math.abs(rr.clusterAte.estimate - rd.means.cluster.treated / rd.means.cluster.control) < 1e-12);
  assert.ok(Math.abs(rr.clusterAte.statistic - Math.log(rr.clusterAte.estimate) / rr.clusterAte.stdError) < 1e-12);
  assert.ok(rr.diagnostics.some((x) => x.code === "mrs-log-scale"));
  assert.ok(Math.abs(rr.icsTest.difference - (Math.log(rr.clusterAte.estimate) - Math.log(rr.individualAte.estimate))) < 1e-12);
});

/** Every refit equals a fresh fit of the same working model to the data without that cluster. */
const refitCases: [WorkingName, FamilyName, string][] = [
  ["lm", "gaussian", "continuous"],
  ["lm", "binomial", "binary"],
  ["lmm", "gaussian", "continuous"],
  ["gee-ind", "gaussian", "continuous"],
  ["gee-exch", "gaussian", "continuous"],
  ["gee-exch", "binomial", "binary"],
  ["glmm", "binomial", "binary"],
];
for (const [working, family, data] of refitCases) {
  test(`refitWithout equals a fresh fit without the cluster: ${working} (${family})`, () => {
    const d = mrsData(datasetFromRecord(fixture.datasets[data]), ADJ, BASE);
    const model = fitWorking(d, { working, family });
    const eta1 = new Float64Array(d.nClusters);
    const eta0 = new Float64Array(d.nClusters);
    // Tolerance: 1e-9 for closed forms and geepack-path GEE (same iterations); 1e-6 for
    // the REML/Laplace optimizers, whose refits start elsewhere than a fresh fit.
    const tol = working === "lmm" || working === "glmm" || family !== "gaussian" ? 1e-6 : 1e-9;
    for (const g of [0, 7, d.nClusters - 1]) {
      model.refitWithout(g, eta1, eta0);
      assert.ok(Number.isNaN(eta1[g]) && Number.isNaN(eta0[g]));
      const dg = mrsData(without(data, Number(d.clusterIds[g])), ADJ, BASE);
      const fresh = fitWorking(dg, { working, family }).full;
      for (let c = 0, k = 0; c < d.nClusters; c++) {
        if (c === g) continue;
        assert.ok(Math.abs(eta1[c] - fresh.eta1[k]) <= tol * Math.max(1, Math.abs(fresh.eta1[k])), `cluster ${c}: ${eta1[c]} vs ${fresh.eta1[k]}`);
        assert.ok(Math.abs(eta0[c] - fresh.eta0[k]) <= tol * Math.max(1, Math.abs(fresh.eta0[k])));
        k++;
      }
    }
  });
}

test("Gaussian GEE on sufficient statistics equals src/models/gee (coefficients, alpha, Mancl–DeRouen)", () => {
  const d = mrsData(continuous, ADJ, BASE);
  const design = individualDesign(d);
  const frame = individualFrame(d, design);
  const sums = clusterSums(design.x, d.nObs, design.p, d.y, d.starts);
  const view = new SumsView(sums);
  const solver = new GeeSumsSolver(design.p);
  view.select(-1);
  for (const corstr of ["independence", "exchangeable"] as const) {
    const ref = gee(frame, { corstr, se: "md" });
    const r = solver.fit(view, corstr === "exchangeable");
    const delta = Float64Array.from(r.delta);
    const md = sumsSandwich(sums, delta, r.parameter, "md");
    const robust = sumsSandwich(sums, delta, r.parameter, "robust");
    const refRobust = gee(frame, { corstr, se: "robust" }).vcov;
    const p = design.p;
    for (let j = 0; j < p; j++) {
      // 1e-10: the same iterations in a different order of summation.
      assert.ok(Math.abs(sums.beta0[j] + delta[j] - ref.coefficients[j]) <= 1e-10 * Math.max(1, Math.abs(ref.coefficients[j])));
      assert.ok(Math.abs(md[j * p + j] - ref.vcov[j * p + j]) <= 1e-9 * ref.vcov[j * p + j]);
      assert.ok(Math.abs(robust[j * p + j] - refRobust[j * p + j]) <= 1e-9 * refRobust[j * p + j]);
    }
    if (corstr === "exchangeable") assert.ok(Math.abs(r.parameter - ref.alpha!) < 1e-10);
  }
});

test("randomization probabilities: constant, column, per cluster, scheme matrix and constrainedRandomization()", () => {
  const d0 = mrsData(continuous, ADJ, BASE);
  const ids = d0.clusterIds;
  const m = ids.length;
  const withP = edited("continuous", (r) => (r.p = r.cluster.map((c) => 0.4 + 0.01 * Number(c))));
  const byColumn = mrsData(withP, ADJ, { ...BASE, probability: { column: "p" } });
  ids.forEach((id, c) => assert.ok(Math.abs(byColumn.probabilities[c] - (0.4 + 0.01 * Number(id))) < 1e-15));
  const byCluster = mrsData(continuous, ADJ, { ...BASE, probability: { byCluster: Object.fromEntries(ids.map((id) => [id, 0.4 + 0.01 * Number(id)])) } });
  assert.deepEqual(byCluster.probabilities, byColumn.probabilities);
  const schemes = [
    Array.from({ length: m }, (_, i) => (i % 2 === 0 ? 1 : 0)),
    Array.from({ length: m }, (_, i) => (i % 2 === 0 ? 0 : 1)),
    Array.from({ length: m }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  ];
  const fromSchemes = mrsData(continuous, ADJ, { ...BASE, probability: { schemes, clusterIds: [...ids].reverse() } });
  // Columns are matched by cluster id (here given in reverse order).
  ids.forEach((_, c) => {
    const col = m - 1 - c;
    assert.ok(Math.abs(fromSchemes.probabilities[c] - (1 + (col % 3 === 0 ? 1 : 0)) / 3) < 1e-15);
  });
  // Clusters never or always treated by the schemes are refused.
  assert.throws(() => mrsData(continuous, ADJ, { ...BASE, probability: { schemes: [schemes[0]], clusterIds: ids } }), /not strictly between 0 and 1/);
  assert.throws(() => mrsData(continuous, ADJ, { ...BASE, probability: { schemes, clusterIds: ids.slice(1) } }), /entries, expected one per cluster|has no entry for cluster/);
  // constrainedRandomization() over the clusters' (H1, H2, N) supplies π.
  const covariates = Array.from({ length: m }, (_, c) => [d0.clusterCovariates[c * 3], d0.clusterCovariates[c * 3 + 1], d0.sizes[c]]);
  const design = constrainedRandomization({
    covariates,
    treated: m / 2,
    rng: createRng(7),
    clusterLabels: [...ids],
    enumerate: false,
    samples: 2000,
    threshold: { quantile: 0.2 },
  });
  const fromDesign = mrsData(continuous, ADJ, { ...BASE, probability: { randomization: design, clusterIds: ids } });
  ids.forEach((_, c) => assert.equal(fromDesign.probabilities[c], design.probabilities[c]));
  // Changing π changes the estimate (the residual term is weighted by 1/π).
  const a = mrs(continuous, ADJ, { ...BASE, probability: 0.5 });
  const b = mrs(continuous, ADJ, { ...BASE, probability: 0.4 });
  assert.notEqual(a.clusterAte.estimate, b.clusterAte.estimate);
});

test("bad input is refused with an InputError naming the value", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["treatment varies within a cluster", () => mrs(edited("continuous", (r) => (r.A[1] = 1 - (r.A[1] as number))), ADJ, BASE), /treatment 'A' varies within cluster '1'/],
    ["cluster covariate varies within a cluster", () => mrs(edited("continuous", (r) => ((r.H2[2] as number) += 1)), ADJ, BASE), /cluster-level covariate 'H2' varies within cluster '1'/],
    ["treatment not 0/1", () => mrs(edited("continuous", (r) => (r.A = r.A.map((a) => (a === 1 ? 2 : 0)))), ADJ, BASE), /has value 2 in cluster/],
    ["prob 0", () => mrs(continuous, ADJ, { ...BASE, probability: 0 }), /strictly between 0 and 1; got 0/],
    ["prob 1.2", () => mrs(continuous, ADJ, { ...BASE, probability: 1.2 }), /got 1\.2/],
    ["prob column with a 1", () => mrs(edited("continuous", (r) => (r.p = r.cluster.map((c) => (c === 3 ? 1 : 0.5)))), ADJ, { ...BASE, probability: { column: "p" } }), /probability 1 for cluster '3'/],
    ["prob column varies", () => mrs(edited("continuous", (r) => (r.p = r.cluster.map((_, i) => (i === 1 ? 0.4 : 0.5)))), ADJ, { ...BASE, probability: { column: "p" } }), /probability column 'p' varies within cluster '1'/],
    [
      "one cluster in an arm",
      () => mrs(edited("continuous", (r) => (r.A = r.cluster.map((c) => (c === 1 ? 1 : 0)))), ADJ, BASE),
      /at least two clusters in each arm.*1 treated and 29 control/,
    ],
    ["treatment in the formula", () => mrs(continuous, "Y ~ A + X1", BASE), /treatment 'A' is added by mrs/],
    ["random effect in the formula", () => mrs(continuous, "Y ~ X1 + (1 | cluster)", BASE), /random-effect terms/],
    ["no intercept", () => mrs(continuous, "Y ~ X1 - 1", BASE), /always have an intercept/],
    ["unknown cluster covariate", () => mrs(continuous, "Y ~ X1 + cluster(H9)", BASE), /unknown column 'H9'/],
    ["constant individual covariate", () => mrs(continuous, "Y ~ X1 + H1 + cluster(H2)", { ...BASE, working: "gee-ind" }), /'H1' does not vary within any cluster/],
    ["binomial family, non-binary outcome", () => mrs(continuous, ADJ, { ...BASE, working: "gee-ind", family: "binomial" }), /response 'Y' is .* needs 0\/1 outcomes/],
    ["lmm with binomial", () => mrs(binary, ADJ, { ...BASE, working: "lmm", family: "binomial" }), /use --working glmm/],
    ["glmm with gaussian", () => mrs(continuous, ADJ, { ...BASE, working: "glmm" }), /for a gaussian outcome use --working lmm/],
    ["unknown working model", () => mrs(continuous, ADJ, { ...BASE, working: "nls" as WorkingName }), /unknown working model 'nls'/],
    ["unknown scale", () => mrs(continuous, ADJ, { ...BASE, scale: "hr" as "rd" }), /unknown scale 'hr'/],
    ["jackknife type", () => mrs(continuous, ADJ, { ...BASE, jackknife: 4 as 1 }), /jackknife type must be 1, 2 or 3/],
  ];
  for (const [what, f, message] of cases) {
    assert.throws(f, (e: unknown) => e instanceof InputError && message.test((e as Error).message), what);
  }
  assert.deepEqual(WORKING_MODELS, ["lm", "lmm", "gee-ind", "gee-exch", "glmm"]);
});

test("a ratio scale with a non-positive standardized mean is a ComputeError, not NaN", () => {
  const shifted = edited("continuous", (r) => (r.Y = r.Y.map((y) => (y as number) - 10)));
  assert.throws(() => mrs(shifted, ADJ, { ...BASE, scale: "rr" }), (e: unknown) => e instanceof ComputeError && /ratio scale needs positive means/.test((e as Error).message));
});

test("rows with missing values are dropped and reported; N counts the rows used", () => {
  const data = edited("continuous", (r) => {
    r.X1[0] = null;
    r.Y[5] = null;
  });
  const d = mrsData(data, ADJ, BASE);
  assert.equal(d.nDropped, 2);
  assert.ok(d.diagnostics.some((x) => x.code === "dropped-rows"));
  const n1 = fixture.datasets.continuous.cluster.filter((c) => c === 1).length;
  // Column N of the data is used as given (a covariate); with no column, N is the rows used.
  const noN = edited("continuous", (r) => {
    delete r.N;
    r.X1[0] = null;
  });
  const dn = mrsData(noN, ADJ, BASE);
  assert.equal(dn.clusterCovariates[2], n1 - 1);
  assert.equal(dn.sizes[0], n1 - 1);
});
