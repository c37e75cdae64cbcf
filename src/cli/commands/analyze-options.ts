/**
 * The options of `crtkit analyze` and their mapping onto the library's
 * AnalyzeOptions, shared with `crtkit sensitivity`, which takes them all.
 */
import { InputError } from "../../core/errors.ts";
import { EFFECT_SCALES } from "../../estimands/estimator.ts";
import { POOLING_DF } from "../../inference/pool.ts";
import type { LinkName } from "../../models/family/link.ts";
import type { AnalyzeOptions } from "../../missing/analyze.ts";
import type { ThreadOptions } from "../../missing/analyze-threads.ts";
import { MODIFIER_TYPES } from "../../missing/modifier.ts";
import { OUTCOME_FAMILIES, OUTCOME_SE } from "../../missing/outcome-model.ts";
import { DEFAULT_METHODS, METHOD_NAMES, type MethodName } from "../../missing/result.ts";
import { choiceOption, MAX_WORKERS, numberOption, optionalString, requiredString, type OptionSpec, type OptionValues } from "../command.ts";

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

export const ANALYZE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column" },
    treatment: { type: "string", required: true, valueName: "COL", help: "cluster-level treatment column (0/1)" },
    modifier: { type: "string", required: true, valueName: "COL", help: "effect modifier column (partly missing): binary 0/1, continuous, or categorical (a text column, or with --modifier-type categorical or factor(M) in --outcome-model); constant within clusters makes it cluster-level, imputed once per cluster" },
    "modifier-type": {
      type: "string",
      valueName: "TYPE",
      help:
        "binary (logistic imputation models), continuous (linear ones; hte per unit of the modifier) or categorical (k levels in R's sorted factor order, the first the reference; multinomial-logit imputation models, mmi not available; hte is the first treatment-by-level contrast, hteTerms all k − 1, hteTest their joint Wald or D1 test)",
      default: "categorical for a text column or factor(M) in the outcome model, binary for a 0/1 modifier, else continuous",
    },
    outcome: { type: "string", required: true, valueName: "COL", help: "outcome column (continuous, or 0/1 with --family binomial)" },
    imputation: {
      type: "string",
      multiple: true,
      valueName: "MODEL",
      help:
        "imputation model, e.g. \"M ~ X1*A*Y\" (repeat, or separate with ;); with smc, a model whose response is another column, e.g. \"X2 ~ X1 + A\", is a covariate model: " +
        "that partly missing covariate (0/1: logistic, else normal, with a cluster random intercept) is imputed in every smc chain, and its rows are kept",
    },
    methods: {
      type: "string",
      valueName: "LIST",
      help:
        `comma-separated methods: any of ${METHOD_NAMES.join(",")}; indicator (asked for by name) is the missing-indicator comparison: M set to 0 where missing (after centring) ` +
        "plus the missingness indicator and its interaction with the treatment, no imputation model; its hte comes from the rows with M observed only",
      default: DEFAULT_METHODS.join(","),
    },
    imputations: { type: "string", valueName: "N", help: "completed data sets (mi, mmi, bmmi per chain)", default: "15" },
    burnin: { type: "string", valueName: "N", help: "B-MMI burn-in iterations", default: "1000" },
    thin: { type: "string", valueName: "N", help: "B-MMI iterations between saved imputations", default: "100" },
    chains: { type: "string", valueName: "K", help: "B-MMI chains, each the full schedule; all K·D imputations are pooled; split-R̂ and ESS over the chains", default: "1" },
    workers: {
      type: "string",
      valueName: "N",
      help: `worker threads for the B-MMI chains (at most ${MAX_WORKERS}); the results do not depend on it`,
      default: "min(K, available cores)",
    },
    "prior-variance": { type: "string", valueName: "V", help: "B-MMI and smc prior variance of each imputation coefficient around the mixed-model (GLMM or LMM) estimate (smc's linear substantive model: this times each coefficient's complete-case variance)", default: "100" },
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
      help: 'smc: the outcome\'s model given the modifier, e.g. "Y ~ A*M*X1 + (1 | cluster)" (a linear mixed model; logistic with --family binomial; a continuous modifier enters it linearly; a categorical one as factor(M), or M for a text column, its levels as dummies); the imputation model is then the modifier\'s own model, without Y, e.g. "M ~ X1"',
    },
    trace: { type: "string", valueName: "FILE", output: "file", help: "write the B-MMI (and smc) chains to this CSV file: chain, iteration, warmup (1/0), one column per imputation-model term, tau (and sigma for a continuous modifier; smc: then its substantive model's parameters as Y~term, then each covariate model's as X2~term, X2~tau, X2~sigma)" },
};

/**
 * The `--trace` file, or undefined without one. Refused when none of
 * `methods` samples a chain (`chained`), so that the option never leaves an
 * empty file where the user expects chains.
 */
export function traceFile(options: OptionValues, methods: readonly MethodName[], chained: readonly MethodName[]): string | undefined {
  const file = optionalString(options, "trace");
  if (file === undefined) return undefined;
  if (!methods.some((m) => chained.includes(m))) {
    throw new InputError(`--trace ${file}: writes the chains of ${chained.join(" and ")}, and --methods ${methods.join(",")} runs none; add ${chained[0]} to --methods or leave out --trace`);
  }
  return file;
}

/** The library options of an analysis from the command-line options. */
export function analyzeOptionsFrom(options: OptionValues, progress?: (fraction: number, label: string) => void): AnalyzeOptions & ThreadOptions {
    const level = numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true });
    const workersText = optionalString(options, "workers");
    const modifierType = optionalString(options, "modifier-type");
    return {
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
      ...(workersText !== undefined ? { workers: numberOption(options, "workers", 1, { integer: true, min: 1, max: MAX_WORKERS }) } : {}),
      ...(modifierType !== undefined ? { modifierType: choiceOption(options, "modifier-type", MODIFIER_TYPES, "binary") } : {}),
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
      seed: numberOption(options, "seed", 1, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
      ...(optionalString(options, "substantive") !== undefined ? { substantive: optionalString(options, "substantive") } : {}),
      level,
      ...(progress ? { onProgress: progress } : {}),
    };
}
