/**
 * The outcome analysis every method shares: a GEE with identity link and
 * exchangeable (or independence) working correlation for `Y ~ A*Mc`, where
 * Mc is the modifier centred at its mean over the rows analysed (recomputed
 * on each completed data set). `hte` is the A:Mc coefficient, `ate` the A
 * coefficient, each with its robust sandwich variance.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import type { ModelFrame } from "../formula/types.ts";
import { matrix } from "../linalg/matrix.ts";
import { gee, type GeeResult } from "../models/gee/index.ts";
import type { ModifierData } from "./data.ts";

export type OutcomeCorrelation = "exchangeable" | "independence";

export interface OutcomeFit {
  readonly hte: number;
  readonly hteVariance: number;
  readonly ate: number;
  readonly ateVariance: number;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export const OUTCOME_TERMS = ["(Intercept)", "A", "Mc", "A:Mc"] as const;

/**
 * Fits the outcome GEE with modifier values `m` (length n; NaN rows are left
 * out, which is the complete-case analysis). `design` (length 4n) is reused
 * for the design matrix when given, so repeated fits do not allocate it.
 */
export function fitOutcomeModel(data: ModifierData, m: Float64Array, corstr: OutcomeCorrelation, design?: Float64Array): OutcomeFit {
  const { n, treatment, outcome } = data;
  let sum = 0;
  let used = 0;
  for (let r = 0; r < n; r++) {
    if (!Number.isNaN(m[r])) {
      sum += m[r];
      used++;
    }
  }
  const centre = sum / used;
  const x = design?.fill(0) ?? new Float64Array(n * 4);
  const weights = used === n ? undefined : new Float64Array(n); // only when rows are left out
  for (let r = 0; r < n; r++) {
    const mr = m[r];
    if (Number.isNaN(mr)) continue;
    const mc = mr - centre;
    const o = r * 4;
    x[o] = 1;
    x[o + 1] = treatment[r];
    x[o + 2] = mc;
    x[o + 3] = treatment[r] * mc;
    if (weights) weights[r] = 1;
  }
  const frame: ModelFrame = {
    formula: `${data.columns.outcome} ~ ${data.columns.treatment}*Mc`,
    response: data.columns.outcome,
    y: outcome,
    X: matrix(n, 4, x),
    columnNames: OUTCOME_TERMS,
    rows: data.rows,
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: data.columns.cluster, ids: data.clusterIds, starts: data.starts },
    randomTerms: [],
    diagnostics: [],
  };
  let fit: GeeResult;
  try {
    fit = gee(frame, { family: "gaussian", corstr, weights });
  } catch (e) {
    // A completed data set can make the outcome design singular (e.g. every M equal): a failure of the fit, not of the input.
    if (e instanceof InputError) throw new ComputeError(`outcome GEE: ${e.message}`);
    throw e;
  }
  return {
    hte: fit.coefficients[3],
    hteVariance: fit.vcov[15],
    ate: fit.coefficients[1],
    ateVariance: fit.vcov[5],
    converged: fit.converged,
    diagnostics: fit.diagnostics,
  };
}
