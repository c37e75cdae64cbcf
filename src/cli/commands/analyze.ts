import { writeFileSync } from "node:fs";
import { InputError } from "../../core/errors.ts";
import { EFFECT_SCALES } from "../../estimands/estimator.ts";
import { POOLING_DF } from "../../inference/pool.ts";
import type { LinkName } from "../../models/family/link.ts";
import { analyzeMissingModifier } from "../../missing/analyze.ts";
import type { ChainTrace } from "../../missing/bmmi.ts";
import { failed } from "../../missing/methods.ts";
import { OUTCOME_FAMILIES, OUTCOME_SE } from "../../missing/outcome-model.ts";
import { DEFAULT_METHODS, METHOD_NAMES, type MethodName } from "../../missing/result.ts";
import { analyzeHtml } from "../../report/html/analyze.ts";
import { analysisReport } from "../../report/missing.ts";
import { choiceOption, numberOption, optionalString, requiredString, type Command, type OptionValues } from "../command.ts";
import { REPORT_OPTION } from "./shared.ts";

function imputationModels(options: OptionValues): string[] {
  const v = options.imputation;
  const list = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  return list.flatMap((s) => s.split(";")).map((s) => s.trim()).filter(Boolean);
}

function methodList(options: OptionValues): MethodName[] {
  const v = optionalString(options, "methods");
  if (v === undefined) return [...DEFAULT_METHODS];
  const names = v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(METHOD_NAMES as readonly string[]).includes(n)) throw new InputError(`--methods: unknown method '${n}'; use any of ${METHOD_NAMES.join(",")}`);
  }
  return names as MethodName[];
}

/** The B-MMI and smc chains as CSV: one row per model, chain and iteration. */
export function traceCsv(traces: readonly ChainTrace[]): string {
  const width = Math.max(0, ...traces.map((t) => t.parameterNames.length));
  const header = ["imputationModel", "chain", "iteration", ...Array.from({ length: width }, (_, j) => `beta${j + 1}`), "tau", "parameterNames", "method"];
  const lines = [header.join(",")];
  for (const t of traces) {
    const p = t.parameterNames.length;
    const names = `"${t.parameterNames.join(";")}"`;
    for (let it = 0; it < t.iterations; it++) {
      const beta = Array.from({ length: width }, (_, j) => (j < p ? String(t.beta[it * p + j]) : ""));
      lines.push([`"${t.imputationModel}"`, t.chain, it + 1, ...beta, t.tau[it], names, t.method ?? "bmmi"].join(","));
    }
  }
  return lines.join("\n") + "\n";
}

