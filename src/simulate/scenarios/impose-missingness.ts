/**
 * The scenario `impose-missingness`: the data application of Blette et al.
 * (2023) as a workflow for any complete trial. Each replicate makes part of
 * the modifier missing (impose-missingness-mechanism.ts) and analyses the
 * result with every method × imputation model; each is scored against the
 * complete-data analysis (the GEE of Y ~ A*Mc on every row, computed once
 * when the study is planned): its estimate is the truth of bias, coverage and
 * MSE, and its interval the reference of narrowerThanComplete,
 * coversCompleteCi and the mean interval limits.
 */
import { info } from "../../core/diagnostics.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import { dataset, type Column, type Dataset } from "../../data/dataset.ts";
import { METHOD_NAMES, usesImputationModel, type MethodSettings } from "../../missing/result.ts";
import type { Rng } from "../../random/rng.ts";
import { namedStream } from "../../random/streams.ts";
import { numberParameter, stringParameter } from "../conditions.ts";
import { prepareModifierData } from "../../missing/data.ts";
import { GIBBS_DEFAULTS } from "../../missing/gibbs.ts";
import { missingMethodSettings, missingModifierRows } from "./missing-modifier-study.ts";
import type { AnalysisRow, MethodSpec, Parameters, ReferenceInterval, Scenario } from "../types.ts";
import { completeTrialFromParameters, type CompleteTrial, type TrialRoles } from "./impose-missingness-data.ts";
import {
  calibrateMissingness,
  imposeMissingness,
  MECHANISMS,
  PAPER_COEFFICIENTS,
  type CalibratedMissingness,
  type Mechanism,
  type MissingnessModel,
} from "./impose-missingness-mechanism.ts";

const ESTIMANDS = ["hte", "ate"] as const;

/** The missingness model of a parameter set, checked. */
export function missingnessModel(p: Parameters): MissingnessModel {
  const mechanism = stringParameter(p, "mechanism");
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new InputError(`unknown missingness mechanism '${mechanism}'; use ${MECHANISMS.join(", ")}`);
  }
  const share = numberParameter(p, "missing");
  if (!(share > 0 && share < 1)) throw new InputError(`--missing (the expected share of missing modifier values) must be in (0, 1); got ${share}`);
  const icc = numberParameter(p, "missingnessIcc");
  if (!(icc >= 0 && icc < 1)) throw new InputError(`parameter 'missingnessIcc' must be in [0, 1); got ${icc}`);
  const coefficients = {
    y: numberParameter(p, "coefY"),
    x1: numberParameter(p, "coefX1"),
    x2: numberParameter(p, "coefX2"),
    yx1: numberParameter(p, "coefYX1"),
    yx2: numberParameter(p, "coefYX2"),
    yx1x2: numberParameter(p, "coefYX1X2"),
  };
  return { mechanism: mechanism as Mechanism, share, coefficients, icc };
}

interface Prepared {
  readonly trial: CompleteTrial;
  readonly mechanism: CalibratedMissingness;
}

// Per parameter set (the runner passes a condition's own object to every replicate).
const prepared = new WeakMap<Parameters, Prepared>();

function prepare(p: Parameters): Prepared {
  const hit = prepared.get(p);
  if (hit) return hit;
  const trial = completeTrialFromParameters(p);
  const out = { trial, mechanism: calibrateMissingness(trial, missingnessModel(p)) };
  prepared.set(p, out);
  return out;
}

/** One method (with its imputation model) on a data set with the roles' column names; rows in the order of ESTIMANDS. */
function methodRows(data: Dataset, roles: TrialRoles, spec: MethodSpec, methodSettings: MethodSettings, rng: Rng): AnalysisRow[] {
  return missingModifierRows(data, spec, methodSettings, rng, ESTIMANDS, {}, roles);
}

// The complete-data analysis, once per trial (all mechanisms of a study share it).
const references = new WeakMap<CompleteTrial, Readonly<Record<string, ReferenceInterval>>>();

/** The complete-data analysis: complete-case GEE on the complete trial, i.e. on every row (deterministic). */
export function completeDataAnalysis(p: Parameters): Readonly<Record<string, ReferenceInterval>> {
  const { trial } = prepare(p);
  const hit = references.get(trial);
  if (hit) return hit;
  const rows = methodRows(trial.data, trial.roles, { method: "cca", imputationModel: "" }, missingMethodSettings(p), namedStream(0, "complete-data"));
  const out: Record<string, ReferenceInterval> = {};
  for (const r of rows) {
    if (!r.converged || r.estimate === null || r.stdError === null || r.confLow === null || r.confHigh === null) {
      throw new ComputeError(`the complete-data analysis failed: ${r.error ?? "no finite estimate"}`);
    }
    out[r.estimand] = { estimate: r.estimate, stdError: r.stdError, confLow: r.confLow, confHigh: r.confHigh };
  }
  references.set(trial, out);
  return out;
}

