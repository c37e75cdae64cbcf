import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { icc, iccFromData, oneWayAnova } from "../../src/design/index.ts";

interface Components {
  varianceBetween: number;
  varianceWithin: number;
  icc: number;
}
interface IccCase {
  name: string;
  cluster: number[];
  y: number[];
  anova: Components & { msb: number; msw: number; n0: number };
  reml: Components;
  ml?: Components;
  latent?: Components;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/icc.json", import.meta.url), "utf8")) as { cases: IccCase[] };
const byName = (name: string): IccCase => fixture.cases.find((c) => c.name === name)!;

/** An intercept-only frame of y within clusters (rows contiguous by cluster). */
function frameOf(y: readonly number[], cluster: readonly (number | string)[], column = "cluster"): ModelFrame {
  const n = y.length;
  const ids: string[] = [];
  const starts: number[] = [];
  cluster.forEach((g, i) => {
    if (i === 0 || g !== cluster[i - 1]) {
      ids.push(String(g));
      starts.push(i);
    }
  });
  starts.push(n);
  return {
    formula: "Y ~ 1",
    response: "Y",
    y: Float64Array.from(y),
    X: { rows: n, cols: 1, data: new Float64Array(n).fill(1) },
    columnNames: ["(Intercept)"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column, ids, starts: Int32Array.from(starts) },
    randomTerms: [],
    diagnostics: [],
  };
}

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * (1 + Math.abs(expected)), `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

test("the cluster-designs chapter, Table 25.1: between 4.5, within 1.5, ICC 0.75 (the ML estimates); ANOVA gives 5.25, 1.5, 0.778", () => {
  // Eight clusters of two (Y on a 0-10 metric), as printed in the chapter.
  const y = [5, 6, 3, 2, 7, 9, 2, 2, 3, 5, 6, 9, 4, 2, 8, 7];
  const cluster = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8];
  const frame = frameOf(y, cluster);
  const ml = icc(frame, { method: "ml" });
  // The book's values are exact here; the 1-D optimisation reaches them to ~1e-9.
  near(ml.varianceBetween, 4.5, 1e-8, "between");
  near(ml.varianceWithin, 1.5, 1e-8, "within");
  near(ml.icc, 0.75, 1e-8, "ICC");
  assert.equal(ml.nClusters, 8);
  assert.equal(ml.meanClusterSize, 2);
  // The ANOVA (method-of-moments) estimator: MSB = 12, MSW = 1.5, n0 = 2 (closed form).
  const anova = icc(frame);
  assert.equal(anova.method, "anova");
  near(anova.varianceBetween, 5.25, 1e-12, "ANOVA between");
  near(anova.varianceWithin, 1.5, 1e-12, "ANOVA within");
  near(anova.icc, 0.7777777777777778, 1e-12, "ANOVA ICC");
  assert.equal(anova.n0, 2);
  // REML equals ANOVA for balanced data with a positive estimate.
  near(icc(frame, { method: "reml" }).varianceBetween, 5.25, 1e-8, "REML between");
});

// Tolerances: the ANOVA estimator is a closed form (1e-10 against R's aov); REML/ML
// variance components depend on lmer's optimizer stopping point (1e-4, observed
// ~1e-7); the latent-scale ICC comes from glmer run to convergence (1e-5).
for (const c of fixture.cases) {
  test(`icc matches R on case ${c.name} (${new Set(c.cluster).size} clusters, ${c.y.length} rows)`, () => {
    const frame = frameOf(c.y, c.cluster);
    const anova = icc(frame, { method: "anova", truncate: false });
    near(anova.varianceBetween, c.anova.varianceBetween, 1e-10, "ANOVA between");
    near(anova.varianceWithin, c.anova.varianceWithin, 1e-10, "ANOVA within");
    near(anova.icc, c.anova.icc, 1e-10, "ANOVA ICC");
    near(anova.n0!, c.anova.n0, 1e-12, "n0");
    const a = oneWayAnova(frame.y, frame.clusters!.starts);
    near(a.msb, c.anova.msb, 1e-10, "MSB");
    near(a.msw, c.anova.msw, 1e-10, "MSW");
    for (const method of ["reml", "ml"] as const) {
      const ref = c[method];
      if (!ref) continue;
      const r = icc(frame, { method });
      near(r.varianceBetween, ref.varianceBetween, 1e-4, `${method} between`);
      near(r.varianceWithin, ref.varianceWithin, 1e-4, `${method} within`);
      near(r.icc, ref.icc, 1e-4, `${method} ICC`);
    }
    if (c.latent) {
      const r = icc(frame, { binaryScale: "latent" });
      assert.equal(r.method, "latent");
      near(r.varianceBetween, c.latent.varianceBetween, 1e-5, "latent between");
      near(r.varianceWithin, Math.PI ** 2 / 3, 1e-15, "latent within");
      near(r.icc, c.latent.icc, 1e-5, "latent ICC");
    }
  });
}

test("a negative ANOVA estimate is truncated at 0 and said; REML gives a boundary fit", () => {
  const c = byName("negative");
  const frame = frameOf(c.y, c.cluster);
  const r = icc(frame);
  assert.ok(c.anova.varianceBetween < 0);
  assert.equal(r.varianceBetween, 0);
  assert.equal(r.icc, 0);
  const d = r.diagnostics.find((x) => x.code === "negative-variance-truncated");
  assert.ok(d && d.severity === "warning" && d.message.includes(c.anova.varianceBetween.toPrecision(4)), JSON.stringify(r.diagnostics));
  const reml = icc(frame, { method: "reml" });
  assert.equal(reml.varianceBetween, 0);
  assert.ok(reml.diagnostics.some((x) => x.code === "boundary-fit"));
});

test("iccFromData drops rows with a missing outcome and groups non-contiguous clusters", () => {
  const c = byName("unbalanced");
  // Shuffle the rows deterministically and blank out three outcomes.
  const order = c.y.map((_, i) => i).sort((i, j) => ((i * 7919) % 311) - ((j * 7919) % 311));
  const y = order.map((i) => c.y[i] as number | null);
  const school = order.map((i) => `s${c.cluster[i]}`);
  const blanks = [3, 50, 100];
  for (const b of blanks) y[b] = null;
  const data = datasetFromRecord({ school, "Y score": y });
  const r = iccFromData(data, { outcome: "Y score", cluster: "school" });
  assert.equal(r.nDropped, 3);
  assert.equal(r.nObs, c.y.length - 3);
  // Same estimate as the contiguous frame without those rows.
  const keep = order.filter((_, k) => !blanks.includes(k)).sort((i, j) => i - j);
  const direct = icc(frameOf(keep.map((i) => c.y[i]), keep.map((i) => c.cluster[i])));
  near(r.icc, direct.icc, 1e-12, "ICC");
  near(r.varianceBetween, direct.varianceBetween, 1e-12, "between");
});

test("icc refuses one cluster, all-distinct clusters, a constant outcome, covariates for ANOVA and a non-binary latent outcome", () => {
  const y = [1, 2, 3, 4, 5, 6];
  assert.throws(() => icc(frameOf(y, [1, 1, 1, 1, 1, 1], "ward")), (e: unknown) => e instanceof InputError && /'ward' has only one cluster \('1'\)/.test(e.message));
  assert.throws(() => icc(frameOf(y, [1, 2, 3, 4, 5, 6], "patient")), (e: unknown) => e instanceof InputError && /'patient' has a different value on every one of the 6 rows/.test(e.message));
  assert.throws(() => icc(frameOf([2, 2, 2, 2], [1, 1, 2, 2])), (e: unknown) => e instanceof InputError && /constant \(every value is 2\)/.test(e.message));
  const withCovariate: ModelFrame = { ...frameOf(y, [1, 1, 2, 2, 3, 3]), X: { rows: 6, cols: 2, data: Float64Array.from([1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1]) }, columnNames: ["(Intercept)", "A"] };
  assert.throws(() => icc(withCovariate), (e: unknown) => e instanceof InputError && /no covariates/.test(e.message));
  assert.throws(() => icc(frameOf(y, [1, 1, 2, 2, 3, 3]), { binaryScale: "latent" }), (e: unknown) => e instanceof InputError && /0\/1/.test(e.message));
  assert.throws(() => icc(frameOf(y, [1, 1, 2, 2, 3, 3]), { method: "gee" as "ml" }), InputError);
});
