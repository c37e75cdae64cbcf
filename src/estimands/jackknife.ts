/**
 * Delete-one-cluster jackknife for model-robust standardization (Li et al. 2025,
 * §3.4): every cluster is left out in turn, the working model is refitted
 * and the standardized means recomputed on the remaining m − 1 clusters.
 * Standard errors of a statistic θ from its replicates θ₋g (as MRStdCRT):
 *
 * - type 1: √((m − 1)/m · Σ(θ₋g − θ̄)²)   (θ̄ = mean of the replicates)
 * - type 2: √((m − 1)/m · Σ(θ₋g − θ̂)²)   (θ̂ = full-data estimate)
 * - type 3: √(Σ(θ₋g − θ̂)²) = type 2 · √(m/(m − 1))
 */
import { ComputeError, InputError } from "../core/errors.ts";
import type { MrsData } from "./data.ts";
import { MEANS_LENGTH, standardizeInto } from "./estimator.ts";
import type { RefitStatus, WorkingModel } from "./working-model.ts";

export type JackknifeType = 1 | 2 | 3;

/** The jackknife standard error of type `type` from `replicates` and the full-data `estimate`. */
export function jackknifeStdError(replicates: ArrayLike<number>, estimate: number, type: JackknifeType): number {
  const m = replicates.length;
  if (m < 2) throw new InputError(`the jackknife needs at least 2 replicates, got ${m}`);
  let centre = estimate;
  if (type === 1) {
    let s = 0;
    for (let g = 0; g < m; g++) s += replicates[g];
    centre = s / m;
  } else if (type !== 2 && type !== 3) {
    throw new InputError(`jackknife type must be 1, 2 or 3; got ${String(type)}`);
  }
  let ss = 0;
  for (let g = 0; g < m; g++) {
    const e = replicates[g] - centre;
    ss += e * e;
  }
  return type === 3 ? Math.sqrt(ss) : Math.sqrt(((m - 1) / m) * ss);
}

/** Leave-one-cluster-out standardized means. */
export interface JackknifeMeans {
  /** m × 6 row-major: row g holds the means without cluster g (layout of estimator.ts). */
  readonly means: Float64Array;
  /** Clusters whose refit did not converge (0-based). */
  readonly notConverged: readonly number[];
}

/**
 * Refits `model` without each cluster and standardizes (stage 3 of mrs()).
 * `onProgress(done, total)` is called after each refit. A refit that throws
 * becomes a ComputeError naming the cluster.
 */
export function jackknifeMeans(
  data: MrsData,
  model: WorkingModel,
  onProgress?: (done: number, total: number) => void,
): JackknifeMeans {
  const m = data.nClusters;
  const means = new Float64Array(m * MEANS_LENGTH);
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  const row = new Float64Array(MEANS_LENGTH);
  const notConverged: number[] = [];
  for (let g = 0; g < m; g++) {
    let status: RefitStatus;
    try {
      status = model.refitWithout(g, eta1, eta0);
    } catch (e) {
      if (e instanceof ComputeError || e instanceof InputError) {
        throw new ComputeError(`jackknife: refitting the ${model.full.working} working model without cluster '${data.clusterIds[g]}' failed: ${e.message}`);
      }
      throw e;
    }
    if (!status.converged) notConverged.push(g);
    standardizeInto(data, eta1, eta0, g, row);
    means.set(row, g * MEANS_LENGTH);
    onProgress?.(g + 1, m);
  }
  return { means, notConverged };
}
