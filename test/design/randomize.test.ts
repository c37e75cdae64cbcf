import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { balanceScores, balanceTransform, enumerateScoredSchemes } from "../../src/design/balance.ts";
import { clusterCovariateMeans } from "../../src/design/cluster-covariates.ts";
import { acceptableSchemes, constrainedRandomization, randomizationProbabilities } from "../../src/design/randomize.ts";
import { binomialCoefficient, enumerateSchemes, sampleSchemes, schemeRow } from "../../src/design/schemes.ts";
import { qchisq } from "../../src/dist/index.ts";
import { fromRows } from "../../src/linalg/index.ts";
import { createRng } from "../../src/random/index.ts";

interface RandCase {
  covariates: number[][];
  treated: number;
  metric: "l2" | "mahalanobis";
  quantile: number;
  scores: number[];
  threshold: number;
  acceptable: number[];
  probabilities: number[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/design.json", import.meta.url), "utf8")) as { randomization: RandCase[] };

function randomCovariates(m: number, q: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: m }, () => Array.from({ length: q }, (_, k) => (k + 1) * rng.normal() + 10 * k));
}

test("scores, threshold, acceptable set and π match R (combn enumeration, l2 and Mahalanobis)", () => {
  for (const [i, c] of fixture.randomization.entries()) {
    const r = constrainedRandomization({
      covariates: c.covariates,
      treated: c.treated,
      metric: c.metric,
      threshold: { quantile: c.quantile },
      rng: createRng(1),
    });
    const what = `case ${i} (${c.metric}, ${c.covariates.length} clusters, ${c.treated} treated)`;
    assert.equal(r.nSchemes, c.scores.length, what);
    const scale = Math.max(...c.scores);
    // closed-form arithmetic on 15-digit inputs: 1e-10 relative to the largest score
    for (let s = 0; s < c.scores.length; s++) {
      assert.ok(Math.abs(r.scores[s] - c.scores[s]) <= 1e-10 * scale, `${what} score ${s}: ${r.scores[s]} vs R ${c.scores[s]}`);
    }
    assert.ok(Math.abs(r.threshold - c.threshold) <= 1e-10 * scale, `${what} threshold`);
    assert.deepEqual(Array.from(r.acceptable), c.acceptable, `${what} acceptable`);
    for (let k = 0; k < c.probabilities.length; k++) {
      assert.ok(Math.abs(r.probabilities[k] - c.probabilities[k]) <= 1e-12, `${what} π[${k}]`);
    }
  }
});

test("full enumeration with m₁ = m/2 and a symmetric metric gives π = m₁/m = ½ exactly", () => {
  for (const metric of ["l2", "mahalanobis"] as const) {
    for (const quantile of [0.01, 0.05, 0.1, 0.37, 1]) {
      const r = constrainedRandomization({
        covariates: randomCovariates(12, 3, 7),
        treated: 6,
        metric,
        threshold: { quantile },
        rng: createRng(3),
      });
      assert.equal(r.enumerated, true);
      assert.equal(r.nSchemes, 924);
      for (let i = 0; i < 12; i++) assert.equal(r.probabilities[i], 0.5, `${metric} q ${quantile} π[${i}]`);
    }
  }
  // the benchmark's design: 20 clusters, 10/10, 3 covariates, 184,756 schemes
  const big = constrainedRandomization({ covariates: randomCovariates(20, 3, 11), treated: 10, rng: createRng(5) });
  assert.equal(big.nSchemes, 184_756);
  assert.equal(big.acceptable.length % 2, 0); // closed under complement
  for (let i = 0; i < 20; i++) assert.equal(big.probabilities[i], 0.5);
});

test("unconstrained (quantile 1) full enumeration gives π = m₁/m for unequal arms", () => {
  const r = constrainedRandomization({ covariates: randomCovariates(9, 2, 2), treated: 4, threshold: { quantile: 1 }, rng: createRng(1) });
  assert.equal(r.acceptable.length, binomialCoefficient(9, 4));
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(r.probabilities[i] - 4 / 9) < 1e-15);
});

