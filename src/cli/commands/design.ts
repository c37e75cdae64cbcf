/** `crtkit design samplesize | power | randomize`. */
import { writeFileSync } from "node:fs";
import { info } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { OutcomeSpec } from "../../design/power.ts";
import { power } from "../../design/power.ts";
import { designEffect, effectiveSampleSize } from "../../design/effect.ts";
import { hteSampleSize, type ModifierSpec } from "../../design/hte.ts";
import { clusterCovariateMeans, clusterStrata } from "../../design/cluster-covariates.ts";
import { constrainedRandomization } from "../../design/randomize.ts";
import { sampleSize } from "../../design/samplesize.ts";
import { powerBySimulation, type SimulatedDesign } from "../../simulate/power.ts";
import { DESIGN_POWER_METHODS } from "../../simulate/scenarios/design-power.ts";
import { createRng } from "../../random/rng.ts";
import { designEffectReport, hteSampleSizeReport, powerReport, randomizationReport, sampleSizeReport, simulatedPowerReport } from "../../report/design.ts";
import { formatSchemeFile } from "../../report/schemes.ts";
import { designPowerHtml } from "../../report/html/design-power.ts";
import { MAX_REPLICATES } from "../../simulate/storage.ts";
import {
  choiceOption,
  MAX_WORKERS,
  numberOption,
  optionalString,
  requiredString,
  type Command,
  type CommandContext,
  type CommandResult,
  type OptionSpec,
  type OptionValues,
} from "../command.ts";
import { REPORT_OPTION } from "./shared.ts";

const continuousOnly = { when: (v: OptionValues) => v.outcome !== "binary", otherwise: "applies only to a continuous outcome" };
const binaryOnly = { when: (v: OptionValues) => v.outcome === "binary", otherwise: "applies only with --outcome binary" };

const OUTCOME_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  outcome: { type: "string", valueName: "TYPE", help: "continuous or binary", default: "continuous" },
  delta: { type: "string", valueName: "D", help: "difference to detect (binary: p1 − p2, may be omitted)" },
  sd: { type: "string", valueName: "S", appliesWhen: continuousOnly, help: "outcome standard deviation (continuous)" },
  p1: { type: "string", valueName: "P1", appliesWhen: binaryOnly, help: "intervention-arm proportion (binary)" },
  p2: { type: "string", valueName: "P2", appliesWhen: binaryOnly, help: "control-arm proportion (binary)" },
  "cluster-size": { type: "string", required: true, valueName: "N", help: "(mean) cluster size" },
  cv: { type: "string", valueName: "CV", help: "coefficient of variation of cluster sizes", default: "0" },
  icc: { type: "string", required: true, valueName: "R", help: "intraclass correlation in [0, 1)" },
  alpha: { type: "string", valueName: "A", help: "two-sided significance level", default: "0.05" },
  "small-sample": { type: "boolean", help: "t quantiles with 2(k − 1) df instead of normal ones" },
};

function outcomeSpec(options: OptionValues): OutcomeSpec {
  const type = choiceOption(options, "outcome", ["continuous", "binary"] as const, "continuous");
  if (type === "continuous") {
    return {
      type,
      delta: numberOption(options, "delta", NaN),
      sd: numberOption(options, "sd", NaN, { min: 0, exclusive: true }),
    };
  }
  const p1 = numberOption(options, "p1", NaN, { min: 0, max: 1, exclusive: true });
  const p2 = numberOption(options, "p2", NaN, { min: 0, max: 1, exclusive: true });
  const delta = optionalString(options, "delta");
  if (delta !== undefined && Math.abs(Number(delta) - (p1 - p2)) > 1e-9) {
    throw new InputError(`--delta ${delta} disagrees with --p1 − --p2 = ${p1 - p2}; omit --delta for a binary outcome`);
  }
  return { type, p1, p2 };
}

function requireNumbers(options: OptionValues, names: readonly string[]): void {
  for (const n of names) requiredString(options, n);
}

function common(options: OptionValues) {
  requireNumbers(options, ["cluster-size", "icc"]);
  const outcome = outcomeSpec(options);
  if (outcome.type === "continuous") requireNumbers(options, ["delta", "sd"]);
  else requireNumbers(options, ["p1", "p2"]);
  return {
    outcome,
    clusterSize: numberOption(options, "cluster-size", NaN),
    icc: numberOption(options, "icc", NaN),
    cv: numberOption(options, "cv", 0),
    alpha: numberOption(options, "alpha", 0.05),
    smallSample: options["small-sample"] === true,
  };
}

const hteOnly = { when: (v: OptionValues) => v.hte === true, otherwise: "applies only with --hte" };

