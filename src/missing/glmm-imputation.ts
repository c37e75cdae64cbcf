/**
 * The logistic random-intercept imputation model (lme4's glmer with a
 * Laplace approximation) fitted to the rows with the modifier observed;
 * conditional modes mapped back to every cluster of the data (0, the
 * population mean, for a cluster with no observed modifier).
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import type { ModelFrame } from "../formula/types.ts";
import { matrix } from "../linalg/matrix.ts";
import { glmm } from "../models/glmm/index.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { observedRows, selectRows } from "./impute.ts";

export interface ImputationGlmm {
  readonly coefficients: Float64Array;
  /** Random-intercept SD. */
  readonly sd: number;
  /** Conditional mode of each cluster of `data` (0 where the modifier is never observed). */
  readonly modes: Float64Array;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export function fitLogisticGlmm(data: ModifierData, design: ImputationDesign): ImputationGlmm {
  const rows = observedRows(data.modifier);
  const C = data.clusterIds.length;
  // Clusters keep their order; those without observed rows are absent from the fit.
  const fittedClusters: number[] = [];
  const starts: number[] = [0];
  let k = 0;
  for (let c = 0; c < C; c++) {
    const before = k;
    while (k < rows.length && rows[k] < data.starts[c + 1]) k++;
    if (k > before) {
      fittedClusters.push(c);
      starts.push(k);
    }
  }
  const frame: ModelFrame = {
    formula: `${design.formula} + (1 | ${data.columns.cluster})`,
    response: data.columns.modifier,
    y: Float64Array.from(rows, (r) => data.modifier[r]),
    X: matrix(rows.length, design.p, selectRows(design.W, design.p, rows)),
    columnNames: design.columnNames,
    rows: Int32Array.from(rows, (r) => data.rows[r]),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: data.columns.cluster, ids: fittedClusters.map((c) => data.clusterIds[c]), starts: Int32Array.from(starts) },
    randomTerms: [{ term: "(Intercept)", group: data.columns.cluster }],
    diagnostics: [],
  };
  const fit = glmm(frame, { nagq: 1 });
  const modes = new Float64Array(C);
  fittedClusters.forEach((c, i) => (modes[c] = fit.conditionalModes.values[i]));
  const diagnostics: Diagnostic[] = [...fit.diagnostics];
  if (!fit.converged) diagnostics.push(warning("imputation-glmm-not-converged", `the logistic GLMM imputation model '${design.formula}' did not converge`));
  return { coefficients: fit.coefficients, sd: fit.theta, modes, converged: fit.converged, diagnostics };
}
