/**
 * The report of a missing-effect-modifier analysis (`crtkit analyze`): one
 * row per method, imputation model and estimand (hte, ate) with broom's
 * columns and, for pooled methods, mice's m, riv, lambda and fmi; and the
 * convergence table of the B-MMI and smc chains when chains were run.
 */
import type { AnalysisResult } from "../missing/analyze.ts";
import type { MethodResult } from "../missing/result.ts";
import type { Cell, Report, Table } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

const POOLING_COLUMNS = ["m", "riv", "lambda", "fmi"] as const;

/** The estimates table with the pooling columns appended (empty for cca and si). */
function resultsTable(results: readonly MethodResult[]): Table {
  const rows = results.flatMap((r) => (["hte", "ate"] as const).map((k) => ({ key: [r.method, r.imputationModel ?? "", k], estimate: r[k], pooling: r.pooling?.[k] })));
  const base = estimatesTable(["method", "imputationModel", "estimand"], rows.map((r) => [r.key, r.estimate] as const));
  return {
    ...base,
    columns: [...base.columns, ...POOLING_COLUMNS],
    rows: base.rows.map((cells, i): Cell[] => {
      const p = rows[i].pooling;
      return [...cells, ...POOLING_COLUMNS.map((c) => (p ? p[c] : null))];
    }),
    optional: [...(base.optional ?? []), ...POOLING_COLUMNS],
  };
}

export function analysisReport(result: AnalysisResult): Report {
  const level = result.settings.level;
  const outcome = result.outcome;
  const tables: Table[] = [resultsTable(result.results)];
  const withConvergence = result.results.filter((r) => r.convergence);
  if (withConvergence.length > 0) {
    tables.push({
      title: "Chain convergence (post-burn-in)",
      columns: ["method", "imputationModel", "parameter", "ess", "splitRhat"],
      rows: withConvergence.flatMap((r) => r.convergence!.parameters.map((p) => [r.method, r.imputationModel, p.name, p.ess, p.rhat])),
    });
  }
  const missing = result.data.missingByCluster;
  const share = missing.map((c) => c.nMissing / c.n);
  const scale = outcome.ateScale === "rd" ? (outcome.family === "binomial" ? "risk difference" : "mean difference") : outcome.ateScale === "rr" ? "risk ratio" : "odds ratio";
  return {
    json: {
      data: {
        nObs: result.data.nObs,
        nClusters: result.data.nClusters,
        nMissing: result.data.nMissing,
        nDropped: result.data.nDropped,
        modifierType: result.data.modifierType,
        modifierLevel: result.data.modifierLevel,
        missingByCluster: missing,
      },
      results: result.results.map((r) => ({
        method: r.method,
        imputationModel: r.imputationModel,
        ...(r.substantiveModel ? { substantiveModel: r.substantiveModel } : {}),
        hte: r.hte,
        ate: r.ate,
        nImputations: r.nImputations,
        ...(r.pooling ? { pooling: r.pooling } : {}),
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
        outcomeModel: outcome.formula,
        family: outcome.family,
        link: outcome.link,
        se: outcome.se,
        ateScale: outcome.ateScale,
        poolingDf: outcome.poolingDf,
        hteTerm: outcome.hteTerm,
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
        ["Modifier", `${result.data.modifierType}, ${result.data.modifierLevel === "cluster" ? "cluster-level (imputed once per cluster)" : "individual-level"}`],
        ["Missing by cluster", `${(100 * Math.min(...share)).toFixed(0)}% to ${(100 * Math.max(...share)).toFixed(0)}%`],
        ["Outcome model", `GEE ${outcome.formula}, ${outcome.family} (${outcome.link} link), ${result.settings.corstr}; modifier centred on each completed data set`],
        ["Estimands", `hte = ${outcome.hteTerm} (link scale); ate = standardized ${scale}`],
        ["Standard errors", outcome.se === "robust" ? "robust sandwich (normal reference for cca, si, indicator)" : `${outcome.se} with t(C − p)`],
        ["Pooling df", outcome.poolingDf],
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
