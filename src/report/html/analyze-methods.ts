/**
 * The methods section of the analyze report: what was done, in words a
 * reviewer can check against the settings, with the references it cites;
 * and the library call that gives the same result.
 */
import { categoricalMethodSentence } from "./analyze-categorical.ts";
import type { AnalyzeJson } from "./analyze-json.ts";
import { methodLabel, methodName } from "./analyze-json.ts";
import { percent } from "./common.ts";
import { literal, snippet } from "./snippet.ts";
import type { HtmlSection, ReportContext } from "./types.ts";

export const REFERENCES = {
  rubin: "Rubin DB. Multiple Imputation for Nonresponse in Surveys. Wiley, 1987.",
  barnardRubin: "Barnard J, Rubin DB. Small-sample degrees of freedom with multiple imputation. Biometrika 86(4):948–955, 1999.",
  polson: "Polson NG, Scott JG, Windle J. Bayesian inference for logistic models using Pólya–Gamma latent variables. Journal of the American Statistical Association 108(504):1339–1349, 2013.",
  mancl: "Mancl LA, DeRouen TA. A covariance estimator for GEE with improved small-sample properties. Biometrics 57(1):126–134, 2001.",
  kauermann: "Kauermann G, Carroll RJ. A note on the efficiency of sandwich covariance matrix estimation. Journal of the American Statistical Association 96(456):1387–1396, 2001.",
  liangZeger: "Liang KY, Zeger SL. Longitudinal data analysis using generalized linear models. Biometrika 73(1):13–22, 1986.",
  blette:
    "Blette BS, Halpern SD, Li F, Harhay MO. Assessing treatment effect heterogeneity in the presence of missing effect modifier data in cluster-randomized trials. Statistical Methods in Medical Research, 2023.",
  gelman: "Gelman A, Carlin JB, Stern HS, Dunson DB, Vehtari A, Rubin DB. Bayesian Data Analysis, 3rd ed. CRC Press, 2013.",
  bartlett:
    "Bartlett JW, Seaman SR, White IR, Carpenter JR. Multiple imputation of covariates by fully conditional specification: accommodating the substantive model. Statistical Methods in Medical Research 24(4):462–487, 2015.",
  goldstein:
    "Goldstein H, Carpenter JR, Browne WJ. Fitting multilevel multivariate models with missing data in responses and covariates that may include interactions and non-linear terms. Journal of the Royal Statistical Society A 177(2):553–564, 2014.",
  jones: "Jones MP. Indicator and stratification methods for missing explanatory variables in multiple linear regression. Journal of the American Statistical Association 91(433):222–230, 1996.",
  whiteThompson: "White IR, Thompson SG. Adjusting for partially missing baseline measurements in randomized trials. Statistics in Medicine 24(7):993–1007, 2005.",
  groenwold:
    "Groenwold RHH, White IR, Donders ART, Carpenter JR, Altman DG, Moons KGM. Missing covariate data in clinical research: when and when not to use the missing-indicator method for analysis. Canadian Medical Association Journal 184(11):1265–1269, 2012.",
  vehtari:
    "Vehtari A, Gelman A, Simpson D, Carpenter B, Bürkner PC. Rank-normalization, folding, and localization: an improved R̂ for assessing convergence of MCMC. Bayesian Analysis 16(2):667–718, 2021.",
} as const;

/** What each method does, in one sentence (the A, Y, M names filled in). */
function methodSentence(method: string, names: Names, json: AnalyzeJson): string {
  const s = json.settings ?? {};
  const { m } = names;
  const categorical = categoricalMethodSentence(method, m, json);
  if (categorical !== null) return categorical;
  switch (method) {
    case "cca":
      return `CCA fits the outcome model to the ${json.data.nObs - json.data.nMissing} rows with ${m} observed.`;
    case "si":
      return `SI fills each missing ${m} once, by a draw from a single-level logistic imputation model, and analyses that one data set as if it were complete (it ignores imputation uncertainty by design).`;
    case "mi":
      return `MI draws ${s.imputations ?? "several"} completed data sets from the single-level logistic imputation model, analyses each, and pools them.`;
    case "mmi":
      return `MMI imputes from a logistic random-intercept (multilevel) imputation model with its parameters fixed at their estimates and each cluster's conditional mode, ${s.imputations ?? "several"} completed data sets pooled.`;
    case "bmmi":
      return (
        `B-MMI samples the multilevel imputation model's parameters and the missing values jointly by Gibbs sampling with Pólya–Gamma augmentation (Polson, Scott & Windle 2013), ` +
        `prior N(GLMM estimate, ${s.priorVariance ?? "σ²"}) per coefficient, ${s.chains ?? 1} chain(s) of ${s.burnin ?? "?"} burn-in iterations, one completed data set every ${s.thin ?? "?"}th iteration, ${s.imputations ?? "?"} per chain.`
      );
    case "smc": {
      const substantive = json.results.find((r) => r.method === "smc")?.substantiveModel;
      return (
        `SMC draws each missing ${m} from its full conditional under two models (Bartlett et al. 2015; Goldstein et al. 2014): the modifier's own logistic random-intercept model (the imputation model, without ${names.y}) and the substantive model ${substantive ?? "for the outcome"}, ` +
        `so that the imputations are compatible with it; both models' parameters are sampled in the same Gibbs sampler (Pólya–Gamma augmentation for the logistic parts), with ${s.chains ?? 1} chain(s) of ${s.burnin ?? "?"} burn-in iterations and ${s.imputations ?? "?"} completed data sets per chain, one every ${s.thin ?? "?"}th iteration.`
      );
    }
    case "indicator":
      return (
        `The missing-indicator analysis fits the same outcome model to all ${json.data.nObs} rows with the centred ${m} set to 0 (its observed mean) where it is missing, plus the missingness indicator and its interaction with ${names.a}, ` +
        `so the ${json.data.nMissing} rows without ${m} get their own arm-specific intercept. Its HTE is therefore estimated from the rows with ${m} observed only, and is unbiased only when missingness is unrelated to the outcome given ${names.a}, ${m} and the model's covariates (Jones 1996; Groenwold et al. 2012); ` +
        `its ATE averages the observed rows' effect and the missing rows' own arm difference, which randomization protects when missingness is unaffected by treatment (White & Thompson 2005) and which can be biased when the share missing differs between arms. It is a comparison, not a replacement for imputation.`
      );
    default:
      return `${methodLabel(method)} is ${methodName(method)}.`;
  }
}