export const designSampleSizeCommand: Command = {
  name: "design samplesize",
  summary: "individuals and clusters per arm for a mean or proportion difference, or (--hte) for a treatment-by-modifier interaction",
  usage:
    "--outcome continuous|binary --delta D [--sd S | --p1 P1 --p2 P2] --cluster-size N [--cv CV] --icc R [--alpha 0.05] [--power 0.8]\n" +
    "       crtkit design samplesize --hte --delta D --sd S --cluster-size N --icc R --modifier-icc RX (--modifier-variance V | --modifier-prevalence P) [--attrition R] [--alpha 0.05] [--power 0.8]",
  example: "crtkit design samplesize --outcome continuous --delta 0.5 --sd 1 --cluster-size 10 --icc 0.05",
  takesData: false,
  options: {
    ...OUTCOME_OPTIONS,
    power: { type: "string", valueName: "P", help: "target power", default: "0.8" },
    hte: { type: "boolean", help: "clusters to detect a treatment-by-modifier interaction Δ in a continuous outcome (Yang et al. 2020); --sd is the residual SD given the modifier" },
    "modifier-icc": { type: "string", valueName: "RX", appliesWhen: hteOnly, help: "ICC of the effect modifier" },
    "modifier-variance": { type: "string", valueName: "V", appliesWhen: hteOnly, help: "variance of a continuous modifier" },
    "modifier-prevalence": { type: "string", valueName: "P", appliesWhen: hteOnly, help: "prevalence of a binary modifier" },
    attrition: { type: "string", valueName: "R", appliesWhen: hteOnly, help: "share of individuals without an outcome (expected information over binomial retained sizes)", default: "0" },
    "attrition-icc": { type: "string", valueName: "RM", appliesWhen: hteOnly, help: "ICC of attrition within clusters (beta-binomial retained sizes)", default: "0" },
  },
  run({ options }) {
    if (options.hte === true) return hteSampleSizeCommand(options);
    const input = { ...common(options), power: numberOption(options, "power", 0.8) };
    const r = sampleSize(input);
    return sampleSizeReport(r);
  },
};

function hteSampleSizeCommand(options: OptionValues): CommandResult {
  if (optionalString(options, "outcome") === "binary") throw new InputError("--hte is for a continuous outcome (Yang et al. 2020); give --sd, not --p1/--p2");
  requireNumbers(options, ["delta", "sd", "cluster-size", "icc", "modifier-icc"]);
  const variance = optionalString(options, "modifier-variance");
  const prevalence = optionalString(options, "modifier-prevalence");
  if ((variance === undefined) === (prevalence === undefined)) throw new InputError("--hte needs one of --modifier-variance (continuous modifier) or --modifier-prevalence (binary modifier)");
  const modifierIcc = numberOption(options, "modifier-icc", NaN);
  const modifier: ModifierSpec =
    variance !== undefined
      ? { type: "continuous", variance: numberOption(options, "modifier-variance", NaN), icc: modifierIcc }
      : { type: "binary", prevalence: numberOption(options, "modifier-prevalence", NaN), icc: modifierIcc };
  const sd = numberOption(options, "sd", NaN, { min: 0, exclusive: true });
  const rate = numberOption(options, "attrition", 0, { min: 0, max: 1 });
  const r = hteSampleSize({
    delta: numberOption(options, "delta", NaN),
    outcomeVariance: sd * sd,
    outcomeIcc: numberOption(options, "icc", NaN),
    clusterSize: numberOption(options, "cluster-size", NaN),
    modifier,
    ...(rate > 0 ? { attrition: { rate, icc: numberOption(options, "attrition-icc", 0, { min: 0, max: 1 }) } } : {}),
    alpha: numberOption(options, "alpha", 0.05),
    power: numberOption(options, "power", 0.8),
  });
  return hteSampleSizeReport(r);
}

export const designDeffCommand: Command = {
  name: "design deff",
  summary: "design effect DEFF, DEFT and the effective sample size for a cluster size (or mean and CV), ICC and number of individuals",
  usage: "--cluster-size N --icc R [--cv CV] [--individuals N]",
  example: "crtkit design deff --cluster-size 20 --cv 0.5 --icc 0.05 --individuals 1000",
  takesData: false,
  options: {
    "cluster-size": { type: "string", required: true, valueName: "N", help: "(mean) cluster size" },
    icc: { type: "string", required: true, valueName: "R", help: "intraclass correlation in [0, 1)" },
    cv: { type: "string", valueName: "CV", help: "coefficient of variation of cluster sizes (Eldridge et al. 2006)", default: "0" },
    individuals: { type: "string", valueName: "N", help: "individuals in the trial (or one arm): adds the effective sample size" },
  },
  run({ options }) {
    requireNumbers(options, ["cluster-size", "icc"]);
    const input = { clusterSize: numberOption(options, "cluster-size", NaN), icc: numberOption(options, "icc", NaN), cv: numberOption(options, "cv", 0) };
    const individuals = optionalString(options, "individuals");
    return designEffectReport(individuals === undefined ? designEffect(input) : effectiveSampleSize({ ...input, individuals: numberOption(options, "individuals", NaN) }));
  },
};

