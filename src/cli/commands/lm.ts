import { modelFrame } from "../../formula/index.ts";
import { lm, type LmVcovType } from "../../models/lm/index.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { lmReport } from "../../report/models.ts";
import { CLUSTER_OPTION, FORMULA_OPTION, WEIGHTS_OPTION } from "./shared.ts";

const VCOV_TYPES = ["classical", "CR0", "CR1", "CR1p", "CR1S", "CR2", "CR3"] as const;

export const lmCommand: Command = {
  name: "lm",
  summary: "linear model with cluster-robust (CR0–CR3, Bell–McCaffrey) inference",
  usage: "DATA --formula F [--cluster C --vcov CR0|CR1|CR2|CR3] [--df satterthwaite|naive]",
  example: 'crtkit lm examples/trial.csv --formula "Y ~ A + X1" --cluster cluster --vcov CR2',
  takesData: true,
  options: {
    formula: FORMULA_OPTION,
    cluster: CLUSTER_OPTION,
    weights: WEIGHTS_OPTION,
    vcov: { type: "string", valueName: "TYPE", help: "variance: classical, CR0, CR1, CR1p, CR1S, CR2, CR3", default: "CR2 with --cluster, else classical" },
    df: { type: "string", valueName: "METHOD", help: "t df for cluster-robust tests: satterthwaite or naive (clusters − 1)", default: "satterthwaite" },
  },
  run({ data, options }) {
    const cluster = optionalString(options, "cluster");
    const frame = modelFrame(data!, requiredString(options, "formula"), { cluster, weights: optionalString(options, "weights") });
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const vcov = choiceOption<LmVcovType>(options, "vcov", VCOV_TYPES, cluster ? "CR2" : "classical");
    const df = choiceOption(options, "df", ["satterthwaite", "naive"] as const, "satterthwaite");
    const fit = lm(frame, { vcov, df, level });
    return lmReport(fit);
  },
};