test("the chosen scheme is acceptable, reproducible from the seed, and uniform over the acceptable set", () => {
  const covariates = randomCovariates(8, 2, 4);
  const opts = { covariates, treated: 4, threshold: { quantile: 0.1 } } as const;
  const a = constrainedRandomization({ ...opts, rng: createRng(99) });
  const b = constrainedRandomization({ ...opts, rng: createRng(99) });
  assert.equal(a.chosen.index, b.chosen.index);
  assert.deepEqual(a.chosen.scheme, b.chosen.scheme);
  assert.ok(Array.from(a.acceptable).includes(a.chosen.index));
  assert.deepEqual(a.chosen.scheme, Uint8Array.from(schemeRow(a.schemes, 8, a.chosen.index)));
  assert.deepEqual(a.chosen.treated, Array.from(a.chosen.scheme.keys()).filter((i) => a.chosen.scheme[i] === 1));
  assert.ok(a.scores[a.chosen.index] <= a.threshold);

  // uniformity: χ² goodness of fit over independent streams; the bound is the
  // 1 − 1e-5 quantile of χ²(A − 1), so a correct sampler fails with probability 1e-5
  const nAcc = a.acceptable.length;
  const position = new Map(Array.from(a.acceptable, (r, j) => [r, j] as const));
  const counts = new Float64Array(nAcc);
  const draws = 3000;
  for (let rep = 0; rep < draws; rep++) {
    const r = constrainedRandomization({ ...opts, rng: createRng(2024, rep) });
    counts[position.get(r.chosen.index) as number]++;
  }
  const expected = draws / nAcc;
  let chi2 = 0;
  for (const c of counts) chi2 += (c - expected) ** 2 / expected;
  assert.ok(chi2 < qchisq(1 - 1e-5, nAcc - 1), `χ² = ${chi2} on ${nAcc - 1} df`);
});

test("sampling unique schemes when enumeration is too large: unique, valid rows, π ≈ m₁/m within Monte Carlo error", () => {
  const m = 30;
  const samples = 5000;
  const r = constrainedRandomization({
    covariates: randomCovariates(m, 2, 8),
    treated: 15,
    threshold: { quantile: 1 },
    samples,
    rng: createRng(17),
  });
  assert.equal(r.enumerated, false);
  assert.equal(r.totalSchemes, 155_117_520);
  assert.equal(r.nSchemes, samples);
  const keys = new Set<string>();
  for (let s = 0; s < samples; s++) {
    const row = schemeRow(r.schemes, m, s);
    assert.equal(row.reduce((x, y) => x + y, 0), 15);
    keys.add(row.join(""));
  }
  assert.equal(keys.size, samples);
  // each π̂_i averages 5000 draws of a Bernoulli(½) indicator: SD = √(¼/5000); bound 5 SDs
  const sd = Math.sqrt(0.25 / samples);
  for (let i = 0; i < m; i++) assert.ok(Math.abs(r.probabilities[i] - 0.5) < 5 * sd, `π[${i}] = ${r.probabilities[i]}`);
  assert.ok(r.diagnostics.some((d) => d.code === "schemes" && /sampled 5000 unique/.test(d.message)));
  // the same seed gives the same sampled schemes
  const again = constrainedRandomization({ covariates: randomCovariates(m, 2, 8), treated: 15, threshold: { quantile: 1 }, samples, rng: createRng(17) });
  assert.deepEqual(again.schemes, r.schemes);
  assert.equal(again.chosen.index, r.chosen.index);
});

test("sampleSchemes draws every allocation with equal probability (χ² over all C(6, 2) = 15)", () => {
  const rng = createRng(8);
  const counts = new Map<string, number>();
  const reps = 600;
  for (let rep = 0; rep < reps; rep++) {
    const s = sampleSchemes(6, 2, 1, rng);
    const key = s.join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 15);
  const expected = reps / 15;
  let chi2 = 0;
  for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
  assert.ok(chi2 < qchisq(1 - 1e-5, 14), `χ² = ${chi2}`);
  // asking for all 15 unique schemes returns each exactly once
  const all = sampleSchemes(6, 2, 15, createRng(9));
  assert.equal(new Set(Array.from({ length: 15 }, (_, r) => schemeRow(all, 6, r).join(""))).size, 15);
});