/** The imposed-missingness model as an equation with its numbers, for the condition's notes. */
function describeMechanism(m: CalibratedMissingness, roles: TrialRoles): string {
  const { mechanism, share, coefficients: b } = m.model;
  if (mechanism === "mcar") return `mcar: every modifier value is missing with probability ${share}`;
  const [x1, x2] = roles.covariates;
  const y = roles.outcome;
  const terms: [number, string][] = [[b.y, y]];
  if (x1) terms.push([b.x1, x1]);
  if (x2) terms.push([b.x2, x2]);
  if (mechanism === "mar-cluster") {
    if (x1) terms.push([b.yx1, `${y}·${x1}`]);
    if (x2) terms.push([b.yx2, `${y}·${x2}`]);
    if (x1 && x2) terms.push([b.yx1x2, `${y}·${x1}·${x2}`]);
  }
  const rhs = terms.map(([c, t]) => `${c < 0 ? "−" : "+"} ${Math.abs(c)}·${t}`).join(" ");
  const zeta = mechanism === "mar-cluster" ? ` + ζ, ζ ~ N(0, ${(m.interceptSd ** 2).toFixed(6)}) per cluster (latent ICC ${m.model.icc})` : "";
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of m.eta) {
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
  }
  const p = (e: number): string => (1 / (1 + Math.exp(-(m.intercept + e)))).toFixed(3);
  return (
    `${mechanism}: logit P(${roles.modifier} missing) = ${m.intercept.toFixed(6)} ${rhs}${zeta}; the intercept makes the expected missing share ${share}; ` +
    `P(missing) before ζ ranges from ${p(lo)} to ${p(hi)} over the rows`
  );
}

function describeReference(ref: Readonly<Record<string, ReferenceInterval>>, trial: CompleteTrial): string {
  const e = (name: string): string => {
    const r = ref[name];
    return `${name} ${r.estimate.toPrecision(6)} (SE ${r.stdError.toPrecision(4)}, 95% CI ${r.confLow.toPrecision(6)} to ${r.confHigh.toPrecision(6)})`;
  };
  return `complete-data analysis (GEE Y ~ A*Mc, exchangeable, robust SE, all ${trial.data.nRows} rows of ${trial.nClusters} clusters), the truth of every method: ${e("hte")}, ${e("ate")}`;
}

/** Refuses an imputation model whose response is not the modifier or that names a column the complete trial lacks. */
export function checkImputationModels(p: Parameters, models: readonly string[]): void {
  const { trial } = prepare(p);
  prepareModifierData(trial.data, trial.roles, models);
}

/**
 * The application model of the paper: the modifier on the outcome, the
 * covariates and the treatment with all two-way interactions, e.g.
 * "M ~ (Y + X1 + X2 + A)^2".
 */
export function applicationImputationModel(roles: TrialRoles): string {
  return `${roles.modifier} ~ (${[roles.outcome, ...roles.covariates, roles.treatment].join(" + ")})^2`;
}

export const imposeMissingnessScenario: Scenario<Dataset> = {
  name: "impose-missingness",
  description:
    "A complete trial (--data) with missingness imposed on the modifier (mcar, mar, mar-cluster, as in the WFHS application of Blette et al. 2023); " +
    "every method scored against the complete-data analysis.",
  module: import.meta.url,
  defaults: {
    data: "",
    dataSha256: "",
    cluster: "cluster",
    treatment: "A",
    modifier: "M",
    outcome: "Y",
    covariates: "",
    mechanism: "mcar",
    missing: 0.2,
    coefY: PAPER_COEFFICIENTS.y,
    coefX1: PAPER_COEFFICIENTS.x1,
    coefX2: PAPER_COEFFICIENTS.x2,
    coefYX1: PAPER_COEFFICIENTS.yx1,
    coefYX2: PAPER_COEFFICIENTS.yx2,
    coefYX1X2: PAPER_COEFFICIENTS.yx1x2,
    missingnessIcc: 0.1,
    imputations: GIBBS_DEFAULTS.imputations,
    burnin: GIBBS_DEFAULTS.burnin,
    thin: GIBBS_DEFAULTS.thin,
  },
  grid: { mechanism: [...MECHANISMS], missing: [0.2] },
  estimands: ESTIMANDS,
  // Every method may be named (indicator too); the default list is fixed, so a method added later does not change what a run without --methods does.
  methods: METHOD_NAMES.map((name) => ({ name, usesImputationModel: usesImputationModel(name) })),
  defaultMethods: ["cca", "si", "mi", "mmi", "bmmi"],
  validate: (p) => {
    missingnessModel(p);
    missingMethodSettings(p);
    prepare(p);
  },
  truth: (p) => {
    const ref = completeDataAnalysis(p);
    return Object.fromEntries(ESTIMANDS.map((e) => [e, ref[e].estimate]));
  },
  reference: completeDataAnalysis,
  notes: (p) => {
    const { trial, mechanism } = prepare(p);
    return [
      info("complete-data", describeReference(completeDataAnalysis(p), trial)),
      info("imposed-missingness", describeMechanism(mechanism, trial.roles)),
      info("data-file", `complete trial with SHA-256 ${stringParameter(p, "dataSha256")}`),
    ];
  },
  generate: (p, rng) => {
    const { trial, mechanism } = prepare(p);
    const modifier: Column = { name: trial.roles.modifier, kind: "numeric", values: imposeMissingness(trial, mechanism, rng) };
    return dataset(trial.data.names.map((name) => (name === modifier.name ? modifier : trial.data.columns.get(name)!)));
  },
  analyse: (data, p, spec, rng) => methodRows(data, prepare(p).trial.roles, spec, missingMethodSettings(p), rng),
};
