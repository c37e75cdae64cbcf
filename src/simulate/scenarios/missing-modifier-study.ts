/**
 * The simulation scenarios `missing-modifier-1` and `missing-modifier-2`
 * (Blette et al. 2023): the data-generating mechanisms of missing-modifier.ts, the five
 * missing-data methods and smc (substantive-model-compatible imputation, run
 * when named, with the data-generating outcome model as its substantive model), estimands `hte` and `ate`, and `hte-paper-df` and
 * `ate-paper-df`: the same imputations pooled with the df formula printed in
 * the paper (for comparison; cca and si, which do not pool, repeat their rows).
 *
 * True values are computed, not assumed: HTE = β₃; ATE = 1 + β₃·E[M] with
 * E[M] = E[expit(0.5 + α)], α ~ N(0, (π²/3)·ρ/(1 − ρ)), by numerical
 * integration (0.6134 at ρ = 0.1, not expit(0.5) = 0.6225). The method's
 * authors scored the ATE against 0 when β₃ ≠ 0; the correct truth is
 * 1 − (1 + e^−0.5)·0.6134 ≈ 0.0146, and `notes` says so.
 */
import { info } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { dataset, type Column, type Dataset } from "../../data/dataset.ts";
import { GIBBS_DEFAULTS } from "../../missing/gibbs.ts";
import { prepareModifierData, type ModifierColumns } from "../../missing/data.ts";
import { OUTCOME_SE, type OutcomeOptions, type OutcomeSe } from "../../missing/outcome-model.ts";
import type { Estimate } from "../../core/records.ts";
import { poolMoments } from "../../inference/pool.ts";
import { failed, runMethod } from "../../missing/methods.ts";
import { sharedPreparation } from "../../missing/shared-fits.ts";
import { DEFAULT_METHODS, METHOD_NAMES, usesImputationModel, type MethodName, type MethodResult, type MethodSettings } from "../../missing/result.ts";
import { checkSubstantive, type SubstantiveSpec } from "../../missing/smc/substantive.ts";
import { createRng, type Rng } from "../../random/rng.ts";
import { integerParameter, numberParameter, stringParameter } from "../conditions.ts";
import { estimandRow, failedRow } from "../rows.ts";
import type { AnalysisRow, MethodSpec, Parameters, Scenario } from "../types.ts";
import { latentInterceptVariance, simulateMissingModifierTrial, type MissingModifierDesign } from "./missing-modifier.ts";

/** E[expit(mu + α)] for α ~ N(0, variance), by composite Simpson's rule over ±12 SD (error < 1e-12). */
export function expectedExpit(mu: number, variance: number): number {
  const sd = Math.sqrt(variance);
  if (sd === 0) return 1 / (1 + Math.exp(-mu));
  const steps = 4000;
  const h = 24 / steps;
  let s = 0;
  for (let k = 0; k <= steps; k++) {
    const z = -12 + k * h;
    const f = Math.exp(-0.5 * z * z) / (1 + Math.exp(-(mu + sd * z)));
    s += (k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2) * f;
  }
  return ((s * h) / 3) / Math.sqrt(2 * Math.PI);
}

/** The paper's non-null interaction, −(1 + e^−0.5). */
export const PAPER_BETA3 = -(1 + Math.exp(-0.5));

function design(scenario: 1 | 2, p: Parameters): MissingModifierDesign {
  const icc = (name: string): number => {
    const v = numberParameter(p, name);
    if (!(v >= 0 && v < 1)) throw new InputError(`parameter '${name}' must be in [0, 1); got ${v}`);
    return v;
  };
  const clusters = integerParameter(p, "clusters", 4);
  const meanClusterSize = numberParameter(p, "meanClusterSize");
  if (!(meanClusterSize > 0)) throw new InputError(`parameter 'meanClusterSize' must be positive; got ${meanClusterSize}`);
  const errorVariance = numberParameter(p, "errorVariance");
  if (!(errorVariance > 0)) throw new InputError(`parameter 'errorVariance' must be positive; got ${errorVariance}`);
  return { scenario, clusters, meanClusterSize, beta3: numberParameter(p, "beta3"), modifierIcc: icc("modifierIcc"), outcomeIcc: icc("outcomeIcc"), errorVariance };
}