interface Names {
  readonly a: string;
  readonly y: string;
  readonly m: string;
}

function poolingDfText(poolingDf: unknown, corrected: boolean, clusters: number): string {
  const dfcom = corrected ? "C − p (p outcome-model coefficients)" : `C − 2 = ${clusters - 2} for ${clusters} clusters`;
  if (poolingDf === "rubin") return "Rubin's (1987) large-sample degrees of freedom";
  if (poolingDf === "paper") return `the degrees-of-freedom formula printed in Blette et al. (2023), for comparison only, and complete-data df ν_com = ${dfcom}`;
  return `the Barnard & Rubin (1999) small-sample degrees of freedom, complete-data df ν_com = ${dfcom}`;
}

export function methodsSection(json: AnalyzeJson, names: Names): HtmlSection {
  const s = json.settings ?? {};
  const methods = [...new Set(json.results.map((r) => r.method))];
  const models = [...new Set(json.results.flatMap((r) => (r.imputationModel ? [r.imputationModel] : [])))];
  const pooled = methods.some((m) => m === "mi" || m === "mmi" || m === "bmmi" || m === "smc");
  const { a, y, m } = names;
  const se = typeof s.se === "string" ? s.se : "robust";
  const family = typeof s.family === "string" ? s.family : "gaussian";
  const link = typeof s.link === "string" ? s.link : family === "binomial" ? "logit" : "identity";
  const model = typeof s.outcomeModel === "string" ? s.outcomeModel : `${y} ~ ${a}*${m}`;
  const ateScale = typeof s.ateScale === "string" ? s.ateScale : "rd";
  const scaleName = { rd: "difference", rr: "ratio (SE on the log scale)", or: "odds ratio (SE on the log scale)" }[ateScale] ?? ateScale;
  const corrected = se === "md" || se === "kc";
  const outcome =
    `The outcome ${y} was analysed with a generalized estimating equation (GEE; Liang & Zeger 1986), ${family} family with ${link} link and ${s.corstr ?? "exchangeable"} working correlation within clusters, ` +
    `mean model ${model}, with the modifier ${m} centred at its mean over the analysed rows of each completed data set. ` +
    `The heterogeneity of the treatment effect (HTE) is the ${a}-by-${m} interaction coefficient (${link} scale); the average treatment effect (ATE) is the mean predicted outcome with everyone treated minus everyone control over the analysed rows` +
    (family === "binomial" ? `, as a ${scaleName}` : "") +
    `, with a delta-method SE. ` +
    (corrected
      ? `Standard errors use the ${se === "md" ? "Mancl & DeRouen (2001)" : "Kauermann & Carroll (2001)"} bias-corrected sandwich with a t reference on C − p df.`
      : `Standard errors are the robust sandwich; with few clusters it is biased downwards, which the Mancl & DeRouen (2001) or Kauermann & Carroll (2001) corrections (--se md|kc) address.`);
  const comparison =
    `The analyses follow Blette et al. (2023): ${methods.map((x) => `${methodName(x)} (${methodLabel(x)})`).join(", ")}` +
    (models.length > 0 ? `, each imputation method under the imputation model${models.length > 1 ? "s" : ""} ${models.join("; ")}.` : ".");
  const pooling = pooled
    ? `Completed-data estimates were pooled by Rubin's rules (Rubin 1987) with ${poolingDfText(s.poolingDf, corrected, json.data.nClusters)}; ` +
      "the tables give mice's diagnostics where present: m, the relative increase in variance (riv), λ and the fraction of missing information (fmi)."
    : "";
  const paragraphs = [outcome, comparison, ...methods.map((x) => methodSentence(x, names, json)), pooling].filter(Boolean);
  const intervals = `Intervals are ${percent(s.level ?? 0.95)} confidence intervals; the seed of the random streams is ${json.seed ?? "recorded in the provenance"}.`;
  const cited: string[] = [REFERENCES.rubin, REFERENCES.barnardRubin, REFERENCES.polson, REFERENCES.mancl, REFERENCES.liangZeger, REFERENCES.blette];
  if (se === "kc" || !corrected) cited.splice(cited.indexOf(REFERENCES.mancl) + 1, 0, REFERENCES.kauermann);
  if (methods.includes("smc")) cited.push(REFERENCES.bartlett, REFERENCES.goldstein);
  if (methods.includes("indicator")) cited.push(REFERENCES.jones, REFERENCES.whiteThompson, REFERENCES.groenwold);
  if (methods.includes("bmmi") || methods.includes("smc")) cited.push(REFERENCES.gelman, REFERENCES.vehtari);
  return {
    id: "methods",
    title: "Methods",
    blocks: [
      ...paragraphs.map((text) => ({ kind: "paragraph" as const, text })),
      { kind: "paragraph", text: intervals },
      { kind: "heading", text: "References" },
      { kind: "references", items: [...cited].sort() },
    ],
  };
}