test("enumerate: 'auto' switches at the limit; samples ≥ C(m, m₁) enumerates instead", () => {
  const covariates = randomCovariates(10, 2, 3);
  const auto = constrainedRandomization({ covariates, treated: 5, enumerationLimit: 100, samples: 50, rng: createRng(1) });
  assert.equal(auto.enumerated, false);
  assert.equal(auto.nSchemes, 50);
  const forced = constrainedRandomization({ covariates, treated: 5, enumerate: true, enumerationLimit: 100, rng: createRng(1) });
  assert.equal(forced.enumerated, true);
  assert.equal(forced.nSchemes, 252);
  const instead = constrainedRandomization({ covariates, treated: 5, enumerate: false, samples: 300, rng: createRng(1) });
  assert.equal(instead.enumerated, true);
  assert.ok(instead.diagnostics.some((d) => d.code === "enumerated-instead"));
});

test("composing the stages by hand gives the same result", () => {
  const covariates = fromRows(randomCovariates(9, 3, 21));
  for (const metric of ["l2", "mahalanobis"] as const) {
    const whole = constrainedRandomization({ covariates, treated: 4, metric, threshold: { quantile: 0.2 }, rng: createRng(6) });
    const t = balanceTransform(covariates, metric);
    const schemes = enumerateSchemes(9, 4);
    const scores = balanceScores(t.z, 9, 3, schemes, 4);
    const acc = acceptableSchemes(scores, { quantile: 0.2 });
    const pi = randomizationProbabilities(schemes, 9, acc.acceptable);
    assert.deepEqual(whole.schemes, schemes);
    assert.deepEqual(whole.scores, scores);
    assert.deepEqual(whole.acceptable, acc.acceptable);
    assert.deepEqual(whole.probabilities, pi);
  }
  // explicit l2 weights equal to 1/var reproduce the default scores
  const w = Array.from(balanceTransform(covariates, "l2").weights as Float64Array);
  const a = constrainedRandomization({ covariates, treated: 4, rng: createRng(1) });
  const b = constrainedRandomization({ covariates, treated: 4, weights: w, rng: createRng(1) });
  assert.deepEqual(a.scores, b.scores);
});

test("fused enumeration + scoring equals enumerateSchemes + balanceScores bit for bit; complement of row r is row R − 1 − r", () => {
  for (const [m, m1, q] of [
    [10, 5, 3],
    [9, 4, 2],
    [8, 1, 1],
    [12, 6, 4],
    [7, 6, 2],
  ]) {
    const t = balanceTransform(fromRows(randomCovariates(m, q, m * 31 + m1)), "l2");
    const fused = enumerateScoredSchemes(t.z, m, q, m1);
    const schemes = enumerateSchemes(m, m1);
    assert.deepEqual(fused.schemes, schemes);
    assert.deepEqual(fused.scores, balanceScores(t.z, m, q, schemes, m1), `m ${m} m1 ${m1}`);
    if (2 * m1 === m) {
      const nSchemes = schemes.length / m;
      for (let r = 0; r < nSchemes; r++) {
        const a = schemeRow(schemes, m, r);
        const b = schemeRow(schemes, m, nSchemes - 1 - r);
        for (let i = 0; i < m; i++) assert.equal(a[i] + b[i], 1);
      }
    }
  }
});

test("the quantile threshold equals R's type-7 quantile from a full sort, with and without ties", () => {
  const rng = createRng(31);
  for (const n of [1, 2, 3, 10, 101, 5000]) {
    for (const ties of [false, true]) {
      const x = Float64Array.from({ length: n }, () => (ties ? Math.floor(rng.uniform() * 7) : rng.normal() ** 2));
      const sorted = Float64Array.from(x).sort();
      for (const p of [0.001, 0.1, 0.25, 0.5, 0.9, 1]) {
        const index = (n - 1) * p;
        const lo = Math.floor(index);
        const hi = Math.ceil(index);
        const h = index - lo;
        const expected = h === 0 || sorted[lo] === sorted[hi] ? sorted[lo] : (1 - h) * sorted[lo] + h * sorted[hi];
        const got = acceptableSchemes(x, { quantile: p });
        assert.equal(got.threshold, expected, `n ${n} ties ${ties} p ${p}`);
        assert.equal(got.acceptable.length, sorted.filter((v) => v <= expected).length);
      }
    }
  }
});

