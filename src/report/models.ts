/**
 * Reports of the model fits (glm, gee, lm, lmm, glmm) and of the ICC: the
 * JSON result object of docs/cli.md and the summary the text and CSV
 * renderers draw (the coefficient table first).
 */
import type { IccResult } from "../design/icc.ts";
import type { IccEstimate, IccGroup } from "../design/icc-groups.ts";
import type { GeeResult } from "../models/gee/gee.ts";
import type { GlmResult } from "../models/glm/glm.ts";
import type { GlmmFit } from "../models/glmm/result.ts";
import type { LmResult } from "../models/lm/fit.ts";
import type { LmmFit } from "../models/lmm/result.ts";
import type { RandomEffectVariance } from "../models/lmm/types.ts";
import type { Report, Table } from "./summary.ts";
import { coefficientsTable, levelFact } from "./tables.ts";

export function randomEffectsTable(randomEffects: readonly RandomEffectVariance[], residualVariance?: number): Table {
  return {
    title: "Random effects",
    columns: ["group", "term", "variance", "sd"],
    rows: [
      ...randomEffects.map((r) => [r.group, r.term, r.variance, r.sd]),
      ...(residualVariance === undefined ? [] : [["Residual", "", residualVariance, Math.sqrt(residualVariance)]]),
    ],
  };
}

export function glmReport(fit: GlmResult): Report {
  return {
    json: {
      nObs: fit.nObs,
      nDropped: fit.nDropped,
      family: fit.family,
      link: fit.link,
      coefficients: fit.table,
      logLik: fit.logLik,
      deviance: fit.deviance,
      nullDeviance: fit.nullDeviance,
      aic: fit.aic,
      dispersion: fit.dispersion,
      converged: fit.converged,
      iterations: fit.iterations,
      diagnostics: fit.diagnostics,
    },
    summary: {
      title: `Generalized linear model: ${fit.formula}`,
      facts: [
        ["Family", `${fit.family} (${fit.link} link)`],
        ["Observations", fit.nObs],
        ["Dropped rows", fit.nDropped],
        ["Deviance", fit.deviance],
        ["Log-likelihood", fit.logLik],
        ["AIC", fit.aic],
        ["Converged", `${fit.converged} (${fit.iterations} iterations)`],
        levelFact(fit.level),
      ],
      tables: [coefficientsTable(fit.table)],
      diagnostics: fit.diagnostics,
    },
  };
}

export function geeReport(fit: GeeResult): Report {
  return {
    json: {
      nObs: fit.nObs,
      nDropped: fit.nDropped,
      nClusters: fit.nClusters,
      family: fit.family,
      link: fit.link,
      corstr: fit.corstr,
      alpha: fit.alpha,
      timeOrder: fit.timeOrder,
      scale: fit.scale,
      se: fit.vcovType,
      coefficients: fit.table,
      converged: fit.converged,
      iterations: fit.iterations,
      diagnostics: fit.diagnostics,
    },
    summary: {
      title: `GEE: ${fit.formula}`,
      facts: [
        ["Family", `${fit.family} (${fit.link} link)`],
        ["Observations", fit.nObs],
        ["Dropped rows", fit.nDropped],
        ["Clusters", fit.nClusters],
        ["Working correlation", fit.alpha === null ? fit.corstr : `${fit.corstr}, alpha = ${fit.alpha.toPrecision(4)}`],
        ...(fit.corstr === "ar1" ? [["Time order", fit.timeOrder] as const] : []),
        ["Scale", fit.scale],
        ["Standard errors", fit.vcovType],
        ["Converged", `${fit.converged} (${fit.iterations} iterations)`],
        levelFact(fit.level),
      ],
      tables: [coefficientsTable(fit.table)],
      diagnostics: fit.diagnostics,
    },
  };
}

export function lmReport(fit: LmResult): Report {
  return {
    json: {
      nObs: fit.nObs,
      nDropped: fit.nDropped,
      nClusters: fit.nClusters,
      vcov: fit.vcovType,
      dfMethod: fit.dfMethod,
      coefficients: fit.table,
      residualStdError: fit.sigma,
      diagnostics: fit.diagnostics,
    },
    summary: {
      title: `Linear model: ${fit.formula}`,
      facts: [
        ["Observations", fit.nObs],
        ["Dropped rows", fit.nDropped],
        ...(fit.nClusters !== null ? ([["Clusters", fit.nClusters]] as const) : []),
        ["Variance", fit.vcovType],
        ["t df", fit.dfMethod],
        ["Residual SE", fit.sigma],
        levelFact(fit.level),
      ],
      tables: [coefficientsTable(fit.table)],
      diagnostics: fit.diagnostics,
    },
  };
}

