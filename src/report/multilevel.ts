/**
 * Reports of the few-cluster and multilevel analyses: 2-1-1 mediation and
 * the randomization test, as docs/cli.md lays out their JSON.
 */
import type { PermutationTestResult } from "../design/permutation-test.ts";
import type { MediationResult } from "../estimands/mediation.ts";
import type { Report } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

export function mediationReport(r: MediationResult): Report {
  return {
    json: {
      a: r.a,
      b: r.b,
      bWithin: r.bWithin,
      direct: r.direct,
      total: r.total,
      indirect: r.indirect,
      indirectBootstrap: r.indirectBootstrap,
      proportionMediated: r.proportionMediated,
      clusterMeanReliability: r.clusterMeanReliability,
      nObs: r.nObs,
      nClusters: r.nClusters,
      diagnostics: r.diagnostics,
    },
    summary: {
      title: "2-1-1 mediation (cluster-level treatment, individual-level mediator)",
      facts: [
        ["Observations", r.nObs],
        ["Clusters", r.nClusters],
        ["Indirect effect a·b", r.indirect.estimate],
        ["Bootstrap interval", `[${fmt(r.indirectBootstrap.confLow)}, ${fmt(r.indirectBootstrap.confHigh)}] (${r.indirectBootstrap.replicates} replicates)`],
        ["Proportion mediated", r.proportionMediated],
        ["Reliability of the cluster mean", r.clusterMeanReliability],
        levelFact(r.level),
      ],
      tables: [
        estimatesTable(["effect"], [
          [["a (A → M)"], r.a],
          [["b (between: cmean(M) → Y)"], r.b],
          [["bWithin (cwc(M) → Y)"], r.bWithin],
          [["direct (A → Y | M)"], r.direct],
          [["total (A → Y)"], r.total],
          [["indirect (a·b)"], r.indirect],
        ]),
      ],
      diagnostics: r.diagnostics,
    },
  };
}

export function permutationReport(r: PermutationTestResult): Report {
  return {
    json: {
      estimate: r.estimate,
      statistic: r.statistic,
      pValue: r.pValue,
      nAllocations: r.nAllocations,
      exact: r.exact,
      allocations: r.allocations,
      confLow: r.confLow,
      confHigh: r.confHigh,
      nClusters: r.nClusters,
      nObs: r.nObs,
      nDropped: r.nDropped,
      diagnostics: r.diagnostics,
    },
    summary: {
      title: "Randomization test of the treatment effect",
      facts: [
        ["Clusters", r.nClusters],
        ["Observations", r.nObs],
        ["Allocations", `${r.nAllocations} (${r.allocations === "enumerate" ? "all, exact p-value" : r.allocations === "schemes" ? "constrained-randomization schemes" : "drawn at random"})`],
        levelFact(r.level),
      ],
      tables: [
        {
          columns: ["estimate", "statistic", "p.value", "conf.low", "conf.high"],
          rows: [[r.estimate, r.statistic, r.pValue, r.confLow, r.confHigh]],
        },
      ],
      diagnostics: r.diagnostics,
    },
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : "NA";
}