export const analyzeCommand: Command = {
  name: "analyze",
  summary: "treatment-effect heterogeneity with a partly missing binary effect modifier (CCA, SI, MI, MMI, B-MMI, SMC)",
  usage:
    'DATA --cluster C --treatment A --modifier M --outcome Y --imputation "M ~ X1*A*Y" [--methods cca,si,mi,mmi,bmmi,smc] [--imputations 15] [--burnin 1000] [--thin 100] [--chains 1] [--corstr exchangeable] [--outcome-model "Y ~ A*M + X1"] [--family gaussian|binomial] [--link L] [--ate-scale rd|rr|or] [--se robust|md|kc] [--pooling-df barnard-rubin|rubin|paper] [--substantive "Y ~ A*M*X1 + (1 | C)"] [--seed 1] [--trace FILE.csv]',
  example:
    'crtkit analyze examples/trial.csv --cluster cluster --treatment A --modifier M --outcome Y --imputation "M ~ (X1 + X2 + X3)*A*Y" --seed 1',
  takesData: true,
  options: {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column" },
    treatment: { type: "string", required: true, valueName: "COL", help: "cluster-level treatment column (0/1)" },
    modifier: { type: "string", required: true, valueName: "COL", help: "binary effect modifier column (0/1, partly missing)" },
    outcome: { type: "string", required: true, valueName: "COL", help: "outcome column (continuous, or 0/1 with --family binomial)" },
    imputation: { type: "string", multiple: true, valueName: "MODEL", help: "imputation model, e.g. \"M ~ X1*A*Y\" (repeat, or separate with ;)" },
    methods: { type: "string", valueName: "LIST", help: `comma-separated methods: any of ${METHOD_NAMES.join(",")}`, default: DEFAULT_METHODS.join(",") },
    imputations: { type: "string", valueName: "N", help: "completed data sets (mi, mmi; bmmi and smc per chain)", default: "15" },
    burnin: { type: "string", valueName: "N", help: "B-MMI and smc burn-in iterations", default: "1000" },
    thin: { type: "string", valueName: "N", help: "B-MMI and smc iterations between saved imputations", default: "100" },
    chains: { type: "string", valueName: "K", help: "B-MMI and smc chains (split-R̂ needs ≥ 1; more chains pool more imputations)", default: "1" },
    "prior-variance": { type: "string", valueName: "V", help: "B-MMI and smc prior variance of each imputation coefficient around the GLMM estimate (smc's linear substantive model: this times each coefficient's complete-case variance)", default: "100" },
    corstr: { type: "string", valueName: "CORSTR", help: "outcome GEE working correlation: exchangeable or independence", default: "exchangeable" },
    "outcome-model": {
      type: "string",
      valueName: "MODEL",
      help: 'outcome GEE mean model with the treatment-by-modifier interaction, e.g. "Y ~ A*M + X1 + factor(region)"; M is centred on each completed data set, hte = A:M, ate = standardized effect',
      default: "Y ~ A*M",
    },
    family: { type: "string", valueName: "FAMILY", help: "outcome family: gaussian or binomial (a 0/1 outcome), e.g. --family binomial", default: "gaussian" },
    link: { type: "string", valueName: "LINK", help: "outcome link: identity (gaussian); logit, identity or log (binomial), e.g. --link log", default: "the canonical link" },
    "ate-scale": { type: "string", valueName: "SCALE", help: "ATE scale for a binary outcome: rd (difference), rr or or (ratios; std.error on the log scale), e.g. --ate-scale or", default: "rd" },
    se: { type: "string", valueName: "SE", help: "outcome GEE SEs: robust (normal reference), md (Mancl–DeRouen) or kc (Kauermann–Carroll) with t(C − p), e.g. --se kc", default: "robust" },
    "pooling-df": {
      type: "string",
      valueName: "RULE",
      help: "pooled df: barnard-rubin, rubin (large-sample) or paper (the missing-modifier paper's printed formula, for comparison only), e.g. --pooling-df rubin (the missing-modifier simulations report both, as estimands hte-paper-df and ate-paper-df; --param se=kc there)",
      default: "barnard-rubin",
    },
    seed: { type: "string", valueName: "N", help: "random seed (non-negative integer)", default: "1" },
    substantive: {
      type: "string",
      valueName: "MODEL",
      help: 'smc: the outcome\'s model given the modifier, e.g. "Y ~ A*M*X1 + (1 | cluster)" (a linear mixed model; logistic with --family binomial); the imputation model is then the modifier\'s own model, without Y, e.g. "M ~ X1"',
    },
    trace: { type: "string", valueName: "FILE", output: "file", help: "write the B-MMI and smc chains (parameters and τ per iteration) to this CSV file" },
    report: REPORT_OPTION,
  },
  run({ data, options, progress }) {
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const result = analyzeMissingModifier(data!, {
      cluster: requiredString(options, "cluster"),
      treatment: requiredString(options, "treatment"),
      modifier: requiredString(options, "modifier"),
      outcome: requiredString(options, "outcome"),
      imputation: imputationModels(options),
      methods: methodList(options),
      imputations: numberOption(options, "imputations", 15, { integer: true, min: 2 }),
      burnin: numberOption(options, "burnin", 1000, { integer: true, min: 0 }),
      thin: numberOption(options, "thin", 100, { integer: true, min: 1 }),
      chains: numberOption(options, "chains", 1, { integer: true, min: 1 }),
      priorVariance: numberOption(options, "prior-variance", 100, { min: 0, exclusive: true }),
      corstr: choiceOption(options, "corstr", ["exchangeable", "independence"] as const, "exchangeable"),
      outcomeModel: {
        formula: optionalString(options, "outcome-model"),
        family: choiceOption(options, "family", OUTCOME_FAMILIES, "gaussian"),
        link: optionalString(options, "link") as LinkName | undefined,
        ateScale: choiceOption(options, "ate-scale", EFFECT_SCALES, "rd"),
        se: choiceOption(options, "se", OUTCOME_SE, "robust"),
        poolingDf: choiceOption(options, "pooling-df", POOLING_DF, "barnard-rubin"),
      },
      substantive: optionalString(options, "substantive"),
      seed: numberOption(options, "seed", 1, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
      level,
      onProgress: progress,
    });
    const trace = optionalString(options, "trace");
    if (trace) writeFileSync(trace, traceCsv(result.traces));
    return { ...analysisReport(result), report: (json, context) => analyzeHtml(json, result.traces, context), exitCode: result.results.some(failed) ? 1 : 0 };
  },
};
