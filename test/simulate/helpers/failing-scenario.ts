/**
 * A test scenario whose methods fail in different ways on some replicates.
 * It registers itself on import and names its module, so worker threads can
 * load it too (the runner imports `module` in each worker).
 */
import { registerScenario } from "../../../src/simulate/registry.ts";
import { simulateToyTrial, toyScenario, type ToyTrial } from "../../../src/simulate/scenarios/toy.ts";
import type { AnalysisRow, Scenario } from "../../../src/simulate/types.ts";

export const failingScenario: Scenario<ToyTrial> = {
  name: "test-failing",
  description: "toy trial; methods that throw, return NaN or leave out an estimand on some replicates",
  module: import.meta.url,
  defaults: { ...toyScenario.defaults, clusters: 6, clusterSize: 4 },
  grid: {},
  estimands: ["ate", "controlMean"],
  methods: [{ name: "ok" }, { name: "throws" }, { name: "nan" }, { name: "partial" }],
  truth: toyScenario.truth,
  generate: simulateToyTrial,
  analyse(data, params, spec, rng): readonly AnalysisRow[] {
    const rows = toyScenario.analyse(data, params, { method: "cluster-t", imputationModel: "" }, rng);
    switch (spec.method) {
      case "throws":
        if (data.y[0] > 0) throw new RangeError(`first outcome ${data.y[0]} is positive`);
        return rows;
      case "nan":
        return data.y[1] > 0 ? rows.map((r) => ({ ...r, stdError: NaN })) : rows;
      case "partial":
        return data.y[2] > 0 ? rows.filter((r) => r.estimand === "ate") : rows;
      default:
        return rows;
    }
  },
};

registerScenario(failingScenario);
