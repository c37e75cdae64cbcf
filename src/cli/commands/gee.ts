import { modelFrame } from "../../formula/index.ts";
import { gee, type CorStr, type GeeOptions, type GeeSe } from "../../models/gee/index.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { FAMILY_NAMES } from "./glm.ts";
import { geeReport } from "../../report/models.ts";
import { CLUSTER_OPTION, FORMULA_OPTION, WEIGHTS_OPTION } from "./shared.ts";

export const geeCommand: Command = {
  name: "gee",
  summary: "generalized estimating equations with robust and small-sample standard errors",
  usage: "DATA --formula F --cluster C [--family …] [--corstr independence|exchangeable|ar1] [--se robust|model|md|kc]",
  example: 'crtkit gee examples/trial.csv --formula "Y ~ A*M + X1" --cluster cluster --corstr exchangeable',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    cluster: { ...CLUSTER_OPTION, required: true },
    family: { type: "string", valueName: "FAMILY", help: "gaussian, binomial or poisson", default: "gaussian" },
    link: { type: "string", valueName: "LINK", help: "identity, logit, probit, cloglog, log or inverse", default: "the canonical link" },
    corstr: { type: "string", valueName: "CORSTR", help: "working correlation: independence, exchangeable or ar1", default: "exchangeable" },
    se: { type: "string", valueName: "SE", help: "robust (sandwich), model, md (Mancl–DeRouen) or kc (Kauermann–Carroll)", default: "robust" },
    weights: WEIGHTS_OPTION,
    time: { type: "string", valueName: "COL", help: "whole-number time column: orders each cluster's rows for ar1, lags = time differences (geepack's waves)", default: "the row order within cluster" },
  },
  run({ data, options }) {
    const frame = modelFrame(data!, requiredString(options, "formula"), {
      cluster: requiredString(options, "cluster"),
      weights: optionalString(options, "weights"),
      time: optionalString(options, "time"),
    });
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const fit = gee(frame, {
      family: choiceOption(options, "family", FAMILY_NAMES, "gaussian"),
      link: optionalString(options, "link") as GeeOptions["link"],
      corstr: choiceOption<CorStr>(options, "corstr", ["independence", "exchangeable", "ar1"], "exchangeable"),
      se: choiceOption<GeeSe>(options, "se", ["robust", "model", "md", "kc"], "robust"),
      level,
    });
    return { ...geeReport(fit), exitCode: fit.converged ? 0 : 1 };
  },
};