test("the l2 score is Σ w_k (x̄_T − x̄_C)² and the Mahalanobis score dᵀS⁻¹d for one scheme (direct check)", () => {
  const rows = [
    [1, 5],
    [2, 3],
    [4, 4],
    [3, 9],
    [7, 1],
  ];
  const r = constrainedRandomization({ covariates: rows, treated: 2, threshold: { quantile: 1 }, rng: createRng(1) });
  // first scheme: clusters 0 and 1 treated
  const dT = [1.5, 4];
  const dC = [14 / 3, 14 / 3];
  const mean = [17 / 5, 22 / 5];
  const v = [0, 1].map((k) => rows.reduce((s, row) => s + (row[k] - mean[k]) ** 2, 0) / 4);
  const expected = (dT[0] - dC[0]) ** 2 / v[0] + (dT[1] - dC[1]) ** 2 / v[1];
  assert.ok(Math.abs(r.scores[0] - expected) < 1e-12);
  const mh = constrainedRandomization({ covariates: rows, treated: 2, metric: "mahalanobis", threshold: { quantile: 1 }, rng: createRng(1) });
  const c01 = rows.reduce((s, row) => s + (row[0] - mean[0]) * (row[1] - mean[1]), 0) / 4;
  const det = v[0] * v[1] - c01 * c01;
  const d = [dT[0] - dC[0], dT[1] - dC[1]];
  const quad = (d[0] * d[0] * v[1] - 2 * d[0] * d[1] * c01 + d[1] * d[1] * v[0]) / det;
  assert.ok(Math.abs(mh.scores[0] - quad) < 1e-12);
});

test("diagnostics: clusters always/never treated, tight pairs, few acceptable schemes, constant covariates", () => {
  // a fixed threshold at the smallest score with unequal arms leaves one scheme: every π is 0 or 1
  const covariates = randomCovariates(7, 2, 5);
  const all = constrainedRandomization({ covariates, treated: 3, threshold: { quantile: 1 }, rng: createRng(1) });
  const best = Math.min(...all.scores);
  const tight = constrainedRandomization({ covariates, treated: 3, threshold: { value: best }, rng: createRng(1) });
  assert.equal(tight.acceptable.length, 1);
  assert.ok(tight.diagnostics.some((d) => d.code === "deterministic-allocation" && d.severity === "warning"));
  assert.ok(tight.diagnostics.some((d) => d.code === "few-acceptable-schemes"));
  // a tight threshold that keeps clusters 2 and 4 in opposite arms in every acceptable scheme
  const pairs = constrainedRandomization({
    covariates: [[1.2, 30], [0.8, 25], [1.5, 40], [0.9, 22], [1.1, 35], [1.3, 28]],
    treated: 3,
    threshold: { quantile: 0.25 },
    rng: createRng(1),
  });
  assert.ok(pairs.diagnostics.some((d) => d.code === "constrained-pairs" && /cluster 2 & cluster 4 always apart/.test(d.message)));
  // a constant covariate gets weight 0 under l2 and is reported
  const withConst = covariates.map((row) => [...row, 3]);
  const c = constrainedRandomization({ covariates: withConst, treated: 3, rng: createRng(1) });
  assert.equal((c.weights as Float64Array)[2], 0);
  assert.ok(c.diagnostics.some((d) => d.code === "constant-covariate"));
  assert.deepEqual(c.scores, all.scores); // a weight-0 column adds nothing
  // labels name clusters in messages and in the chosen allocation
  const labels = ["a", "b", "c", "d", "e", "f", "g"];
  const lab = constrainedRandomization({ covariates, treated: 3, threshold: { value: best }, clusterLabels: labels, rng: createRng(1) });
  assert.ok(lab.diagnostics.some((d) => /cluster [a-g] /.test(d.message)));
  assert.deepEqual(lab.chosen.labels, lab.chosen.treated.map((i) => labels[i]));
});

