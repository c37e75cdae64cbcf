/**
 * The imputation models with parameters fixed at their estimates, fitted to
 * the units with the modifier observed:
 *
 * - single level (SI, MI): logistic regression (R's glm, binomial) for a
 *   binary modifier, linear regression (lm) for a continuous one, whose
 *   residual draws use R's sigma(lm) = √(RSS/(n − p));
 * - multilevel (MMI): the logistic GLMM (glmer), or the linear mixed model
 *   (lmer, REML) whose predictions wᵀβ̂ + b̂_i add each cluster's conditional
 *   mode b̂_i, as for the GLMM, and whose residual draws use lmer's sigma.
 *   For a cluster-level modifier there is no random intercept to add (one
 *   value per cluster; cluster-level.ts), so MMI uses the single-level model.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { expit } from "../core/math.ts";
import type { ModelFrame } from "../formula/types.ts";
import { matrix } from "../linalg/matrix.ts";
import { resolveFamily } from "../models/family/index.ts";
import { glmFit } from "../models/glm/index.ts";
import { olsFit } from "../models/lm/index.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { mixedImputationModel } from "./glmm-imputation.ts";
import { observedRows, selectRows, type FixedImputationModel } from "./impute.ts";
import { sharedFit } from "./shared-fits.ts";

export interface FittedImputationModel extends FixedImputationModel {
  readonly diagnostics: readonly Diagnostic[];
}

/** The observed units, their design rows and values; refuses a model with as many coefficients as observed units. */
function observedUnits(data: ModifierData, design: ImputationDesign): { units: Int32Array; x: Float64Array; y: Float64Array } {
  const units = observedRows(data.units.observed);
  if (units.length <= design.p) {
    const what = data.level === "cluster" ? "clusters" : "rows";
    throw new InputError(
      `imputation model '${design.formula}' has ${design.p} coefficients but the modifier '${data.columns.modifier}' is observed in only ${units.length} ${what}: use a smaller model`,
    );
  }
  return { units, x: selectRows(design.W, design.p, units), y: Float64Array.from(units, (u) => data.units.observed[u]) };
}

function linearPredictor(design: ImputationDesign, beta: Float64Array, n: number): Float64Array {
  const eta = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let s = 0;
    for (let j = 0; j < design.p; j++) s += design.W[u * design.p + j] * beta[j];
    eta[u] = s;
  }
  return eta;
}

/** Logistic regression on the observed units; P(M = 1) for every unit. */
export function logisticImputationModel(data: ModifierData, design: ImputationDesign): FittedImputationModel {
  const { units, x, y } = observedUnits(data, design);
  const { family, link } = resolveFamily("binomial", "logit");
  const fit = glmFit(x, units.length, design.p, y, family, link);
  const diagnostics: Diagnostic[] = [];
  if (!fit.converged) diagnostics.push(warning("imputation-not-converged", `logistic imputation model '${design.formula}' did not converge in ${fit.iterations} iterations`));
  if (fit.boundary) diagnostics.push(warning("imputation-separation", `logistic imputation model '${design.formula}': fitted probabilities of 0 or 1 (separation)`));
  const mean = linearPredictor(design, fit.coefficients, data.units.n).map(expit);
  return { type: "binary", mean, sigma: 0, coefficients: fit.coefficients, diagnostics };
}

/** Linear regression on the observed units; the mean of every unit and sigma(lm). */
export function linearImputationModel(data: ModifierData, design: ImputationDesign): FittedImputationModel {
  const { units, x, y } = observedUnits(data, design);
  const frame: ModelFrame = {
    formula: design.formula,
    response: data.columns.modifier,
    y,
    X: matrix(units.length, design.p, x),
    columnNames: design.columnNames,
    rows: data.level === "cluster" ? Int32Array.from(units, (c) => data.rows[data.starts[c]]) : Int32Array.from(units, (r) => data.rows[r]),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [],
    diagnostics: [],
  };
  let fit: ReturnType<typeof olsFit>;
  try {
    fit = olsFit(frame);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`imputation model '${design.formula}': ${e.message}`);
    throw e;
  }
  const mean = linearPredictor(design, fit.coefficients, data.units.n);
  return { type: "continuous", mean, sigma: fit.sigma, coefficients: fit.coefficients, diagnostics: [] };
}

/** The SI/MI model: logistic for a binary modifier, linear for a continuous one; fitted once per (data, design) and shared (shared-fits.ts). */
export function singleLevelModel(data: ModifierData, design: ImputationDesign): FittedImputationModel {
  return sharedFit(data, design, "single-level", () =>
    data.modifierType === "binary" ? logisticImputationModel(data, design) : linearImputationModel(data, design),
  );
}

/** The MMI model: the random-intercept model with conditional modes (single level for a cluster-level modifier). */
export function multilevelModel(data: ModifierData, design: ImputationDesign): FittedImputationModel {
  if (data.level === "cluster") {
    const model = singleLevelModel(data, design);
    const kind = data.modifierType === "binary" ? "logistic" : "linear";
    const fitted = observedRows(data.units.observed).length;
    return {
      ...model,
      diagnostics: [
        info(
          "mmi-cluster-level",
          `the modifier is cluster-level: MMI imputes one value for each of the ${data.units.n - fitted} clusters without it from the ${kind} regression of the ${fitted} clusters with it, parameters fixed, as MI does; with one value per cluster a cluster random intercept is not identified`,
        ),
        ...model.diagnostics,
      ],
    };
  }
  const mixed = mixedImputationModel(data, design);
  const eta = linearPredictor(design, mixed.coefficients, data.n);
  for (let c = 0; c < data.clusterIds.length; c++) {
    for (let r = data.starts[c]; r < data.starts[c + 1]; r++) eta[r] += mixed.modes[c];
  }
  return {
    type: data.modifierType,
    mean: data.modifierType === "binary" ? eta.map(expit) : eta,
    sigma: mixed.sigma,
    coefficients: mixed.coefficients,
    diagnostics: mixed.diagnostics,
  };
}
