import { writeFileSync } from "node:fs";
import { analyzeMissingModifierOnThreads } from "../../missing/analyze-threads.ts";
import { failed } from "../../missing/methods.ts";
import { analyzeHtml } from "../../report/html/analyze.ts";
import { analysisReport } from "../../report/missing.ts";
import { traceCsv } from "../../report/trace.ts";
import type { Command } from "../command.ts";
import { ANALYZE_OPTIONS, analyzeOptionsFrom, traceFile } from "./analyze-options.ts";
import { REPORT_OPTION } from "./shared.ts";

export const analyzeCommand: Command = {
  name: "analyze",
  summary: "treatment-effect heterogeneity with a partly missing effect modifier, binary or continuous (CCA, SI, MI, MMI, B-MMI; smc and the missing-indicator comparison when named)",
  usage:
    'DATA --cluster C --treatment A --modifier M --outcome Y --imputation "M ~ X1*A*Y" [--methods cca,si,mi,mmi,bmmi,smc,indicator] [--modifier-type binary|continuous] [--imputations 15] [--burnin 1000] [--thin 100] [--chains 1] [--workers N] [--corstr exchangeable] [--outcome-model "Y ~ A*M + X1"] [--family gaussian|binomial] [--link L] [--ate-scale rd|rr|or] [--se robust|md|kc] [--pooling-df barnard-rubin|rubin|paper] [--seed 1] [--trace FILE.csv] [--report FILE.html]',
  example:
    'crtkit analyze examples/trial.csv --cluster cluster --treatment A --modifier M --outcome Y --imputation "M ~ (X1 + X2 + X3)*A*Y" --seed 1',
  takesData: true,
  options: {
    ...ANALYZE_OPTIONS,
    report: REPORT_OPTION,
  },
  async run({ data, options, progress }) {
    const analysis = analyzeOptionsFrom(options, progress);
    const trace = traceFile(options, analysis.methods ?? [], ["bmmi", "smc"]);
    const result = await analyzeMissingModifierOnThreads(data!, analysis);
    if (trace) writeFileSync(trace, traceCsv(result.traces));
    return { ...analysisReport(result), report: (json, context) => analyzeHtml(json, result.traces, context), exitCode: result.results.some(failed) ? 1 : 0 };
  },
};