/** The missing-data methods' settings from a scenario's `imputations`, `burnin` and `thin` parameters (shared by every scenario that runs them). */
export function missingMethodSettings(p: Parameters): MethodSettings {
  const imputations = integerParameter(p, "imputations", 2);
  return {
    imputations,
    corstr: "exchangeable",
    level: 0.95,
    chains: 1,
    gibbs: { ...GIBBS_DEFAULTS, imputations, burnin: integerParameter(p, "burnin", 0), thin: integerParameter(p, "thin", 1) },
  };
}

/** The outcome GEE's SEs (analysis parameter `se`; the outcome model is the paper's `Y ~ A*M`). */
function outcomeOptions(p: Parameters): OutcomeOptions {
  const se = stringParameter(p, "se");
  if (!(OUTCOME_SE as readonly string[]).includes(se)) throw new InputError(`parameter 'se' must be one of ${OUTCOME_SE.join(", ")}; got '${se}'`);
  return { se: se as OutcomeSe };
}

/** The study's estimands: each estimand as analysed, then pooled with the paper's df. */
export const PAPER_DF_SUFFIX = "-paper-df";
const STUDY_ESTIMANDS = ["hte", "ate", `hte${PAPER_DF_SUFFIX}`, `ate${PAPER_DF_SUFFIX}`] as const;

/** `e` pooled again with the paper's df from the same imputations (a method that does not pool keeps its row). */
function paperDfEstimate(result: MethodResult, estimand: "hte" | "ate", level: number): Estimate {
  const record = result.pooling?.[estimand];
  if (record === undefined) return result[estimand];
  return poolMoments({ m: record.m, qbar: record.estimate, ubar: record.ubar, b: record.b }, { dfcom: record.dfcom ?? Infinity, dfMethod: "paper", level });
}

function trialDataset(scenario: 1 | 2, p: Parameters, rng: Rng): Dataset {
  const trial = simulateMissingModifierTrial(design(scenario, p), rng);
  const columns: Column[] = [
    { name: "cluster", kind: "numeric", values: trial.cluster },
    { name: "A", kind: "numeric", values: trial.A },
    { name: "M", kind: "numeric", values: trial.M },
    { name: "Y", kind: "numeric", values: trial.Y },
    ...trial.X.map((x, k): Column => ({ name: `X${k + 1}`, kind: "numeric", values: x })),
  ];
  return dataset(columns);
}

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" } as const;

/**
 * One missing-modifier method (columns cluster, A, M, Y) on a simulated data
 * set, as analysis rows in the order of `estimands`. Extra B-MMI chains get
 * streams seeded from the replicate's stream. `outcome` sets the outcome
 * GEE (model, family, SEs, ATE scale, pooling df; default `Y ~ A*M`);
 * `substantive` is smc's substantive model (used by smc only).
 */
export function missingModifierRows(
  data: Dataset,
  spec: MethodSpec,
  settings: MethodSettings,
  rng: Rng,
  estimands: readonly string[],
  outcome: OutcomeOptions = {},
  columns: ModifierColumns = COLUMNS,
  substantive?: SubstantiveSpec,
): AnalysisRow[] {
  const method = spec.method as MethodName;
  // Methods with the same imputation model share one preparation of the replicate's data, and with it their imputation-model fits.
  const formulas = usesImputationModel(method) ? [spec.imputationModel] : [];
  const options = { ...outcome, ...(method === "smc" && substantive ? { substantive } : {}) };
  const prepared = sharedPreparation(data, [columns, formulas, options], () => prepareModifierData(data, columns, formulas, options));
  const chainSeed = rng.uint32();
  const { result } = runMethod(prepared, method, prepared.designs[0] ?? null, settings, (chain) =>
    chain === 0 ? rng : createRng(chainSeed, chain),
  );
  if (failed(result)) {
    const reason = result.diagnostics.find((d) => d.severity === "error")!.message;
    return estimands.map((e) => failedRow(e, reason));
  }
  return estimands.map((e) => {
    if (!e.endsWith(PAPER_DF_SUFFIX)) return estimandRow(e, result[e as "hte" | "ate"]);
    return estimandRow(e, paperDfEstimate(result, e.slice(0, -PAPER_DF_SUFFIX.length) as "hte" | "ate", settings.level));
  });
}

/**
 * smc's models by default: the data-generating outcome model as the
 * substantive model (parameter `substantive` overrides it), and the
 * modifier's own model on the covariates (M does not depend on them in
 * truth; they are what a user would put there).
 */
export function smcDefaultModels(scenario: 1 | 2): { substantive: string; modifier: string } {
  return scenario === 1
    ? { substantive: "Y ~ A*M*X1 + (1 | cluster)", modifier: "M ~ X1" }
    : { substantive: "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)", modifier: "M ~ X1 + X2 + X3" };
}

