/**
 * `crtkit mrs`: model-robust standardization of the cluster-average and
 * individual-average treatment effects with jackknife inference and the
 * informative-cluster-size test. A thin layer over src/estimands.
 */
import { InputError } from "../../core/errors.ts";
import { EFFECT_SCALES, mrs, WORKING_MODELS, type EffectScale, type JackknifeType, type ProbabilitySpec, type WorkingName } from "../../estimands/index.ts";
import { mrsHtml } from "../../report/html/mrs.ts";
import { mrsReport } from "../../report/mrs.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command, type OptionValues } from "../command.ts";
import { readSchemes } from "../schemes.ts";
import { FAMILY_NAMES } from "./glm.ts";
import { CLUSTER_OPTION, FORMULA_OPTION, REPORT_OPTION } from "./shared.ts";

function probabilityOption(options: OptionValues): ProbabilitySpec | undefined {
  const given = ["prob", "prob-column", "prob-schemes"].filter((k) => optionalString(options, k) !== undefined);
  if (given.length > 1) throw new InputError(`give only one of --prob, --prob-column, --prob-schemes (got ${given.map((g) => "--" + g).join(", ")})`);
  const column = optionalString(options, "prob-column");
  if (column !== undefined) return { column };
  const schemes = optionalString(options, "prob-schemes");
  if (schemes !== undefined) return readSchemes(schemes);
  if (optionalString(options, "prob") === undefined) return undefined;
  return numberOption(options, "prob", 0.5, { min: 0, max: 1, exclusive: true });
}

export const mrsCommand: Command = {
  name: "mrs",
  summary: "model-robust standardization: cluster- and individual-average treatment effects, ICS test",
  usage:
    'DATA --formula "Y ~ X1 + X2 + cluster(H1 + N)" --cluster C --treatment A [--working lm|lmm|gee-ind|gee-exch|glmm] ' +
    "[--family gaussian|binomial|poisson] [--scale rd|rr|or] [--jackknife 1|2|3] [--prob P | --prob-column COL | --prob-schemes FILE] [--report FILE.html]",
  example: 'crtkit mrs examples/trial.csv --formula "Y ~ X1 + X2 + cluster(region + N)" --cluster cluster --treatment A --working gee-exch',
  takesData: true,
  options: {
    formula: {
      ...FORMULA_OPTION,
      help: "outcome ~ individual covariates + cluster(cluster-level covariates); N inside cluster() is the cluster size; \"Y ~ 1\" for no adjustment",
    },
    cluster: { ...CLUSTER_OPTION, required: true },
    treatment: { type: "string", required: true, valueName: "COL", help: "cluster-level treatment column (0/1)" },
    working: { type: "string", valueName: "MODEL", help: "working model: lm (cluster means), lmm, gee-ind, gee-exch, glmm", default: "lm" },
    family: { type: "string", valueName: "FAMILY", help: "gaussian, binomial or poisson (lm: GLM on cluster means; gee; glmm: binomial)", default: "gaussian" },
    scale: { type: "string", valueName: "SCALE", help: "effect scale: rd (difference), rr (ratio), or (odds ratio)", default: "rd" },
    jackknife: { type: "string", valueName: "TYPE", help: "jackknife SE type 1, 2 or 3 (3 for few clusters)", default: "1" },
    prob: { type: "string", valueName: "P", help: "randomization probability of every cluster", default: "0.5" },
    "prob-column": { type: "string", valueName: "COL", help: "column of randomization probabilities (constant within clusters)" },
    "prob-schemes": {
      type: "string",
      valueName: "FILE",
      help: "CSV of acceptable allocations (header: cluster ids; rows: 0/1 schemes); probabilities = column means",
    },
    "cluster-weights": { type: "string", valueName: "COL", help: "column of cluster weights for an additional weighted estimand (constant within clusters)" },
    report: REPORT_OPTION,
  },
  run({ data, options, progress }) {
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const working = choiceOption<WorkingName>(options, "working", WORKING_MODELS, "lm");
    const family = choiceOption(options, "family", FAMILY_NAMES, "gaussian");
    const scale = choiceOption<EffectScale>(options, "scale", EFFECT_SCALES, "rd");
    const jackknife = Number(choiceOption(options, "jackknife", ["1", "2", "3"] as const, "1")) as JackknifeType;
    const weightsColumn = optionalString(options, "cluster-weights");
    const res = mrs(data!, requiredString(options, "formula"), {
      cluster: requiredString(options, "cluster"),
      treatment: requiredString(options, "treatment"),
      working,
      family,
      scale,
      jackknife,
      level,
      probability: probabilityOption(options),
      ...(weightsColumn ? { clusterWeights: { column: weightsColumn } } : {}),
      onProgress: (done, total) => progress(done / total, "jackknife"),
    });
    return { ...mrsReport(res), report: mrsHtml };
  },
};
