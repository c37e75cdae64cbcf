import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { constrainedRandomization } from "../../src/design/randomize.ts";
import { enumerateStratifiedSchemes, sampleStratifiedSchemes, strataDesign, stratifiedTotal } from "../../src/design/stratified-schemes.ts";
import { createRng } from "../../src/random/index.ts";

test("stratified schemes: every allocation once, half of each stratum treated", () => {
  const strata = Int32Array.of(0, 0, 0, 0, 1, 1, 2, 2, 2);
  const design = strataDesign(strata);
  assert.equal(stratifiedTotal(design), 6 * 2 * 3);
  const m = strata.length;
  const schemes = enumerateStratifiedSchemes(design, m);
  const seen = new Set<string>();
  for (let r = 0; r < schemes.length / m; r++) {
    const row = schemes.subarray(r * m, (r + 1) * m);
    seen.add(row.join(""));
    const perStratum = [0, 0, 0];
    row.forEach((v, i) => (perStratum[strata[i]] += v));
    assert.deepEqual(perStratum, [2, 1, 1]);
  }
  assert.equal(seen.size, 36);
  const sampled = sampleStratifiedSchemes(design, m, 36, createRng(4));
  const sampledSet = new Set<string>();
  for (let r = 0; r < 36; r++) sampledSet.add(sampled.subarray(r * m, (r + 1) * m).join(""));
  assert.deepEqual([...sampledSet].sort(), [...seen].sort());
});

test("matched pairs: π = 1/2 for every cluster when every scheme is acceptable; a stratum of one is refused", () => {
  const strata = Int32Array.of(0, 0, 1, 1, 2, 2);
  const covariates = [[1], [2], [3], [4], [5], [7]];
  const r = constrainedRandomization({ covariates, strata, threshold: { quantile: 1 }, rng: createRng(1) });
  assert.equal(r.totalSchemes, 8);
  assert.equal(r.nTreated, 3);
  for (const p of r.probabilities) assert.equal(p, 0.5);
  assert.ok(!r.diagnostics.some((d) => d.code === "constrained-pairs"), "pairs are apart by design, not a warning");
  assert.throws(() => constrainedRandomization({ covariates, strata: Int32Array.of(0, 0, 1, 1, 2, 3), rng: createRng(1) }), InputError);
  assert.throws(() => constrainedRandomization({ covariates, strata, treated: 2, rng: createRng(1) }), /with strata/);
});
