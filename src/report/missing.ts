/**
 * The report of a missing-effect-modifier analysis (`crtkit analyze`): one
 * row per method, imputation model and estimand (hte, ate) with broom's
 * columns and, for pooled methods, mice's m, riv, lambda and fmi; and the
 * convergence table of the B-MMI and smc chains when chains were run.
 */
import type { AnalysisResult } from "../missing/analyze.ts";
import type { Estimate } from "../core/records.ts";
import type { JointTest } from "../inference/pool-multivariate.ts";
import type { MethodResult, PoolingRecord } from "../missing/result.ts";
import type { Cell, Report, Table } from "./summary.ts";
import { estimatesTable, levelFact } from "./tables.ts";

const POOLING_COLUMNS = ["m", "riv", "lambda", "fmi"] as const;

type EstimandRow = { key: Cell[]; estimate: Estimate; pooling: PoolingRecord | undefined };

/**
 * A method's estimand rows: hte and ate; for a categorical modifier one
 * `hte[A:Mlow]` row per contrast (the first carrying hte's pooling) and the
 * joint test `hte[joint]` (statistic and p-value; df is its denominator df).
 */
function estimandRows(r: MethodResult): { rows: EstimandRow[]; joint: JointTest | null } {
  const key = (k: string): Cell[] => [r.method, r.imputationModel ?? "", k];
  const ate = { key: key("ate"), estimate: r.ate, pooling: r.pooling?.ate };
  if (!r.hteTerms) return { rows: [{ key: key("hte"), estimate: r.hte, pooling: r.pooling?.hte }, ate], joint: null };
  const terms = r.hteTerms.map((t, j) => ({ key: key(`hte[${t.term}]`), estimate: t as Estimate, pooling: j === 0 ? r.pooling?.hte : undefined }));
  return { rows: [...terms, ate], joint: r.hteTest ?? null };
}

/** The estimates table with the pooling columns appended (empty for cca and si). */
function resultsTable(results: readonly MethodResult[]): Table {
  const base = estimatesTable(["method", "imputationModel", "estimand"], []);
  const rows: Cell[][] = [];
  for (const r of results) {
    const { rows: estimands, joint } = estimandRows(r);
    const table = estimatesTable(["method", "imputationModel", "estimand"], estimands.map((e) => [e.key, e.estimate] as const));
    table.rows.forEach((cells, i) => {
      const p = estimands[i].pooling;
      rows.push([...cells, ...POOLING_COLUMNS.map((c) => (p ? p[c] : null))]);
    });
    // The joint row sits after the contrasts, before ate.
    if (joint !== null) rows.splice(rows.length - 1, 0, [r.method, r.imputationModel ?? "", "hte[joint]", null, null, joint.statistic, joint.df2, joint.pValue, null, null, ...POOLING_COLUMNS.map(() => null)]);
  }
  return { ...base, columns: [...base.columns, ...POOLING_COLUMNS], rows, optional: [...(base.optional ?? []), ...POOLING_COLUMNS] };
}

function estimandsFact(result: AnalysisResult, scale: string): string {
  const { outcome } = result;
  const levels = result.data.modifierLevels;
  if (!outcome.hteTerms || !levels) return `hte = ${outcome.hteTerm} (link scale); ate = standardized ${scale}`;
  const k = outcome.hteTerms.length;
  return (
    `hte[…] = the ${k} treatment-by-level contrasts ${outcome.hteTerms.join(", ")} against the reference level '${levels[0]}' (link scale; hte in JSON is the first); ` +
    `hte[joint] = their joint test: F on ${k} and df denominator df (Wald for one fit, D1 pooled; df empty: χ²(${k})/${k}); ate = standardized ${scale}`
  );
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
        ...(result.data.modifierLevels ? { modifierLevels: result.data.modifierLevels } : {}),
        missingByCluster: missing,
      },
      results: result.results.map((r) => ({
        method: r.method,
        imputationModel: r.imputationModel,
        ...(r.substantiveModel ? { substantiveModel: r.substantiveModel } : {}),
        hte: r.hte,
        ...(r.hteTerms ? { hteTerms: r.hteTerms, hteTest: r.hteTest ?? null } : {}),
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
        ...(outcome.hteTerms ? { hteTerms: outcome.hteTerms } : {}),
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
        ["Estimands", estimandsFact(result, scale)],
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
