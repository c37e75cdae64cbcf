/** `crtkit design samplesize | power | randomize`. */
import { InputError } from "../../core/errors.ts";
import { clusterIndex } from "../../data/clusters.ts";
import { cellKey, getColumn, numericColumn } from "../../data/dataset.ts";
import type { OutcomeSpec } from "../../design/power.ts";
import { power } from "../../design/power.ts";
import { constrainedRandomization } from "../../design/randomize.ts";
import { sampleSize } from "../../design/samplesize.ts";
import { createRng } from "../../random/rng.ts";
import {
  choiceOption,
  numberOption,
  optionalString,
  requiredString,
  type Command,
  type OptionSpec,
  type OptionValues,
} from "../command.ts";

const OUTCOME_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  outcome: { type: "string", help: "continuous or binary" },
  delta: { type: "string", help: "difference to detect (binary: p1 − p2, may be omitted)" },
  sd: { type: "string", help: "outcome standard deviation (continuous)" },
  p1: { type: "string", help: "intervention-arm proportion (binary)" },
  p2: { type: "string", help: "control-arm proportion (binary)" },
  "cluster-size": { type: "string", help: "(mean) cluster size" },
  cv: { type: "string", help: "coefficient of variation of cluster sizes", default: "0" },
  icc: { type: "string", help: "intraclass correlation in [0, 1)" },
  alpha: { type: "string", help: "two-sided significance level", default: "0.05" },
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

export const designSampleSizeCommand: Command = {
  name: "design samplesize",
  summary: "individuals and clusters per arm for a mean or proportion difference",
  usage: "--outcome continuous|binary --delta D [--sd S | --p1 P1 --p2 P2] --cluster-size N [--cv CV] --icc R [--alpha 0.05] [--power 0.8]",
  example: "crtkit design samplesize --outcome continuous --delta 0.5 --sd 1 --cluster-size 10 --icc 0.05",
  takesData: false,
  options: { ...OUTCOME_OPTIONS, power: { type: "string", help: "target power", default: "0.8" } },
  run({ options }) {
    const input = { ...common(options), power: numberOption(options, "power", 0.8) };
    const r = sampleSize(input);
    return {
      json: {
        individualsPerArm: r.individualsPerArm,
        clustersPerArm: r.clustersPerArm,
        designEffect: r.designEffect,
        unadjustedPerArm: r.unadjustedPerArm,
        achievedPower: r.achievedPower,
        df: r.df,
        inputs: r.inputs,
        diagnostics: r.diagnostics,
      },
      summary: {
        title: `Sample size: ${r.inputs.outcome.type} outcome, Δ = ${r.inputs.outcome.delta}`,
        facts: [
          ["Cluster size", r.inputs.clusterSize],
          ["ICC", r.inputs.icc],
          ["CV of cluster sizes", r.inputs.cv],
          ["Alpha (two-sided)", r.inputs.alpha],
          ["Target power", r.inputs.power],
        ],
        tables: [
          {
            columns: ["quantity", "value"],
            rows: [
              ["unadjustedPerArm", r.unadjustedPerArm],
              ["designEffect", r.designEffect],
              ["individualsPerArm", r.individualsPerArm],
              ["clustersPerArm", r.clustersPerArm],
              ["achievedPower", r.achievedPower],
            ],
          },
        ],
        diagnostics: r.diagnostics,
      },
    };
  },
};

export const designPowerCommand: Command = {
  name: "design power",
  summary: "power of a two-arm CRT for a mean or proportion difference (closed form)",
  usage: "--outcome continuous|binary --delta D [--sd S | --p1 P1 --p2 P2] --cluster-size N --clusters-per-arm K --icc R [--cv CV] [--alpha 0.05]",
  example: "crtkit design power --outcome binary --p1 0.3 --p2 0.2 --cluster-size 50 --clusters-per-arm 12 --icc 0.02",
  takesData: false,
  options: { ...OUTCOME_OPTIONS, "clusters-per-arm": { type: "string", help: "clusters in each arm" } },
  run({ options }) {
    requiredString(options, "clusters-per-arm");
    const r = power({ ...common(options), clustersPerArm: numberOption(options, "clusters-per-arm", NaN, { integer: true, min: 1 }) });
    return {
      json: {
        power: r.power,
        powerTwoSided: r.powerTwoSided,
        designEffect: r.designEffect,
        standardError: r.standardError,
        criticalValue: r.criticalValue,
        df: r.df,
        inputs: r.inputs,
        diagnostics: r.diagnostics,
      },
      summary: {
        title: `Power: ${r.inputs.outcome.type} outcome, Δ = ${r.inputs.outcome.delta}`,
        facts: [
          ["Clusters per arm", r.inputs.clustersPerArm],
          ["Cluster size", r.inputs.clusterSize],
          ["ICC", r.inputs.icc],
        ],
        tables: [
          {
            columns: ["quantity", "value"],
            rows: [
              ["power", r.power],
              ["powerTwoSided", r.powerTwoSided],
              ["designEffect", r.designEffect],
              ["standardError", r.standardError],
              ["criticalValue", r.criticalValue],
            ],
          },
        ],
        diagnostics: r.diagnostics,
      },
    };
  },
};

