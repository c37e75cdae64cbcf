/**
 * The options of `crtkit analyze` that the app offers, and how their text
 * becomes the library's options: the same parsing, ranges and messages as
 * the command line (src/cli/commands/analyze.ts), so that the app's result
 * JSON is the command's and a mistake reads the same in both. The form
 * holds option values by their command-line names; the "copy CLI command"
 * text is made from the very same values.
 */
import {
  EFFECT_SCALES,
  InputError,
  DEFAULT_METHODS,
  METHOD_NAMES,
  MODIFIER_TYPES,
  OUTCOME_FAMILIES,
  OUTCOME_SE,
  POOLING_DF,
  type AnalyzeOptions,
  type LinkName,
  type MethodName,
} from "crtkit/core";
import { choiceOption, numberOption, optionalString, requiredString, type OptionValues } from "../../src/cli/command.ts";

export const ROLES = ["cluster", "treatment", "modifier", "outcome"] as const;
export type Role = (typeof ROLES)[number];

export interface Field {
  /** The fieldset the field is shown in. */
  readonly group: string;
  /** The command-line option, e.g. "burnin"; also the field's data-testid. */
  readonly name: string;
  readonly label: string;
  readonly help: string;
  readonly fallback: string;
  readonly input: "text" | "number" | "select";
  /** A select's choices; "" stands for "not given" (the command's default). */
  readonly choices?: readonly string[];
  readonly wide?: boolean;
}

const CORSTR = ["exchangeable", "independence"] as const;

/** The analysis options after the roles, by group. */
export const ANALYZE_FIELDS: readonly Field[] = [
  { group: "Imputation", name: "imputation", label: "Imputation model(s)", help: "R formula for the modifier, e.g. M ~ X1*A*Y; separate several models with ;", fallback: "", input: "text", wide: true },
  { group: "Imputation", name: "methods", label: "Methods", help: `comma-separated, any of ${METHOD_NAMES.join(", ")}`, fallback: DEFAULT_METHODS.join(","), input: "text", wide: true },
  { group: "Imputation", name: "modifier-type", label: "Modifier type", help: "(default): binary for a 0/1 modifier, categorical for a text column (multinomial imputation models; one hte per non-reference level and their joint test), else continuous (linear imputation models; hte per unit of the modifier)", fallback: "", input: "select", choices: ["", ...MODIFIER_TYPES] },
  { group: "Imputation", name: "imputations", label: "Imputations", help: "completed data sets (mi, mmi, bmmi per chain), at least 2", fallback: "15", input: "number" },
  { group: "Imputation", name: "burnin", label: "Burn-in", help: "B-MMI burn-in iterations", fallback: "1000", input: "number" },
  { group: "Imputation", name: "thin", label: "Thin", help: "B-MMI iterations between saved imputations", fallback: "100", input: "number" },
  { group: "Imputation", name: "chains", label: "Chains", help: "B-MMI chains; more chains pool more imputations", fallback: "1", input: "number" },
  { group: "Imputation", name: "prior-variance", label: "Prior variance", help: "B-MMI prior variance of each imputation coefficient around the mixed-model estimate", fallback: "100", input: "number" },
  { group: "Imputation", name: "pooling-df", label: "Pooled df", help: "barnard-rubin, rubin (large-sample) or paper (the missing-modifier paper's formula, for comparison)", fallback: "barnard-rubin", input: "select", choices: POOLING_DF },
  {
    group: "Outcome model",
    name: "outcome-model",
    label: "Outcome model",
    help: "GEE mean model with the treatment-by-modifier interaction, e.g. Y ~ A*M + X1; empty: Y ~ A*M in the columns chosen. hte = A:M; ate = the standardized effect",
    fallback: "",
    input: "text",
    wide: true,
  },
  { group: "Outcome model", name: "family", label: "Family", help: "gaussian, or binomial for a 0/1 outcome", fallback: "gaussian", input: "select", choices: OUTCOME_FAMILIES },
  { group: "Outcome model", name: "link", label: "Link", help: "(default): the family's canonical link (identity, logit)", fallback: "", input: "select", choices: ["", "identity", "logit", "log"] },
  { group: "Outcome model", name: "corstr", label: "Working correlation", help: "GEE working correlation within clusters", fallback: "exchangeable", input: "select", choices: CORSTR },
  { group: "Outcome model", name: "se", label: "Standard errors", help: "robust (normal reference), md (Mancl–DeRouen) or kc (Kauermann–Carroll) with t(C − p)", fallback: "robust", input: "select", choices: OUTCOME_SE },
  { group: "Outcome model", name: "ate-scale", label: "ATE scale", help: "binary outcome: rd (difference), rr or or (ratios; std.error on the log scale)", fallback: "rd", input: "select", choices: EFFECT_SCALES },
  { group: "Intervals and seed", name: "level", label: "Confidence level", help: "of every interval, in (0, 1)", fallback: "0.95", input: "number" },
  { group: "Intervals and seed", name: "seed", label: "Seed", help: "random seed (non-negative integer): the same seed gives the same result", fallback: "1", input: "number" },
];

/** The imputation models: the option may be repeated, and each value may hold several separated by ';'. */
function imputationModels(values: OptionValues): string[] {
  const v = values.imputation;
  const list = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  return list.flatMap((s) => s.split(";")).map((s) => s.trim()).filter(Boolean);
}

