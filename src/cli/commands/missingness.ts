/** `crtkit missingness`: how a partly missing variable is missing, by cluster and arm. */
import { diagnoseMissingness, splitCovariates } from "../../missingness/index.ts";
import { missingnessHtml } from "../../report/html/missingness.ts";
import { missingnessReport } from "../../report/missingness.ts";
import { numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { REPORT_OPTION } from "./shared.ts";

export const missingnessCommand: Command = {
  name: "missingness",
  summary: "missingness of a variable by cluster and arm: latent ICC of R, its test, the indicator model, who complete cases are",
  usage: "DATA --cluster C --variable M [--treatment A] [--covariates X1,Y]",
  example: "crtkit missingness examples/trial.csv --cluster cluster --variable M --treatment A --covariates X1,X2,X3,Y",
  takesData: true,
  options: {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column (rows without one are left out and counted)" },
    variable: { type: "string", required: true, valueName: "COL", help: "the partly missing variable; R = 1 where it is missing" },
    treatment: { type: "string", valueName: "COL", help: "cluster-level treatment (arm) column, numeric: counts by arm and the cluster-level t test between two arms" },
    covariates: {
      type: "string",
      valueName: "LIST",
      help: "comma-separated terms of the indicator model R ~ LIST + (1 | C), e.g. X1,Y,factor(site); rows missing one are left out of it",
    },
    report: REPORT_OPTION,
  },
  run({ data, options }) {
    const covariates = optionalString(options, "covariates");
    const result = diagnoseMissingness(data!, {
      cluster: requiredString(options, "cluster"),
      variable: requiredString(options, "variable"),
      treatment: optionalString(options, "treatment"),
      covariates: covariates === undefined ? [] : splitCovariates(covariates),
      level: numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true }),
    });
    return { ...missingnessReport(result), report: missingnessHtml, exitCode: result.converged ? 0 : 1 };
  },
};
