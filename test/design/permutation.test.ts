import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { countAllocations, drawAllocations, enumerateAllocations, permutationPValue } from "../../src/design/permutation.ts";
import { permutationTest } from "../../src/design/permutation-test.ts";
import { createRng } from "../../src/random/rng.ts";
import { near } from "../helpers/frame.ts";

/** Full-enumeration references written by fixtures/r/permutation.R. */
interface PermutationCase {
  name: string;
  data: Record<string, number | string>[];
  formula: string;
  strata?: string;
  pairs?: string;
  reference: { estimate: number; statistic: number; pValue: number; nAllocations: number; confLow: number; confHigh: number };
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/permutation.json", import.meta.url), "utf8")) as { cases: PermutationCase[] };

function toDataset(rows: Record<string, number | string>[]): Dataset {
  const names = Object.keys(rows[0]);
  return datasetFromRecord(Object.fromEntries(names.map((k) => [k, rows.map((r) => r[k])])));
}

for (const c of fixture.cases) {
  test(`permutation test matches full enumeration in R: ${c.name}`, () => {
    const r = permutationTest(toDataset(c.data), {
      cluster: "cluster",
      treatment: "A",
      outcome: "Y",
      formula: c.formula,
      strata: c.strata,
      pairs: c.pairs,
    });
    const ref = c.reference;
    assert.equal(r.exact, true);
    assert.equal(r.allocations, "enumerate");
    assert.equal(r.nAllocations, ref.nAllocations);
    near(r.pValue, ref.pValue, 1e-12, "p-value");
    near(r.estimate, ref.estimate, 1e-10, "estimate");
    near(r.statistic, ref.statistic, 1e-10, "statistic");
    // The interval ends are critical values; bisection finds them to ~1e-12.
    near(r.confLow, ref.confLow, 1e-9, "confLow");
    near(r.confHigh, ref.confHigh, 1e-9, "confHigh");
  });
}

test("drawn allocations approximate the exact p-value within Monte Carlo error, reproducibly", () => {
  const c = fixture.cases[1];
  const data = toDataset(c.data);
  const options = { cluster: "cluster", treatment: "A", outcome: "Y", formula: c.formula, allocations: "draws" as const, draws: 20000, seed: 11 };
  const a = permutationTest(data, options);
  const b = permutationTest(data, options);
  assert.deepEqual(a, b);
  assert.equal(a.exact, false);
  const p = c.reference.pValue;
  const mcse = Math.sqrt((p * (1 - p)) / 20000);
  assert.ok(Math.abs(a.pValue - p) < 4.5 * mcse, `${a.pValue} vs exact ${p} (MCSE ${mcse})`);
});

test("draws are uniform over the allocations of each stratum", () => {
  // Six clusters in two strata of three, one treated each: 9 allocations with distinct sums.
  const level = {
    yMeans: Float64Array.of(1, 2, 4, 8, 16, 32),
    aMeans: new Float64Array(6),
    treated: Uint8Array.of(1, 0, 0, 1, 0, 0),
    strata: Int32Array.of(0, 0, 0, 1, 1, 1),
  };
  assert.equal(countAllocations(level), 9);
  const exact = enumerateAllocations(level);
  const drawn = drawAllocations(level, 90000, createRng(3));
  const counts = new Map<number, number>();
  for (const u of drawn.u) counts.set(u, (counts.get(u) ?? 0) + 1);
  assert.equal(counts.size, 9);
  let chi2 = 0;
  for (const u of exact.u) chi2 += ((counts.get(u) ?? 0) - 10000) ** 2 / 10000;
  assert.ok(chi2 < 26.1, `chi-square ${chi2} on 8 df (p < 0.001 beyond 26.1)`);
  assert.equal(permutationPValue(exact, 0) > 0, true);
});

test("permutation test refuses unequal pairs, treatment in the covariate model, and infeasible enumeration", () => {
  const pairs = fixture.cases[3];
  const rows = pairs.data.map((r) => ({ ...r }));
  for (const r of rows) if (r.pair === "p01") r.A = 1;
  assert.throws(() => permutationTest(toDataset(rows), { cluster: "cluster", treatment: "A", outcome: "Y", pairs: "pair" }), /pair 'p01'.*one treated and one control/);
  const c = fixture.cases[0];
  assert.throws(() => permutationTest(toDataset(c.data), { cluster: "cluster", treatment: "A", outcome: "Y", formula: "Y ~ A + X1" }), InputError);
  // 60 clusters, 30 treated: C(60, 30) ≈ 1.2e17 allocations.
  const n = 60;
  const big = datasetFromRecord({
    cluster: Array.from({ length: 2 * n }, (_, i) => i >> 1),
    A: Array.from({ length: 2 * n }, (_, i) => ((i >> 1) % 2)),
    Y: Array.from({ length: 2 * n }, (_, i) => Math.sin(i)),
  });
  assert.throws(() => permutationTest(big, { cluster: "cluster", treatment: "A", outcome: "Y", allocations: "enumerate" }), /more than can be enumerated/);
  assert.throws(() => permutationTest(big, { cluster: "cluster", treatment: "A", outcome: "Y" }), /need a seed/);
  const auto = permutationTest(big, { cluster: "cluster", treatment: "A", outcome: "Y", seed: 1, draws: 2000 });
  assert.equal(auto.allocations, "draws");
});
