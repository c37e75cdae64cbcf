import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { mediation } from "../../src/estimands/mediation.ts";
import { near } from "../helpers/frame.ts";

/** lme4/lmerTest fits written by fixtures/r/mediation.R. */
interface Coef {
  estimate: number;
  stdError: number;
  df: number;
}
interface MediationCase {
  name: string;
  data: Record<string, number>[];
  a: Coef;
  b: Coef;
  bWithin: Coef;
  direct: Coef;
  total: Coef;
  mediatorIcc: number;
  monteCarlo: [number, number];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/mediation.json", import.meta.url), "utf8")) as { cases: MediationCase[] };

function toDataset(rows: Record<string, number>[]): Dataset {
  return datasetFromRecord(Object.fromEntries(Object.keys(rows[0]).map((k) => [k, rows.map((r) => r[k])])));
}
const ROLES = { cluster: "cluster", treatment: "A", mediator: "M", outcome: "Y", covariates: ["X1"] };

for (const c of fixture.cases) {
  test(`2-1-1 mediation matches lme4/lmerTest on ${c.name}`, () => {
    const r = mediation(toDataset(c.data), { ...ROLES, seed: 1, bootstrap: 0 });
    for (const key of ["a", "b", "bWithin", "direct", "total"] as const) {
      // Fixed effects and SEs are closed forms given θ (1e-6); df agree as in the LMM df tests (1e-4 relative).
      near(r[key].estimate, c[key].estimate, 1e-6, `${key} estimate`);
      near(r[key].stdError, c[key].stdError, 1e-6, `${key} stdError`);
      assert.ok(Math.abs(r[key].df! - c[key].df) <= 1e-4 * c[key].df, `${key} df ${r[key].df} vs ${c[key].df}`);
    }
    near(r.indirect.estimate, c.a.estimate * c.b.estimate, 1e-6, "indirect");
    const n = r.nObs / r.nClusters;
    near(r.clusterMeanReliability, (n * c.mediatorIcc) / (1 + (n - 1) * c.mediatorIcc), 1e-6, "reliability");
  });
}

test("the Monte Carlo interval of a·b agrees with R's 4-million-draw percentiles within Monte Carlo error", () => {
  const c = fixture.cases[0];
  const data = toDataset(c.data);
  // The spread of our 20,000-draw limits over independent seeds measures their Monte Carlo error.
  const lows: number[] = [];
  const highs: number[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const r = mediation(data, { ...ROLES, seed, bootstrap: 0 });
    lows.push(r.indirect.confLow);
    highs.push(r.indirect.confHigh);
  }
  const check = (values: number[], ref: number, what: string): void => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    assert.ok(Math.abs(mean - ref) < 4 * (sd / Math.sqrt(values.length)) + 1e-3 * sd, `${what}: mean ${mean} vs ${ref} (sd ${sd})`);
  };
  check(lows, c.monteCarlo[0], "lower limit");
  check(highs, c.monteCarlo[1], "upper limit");
});

test("the cluster bootstrap is reproducible and brackets the estimate", () => {
  const data = toDataset(fixture.cases[0].data);
  const a = mediation(data, { ...ROLES, seed: 5, bootstrap: 200 });
  const b = mediation(data, { ...ROLES, seed: 5, bootstrap: 200 });
  assert.deepEqual(a, b);
  assert.equal(a.indirectBootstrap.replicates, 200);
  assert.ok(a.indirectBootstrap.confLow < a.indirect.estimate && a.indirect.estimate < a.indirectBootstrap.confHigh);
});

test("mediation refuses a cluster-level mediator and asks for a seed", () => {
  const rows = fixture.cases[0].data.map((r) => ({ ...r }));
  const means = new Map<number, number>();
  for (const r of rows) means.set(r.cluster, r.A + r.cluster / 10);
  for (const r of rows) r.M = means.get(r.cluster)!;
  assert.throws(() => mediation(toDataset(rows), { ...ROLES, seed: 1 }), /constant within every cluster/);
  assert.throws(() => mediation(toDataset(fixture.cases[0].data), { ...ROLES }), InputError);
});