export const designPowerCommand: Command = {
  name: "design power",
  summary: "power of a two-arm CRT for a mean or proportion difference (closed form, or by simulation with --simulate)",
  usage:
    "--outcome continuous|binary --delta D [--sd S | --p1 P1 --p2 P2] --cluster-size N --clusters-per-arm K --icc R [--cv CV] [--alpha 0.05] " +
    "[--simulate [--reps 1000] [--method cluster-t|gee|gee-md|lmm|lm-cr2] [--seed S] [--workers N]] [--report FILE.html]",
  example: "crtkit design power --outcome binary --p1 0.3 --p2 0.2 --cluster-size 50 --clusters-per-arm 12 --icc 0.02",
  takesData: false,
  options: {
    ...OUTCOME_OPTIONS,
    "clusters-per-arm": { type: "string", required: true, valueName: "K", help: "clusters in each arm" },
    simulate: { type: "boolean", help: "estimate power by simulating the design and analysing each simulated trial (closed form shown beside it)" },
    reps: { type: "string", valueName: "N", help: "with --simulate: simulated trials", default: "1000" },
    method: { type: "string", valueName: "METHOD", help: "with --simulate: analysis, cluster-t, gee, gee-md, lmm or lm-cr2", default: "cluster-t" },
    seed: { type: "string", valueName: "N", help: "with --simulate: random seed", default: "1" },
    workers: { type: "string", valueName: "N", help: "with --simulate: worker threads (results do not depend on it)", default: "available cores" },
    report: REPORT_OPTION,
  },
  stochastic: (options) => options.simulate === true,
  run(ctx) {
    const { options } = ctx;
    if (options.simulate === true) return simulatedPower(ctx);
    for (const name of ["reps", "method", "seed", "workers"]) {
      if (optionalString(options, name) !== undefined) throw new InputError(`--${name} applies only with --simulate`);
    }
    requiredString(options, "clusters-per-arm");
    const r = power({ ...common(options), clustersPerArm: numberOption(options, "clusters-per-arm", NaN, { integer: true, min: 1 }) });
    return { ...powerReport(r), report: designPowerHtml };
  },
};

/**
 * `design power --simulate`: power of the same design by simulation (see
 * src/simulate/power.ts). The effect may be 0 (type I error). The
 * closed form beside it uses t quantiles with 2(k − 1) df for methods with
 * a t reference and normal quantiles for gee, whatever --small-sample says.
 * JSON is identical for any --workers (no timings in it).
 */
