import { modelFrame } from "../../formula/index.ts";
import type { FamilyName } from "../../models/family/index.ts";
import { glm } from "../../models/glm/index.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { glmReport } from "../../report/models.ts";
import { FORMULA_OPTION, WEIGHTS_OPTION } from "./shared.ts";

export const FAMILY_NAMES: readonly FamilyName[] = ["gaussian", "binomial", "poisson"];

export const glmCommand: Command = {
  name: "glm",
  summary: "generalized linear model (IRLS): gaussian, binomial, poisson",
  usage: "DATA --formula F [--family gaussian|binomial|poisson] [--link L] [--weights W]",
  example: 'crtkit glm examples/trial.csv --formula "M ~ X1 + A*Y" --family binomial',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    family: { type: "string", valueName: "FAMILY", help: "gaussian, binomial or poisson", default: "gaussian" },
    link: { type: "string", valueName: "LINK", help: "identity, logit, probit, cloglog, log or inverse", default: "the canonical link" },
    weights: WEIGHTS_OPTION,
  },
  run({ data, options }) {
    const frame = modelFrame(data!, requiredString(options, "formula"), { weights: optionalString(options, "weights") });
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const fit = glm(frame, {
      family: choiceOption(options, "family", FAMILY_NAMES, "gaussian"),
      link: optionalString(options, "link"),
      level,
    } as Parameters<typeof glm>[1]);
    return { ...glmReport(fit), exitCode: fit.converged ? 0 : 1 };
  },
};
