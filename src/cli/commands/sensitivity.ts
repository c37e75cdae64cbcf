/** `crtkit sensitivity`: the missing-modifier analysis under departures from MAR and other modelling choices. */
import { writeFileSync } from "node:fs";
import { InputError } from "../../core/errors.ts";
import { analyzeMissingModifierOnThreads } from "../../missing/analyze-threads.ts";
import { DELTA_ARMS, DELTA_METHODS, sensitivityAnalysis } from "../../missing/sensitivity.ts";
import { traceCsv } from "../../report/trace.ts";
import { sensitivityHtml } from "../../report/html/sensitivity.ts";
import { sensitivityReport } from "../../report/sensitivity.ts";
import { choiceOption, numberOption, optionalString, type Command } from "../command.ts";
import { ANALYZE_OPTIONS, analyzeOptionsFrom, traceFile } from "./analyze-options.ts";
import { REPORT_OPTION } from "./shared.ts";

function deltaGrid(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").map((s) => {
    const v = s.trim() === "" ? NaN : Number(s);
    if (!Number.isFinite(v)) throw new InputError(`--delta: '${s.trim()}' is not a number; give a comma-separated grid, e.g. "-2,-1,0,1,2"`);
    return v;
  });
}

export const sensitivityCommand: Command = {
  name: "sensitivity",
  summary: "sensitivity beyond MAR: δ-adjusted imputation with tipping points, clusters with much missingness left out, other τ priors, stratified imputation",
  usage:
    'DATA …the options of analyze… [--delta "-2,-1,0,1,2"] [--delta-by both|treated|control] [--exclude-missing-above 0.4] [--tau-prior "gamma(0.01,0.01);gamma(1,1);half-normal(1)"] [--stratify-by COL] [--report FILE.html]',
  example:
    'crtkit sensitivity examples/trial.csv --cluster cluster --treatment A --modifier M --outcome Y --imputation "M ~ X1*A*Y" --methods mi,mmi --imputations 5 --delta "-1,0,1" --exclude-missing-above 0.6 --seed 1',
  takesData: true,
  options: {
    ...ANALYZE_OPTIONS,
    delta: {
      type: "string",
      valueName: "LIST",
      help:
        "comma-separated δ grid: the shift of the imputation model's logit (binary modifier) or mean (continuous) for the missing values " +
        "(smc: of the modifier model, inside each missing value's full conditional); 0 (MAR, the analyze result) is always run",
      default: "-2,-1,0,1,2",
    },
    "delta-by": { type: "string", valueName: "ARM", help: "which arm's missing values δ shifts: both, treated or control", default: "both" },
    "exclude-missing-above": { type: "string", valueName: "P", help: "also analyse without the clusters whose modifier is missing in more than this proportion of rows, e.g. 0.4" },
    "tau-prior": {
      type: "string",
      valueName: "PRIORS",
      help:
        'B-MMI (and smc, when in --methods: its modifier model) with other priors on the random-intercept variance, separated by ;: gamma(shape,rate) on the precision, or half-normal(s) on the SD (B-MMI only; a slice-sampling update of log τ), e.g. "gamma(0.01,0.01);gamma(1,1);half-normal(1)"',
    },
    "stratify-by": { type: "string", valueName: "COL", help: "also impute with separate coefficients in each level of this cluster-level column" },
    trace: {
      ...ANALYZE_OPTIONS.trace,
      help: "write the B-MMI chains of the δ = 0 analysis (the ones analyze --trace writes with the same seed) to this CSV file: chain, iteration, warmup (1/0), one column per imputation-model term, tau (and sigma for a continuous modifier); needs bmmi in --methods",
    },
    report: REPORT_OPTION,
  },
  async run({ data, options, progress }) {
    const exclude = optionalString(options, "exclude-missing-above");
    const priors = optionalString(options, "tau-prior");
    const stratify = optionalString(options, "stratify-by");
    const analysis = analyzeOptionsFrom(options);
    // Only the δ methods run at δ = 0, and smc is not one of them.
    const trace = traceFile(options, (analysis.methods ?? []).filter((m) => DELTA_METHODS.includes(m)), ["bmmi"]);
    const result = await sensitivityAnalysis(
      data!,
      {
        ...analysis,
        deltas: deltaGrid(optionalString(options, "delta")),
        deltaArm: choiceOption(options, "delta-by", DELTA_ARMS, "both"),
        ...(exclude !== undefined ? { excludeMissingAbove: numberOption(options, "exclude-missing-above", 1, { min: 0, max: 1 }) } : {}),
        ...(priors !== undefined ? { tauPriors: priors.split(";").map((s) => s.trim()).filter(Boolean) } : {}),
        ...(stratify !== undefined ? { stratifyBy: stratify } : {}),
      },
      (d, o) => analyzeMissingModifierOnThreads(d, o),
    );
    if (trace) writeFileSync(trace, traceCsv(result.reference.traces));
    progress(1, "sensitivity");
    return { ...sensitivityReport(result), report: sensitivityHtml };
  },
};