export function lmmReport(fit: LmmFit): Report {
  return {
    json: {
      nObs: fit.nObs,
      nDropped: fit.nDropped,
      nClusters: fit.nClusters,
      method: fit.method,
      df: fit.dfMethod,
      coefficients: fit.table,
      randomEffects: fit.randomEffects,
      residualVariance: fit.residualVariance,
      icc: fit.icc,
      logLik: fit.logLik,
      converged: fit.converged,
      diagnostics: fit.diagnostics,
    },
    summary: {
      title: `Linear mixed model: ${fit.formula}`,
      facts: [
        ["Method", fit.method.toUpperCase()],
        ["Degrees of freedom", fit.dfMethod === "none" ? "none (normal reference)" : fit.dfMethod === "satterthwaite" ? "Satterthwaite" : "Kenward–Roger (adjusted covariance)"],
        ["Observations", fit.nObs],
        ["Dropped rows", fit.nDropped],
        ["Clusters", fit.nClusters],
        ["ICC", fit.icc],
        ["Log-likelihood", fit.logLik],
        ["Converged", String(fit.converged)],
        levelFact(fit.level),
      ],
      tables: [coefficientsTable(fit.table), randomEffectsTable(fit.randomEffects, fit.residualVariance)],
      diagnostics: fit.diagnostics,
    },
  };
}

export function glmmReport(fit: GlmmFit): Report {
  return {
    json: {
      nObs: fit.nObs,
      nDropped: fit.nDropped,
      nClusters: fit.nClusters,
      family: fit.family,
      link: fit.link,
      nagq: fit.nagq,
      coefficients: fit.table,
      randomEffects: fit.randomEffects,
      logLik: fit.logLik,
      converged: fit.converged,
      diagnostics: fit.diagnostics,
    },
    summary: {
      title: `${fit.family === "poisson" ? "Poisson" : "Logistic"} mixed model: ${fit.formula}`,
      facts: [
        ["Approximation", fit.nagq === 1 ? "Laplace" : `adaptive Gauss–Hermite, ${fit.nagq} nodes`],
        ["Observations", fit.nObs],
        ["Dropped rows", fit.nDropped],
        ["Clusters", fit.nClusters],
        ["Log-likelihood", fit.logLik],
        ["Converged", String(fit.converged)],
        levelFact(fit.level),
      ],
      tables: [coefficientsTable(fit.table), randomEffectsTable(fit.randomEffects)],
      diagnostics: fit.diagnostics,
    },
  };
}

export function iccReport(r: IccResult | IccEstimate, byGroup?: readonly IccGroup[]): Report {
  const interval = "interval" in r ? r.interval : null;
  const intervalName = { searle: "Searle's exact F interval", "thomas-hultquist": "Thomas–Hultquist F interval", profile: "profile likelihood" } as const;
  return {
    json: {
      icc: r.icc,
      ...(interval ? { confLow: interval.confLow, confHigh: interval.confHigh, intervalMethod: interval.intervalMethod } : {}),
      ...(byGroup ? { byGroup } : {}),
      varianceBetween: r.varianceBetween,
      varianceWithin: r.varianceWithin,
      nClusters: r.nClusters,
      meanClusterSize: r.meanClusterSize,
      method: r.method,
      nObs: r.nObs,
      nDropped: r.nDropped,
      diagnostics: r.diagnostics,
    },
    summary: {
      title: "Intraclass correlation",
      facts: [
        ["Method", r.method],
        ["Observations", r.nObs],
        ["Clusters", r.nClusters],
        ["Mean cluster size", r.meanClusterSize],
        ...(interval ? ([["Interval", `${intervalName[interval.intervalMethod]}, ${Math.round(interval.level * 1000) / 10}%`]] as const) : []),
      ],
      tables: [
        {
          columns: ["quantity", "value", ...(interval ? ["conf.low", "conf.high"] : [])],
          rows: [
            ["icc", r.icc, ...(interval ? [interval.confLow, interval.confHigh] : [])],
            ["varianceBetween", r.varianceBetween, ...(interval ? [null, null] : [])],
            ["varianceWithin", r.varianceWithin, ...(interval ? [null, null] : [])],
          ],
        },
        ...(byGroup
          ? [
              {
                title: "By group",
                columns: ["group", "icc", "conf.low", "conf.high", "nClusters", "nObs"],
                rows: byGroup.map((g) => [g.group, g.icc, g.confLow, g.confHigh, g.nClusters, g.nObs]),
              },
            ]
          : []),
      ],
      diagnostics: r.diagnostics,
    },
  };
}
