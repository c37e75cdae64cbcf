/**
 * Which arm loses more: the difference between two arms in the mean of the
 * clusters' proportions missing, by Student's two-sample t test on those
 * proportions (pooled variance, C − 2 df; R's t.test(var.equal = TRUE)).
 * Clusters are the units randomized, so each counts once, whatever its size.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import type { Estimate } from "../core/records.ts";
import { waldEstimate } from "../inference/wald.ts";
import type { ClusterCount } from "./counts.ts";

export interface ArmComparison {
  /** The arms compared, ascending; the difference is arms[1] − arms[0]. */
  readonly arms: readonly [number, number];
  /** Difference in mean cluster proportion missing (statistic null when the proportions do not vary). */
  readonly difference: Estimate;
  readonly method: "cluster-level t test";
}

function meanVar(values: readonly number[]): { mean: number; ss: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, ss: values.reduce((s, v) => s + (v - mean) ** 2, 0) };
}

/** Compares two arms; null with a note for another number of arms or too few clusters. */
export function compareArms(clusters: readonly ClusterCount[], level: number): { comparison: ArmComparison | null; diagnostics: Diagnostic[] } {
  const arms = [...new Set(clusters.map((c) => c.arm))].filter((a): a is number => a !== null).sort((a, b) => a - b);
  if (arms.length !== 2) {
    const note = arms.length === 0 ? [] : [info("arm-comparison-skipped", `the arm comparison needs two arms; the treatment has ${arms.length} (${arms.join(", ")})`)];
    return { comparison: null, diagnostics: note };
  }
  const first = clusters.filter((c) => c.arm === arms[0]).map((c) => c.propMissing);
  const second = clusters.filter((c) => c.arm === arms[1]).map((c) => c.propMissing);
  const df = first.length + second.length - 2;
  if (df < 1) {
    return { comparison: null, diagnostics: [info("arm-comparison-skipped", `the arm comparison needs at least 3 clusters; there are ${first.length} and ${second.length}`)] };
  }
  const a = meanVar(first);
  const b = meanVar(second);
  const pooled = (a.ss + b.ss) / df;
  const stdError = Math.sqrt(pooled * (1 / first.length + 1 / second.length));
  const estimate = b.mean - a.mean;
  const diagnostics: Diagnostic[] = [];
  let difference: Estimate;
  if (stdError > 0) {
    difference = waldEstimate(estimate, stdError, df, level);
  } else {
    difference = { estimate, stdError, df, statistic: NaN, pValue: NaN, confLow: NaN, confHigh: NaN };
    diagnostics.push(
      info("arm-comparison-constant", `the cluster proportions missing do not vary within either arm (${a.mean} and ${b.mean}): the t test is undefined`),
    );
  }
  return { comparison: { arms: [arms[0], arms[1]], difference, method: "cluster-level t test" }, diagnostics };
}
