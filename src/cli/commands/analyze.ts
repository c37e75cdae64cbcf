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
  summary: "treatment-effect heterogeneity with a partly missing effect modifier, binary, continuous or categorical (CCA, SI, MI, MMI, B-MMI; smc and the missing-indicator comparison when named)",
  usage:
    'DATA --cluster C --treatment A --modifier M --outcome Y --imputation "M ~ X1*A*Y" [--methods cca,si,mi,mmi,bmmi,smc,indicator] [--modifier-type binary|continuous|categorical] [--imputations 15] [--burnin 1000] [--thin 100] [--chains 1] [--workers N] [--corstr exchangeable] [--outcome-model "Y ~ A*M + X1"] [--family gaussian|binomial] [--link L] [--ate-scale rd|rr|or] [--se robust|md|kc] [--pooling-df barnard-rubin|rubin|paper] [--seed 1] [--trace FILE.csv] [--report FILE.html]',
  example:
    'crtkit analyze examples/trial.csv --cluster cluster --treatment A --modifier M --outcome Y --imputation "M ~ (X1 + X2 + X3)*A*Y" --seed 1',
  notes: [
    "**A categorical modifier** (`--modifier-type categorical`; chosen automatically for a text modifier column or when `--outcome-model` writes `factor(M)`) has k ≥ 2 levels " +
      "in the order of R's `factor()` (numbers ascending, text sorted; the first level is the reference). The outcome GEE is `Y ~ A*factor(M)` in treatment contrasts, each level's dummy centred " +
      "at its share over the analysed rows of every completed data set, so `ate` is the standardized effect as for the other types. In JSON, `data.modifierLevels` lists the levels, " +
      "`settings.hteTerms` the contrasts' names (`A:Mlow`, or `A:factor(M)2`), and each result has `hteTerms: [{ term, estimate, stdError, df, statistic, pValue, confLow, confHigh }]` (one per non-reference level; " +
      "pooled by Rubin's rules for mi and bmmi) and `hteTest: { statistic, df1, df2, pValue, method }`, the joint test that every contrast is 0: for cca and si the Wald statistic W/(k − 1) " +
      "(`method: \"wald\"`; `df2` null for the χ²(k − 1)/(k − 1) reference with robust SEs, C − p with md/kc), pooled the D1 statistic of Li, Raghunathan & Rubin (1991) as `mice::D1` computes it, " +
      "with Reiter's (2007) df2 from ν_com (Li et al.'s with `--pooling-df rubin`; `method: \"D1\"`, and `riv`, the average relative increase in variance r). `hte` stays an Estimate and is the first contrast (`hteTerms[0]`), so that readers of `hte` get " +
      "a defined number; read `hteTerms` and `hteTest` for the heterogeneity. The table and CSV outputs have the rows `hte[A:Mlow]`, … and `hte[joint]` (statistic, denominator df, p-value) instead of `hte`.",
    "A categorical modifier is imputed by multinomial-logit models: si at the estimates; mi with the coefficients of every completed data set drawn from N(β̂, V̂) (proper imputation, unlike mi of a binary or continuous modifier); " +
      "bmmi from a multinomial random-intercept model, one random intercept and precision per non-reference level, sampled level by level with Pólya-Gamma draws (Holmes & Held 2006), " +
      "its trace columns `level:term` and `tau:level`; smc with the same multinomial random-intercept model as the modifier's own model and the substantive model evaluated at each of the k levels, " +
      "every missing value drawn from its exact k-point full conditional ∝ softmax(η)_j · p(Y | M = j, θ) (write `--substantive \"Y ~ A*factor(M)*X1 + (1 | cluster)\"`, or M for a text column; M must enter as itself; " +
      "its trace columns `level:term`, `tau:level`, then `Y~term`; no `meanImputed`, and no covariate models). mmi is not available for it (left out of the default methods, refused when named), nor are a δ-adjustment and `simulate --scenario impose-missingness`. " +
      "A level seen only in rows dropped for other missing values is refused naming the level; a level absent from a completed data set fails that method with an error diagnostic naming it.",
  ],
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
