/**
 * Reports of the design commands: sample size, power (closed form and by
 * simulation) and covariate-constrained randomization.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { PowerSimulationResult } from "../simulate/power.ts";
import type { DesignEffectResult, EffectiveSampleSizeResult } from "../design/effect.ts";
import type { HteSampleSizeResult } from "../design/hte.ts";
import type { PowerResult } from "../design/power.ts";
import type { ConstrainedRandomizationResult } from "../design/randomize.ts";
import type { SampleSizeResult } from "../design/samplesize.ts";
import type { Report } from "./summary.ts";

export function sampleSizeReport(r: SampleSizeResult): Report {
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
}

export function powerReport(r: PowerResult): Report {
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
}

/**
 * Power by simulation of one method. `outcome` is the outcome as the user
 * specified it (e.g. `{ type, delta, p1, p2 }`); `diagnostics` replace the
 * result's (the caller may add its own).
 */
export function simulatedPowerReport(
  r: PowerSimulationResult,
  outcome: { readonly type: string },
  diagnostics: readonly Diagnostic[] = r.diagnostics,
): Report {
  const e = r.estimates[0];
  const p = r.parameters;
  const inputs = {
    outcome,
    clusterSize: p.clusterSize,
    clustersPerArm: p.clustersPerArm,
    icc: p.icc,
    cv: p.cv,
    alpha: r.alpha,
  };
  return {
    json: {
      power: e.power,
      powerMcse: e.powerMcse,
      closedFormPower: e.closedFormPower,
      exactPower: e.exactPower,
      reps: r.reps,
      nReps: e.nReps,
      nFailed: e.nFailed,
      method: e.method,
      seed: r.seed,
      truth: e.truth,
      coverage: e.coverage,
      coverageMcse: e.coverageMcse,
      bias: e.bias,
      biasMcse: e.biasMcse,
      empSe: e.empSe,
      modelSe: e.modelSe,
      closedForm: e.closedForm,
      inputs,
      diagnostics,
    },
    summary: {
      title: `Power by simulation: ${outcome.type} outcome, Δ = ${p.effect}, method ${e.method}`,
      facts: [
        ["Clusters per arm", p.clustersPerArm as number],
        ["Cluster size", p.clusterSize as number],
        ["CV of cluster sizes", p.cv as number],
        ["ICC", p.icc as number],
        ["Replicates", `${r.reps} (${e.nFailed} failed)`],
        ["Seed", r.seed],
        ["Seconds", Math.round(r.seconds * 10) / 10],
      ],
      tables: [
        {
          columns: ["quantity", "value", "mcse"],
          rows: [
            ["power (simulated)", e.power, e.powerMcse],
            [`power (closed form${e.closedForm?.df ? `, t ${e.closedForm.df} df` : e.closedForm ? ", normal" : ""})`, e.closedFormPower, null],
            ...(e.exactPower !== null ? [["power (exact, noncentral t)", e.exactPower, null] as const] : []),
            ["coverage", e.coverage, e.coverageMcse],
            ["bias", e.bias, e.biasMcse],
            ["empirical SE", e.empSe, null],
            ["model SE", e.modelSe, null],
          ],
        },
      ],
      diagnostics,
    },
  };
}

/**
 * The allocation drawn, with each cluster's probability of intervention.
 * `clusterIds` label the clusters in the order of the covariate rows; `seed` is the one the draw used.
 */
export function randomizationReport(r: ConstrainedRandomizationResult, clusterIds: readonly string[], seed: number): Report {
  const allocation = clusterIds.map((id, c) => ({ cluster: id, treated: r.chosen.scheme[c], probability: r.probabilities[c] }));
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
      title: `Constrained randomization of ${r.nClusters} clusters (${r.nTreated} to intervention)`,
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
}

export function hteSampleSizeReport(r: HteSampleSizeResult): Report {
  const clustersPerArmExact = r.unadjustedPerArm / r.meanInformation;
  const modifier = r.inputs.modifierType === "binary" ? `binary, variance p(1 − p) = ${r.inputs.modifierVariance}` : `continuous, variance ${r.inputs.modifierVariance}`;
  return {
    json: {
      clusters: 2 * clustersPerArmExact,
      clustersPerArm: r.clustersPerArm,
      designEffect: r.designEffect,
      individualsPerArm: r.individualsPerArm,
      unadjustedPerArm: r.unadjustedPerArm,
      achievedPower: r.achievedPower,
      inputs: r.inputs,
      diagnostics: r.diagnostics,
    },
    summary: {
      title: `Sample size for a treatment-by-modifier interaction Δ = ${r.inputs.delta} (Yang et al. 2020)`,
      facts: [
        ["Mean cluster size", r.inputs.meanClusterSize],
        ["Outcome ICC", r.inputs.outcomeIcc],
        ["Modifier", `${modifier}, ICC ${r.inputs.modifierIcc}`],
        ["Residual SD", Math.sqrt(r.inputs.outcomeVariance)],
        ["Attrition", r.inputs.attrition === null ? "none" : `${r.inputs.attrition.rate} (${r.inputs.attrition.method}${r.inputs.attrition.icc ? `, ICC ${r.inputs.attrition.icc}` : ""})`],
        ["Alpha (two-sided)", r.inputs.alpha],
        ["Target power", r.inputs.power],
      ],
      tables: [
        {
          columns: ["quantity", "value"],
          rows: [
            ["clusters (before rounding)", 2 * clustersPerArmExact],
            ["clustersPerArm", r.clustersPerArm],
            ["designEffect", r.designEffect],
            ["individualsPerArm", r.individualsPerArm],
            ["achievedPower", r.achievedPower],
          ],
        },
      ],
      diagnostics: r.diagnostics,
    },
  };
}

export function designEffectReport(r: DesignEffectResult | EffectiveSampleSizeResult): Report {
  const ess = "effectiveSampleSize" in r ? r : null;
  return {
    json: {
      deff: r.deff,
      deft: r.deft,
      ...(ess ? { individuals: ess.individuals, effectiveSampleSize: ess.effectiveSampleSize } : {}),
      clusterSize: r.clusterSize,
      icc: r.icc,
      cv: r.cv,
      diagnostics: r.diagnostics,
    },
    summary: {
      title: "Design effect",
      facts: [
        ["Cluster size", r.clusterSize],
        ["ICC", r.icc],
        ["CV of cluster sizes", r.cv],
      ],
      tables: [
        {
          columns: ["quantity", "value"],
          rows: [["DEFF", r.deff], ["DEFT", r.deft], ...(ess ? [["individuals", ess.individuals], ["effectiveSampleSize", ess.effectiveSampleSize]] : [])],
        },
      ],
      diagnostics: r.diagnostics,
    },
  };
}