async function simulatedPower({ options, progress }: CommandContext): Promise<CommandResult> {
  requireNumbers(options, ["cluster-size", "icc", "clusters-per-arm"]);
  const type = choiceOption(options, "outcome", ["continuous", "binary"] as const, "continuous");
  let outcome: SimulatedDesign["outcome"];
  let outcomeInputs: { readonly type: string; readonly delta: number; readonly sd?: number; readonly p1?: number; readonly p2?: number };
  if (type === "continuous") {
    requireNumbers(options, ["delta", "sd"]);
    outcome = { type, effect: numberOption(options, "delta", NaN), sd: numberOption(options, "sd", NaN, { min: 0, exclusive: true }) };
    outcomeInputs = { type, delta: outcome.effect, sd: outcome.sd };
  } else {
    requireNumbers(options, ["p1", "p2"]);
    const o = outcomeSpec(options) as { p1: number; p2: number };
    // The risk difference to 15 significant digits (0.3 − 0.2 is 0.09999999999999998 in binary).
    outcome = { type, p0: o.p2, effect: Number((o.p1 - o.p2).toPrecision(15)) };
    outcomeInputs = { type, delta: outcome.effect, p1: o.p1, p2: o.p2 };
  }
  const method = choiceOption(options, "method", DESIGN_POWER_METHODS, "cluster-t");
  const workersText = optionalString(options, "workers");
  const r = await powerBySimulation({
    design: {
      clustersPerArm: numberOption(options, "clusters-per-arm", NaN, { integer: true, min: 2 }),
      clusterSize: numberOption(options, "cluster-size", NaN, { min: 1 }),
      cv: numberOption(options, "cv", 0, { min: 0 }),
      icc: numberOption(options, "icc", NaN, { min: 0, max: 1 }),
      outcome,
    },
    methods: [method],
    reps: numberOption(options, "reps", 1000, { integer: true, min: 2, max: MAX_REPLICATES }),
    seed: numberOption(options, "seed", 1, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
    ...(workersText !== undefined ? { workers: numberOption(options, "workers", 1, { integer: true, min: 1, max: MAX_WORKERS }) } : {}),
    alpha: numberOption(options, "alpha", 0.05, { min: 0, max: 1, exclusive: true }),
    onProgress: (p) => progress(p.fraction, "simulating"),
  });
  const diagnostics = [...r.diagnostics];
  if (options["small-sample"] === true) {
    const e = r.estimates[0];
    diagnostics.push(info("small-sample-ignored", `--small-sample is ignored with --simulate: the closed form follows the method (${e.closedForm?.df ? `t with ${e.closedForm.df} df` : "normal quantiles"} for ${e.method})`));
  }
  return { ...simulatedPowerReport(r, outcomeInputs, diagnostics), report: designPowerHtml };
}

export const designRandomizeCommand: Command = {
  name: "design randomize",
  summary: "covariate-constrained randomization of clusters",
  usage: "DATA --cluster C --covariates X1,X2 [--treated M1 | --strata COL | --pairs COL] [--metric l2|mahalanobis] [--quantile 0.1] [--seed S] [--schemes-out FILE]",
  example: "crtkit design randomize examples/trial.csv --cluster cluster --covariates region,X1 --treated 20 --seed 7",
  takesData: true,
  options: {
    cluster: { type: "string", required: true, valueName: "COL", help: "cluster identifier column" },
    covariates: { type: "string", required: true, valueName: "LIST", help: "comma-separated covariates to balance (averaged within clusters)" },
    treated: { type: "string", valueName: "M", help: "number of clusters to assign to intervention", default: "half, rounded down" },
    metric: { type: "string", valueName: "METRIC", help: "balance metric: l2 (weighted by 1/variance) or mahalanobis", default: "l2" },
    quantile: { type: "string", valueName: "Q", help: "acceptable schemes: the best this fraction", default: "0.1" },
    seed: { type: "string", valueName: "N", help: "random seed", default: "1" },
    strata: { type: "string", valueName: "COL", help: "cluster-level column: half of each stratum (rounded down) is treated" },
    pairs: { type: "string", valueName: "COL", help: "cluster-level column naming matched pairs: one cluster of each pair is treated" },
    "schemes-out": { type: "string", valueName: "FILE", output: "file", help: "write the acceptable allocations (the file mrs --prob-schemes and permutation-test --schemes read)" },
  },
  run({ data, options }) {
    const clusterName = requiredString(options, "cluster");
    const strataColumn = optionalString(options, "strata");
    const pairsColumn = optionalString(options, "pairs");
    if (strataColumn !== undefined && pairsColumn !== undefined) throw new InputError("give --strata or --pairs, not both");
    const groupColumn = strataColumn ?? pairsColumn;
    if (groupColumn !== undefined && optionalString(options, "treated") !== undefined) {
      throw new InputError(`--treated does not apply with --${strataColumn !== undefined ? "strata" : "pairs"}: half of each stratum is treated`);
    }
    const names = requiredString(options, "covariates").split(",").map((s) => s.trim()).filter(Boolean);
    const idx = clusterCovariateMeans(data!, clusterName, names);
    const covariates = idx.covariates;
    const m = idx.ids.length;
    const strata = groupColumn === undefined ? undefined : clusterStrata(data!, clusterName, groupColumn);
    if (pairsColumn !== undefined) checkPairSizes(strata!, idx.ids, pairsColumn);
    const treated = strata === undefined ? numberOption(options, "treated", Math.floor(m / 2), { integer: true, min: 1, max: m - 1 }) : undefined;
    const seed = numberOption(options, "seed", 1, { integer: true, min: 0 });
    const r = constrainedRandomization({
      covariates,
      ...(treated !== undefined ? { treated } : {}),
      ...(strata !== undefined ? { strata } : {}),
      metric: choiceOption(options, "metric", ["l2", "mahalanobis"] as const, "l2"),
      threshold: { quantile: numberOption(options, "quantile", 0.1, { min: 0, max: 1, exclusive: true }) },
      rng: createRng(seed),
      clusterLabels: idx.ids,
    });
    const schemesOut = optionalString(options, "schemes-out");
    if (schemesOut !== undefined) writeFileSync(schemesOut, formatSchemeFile(r.schemes, idx.ids, r.acceptable));
    return randomizationReport(r, idx.ids, seed);
  },
};

function checkPairSizes(strata: Int32Array, ids: readonly string[], column: string): void {
  const size = new Map<number, string[]>();
  strata.forEach((s, c) => size.set(s, [...(size.get(s) ?? []), ids[c]]));
  for (const members of size.values()) {
    if (members.length !== 2) throw new InputError(`a pair of '${column}' has ${members.length} cluster(s) (${members.join(", ")}); each pair needs exactly 2`);
  }
}
