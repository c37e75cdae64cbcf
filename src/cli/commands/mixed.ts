/** `crtkit lmm`, `crtkit glmm` and `crtkit icc`. */
import { iccFromData } from "../../design/icc.ts";
import { modelFrame } from "../../formula/index.ts";
import { glmm } from "../../models/glmm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import type { Table } from "../../report/summary.ts";
import type { RandomEffectVariance } from "../../models/lmm/index.ts";
import { choiceOption, numberOption, requiredString, type Command } from "../command.ts";
import { coefficientsTable, FORMULA_OPTION } from "./shared.ts";

function randomEffectsTable(randomEffects: readonly RandomEffectVariance[], residualVariance?: number): Table {
  return {
    title: "Random effects",
    columns: ["group", "term", "variance", "sd"],
    rows: [
      ...randomEffects.map((r) => [r.group, r.term, r.variance, r.sd]),
      ...(residualVariance === undefined ? [] : [["Residual", "", residualVariance, Math.sqrt(residualVariance)]]),
    ],
  };
}

export const lmmCommand: Command = {
  name: "lmm",
  summary: "linear mixed model with a cluster random intercept (REML or ML), as lme4::lmer",
  usage: 'DATA --formula "Y ~ … + (1 | C)" [--method reml|ml]',
  example: 'crtkit lmm examples/trial.csv --formula "Y ~ A*X1 + (1 | cluster)"',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    method: { type: "string", valueName: "METHOD", help: "reml or ml", default: "reml" },
  },
  run({ data, options }) {
    const frame = modelFrame(data!, requiredString(options, "formula"));
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const fit = lmm(frame, { method: choiceOption(options, "method", ["reml", "ml"] as const, "reml"), level });
    return {
      json: {
        nObs: fit.nObs,
        nDropped: fit.nDropped,
        nClusters: fit.nClusters,
        method: fit.method,
        coefficients: fit.table,
        randomEffects: fit.randomEffects,
        residualVariance: fit.residualVariance,
        icc: fit.icc,
        logLik: fit.logLik,
        converged: fit.converged,
        diagnostics: fit.diagnostics,
      },
      summary: {
        title: `Linear mixed model: ${frame.formula}`,
        facts: [
          ["Method", fit.method.toUpperCase()],
          ["Observations", fit.nObs],
          ["Dropped rows", fit.nDropped],
          ["Clusters", fit.nClusters],
          ["ICC", fit.icc],
          ["Log-likelihood", fit.logLik],
          ["Converged", String(fit.converged)],
        ],
        tables: [coefficientsTable(fit.table, level), randomEffectsTable(fit.randomEffects, fit.residualVariance)],
        diagnostics: fit.diagnostics,
      },
      exitCode: fit.converged ? 0 : 1,
    };
  },
};

export const glmmCommand: Command = {
  name: "glmm",
  summary: "logistic or Poisson mixed model with a cluster random intercept (Laplace or adaptive quadrature), as lme4::glmer",
  usage: 'DATA --formula "M ~ … + (1 | C)" --family binomial|poisson [--nagq K]',
  example: 'crtkit glmm examples/trial.csv --formula "M ~ X1*A*Y + (1 | cluster)" --family binomial',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    family: { type: "string", valueName: "FAMILY", help: "binomial (logit link) or poisson (log link)", default: "binomial" },
    nagq: { type: "string", valueName: "K", help: "1 = Laplace; K > 1 = adaptive Gauss–Hermite with K nodes (≤ 25)", default: "1" },
  },
  run({ data, options }) {
    const family = choiceOption(options, "family", ["binomial", "poisson"] as const, "binomial");
    const frame = modelFrame(data!, requiredString(options, "formula"));
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const fit = glmm(frame, { family, nagq: numberOption(options, "nagq", 1, { integer: true, min: 1, max: 25 }), level });
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
        title: `${fit.family === "poisson" ? "Poisson" : "Logistic"} mixed model: ${frame.formula}`,
        facts: [
          ["Approximation", fit.nagq === 1 ? "Laplace" : `adaptive Gauss–Hermite, ${fit.nagq} nodes`],
          ["Observations", fit.nObs],
          ["Dropped rows", fit.nDropped],
          ["Clusters", fit.nClusters],
          ["Log-likelihood", fit.logLik],
          ["Converged", String(fit.converged)],
        ],
        tables: [coefficientsTable(fit.table, level), randomEffectsTable(fit.randomEffects)],
        diagnostics: fit.diagnostics,
      },
      exitCode: fit.converged ? 0 : 1,
    };
  },
};

export const iccCommand: Command = {
  name: "icc",
  summary: "intraclass correlation: one-way ANOVA, REML or ML; latent scale for a binary outcome",
  usage: "DATA --cluster C --outcome Y [--method anova|reml|ml] [--binary-scale latent]",
  example: "crtkit icc examples/trial.csv --cluster cluster --outcome Y",
  takesData: true,
  options: {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column" },
    outcome: { type: "string", required: true, valueName: "COL", help: "outcome column" },
    method: { type: "string", valueName: "METHOD", help: "anova, reml or ml", default: "anova" },
    "binary-scale": { type: "string", valueName: "SCALE", help: "latent: σ²_b/(σ²_b + π²/3) from a logistic GLMM (binary outcome)" },
  },
  run({ data, options }) {
    const latent = choiceOption(options, "binary-scale", ["observed", "latent"] as const, "observed") === "latent";
    const r = iccFromData(data!, {
      outcome: requiredString(options, "outcome"),
      cluster: requiredString(options, "cluster"),
      method: choiceOption(options, "method", ["anova", "reml", "ml"] as const, "anova"),
      ...(latent ? { binaryScale: "latent" as const } : {}),
    });
    return {
      json: {
        icc: r.icc,
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
        ],
        tables: [
          {
            columns: ["quantity", "value"],
            rows: [
              ["icc", r.icc],
              ["varianceBetween", r.varianceBetween],
              ["varianceWithin", r.varianceWithin],
            ],
          },
        ],
        diagnostics: r.diagnostics,
      },
    };
  },
};
