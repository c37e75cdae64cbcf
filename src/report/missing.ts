/**
 * The report of a missing-effect-modifier analysis (`crtkit analyze`): one
 * row per method, imputation model and estimand (hte, ate), and the B-MMI
 * convergence table when chains were run.
 */
import type { AnalysisResult } from "../missing/analyze.ts";
import type { Report, Table } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

export function analysisReport(result: AnalysisResult): Report {
  const level = result.settings.level;
  const tables: Table[] = [
    estimatesTable(
      ["method", "imputationModel", "estimand"],
      result.results.flatMap((r) => (["hte", "ate"] as const).map((k) => [[r.method, r.imputationModel ?? "", k], r[k]] as const)),
    ),
  ];
  const withConvergence = result.results.filter((r) => r.convergence);
  if (withConvergence.length > 0) {
    tables.push({
      title: "B-MMI convergence (post-burn-in)",
      columns: ["imputationModel", "parameter", "ess", "splitRhat"],
      rows: withConvergence.flatMap((r) => r.convergence!.parameters.map((p) => [r.imputationModel, p.name, p.ess, p.rhat])),
    });
  }
  const missing = result.data.missingByCluster;
  const share = missing.map((c) => c.nMissing / c.n);
  return {
    json: {
      data: {
        nObs: result.data.nObs,
        nClusters: result.data.nClusters,
        nMissing: result.data.nMissing,
        nDropped: result.data.nDropped,
        missingByCluster: missing,
      },
      results: result.results.map((r) => ({
        method: r.method,
        imputationModel: r.imputationModel,
        hte: r.hte,
        ate: r.ate,
        nImputations: r.nImputations,
        ...(r.convergence ? { convergence: r.convergence } : {}),
        diagnostics: r.diagnostics,
      })),
      seed: result.seed,
      settings: {
        imputations: result.settings.imputations,
        burnin: result.settings.gibbs.burnin,
        thin: result.settings.gibbs.thin,
        chains: result.settings.chains,
        priorVariance: result.settings.gibbs.priorVariance,
        corstr: result.settings.corstr,
        level,
      },
      diagnostics: result.diagnostics,
    },
    summary: {
      title: "Treatment-effect heterogeneity with a missing effect modifier",
      facts: [
        ["Rows analysed", result.data.nObs],
        ["Rows dropped", result.data.nDropped],
        ["Clusters", result.data.nClusters],
        ["Modifier missing", `${result.data.nMissing} (${((100 * result.data.nMissing) / result.data.nObs).toFixed(1)}%)`],
        ["Missing by cluster", `${(100 * Math.min(...share)).toFixed(0)}% to ${(100 * Math.max(...share)).toFixed(0)}%`],
        ["Outcome model", `GEE ${result.settings.corstr}, Y ~ A*Mc (hte = A:Mc, ate = A)`],
        ["Seed", result.seed],
        levelFact(level),
      ],
      tables,
      diagnostics: [
        ...result.diagnostics,
        ...result.results.flatMap((r) =>
          r.diagnostics.map((d) => ({ ...d, message: `${r.method}${r.imputationModel ? ` [${r.imputationModel}]` : ""}: ${d.message}` })),
        ),
      ],
    },
  };
}
