import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { designEffect, designEffectValue, effectiveSampleSize } from "../../src/design/effect.ts";
import { power, powerFromNoncentrality, type OutcomeSpec } from "../../src/design/power.ts";
import { clusterSizeFor, sampleSize } from "../../src/design/samplesize.ts";

// Reference values from fixtures/r/design.R (closed forms written independently in R).
interface Fixture {
  book: Record<string, { clusterSize: number; unadjustedPerArm: number; individualsPerArm: number }>;
  sampleSize: { input: Record<string, unknown> & { outcome: OutcomeSpec }; expected: Record<string, number | null> }[];
  clusterSize: { input: Record<string, unknown> & { outcome: OutcomeSpec }; expected: Record<string, number | boolean | null> }[];
  power: { input: Record<string, unknown> & { outcome: OutcomeSpec }; expected: Record<string, number | null> }[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/design.json", import.meta.url), "utf8")) as Fixture;

// Closed forms: 1e-10 relative (R and @stdlib quantiles agree to ~1e-15; the
// fixture stores 15 significant digits).
const TOL = 1e-10;
function close(actual: number | null, expected: number | null, what: string, tol = TOL): void {
  if (expected === null) {
    assert.equal(actual, null, what);
    return;
  }
  assert.ok(actual !== null, `${what}: got null, expected ${expected}`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs R ${expected}`);
}

const cont = { type: "continuous", delta: 0.5, sd: 1 } as const;

test("book example (the cluster-designs chapter): ≈ 91 per arm comes from cluster size 10, not the 20 its text states", () => {
  // The worked example says "cluster size 20 ... m ≈ 91", but 91 follows from
  // cluster size 10, which is what the chapter's appendix code uses.
  const n10 = sampleSize({ outcome: cont, clusterSize: 10, icc: 0.05 });
  close(n10.individualsPerArm, fixture.book.continuous10.individualsPerArm, "n = 10");
  close(n10.unadjustedPerArm, fixture.book.continuous10.unadjustedPerArm, "unadjusted");
  assert.equal(Math.round(n10.individualsPerArm), 91);
  assert.equal(n10.designEffect, 1.45);
  assert.equal(n10.clustersPerArm, 10);
  const n20 = sampleSize({ outcome: cont, clusterSize: 20, icc: 0.05 });
  close(n20.individualsPerArm, fixture.book.continuous20.individualsPerArm, "n = 20");
  assert.equal(Math.round(n20.individualsPerArm), 122); // not 91
  assert.equal(n20.clustersPerArm, 7);
  const bin = sampleSize({ outcome: { type: "binary", p1: 0.3, p2: 0.2 }, clusterSize: 10, icc: 0.05 });
  close(bin.individualsPerArm, fixture.book.binary10.individualsPerArm, "binary n = 10");
  close(bin.unadjustedPerArm, fixture.book.binary10.unadjustedPerArm, "binary unadjusted");
});

test("sample size per arm matches R over the grid (continuous and binary, n, ρ, cv, α, power, t correction)", () => {
  assert.ok(fixture.sampleSize.length >= 200);
  for (const [i, c] of fixture.sampleSize.entries()) {
    const r = sampleSize(c.input as unknown as Parameters<typeof sampleSize>[0]);
    const e = c.expected;
    const what = `case ${i} ${JSON.stringify(c.input)}`;
    close(r.individualsPerArm, e.individualsPerArm, `${what} individualsPerArm`);
    close(r.unadjustedPerArm, e.unadjustedPerArm, `${what} unadjustedPerArm`);
    close(r.designEffect, e.designEffect, `${what} designEffect`);
    close(r.achievedPower, e.achievedPower, `${what} achievedPower`);
    assert.equal(r.clustersPerArm, e.clustersPerArm, `${what} clustersPerArm`);
    assert.equal(r.df, e.df, `${what} df`);
    assert.ok(r.achievedPower >= (c.input.power as number) - 1e-12, `${what}: achieved power below target`);
    assert.ok(Object.isFrozen(r));
  }
});

test("cluster size for a given number of clusters matches R, including infeasible designs", () => {
  let infeasible = 0;
  for (const [i, c] of fixture.clusterSize.entries()) {
    const r = clusterSizeFor(c.input as unknown as Parameters<typeof clusterSizeFor>[0]);
    const e = c.expected;
    const what = `case ${i} ${JSON.stringify(c.input)}`;
    assert.equal(r.feasible, e.feasible, `${what} feasible`);
    close(r.unadjustedPerArm, e.unadjustedPerArm as number, `${what} unadjusted`);
    close(r.maximumPower, e.maximumPower as number, `${what} maximumPower`);
    assert.equal(r.minimumClustersPerArm, e.minimumClustersPerArm, `${what} minimumClustersPerArm`);
    assert.equal(r.df, e.df, `${what} df`);
    close(r.clusterSize, e.clusterSize as number | null, `${what} clusterSize`);
    assert.equal(r.clusterSizeRounded, e.clusterSizeRounded, `${what} clusterSizeRounded`);
    close(r.designEffect, e.designEffect as number | null, `${what} designEffect`);
    close(r.achievedPower, e.achievedPower as number | null, `${what} achievedPower`);
    if (!r.feasible) {
      infeasible++;
      assert.ok(r.diagnostics.some((d) => d.code === "infeasible" && d.severity === "error"));
    }
  }
  assert.ok(infeasible > 5, "the grid includes infeasible designs");
});

test("power of a given design matches R (normal and t reference)", () => {
  for (const [i, c] of fixture.power.entries()) {
    const r = power(c.input as unknown as Parameters<typeof power>[0]);
    const e = c.expected;
    const what = `case ${i} ${JSON.stringify(c.input)}`;
    for (const key of ["designEffect", "standardError", "noncentrality", "criticalValue", "power", "powerTwoSided"] as const) {
      close(r[key], e[key] as number, `${what} ${key}`);
    }
    assert.equal(r.df, e.df, `${what} df`);
  }
});

test("infeasibility bound: k clusters per arm suffice for some cluster size iff k > (z₁₋α/₂ + z₁₋β)²·V·(1 + cv²)·ρ/Δ²", () => {
  for (const [icc, cv] of [
    [0.05, 0],
    [0.1, 0.5],
    [0.2, 0.3],
  ]) {
    const base = { outcome: cont, icc, cv };
    const bound = clusterSizeFor({ ...base, clustersPerArm: 50 }).unadjustedPerArm * (1 + cv * cv) * icc;
    const kMin = Math.floor(bound) + 1;
    const below = clusterSizeFor({ ...base, clustersPerArm: kMin - 1 });
    const above = clusterSizeFor({ ...base, clustersPerArm: kMin });
    assert.equal(below.feasible, false);
    assert.ok(below.maximumPower < 0.8, `max power ${below.maximumPower} with ${kMin - 1} clusters`);
    assert.equal(above.feasible, true);
    assert.ok(above.maximumPower > 0.8);
    assert.equal(above.minimumClustersPerArm, kMin);
    assert.equal(below.minimumClustersPerArm, kMin);
    // cluster size grows without bound as k approaches the bound from above
    const nearBound = (above.unadjustedPerArm * (1 - icc)) / (kMin - bound);
    close(above.clusterSize, nearBound, "n at kMin");
    // and the required size really reaches the target: the sample-size formula at that n gives k back
    const back = sampleSize({ ...base, clusterSize: above.clusterSize as number });
    close(back.individualsPerArm / (above.clusterSize as number), kMin, "round trip k");
  }
});

test("power inverts the sample-size formula: power at the unrounded sample size equals the target", () => {
  for (const target of [0.8, 0.9, 0.95]) {
    for (const outcome of [cont, { type: "binary", p1: 0.12, p2: 0.2 } as const]) {
      const s = sampleSize({ outcome, clusterSize: 15, icc: 0.03, cv: 0.4, alpha: 0.05, power: target });
      const se = Math.sqrt(((outcome.type === "continuous" ? 2 : 0.12 * 0.88 + 0.2 * 0.8) * s.designEffect) / s.individualsPerArm);
      const delta = outcome.type === "continuous" ? 0.5 : 0.08;
      close(powerFromNoncentrality(delta / se, 0.05, null), target, `target ${target}`);
      const p = power({ outcome, clusterSize: 15, clustersPerArm: s.clustersPerArm, icc: 0.03, cv: 0.4 });
      close(p.power, s.achievedPower, "power() at the rounded design");
    }
  }
});

test("small-sample correction: k is the smallest whole number satisfying its own t requirement", () => {
  for (const icc of [0.01, 0.05, 0.2]) {
    for (const n of [5, 30]) {
      const r = sampleSize({ outcome: cont, clusterSize: n, icc, smallSample: true });
      const k = r.clustersPerArm;
      assert.equal(r.df, 2 * (k - 1));
      assert.ok(Math.ceil(r.individualsPerArm / n - 1e-12) <= k);
      // one cluster fewer fails: power with k − 1 clusters and df = 2(k − 2) is below target
      if (k > 2) {
        const p = power({ outcome: cont, clusterSize: n, clustersPerArm: k - 1, icc, smallSample: true });
        assert.ok(p.power < 0.8, `k − 1 = ${k - 1} clusters give power ${p.power}`);
      }
      const normal = sampleSize({ outcome: cont, clusterSize: n, icc });
      assert.ok(k >= normal.clustersPerArm);
      assert.ok(r.achievedPower >= 0.8);
    }
  }
});

test("design effects: equal and unequal cluster sizes, DEFT, effective sample size", () => {
  const d = designEffect({ clusterSize: 10, icc: 0.05 });
  assert.equal(d.deff, 1.45);
  close(d.deft, Math.sqrt(1.45), "deft");
  close(designEffect({ clusterSize: 10, icc: 0.05, cv: 0.5 }).deff, 1 + (1.25 * 10 - 1) * 0.05, "Eldridge cv");
  assert.equal(designEffectValue(1, 0.3), 1);
  assert.equal(designEffectValue(25, 0), 1);
  const e = effectiveSampleSize({ individuals: 200, clusterSize: 20, icc: 0.05 });
  close(e.effectiveSampleSize, 200 / 1.95, "effective n");
  assert.ok(Object.isFrozen(e));
});

test("bad input is an InputError that names the value", () => {
  const bad: [() => unknown, RegExp][] = [
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: 1 }), /icc must be in \[0, 1\), got 1/],
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: -0.1 }), /icc .* got -0\.1/],
    [() => sampleSize({ outcome: { type: "continuous", delta: 0, sd: 1 }, clusterSize: 10, icc: 0.1 }), /delta must be non-zero/],
    [() => sampleSize({ outcome: { type: "continuous", delta: 1, sd: 0 }, clusterSize: 10, icc: 0.1 }), /sd must be positive, got 0/],
    [() => sampleSize({ outcome: { type: "binary", p1: 0, p2: 0.2 }, clusterSize: 10, icc: 0.1 }), /p1 must be in \(0, 1\), got 0/],
    [() => sampleSize({ outcome: { type: "binary", p1: 0.3, p2: 1 }, clusterSize: 10, icc: 0.1 }), /p2 must be in \(0, 1\), got 1/],
    [() => sampleSize({ outcome: { type: "binary", p1: 0.3, p2: 0.3 }, clusterSize: 10, icc: 0.1 }), /p1 and p2 must differ/],
    [() => sampleSize({ outcome: cont, clusterSize: 0.5, icc: 0.1 }), /clusterSize must be at least 1, got 0\.5/],
    [() => sampleSize({ outcome: cont, clusterSize: NaN, icc: 0.1 }), /clusterSize must be a finite number, got NaN/],
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: 0.1, alpha: 1.2 }), /alpha must be in \(0, 1\), got 1\.2/],
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: 0.1, power: 1 }), /power must be in \(0, 1\), got 1/],
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: 0.1, power: 0.01 }), /power must exceed alpha\/2/],
    [() => sampleSize({ outcome: cont, clusterSize: 10, icc: 0.1, cv: -1 }), /cv must be non-negative, got -1/],
    [() => sampleSize({ outcome: { type: "ordinal" } as unknown as OutcomeSpec, clusterSize: 10, icc: 0.1 }), /outcome.type/],
    [() => clusterSizeFor({ outcome: cont, clustersPerArm: 2.5, icc: 0.1 }), /clustersPerArm must be a whole number ≥ 1, got 2\.5/],
    [() => clusterSizeFor({ outcome: cont, clustersPerArm: 1, icc: 0.1, smallSample: true }), /clustersPerArm must be a whole number ≥ 2, got 1/],
    [() => power({ outcome: cont, clusterSize: 10, clustersPerArm: 0, icc: 0.1 }), /clustersPerArm .* got 0/],
    [() => designEffect({ clusterSize: 0, icc: 0.1 }), /clusterSize must be at least 1, got 0/],
  ];
  for (const [f, re] of bad) assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message), String(re));
});

test("diagnostics: few clusters without the t correction; unequal sizes are reported", () => {
  const r = sampleSize({ outcome: { type: "continuous", delta: 1, sd: 1 }, clusterSize: 20, icc: 0.05 });
  assert.ok(r.clustersPerArm < 10);
  assert.ok(r.diagnostics.some((d) => d.code === "few-clusters" && d.severity === "warning"));
  const t = sampleSize({ outcome: { type: "continuous", delta: 1, sd: 1 }, clusterSize: 20, icc: 0.05, smallSample: true });
  assert.ok(t.diagnostics.some((d) => d.code === "small-sample-correction"));
  assert.ok(!t.diagnostics.some((d) => d.code === "few-clusters"));
  const u = sampleSize({ outcome: cont, clusterSize: 20, icc: 0.05, cv: 0.6 });
  assert.ok(u.diagnostics.some((d) => d.code === "unequal-cluster-sizes"));
});