function substantiveSpec(scenario: 1 | 2, p: Parameters): SubstantiveSpec {
  const given = stringParameter(p, "substantive").trim();
  return { formula: given === "" ? smcDefaultModels(scenario).substantive : given, family: "gaussian" };
}

/** The five imputation models of Blette et al. (2023), Table 1, main effects first, three-way interaction last. */
export function paperImputationModels(scenario: 1 | 2): string[] {
  const x = scenario === 1 ? "X1" : "(X1 + X2 + X3)";
  return [`M ~ ${x} + A + Y`, `M ~ ${x} + A*Y`, `M ~ ${x}*A + Y`, `M ~ ${x}*A + Y*A`, `M ~ ${x}*A*Y`];
}

/** The paper's methods and smc: the method list these scenarios have always had (indicator is left out, so their runs do not change). */
const PAPER_STUDY_METHODS: readonly MethodName[] = METHOD_NAMES.filter((m) => m !== "indicator");

function missingModifierScenario(scenario: 1 | 2): Scenario<Dataset> {
  const models = paperImputationModels(scenario);
  return {
    name: `missing-modifier-${scenario}`,
    description:
      `Blette et al. (2023) scenario ${scenario}: CRT with a binary effect modifier missing at random (${scenario === 1 ? "one covariate" : "three covariates, cluster-level missingness"}); ` +
      "GEE outcome model Y ~ A*Mc after CCA, SI, MI, MMI, B-MMI or smc (with the data-generating outcome model as its substantive model).",
    module: import.meta.url,
    defaults: {
      clusters: 50,
      beta3: 0,
      meanClusterSize: 50,
      modifierIcc: 0.1,
      outcomeIcc: 0.1,
      errorVariance: 3,
      imputations: GIBBS_DEFAULTS.imputations,
      burnin: GIBBS_DEFAULTS.burnin,
      thin: GIBBS_DEFAULTS.thin,
      se: "robust",
      substantive: "",
    },
    analysisParameters: ["se", "substantive"],
    grid: { clusters: [20, 50, 100], beta3: [0, PAPER_BETA3] },
    estimands: STUDY_ESTIMANDS,
    methods: PAPER_STUDY_METHODS.map((name) => ({
      name,
      usesImputationModel: usesImputationModel(name),
      ...(name === "smc" ? { defaultImputationModels: [smcDefaultModels(scenario).modifier] } : {}),
    })),
    defaultMethods: DEFAULT_METHODS,
    defaultImputationModels: [models[4], models[0]],
    validate: (p) => {
      design(scenario, p);
      missingMethodSettings(p);
      outcomeOptions(p);
      checkSubstantive(substantiveSpec(scenario, p), COLUMNS);
    },
    truth: (p) => {
      const d = design(scenario, p);
      const meanM = expectedExpit(0.5, latentInterceptVariance(d.modifierIcc));
      const ate = 1 + d.beta3 * meanM;
      return { hte: d.beta3, ate, [`hte${PAPER_DF_SUFFIX}`]: d.beta3, [`ate${PAPER_DF_SUFFIX}`]: ate };
    },
    notes: (p) => {
      const d = design(scenario, p);
      const meanM = expectedExpit(0.5, latentInterceptVariance(d.modifierIcc));
      return [
        info(
          "ate-truth",
          `ATE truth 1 + β₃·E[M] = ${(1 + d.beta3 * meanM).toFixed(6)} with E[M] = E[expit(0.5 + α)] = ${meanM.toFixed(6)} by numerical integration` +
            (d.beta3 !== 0 ? " (the paper's code scored the ATE against 0)" : ""),
        ),
        info("pooling-df-paper", `${STUDY_ESTIMANDS[2]} and ${STUDY_ESTIMANDS[3]}: the same imputations pooled with the df formula printed in the paper (between variance divided by the pooled estimate), for comparison only`),
      ];
    },
    generate: (p, rng) => trialDataset(scenario, p, rng),
    analyse: (data, p, spec, rng): AnalysisRow[] =>
      missingModifierRows(data, spec, missingMethodSettings(p), rng, STUDY_ESTIMANDS, outcomeOptions(p), COLUMNS, substantiveSpec(scenario, p)),
  };
}

export const missingModifier1 = missingModifierScenario(1);
export const missingModifier2 = missingModifierScenario(2);
