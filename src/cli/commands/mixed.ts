/** `crtkit lmm`, `crtkit glmm` and `crtkit icc`. */
import { iccByGroup, iccEstimate } from "../../design/icc-groups.ts";
import { modelFrame } from "../../formula/index.ts";
import { glmm } from "../../models/glmm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import { LMM_DF_METHODS } from "../../models/lmm/small-sample.ts";
import { glmmReport, iccReport, lmmReport } from "../../report/models.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { FORMULA_OPTION } from "./shared.ts";

export const lmmCommand: Command = {
  name: "lmm",
  summary: "linear mixed model with a cluster random intercept (REML or ML), as lme4::lmer",
  usage: 'DATA --formula "Y ~ … + (1 | C)" [--method reml|ml] [--df satterthwaite|kenward-roger|none]',
  example: 'crtkit lmm examples/trial.csv --formula "Y ~ A*X1 + (1 | cluster)"',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    method: { type: "string", valueName: "METHOD", help: "reml or ml", default: "reml" },
    df: {
      type: "string",
      valueName: "DF",
      help: "df of the t tests: satterthwaite (lmerTest), kenward-roger (pbkrtest; adjusts the SEs; REML) or none (z tests, as lme4)",
      default: "satterthwaite",
    },
  },
  run({ data, options }) {
    const frame = modelFrame(data!, requiredString(options, "formula"));
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const method = choiceOption(options, "method", ["reml", "ml"] as const, "reml");
    const df = choiceOption(options, "df", LMM_DF_METHODS, "satterthwaite");
    const fit = lmm(frame, { method, level, df });
    return { ...lmmReport(fit), exitCode: fit.converged ? 0 : 1 };
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
    return { ...glmmReport(fit), exitCode: fit.converged ? 0 : 1 };
  },
};

export const iccCommand: Command = {
  name: "icc",
  summary: "intraclass correlation: one-way ANOVA, REML or ML; latent scale for a binary outcome",
  usage: "DATA --cluster C --outcome Y [--method anova|reml|ml] [--binary-scale latent] [--ci] [--by COL]",
  example: "crtkit icc examples/trial.csv --cluster cluster --outcome Y",
  takesData: true,
  options: {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column" },
    outcome: { type: "string", required: true, valueName: "COL", help: "outcome column" },
    method: { type: "string", valueName: "METHOD", help: "anova, reml or ml", default: "anova" },
    "binary-scale": { type: "string", valueName: "SCALE", help: "latent: σ²_b/(σ²_b + π²/3) from a logistic GLMM (binary outcome)" },
    ci: { type: "boolean", help: "add an interval: Searle's exact F interval (equal cluster sizes) or Thomas–Hultquist's (unequal) for anova; profile likelihood for reml/ml" },
    by: { type: "string", valueName: "COL", help: "also the ICC within each level of this cluster-level column (e.g. the arm)" },
  },
  run({ data, options }) {
    const latent = choiceOption(options, "binary-scale", ["observed", "latent"] as const, "observed") === "latent";
    const settings = {
      outcome: requiredString(options, "outcome"),
      cluster: requiredString(options, "cluster"),
      method: choiceOption(options, "method", ["anova", "reml", "ml"] as const, "anova"),
      ...(latent ? { binaryScale: "latent" as const } : {}),
      ci: options.ci === true,
      level: numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true }),
    };
    const by = optionalString(options, "by");
    return iccReport(iccEstimate(data!, settings), by === undefined ? undefined : iccByGroup(data!, by, settings));
  },
};
