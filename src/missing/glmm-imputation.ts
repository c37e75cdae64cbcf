/**
 * The random-intercept imputation models of an individual-level modifier,
 * fitted to the rows with the modifier observed: logistic for a binary
 * modifier (lme4's glmer with a Laplace approximation), linear for a
 * continuous one (lme4's lmer, REML). Conditional modes are mapped back to
 * every cluster of the data (0, the population mean, for a cluster with no
 * observed modifier).
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import type { ModelFrame } from "../formula/types.ts";
import { matrix } from "../linalg/matrix.ts";
import { glmm } from "../models/glmm/index.ts";
import { lmm } from "../models/lmm/index.ts";
import type { RandomInterceptFit } from "../models/lmm/types.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { observedRows, selectRows } from "./impute.ts";
import { sharedFit } from "./shared-fits.ts";

export interface ImputationMixedModel {
  readonly coefficients: Float64Array;
  /** Random-intercept SD. */
  readonly sd: number;
  /** Residual SD (linear model only; 0 for the logistic one). */
  readonly sigma: number;
  /** Conditional mode of each cluster of `data` (0 where the modifier is never observed). */
  readonly modes: Float64Array;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** The observed rows as a random-intercept frame, and which clusters of `data` it holds (in order). */
function observedFrame(data: ModifierData, design: ImputationDesign): { frame: ModelFrame; fittedClusters: number[] } {
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
  return { frame, fittedClusters };
}

function mixedModel(
  data: ModifierData,
  fittedClusters: readonly number[],
  fit: RandomInterceptFit,
  sigma: number,
  what: "logistic GLMM" | "linear mixed",
  formula: string,
): ImputationMixedModel {
  const modes = new Float64Array(data.clusterIds.length);
  fittedClusters.forEach((c, i) => (modes[c] = fit.conditionalModes.values[i]));
  const diagnostics: Diagnostic[] = [...fit.diagnostics];
  if (!fit.converged) diagnostics.push(warning(what === "linear mixed" ? "imputation-lmm-not-converged" : "imputation-glmm-not-converged", `the ${what} imputation model '${formula}' did not converge`));
  return { coefficients: fit.coefficients, sd: fit.randomEffects[0].sd, sigma, modes, converged: fit.converged, diagnostics };
}

export function fitLogisticGlmm(data: ModifierData, design: ImputationDesign): ImputationMixedModel {
  const { frame, fittedClusters } = observedFrame(data, design);
  return mixedModel(data, fittedClusters, glmm(frame, { nagq: 1 }), 0, "logistic GLMM", design.formula);
}

/** lmer(M ~ W + (1 | cluster)) by REML; `sigma` is lme4's sigma(fit). */
export function fitLinearMixed(data: ModifierData, design: ImputationDesign): ImputationMixedModel {
  const { frame, fittedClusters } = observedFrame(data, design);
  const fit = lmm(frame, { method: "reml" });
  return mixedModel(data, fittedClusters, fit, fit.sigma, "linear mixed", design.formula);
}

/** The random-intercept model of the modifier's type, fitted once per (data, design) and shared by MMI and B-MMI (shared-fits.ts). */
export function mixedImputationModel(data: ModifierData, design: ImputationDesign): ImputationMixedModel {
  return sharedFit(data, design, "mixed", () => (data.modifierType === "binary" ? fitLogisticGlmm(data, design) : fitLinearMixed(data, design)));
}