/** How each analyze option is written in a library call; options not listed only choose where output goes. */
const LIBRARY_OPTIONS: Readonly<Record<string, { readonly key: string; readonly kind: "string" | "number" | "list" | "models" }>> = {
  cluster: { key: "cluster", kind: "string" },
  treatment: { key: "treatment", kind: "string" },
  modifier: { key: "modifier", kind: "string" },
  outcome: { key: "outcome", kind: "string" },
  imputation: { key: "imputation", kind: "models" },
  methods: { key: "methods", kind: "list" },
  imputations: { key: "imputations", kind: "number" },
  burnin: { key: "burnin", kind: "number" },
  thin: { key: "thin", kind: "number" },
  chains: { key: "chains", kind: "number" },
  "prior-variance": { key: "priorVariance", kind: "number" },
  corstr: { key: "corstr", kind: "string" },
  "modifier-type": { key: "modifierType", kind: "string" },
  "outcome-model": { key: "outcomeModel.formula", kind: "string" },
  family: { key: "outcomeModel.family", kind: "string" },
  link: { key: "outcomeModel.link", kind: "string" },
  "ate-scale": { key: "outcomeModel.ateScale", kind: "string" },
  se: { key: "outcomeModel.se", kind: "string" },
  "pooling-df": { key: "outcomeModel.poolingDf", kind: "string" },
  substantive: { key: "substantive", kind: "string" },
  seed: { key: "seed", kind: "number" },
  level: { key: "level", kind: "number" },
};

type LibraryValue = string | number | string[] | { readonly [key: string]: LibraryValue };

/** Options that change how the work runs, never its result (the snippet leaves them out). */
export const ANALYZE_EXECUTION_OPTIONS: readonly string[] = ["workers"];

/** The analyze options the library snippet writes out (a test checks every analyze option is one of them or output only). */
export const ANALYZE_LIBRARY_OPTIONS: readonly string[] = Object.keys(LIBRARY_OPTIONS);

function optionValue(kind: (typeof LIBRARY_OPTIONS)[string]["kind"], texts: readonly string[]): string | number | string[] {
  const last = texts[texts.length - 1];
  switch (kind) {
    case "string":
      return last;
    case "number":
      return Number(last);
    case "list":
      return last.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean);
    case "models":
      return texts.flatMap((t) => t.split(";")).map((t) => t.trim()).filter(Boolean);
  }
}

/**
 * The library options of this run: the analyze options given, in the
 * library's names, and the seed (written out even when left at its default).
 * Options not given take the same defaults in the library as on the command line.
 */
export function analyzeLibraryOptions(context: ReportContext, seed: number | undefined): Record<string, LibraryValue> {
  const out: Record<string, LibraryValue> = {};
  for (const [name, spec] of Object.entries(LIBRARY_OPTIONS)) {
    const raw = context.options[name];
    const texts = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
    if (texts.length === 0) continue;
    // "outcomeModel.family" goes into the nested outcomeModel object.
    const [outer, inner] = spec.key.split(".");
    if (inner === undefined) out[outer] = optionValue(spec.kind, texts);
    else out[outer] = { ...((out[outer] as Record<string, LibraryValue> | undefined) ?? {}), [inner]: optionValue(spec.kind, texts) };
  }
  if (out.seed === undefined && seed !== undefined) out.seed = seed;
  return out;
}

/** `analyzeMissingModifier(readCsv(…), { … })` with the options of this run. */
export function analyzeSnippet(context: ReportContext, seed: number | undefined): string {
  const call = `const result = analyzeMissingModifier(data, ${literal(analyzeLibraryOptions(context, seed))});`;
  return snippet(["analyzeMissingModifier"], call, context.dataPath ?? "data.csv");
}