function methodList(values: OptionValues): MethodName[] {
  const v = optionalString(values, "methods");
  if (v === undefined) return [...DEFAULT_METHODS];
  const names = v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(METHOD_NAMES as readonly string[]).includes(n)) throw new InputError(`--methods: unknown method '${n}'; use any of ${METHOD_NAMES.join(",")}`);
  }
  return names as MethodName[];
}

/** Each option's parser, as the command's `run` reads it. */
const PARSERS = {
  cluster: (v: OptionValues) => requiredString(v, "cluster"),
  treatment: (v: OptionValues) => requiredString(v, "treatment"),
  modifier: (v: OptionValues) => requiredString(v, "modifier"),
  outcome: (v: OptionValues) => requiredString(v, "outcome"),
  imputation: imputationModels,
  methods: methodList,
  imputations: (v: OptionValues) => numberOption(v, "imputations", 15, { integer: true, min: 2 }),
  burnin: (v: OptionValues) => numberOption(v, "burnin", 1000, { integer: true, min: 0 }),
  thin: (v: OptionValues) => numberOption(v, "thin", 100, { integer: true, min: 1 }),
  chains: (v: OptionValues) => numberOption(v, "chains", 1, { integer: true, min: 1 }),
  "modifier-type": (v: OptionValues) => (optionalString(v, "modifier-type") === undefined ? undefined : choiceOption(v, "modifier-type", MODIFIER_TYPES, "binary")),
  "prior-variance": (v: OptionValues) => numberOption(v, "prior-variance", 100, { min: 0, exclusive: true }),
  corstr: (v: OptionValues) => choiceOption(v, "corstr", CORSTR, "exchangeable"),
  "outcome-model": (v: OptionValues) => optionalString(v, "outcome-model"),
  family: (v: OptionValues) => choiceOption(v, "family", OUTCOME_FAMILIES, "gaussian"),
  link: (v: OptionValues) => optionalString(v, "link") as LinkName | undefined,
  "ate-scale": (v: OptionValues) => choiceOption(v, "ate-scale", EFFECT_SCALES, "rd"),
  se: (v: OptionValues) => choiceOption(v, "se", OUTCOME_SE, "robust"),
  "pooling-df": (v: OptionValues) => choiceOption(v, "pooling-df", POOLING_DF, "barnard-rubin"),
  level: (v: OptionValues) => numberOption(v, "level", 0.95, { min: 0, max: 1, exclusive: true }),
  seed: (v: OptionValues) => numberOption(v, "seed", 1, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
} as const;

/** The library options the command builds from the same values. */
export function analyzeOptions(values: OptionValues): AnalyzeOptions {
  const level = PARSERS.level(values);
  return {
    cluster: PARSERS.cluster(values),
    treatment: PARSERS.treatment(values),
    modifier: PARSERS.modifier(values),
    outcome: PARSERS.outcome(values),
    imputation: PARSERS.imputation(values),
    methods: PARSERS.methods(values),
    imputations: PARSERS.imputations(values),
    burnin: PARSERS.burnin(values),
    thin: PARSERS.thin(values),
    chains: PARSERS.chains(values),
    ...(values["modifier-type"] !== undefined ? { modifierType: PARSERS["modifier-type"](values) } : {}),
    priorVariance: PARSERS["prior-variance"](values),
    corstr: PARSERS.corstr(values),
    outcomeModel: {
      formula: PARSERS["outcome-model"](values),
      family: PARSERS.family(values),
      link: PARSERS.link(values),
      ateScale: PARSERS["ate-scale"](values),
      se: PARSERS.se(values),
      poolingDf: PARSERS["pooling-df"](values),
    },
    seed: PARSERS.seed(values),
    level,
  };
}

/** The message of every option whose value the command would refuse, by option name. */
export function optionErrors(values: OptionValues): Map<string, string> {
  const errors = new Map<string, string>();
  for (const [name, parse] of Object.entries(PARSERS)) {
    try {
      parse(values);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.set(name, e.message);
    }
  }
  return errors;
}

/** A word for a POSIX shell: as it is when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `crtkit analyze FILE --cluster … --format json` with every option the analysis used, defaults included. */
export function analyzeCommandWords(fileName: string, values: OptionValues): string[] {
  // A name starting with "-" would read as an option.
  const words = ["crtkit", "analyze", fileName.startsWith("-") ? `./${fileName}` : fileName];
  for (const name of [...ROLES, ...ANALYZE_FIELDS.map((f) => f.name)]) {
    const v = values[name];
    for (const value of Array.isArray(v) ? v : typeof v === "string" ? [v] : []) {
      // `--name=-x` keeps a value that starts with "-" from reading as an option.
      words.push(...(value.startsWith("-") ? [`--${name}=${value}`] : [`--${name}`, value]));
    }
  }
  words.push("--format", "json");
  return words;
}

/** The words as one shell line, or (`wrapped`) one option per line joined by backslash-newlines, for reading. */
export function shellLine(words: readonly string[], wrapped = false): string {
  const quoted = words.map(shellWord);
  if (!wrapped) return quoted.join(" ");
  return quoted.reduce((text, word, i) => (i === 0 ? word : word.startsWith("--") ? `${text} \\\n  ${word}` : `${text} ${word}`), "");
}
