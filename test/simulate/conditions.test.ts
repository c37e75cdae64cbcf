import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import {
  conditionStreamId,
  expandConditions,
  hashString,
  methodStreamId,
  parseParameterOptions,
  parseShard,
  resolveMethods,
} from "../../src/simulate/conditions.ts";
import { getScenario, listScenarios, registerScenario } from "../../src/simulate/registry.ts";
import { toyScenario } from "../../src/simulate/scenarios/toy.ts";
import type { Scenario } from "../../src/simulate/types.ts";

test("the registry knows the built-in scenarios and refuses unknown names and clashes", () => {
  assert.equal(getScenario("toy"), toyScenario);
  assert.ok(listScenarios().some((s) => s.name === "toy"));
  assert.throws(() => getScenario("nope"), (e: Error) => e instanceof InputError && /unknown scenario 'nope'.*toy/.test(e.message));
  registerScenario(toyScenario); // the same object again: a no-op
  assert.throws(() => registerScenario({ ...toyScenario }), /already registered/);
  assert.throws(() => registerScenario({ ...toyScenario, name: "bad/name" }), /must be letters/);
});

test("the default grid expands in the order of the scenario's parameters, with keys, stream ids and truths", () => {
  const { conditions, gridParameters } = expandConditions(toyScenario);
  assert.deepEqual(gridParameters, ["clusters", "effect"]);
  assert.deepEqual(
    conditions.map((c) => c.key),
    ["clusters=10_effect=0", "clusters=10_effect=0.5", "clusters=20_effect=0", "clusters=20_effect=0.5"],
  );
  assert.deepEqual(conditions[1].truth, { ate: 0.5, controlMean: 0 });
  assert.equal(conditions[1].parameters.clusterSize, 10);
  assert.equal(new Set(conditions.map((c) => c.streamId)).size, 4);
  // The stream id depends on the parameter set only, not on key order.
  assert.equal(conditionStreamId({ a: 1, b: "x" }), conditionStreamId({ b: "x", a: 1 }));
  assert.notEqual(hashString("toy"), hashString("toy2"));
  assert.notEqual(methodStreamId({ method: "mi", imputationModel: "M ~ X" }), methodStreamId({ method: "mi", imputationModel: "M ~ X*A" }));
});

test("fixed parameters take a dimension out of the grid but keep it in the key (same directory and streams)", () => {
  const all = expandConditions(toyScenario).conditions;
  const fixed = expandConditions(toyScenario, { clusters: 20 }, { effect: [0.5] }).conditions;
  assert.equal(fixed.length, 1);
  assert.equal(fixed[0].key, "clusters=20_effect=0.5");
  assert.equal(fixed[0].streamId, all[3].streamId);
  const added = expandConditions(toyScenario, { effect: 0 }, { icc: [0, 0.05] }).conditions;
  assert.deepEqual(
    added.map((c) => c.key),
    // In the order of the scenario's parameters (icc comes before effect), the first outermost.
    ["clusters=10_icc=0_effect=0", "clusters=10_icc=0.05_effect=0", "clusters=20_icc=0_effect=0", "clusters=20_icc=0.05_effect=0"],
  );
});

test("bad parameters are refused with the parameter and value named", () => {
  assert.throws(() => expandConditions(toyScenario, { clustres: 5 }), /no parameter 'clustres'.*clusters/);
  assert.throws(() => expandConditions(toyScenario, { clusters: "many" }), /'clusters'.*finite number.*"many"/);
  assert.throws(() => expandConditions(toyScenario, { clusters: 3 }), /'clusters' must be an integer ≥ 4; got 3/);
  assert.throws(() => expandConditions(toyScenario, { icc: 1 }), /'icc' must be in \[0, 1\); got 1/);
  assert.throws(() => expandConditions(toyScenario, { effect: 0 }, { effect: [1] }), /both as a fixed value and as a grid/);
  assert.throws(() => expandConditions(toyScenario, {}, { effect: [0, 0] }), /appears more than once/);
  const noTruth: Scenario = { ...toyScenario, name: "t", truth: () => ({ ate: NaN, controlMean: 0 }) } as Scenario;
  assert.throws(() => expandConditions(noTruth), /true value of estimand 'ate' is NaN/);
});

const withImputation: Scenario = {
  ...(toyScenario as Scenario),
  name: "imp",
  methods: [{ name: "cca" }, { name: "mi", usesImputationModel: true }],
  defaultImputationModels: ["M ~ X + A + Y"],
};

test("methods expand over imputation models; unknown or repeated methods are refused", () => {
  assert.deepEqual(resolveMethods(toyScenario).map((s) => s.method), ["cluster-t", "individual-t", "cluster-bootstrap"]);
  assert.deepEqual(resolveMethods(withImputation, ["cca", "mi"], ["M ~ X + A + Y", " M ~ X*A*Y "]), [
    { method: "cca", imputationModel: "" },
    { method: "mi", imputationModel: "M ~ X + A + Y" },
    { method: "mi", imputationModel: "M ~ X*A*Y" },
  ]);
  assert.deepEqual(resolveMethods(withImputation, ["mi"]), [{ method: "mi", imputationModel: "M ~ X + A + Y" }]);
  assert.throws(() => resolveMethods(withImputation, ["bmmi"]), /no method 'bmmi'; its methods are: cca, mi/);
  assert.throws(() => resolveMethods(withImputation, ["cca", "cca"]), /listed twice/);
  assert.throws(() => resolveMethods(withImputation, [{ method: "cca", imputationModel: "M ~ X" }]), /takes no imputation model/);
  assert.throws(() => resolveMethods({ ...withImputation, defaultImputationModels: undefined }, ["mi"]), /needs an imputation model/);
});

test("shards and command-line parameter text are parsed and checked", () => {
  assert.deepEqual(parseShard("3/10"), { index: 3, count: 10 });
  assert.deepEqual(parseShard(" 1 / 1 "), { index: 1, count: 1 });
  for (const bad of ["0/3", "4/3", "1", "a/b", "1/0", "-1/2"]) assert.throws(() => parseShard(bad), /--shard must be I\/N.*got/);
  assert.deepEqual(parseParameterOptions(toyScenario, { clusters: "10, 20", effect: "0.25" }), {
    parameters: { effect: 0.25 },
    grid: { clusters: [10, 20] },
  });
  assert.throws(() => parseParameterOptions(toyScenario, { clusters: "ten" }), /'clusters' must be a number; got 'ten'/);
  assert.throws(() => parseParameterOptions(toyScenario, { size: "1" }), /no parameter 'size'/);
});