export const designRandomizeCommand: Command = {
  name: "design randomize",
  summary: "covariate-constrained randomization of clusters",
  usage: "DATA --cluster C --covariates X1,X2 --treated M1 [--metric l2|mahalanobis] [--quantile 0.1] [--seed S]",
  example: "crtkit design randomize examples/trial.csv --cluster cluster --covariates region,X1 --treated 20 --seed 7",
  takesData: true,
  options: {
    cluster: { type: "string", help: "cluster identifier column" },
    covariates: { type: "string", help: "comma-separated covariates to balance (averaged within clusters)" },
    treated: { type: "string", help: "number of clusters to assign to intervention", default: "half, rounded down" },
    metric: { type: "string", help: "balance metric: l2 (weighted by 1/variance) or mahalanobis", default: "l2" },
    quantile: { type: "string", help: "acceptable schemes: the best this fraction", default: "0.1" },
    seed: { type: "string", help: "random seed", default: "1" },
  },
  run({ data, options }) {
    const clusterName = requiredString(options, "cluster");
    const names = requiredString(options, "covariates").split(",").map((s) => s.trim()).filter(Boolean);
    const col = getColumn(data!, clusterName);
    const idx = clusterIndex(Array.from({ length: data!.nRows }, (_, i) => cellKey(col, i)), clusterName);
    const m = idx.ids.length;
    const covariates = idx.ids.map((_, c) =>
      names.map((name) => {
        const x = numericColumn(data!, name);
        let s = 0;
        let k = 0;
        for (let t = idx.starts[c]; t < idx.starts[c + 1]; t++) {
          const v = x[idx.order[t]];
          if (!Number.isNaN(v)) {
            s += v;
            k++;
          }
        }
        if (k === 0) throw new InputError(`cluster '${idx.ids[c]}' has no observed value of '${name}'`);
        return s / k;
      }),
    );
    const treated = numberOption(options, "treated", Math.floor(m / 2), { integer: true, min: 1, max: m - 1 });
    const seed = numberOption(options, "seed", 1, { integer: true, min: 0 });
    const r = constrainedRandomization({
      covariates,
      treated,
      metric: choiceOption(options, "metric", ["l2", "mahalanobis"] as const, "l2"),
      threshold: { quantile: numberOption(options, "quantile", 0.1, { min: 0, max: 1, exclusive: true }) },
      rng: createRng(seed),
      clusterLabels: idx.ids,
    });
    const allocation = idx.ids.map((id, c) => ({ cluster: id, treated: r.chosen.scheme[c], probability: r.probabilities[c] }));
    return {
      json: {
        nClusters: r.nClusters,
        nTreated: r.nTreated,
        metric: r.metric,
        enumerated: r.enumerated,
        totalSchemes: r.totalSchemes,
        nSchemes: r.nSchemes,
        nAcceptable: r.acceptable.length,
        threshold: r.threshold,
        seed,
        allocation,
        diagnostics: r.diagnostics,
      },
      summary: {
        title: `Constrained randomization of ${m} clusters (${treated} to intervention)`,
        facts: [
          ["Balance metric", r.metric],
          ["Schemes", `${r.nSchemes} ${r.enumerated ? "enumerated" : "sampled"} of ${r.totalSchemes}`],
          ["Acceptable", r.acceptable.length],
          ["Threshold", r.threshold],
          ["Seed", seed],
        ],
        tables: [{ columns: ["cluster", "treated", "probability"], rows: allocation.map((a) => [a.cluster, a.treated, a.probability]) }],
        diagnostics: r.diagnostics,
      },
    };
  },
};
