/**
 * The report of model-robust standardization (`crtkit mrs`): the
 * cluster-average, individual-average (and weighted) treatment effects, the
 * standardized means, and the working model's treatment coefficient.
 */
import type { MrsResult } from "../estimands/mrs.ts";
import type { Report, Table } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

export function mrsReport(res: MrsResult): Report {
  const effects = estimatesTable(
    ["estimand"],
    [
      [["cluster-average"], res.clusterAte],
      [["individual-average"], res.individualAte],
      ...(res.weightedAte ? [[["weighted"], res.weightedAte] as const] : []),
    ],
    `Treatment effects (${res.scale}${res.scale === "rd" ? "" : "; std.error and statistic on the log scale"})`,
  );
  const c = res.coefficient;
  const coefficient = estimatesTable(["term"], [[[c.term], c]], `Working-model treatment coefficient (${c.scale}, ${c.se} SE)`);
  const means: Table = {
    title: "Standardized mean outcomes",
    columns: ["weighting", "treated", "control"],
    rows: [
      ["cluster", res.means.cluster.treated, res.means.cluster.control],
      ["individual", res.means.individual.treated, res.means.individual.control],
      ...(res.means.weighted ? [["weighted", res.means.weighted.treated, res.means.weighted.control] as const] : []),
    ],
  };
  return {
    json: {
      clusterAte: res.clusterAte,
      individualAte: res.individualAte,
      ...(res.weightedAte ? { weightedAte: res.weightedAte } : {}),
      icsTest: res.icsTest,
      working: res.working,
      family: res.family,
      link: res.link,
      scale: res.scale,
      jackknife: res.jackknife,
      nClusters: res.nClusters,
      nObs: res.nObs,
      nDropped: res.nDropped,
      means: res.means,
      coefficient: res.coefficient,
      diagnostics: res.diagnostics,
    },
    summary: {
      title: `Model-robust standardization: ${res.formula}`,
      facts: [
        ["Working model", `${res.working} (${res.family}, ${res.link} link)`],
        ["Clusters", `${res.nClusters} (${res.nTreated} treated)`],
        ["Observations", res.nObs],
        ["Dropped rows", res.nDropped],
        ["Randomization probability", res.probability],
        ["Jackknife", `type ${res.jackknife}, t(${res.nClusters - 1})`],
        ["ICS test", `difference ${res.icsTest.difference.toPrecision(4)}, t = ${res.icsTest.statistic.toPrecision(4)}, p = ${res.icsTest.pValue.toPrecision(3)}`],
        levelFact(res.level),
      ],
      tables: [effects, means, coefficient],
      diagnostics: res.diagnostics,
    },
  };
}