test("bad input is an InputError that names the value", () => {
  const ok = randomCovariates(6, 2, 1);
  const rng = createRng(1);
  const withNaN = ok.map((row, i) => (i === 3 ? [row[0], NaN] : row));
  const collinear = ok.map((row) => [row[0], row[1], 2 * row[0] - row[1]]);
  const bad: [() => unknown, RegExp][] = [
    [() => constrainedRandomization({ covariates: withNaN, treated: 3, rng }), /covariate 1 of cluster 3 \(row 3\) is NaN/],
    [() => constrainedRandomization({ covariates: ok, treated: 0, rng }), /treated must be a whole number ≥ 1, got 0/],
    [() => constrainedRandomization({ covariates: ok, treated: 6, rng }), /treated must be between 1 and 5 for 6 clusters, got 6/],
    [() => constrainedRandomization({ covariates: ok, treated: 2.5, rng }), /got 2\.5/],
    [() => constrainedRandomization({ covariates: collinear, treated: 3, metric: "mahalanobis", rng }), /covariate 2 is constant or a linear combination/],
    [() => constrainedRandomization({ covariates: ok, treated: 3, threshold: { value: 1e-12 }, rng }), /accepts none of the 20 schemes \(smallest balance score/],
    [() => constrainedRandomization({ covariates: ok, treated: 3, threshold: { quantile: 0 }, rng }), /threshold.quantile must be in \(0, 1\], got 0/],
    [() => constrainedRandomization({ covariates: ok, treated: 3, weights: [1], rng }), /weights has 1 entries for 2 covariates/],
    [() => constrainedRandomization({ covariates: ok, treated: 3, weights: [1, -2], rng }), /weights\[1\] must be non-negative, got -2/],
    [() => constrainedRandomization({ covariates: ok, treated: 3, metric: "l1" as "l2", rng }), /metric must be "l2" or "mahalanobis", got "l1"/],
    [() => constrainedRandomization({ covariates: [[1, 2], [3]], treated: 1, rng }), /covariates row 1 has 1 entries, expected 2/],
    [() => constrainedRandomization({ covariates: [[1, "x" as unknown as number], [3, 4]], treated: 1, rng }), /covariate 1 of cluster 0 is "x"/],
    [() => constrainedRandomization({ covariates: ok, treated: 3 } as unknown as Parameters<typeof constrainedRandomization>[0]), /rng is required/],
    [() => constrainedRandomization({ covariates: randomCovariates(40, 1, 1), treated: 20, enumerate: true, rng }), /too many to enumerate/],
  ];
  for (const [f, re] of bad) assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message), String(re));
});

test("cluster covariate means refuse missing values, naming the column, the count and the first rows and clusters", () => {
  const data = datasetFromRecord({
    cluster: ["a", "a", "b", "b", "c", "c", "d", "d"],
    X1: [1, 2, 3, 4, 5, 6, 7, 8],
    X2: [1, null, 2, 2, null, 3, 4, null],
  });
  const complete = clusterCovariateMeans(data, "cluster", ["X1"]);
  assert.deepEqual(complete.ids, ["a", "b", "c", "d"]);
  assert.deepEqual(complete.covariates, [[1.5], [3.5], [5.5], [7.5]]);
  assert.throws(
    () => clusterCovariateMeans(data, "cluster", ["X1", "X2"]),
    (e: unknown) => e instanceof InputError && /covariate 'X2' has 3 missing value\(s\) \(rows 2, 5, 8; clusters 'a', 'c', 'd'\)/.test(e.message),
  );
  const many = datasetFromRecord({
    cluster: Array.from({ length: 14 }, (_, i) => `k${i >> 1}`),
    X: Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? null : i)),
  });
  assert.throws(
    () => clusterCovariateMeans(many, "cluster", ["X"]),
    (e: unknown) => e instanceof InputError && /7 missing value\(s\) \(rows 1, 3, 5, 7, 9 and 2 more; clusters 'k0', 'k1', 'k2', 'k3', 'k4' and 2 more\)/.test(e.message),
  );
});
