/**
 * Where the smc chains start and what their priors are centred at: the
 * maximum-likelihood fits of both models to the rows with the modifier
 * observed (the B-MMI convention). The modifier model is lme4-style glmer
 * (the logistic regression when it fails, with a diagnostic, as B-MMI); the
 * substantive model is the REML linear mixed model, or the logistic GLMM for
 * a binary outcome.
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { matrix } from "../../linalg/matrix.ts";
import { glmm } from "../../models/glmm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import type { RandomInterceptFit } from "../../models/lmm/types.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { fitLogisticGlmm } from "../glmm-imputation.ts";
import { logisticImputationModel } from "../imputation-model.ts";
import type { NormalModelSpec } from "./block.ts";
import type { SubstantiveDesign, SubstantiveFamily } from "./substantive.ts";

export interface ModelStart {
  readonly coefficients: Float64Array;
  /** Sampling variance of each coefficient (the diagonal of the fit's vcov). */
  readonly variances: Float64Array;
  /** Random intercept per analysed cluster (its conditional mode; 0 where the fit has none). */
  readonly intercepts: Float64Array;
  readonly clusterVariance: number;
  /** σ² of a linear model (1 for a logistic one). */
  readonly residualVariance: number;
  readonly diagnostics: readonly Diagnostic[];
}

function diagonal(vcov: ArrayLike<number>, p: number): Float64Array {
  return Float64Array.from({ length: p }, (_, j) => vcov[j * p + j]);
}

export function startFrom(fit: RandomInterceptFit, clusterOfFitted: readonly number[], C: number, residualVariance: number, diagnostics: Diagnostic[]): ModelStart {
  const intercepts = new Float64Array(C);
  clusterOfFitted.forEach((c, i) => (intercepts[c] = fit.conditionalModes.values[i]));
  return {
    coefficients: Float64Array.from(fit.coefficients),
    variances: diagonal(fit.vcov, fit.coefficients.length),
    intercepts,
    clusterVariance: fit.randomEffects[0].variance,
    residualVariance,
    diagnostics,
  };
}

/**
 * The analysed rows for which `use(r)` holds (default: the modifier is
 * observed) as a random-intercept frame (design row of analysed row r from
 * `rowOf`); which clusters it holds.
 */
export function observedFrame(
  data: ModifierData,
  p: number,
  columnNames: readonly string[],
  formula: string,
  response: { name: string; values: Float64Array },
  rowOf: (r: number) => Float64Array,
  use: (r: number) => boolean = (r) => !Number.isNaN(data.modifier[r]),
): { frame: ModelFrame; fitted: number[]; X: Float64Array } {
  const C = data.clusterIds.length;
  const rows: number[] = [];
  const fitted: number[] = [];
  const starts: number[] = [0];
  for (let c = 0; c < C; c++) {
    for (let r = data.starts[c]; r < data.starts[c + 1]; r++) if (use(r)) rows.push(r);
    if (rows.length > starts[starts.length - 1]) {
      fitted.push(c);
      starts.push(rows.length);
    }
  }
  const X = new Float64Array(rows.length * p);
  rows.forEach((r, k) => X.set(rowOf(r), k * p));
  const frame: ModelFrame = {
    formula,
    response: response.name,
    y: Float64Array.from(rows, (r) => response.values[r]),
    X: matrix(rows.length, p, X),
    columnNames,
    rows: Int32Array.from(rows, (r) => data.rows[r]),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: data.columns.cluster, ids: fitted.map((c) => data.clusterIds[c]), starts: Int32Array.from(starts) },
    randomTerms: [{ term: "(Intercept)", group: data.columns.cluster }],
    diagnostics: [],
  };
  return { frame, fitted, X };
}

/**
 * The modifier model's fit: for a binary modifier glmer, or the logistic
 * regression when it fails (intercepts 0); for a continuous one lmer (REML).
 */
export function modifierStart(data: ModifierData, design: ImputationDesign): ModelStart {
  const C = data.clusterIds.length;
  if (data.modifierType === "continuous") {
    const { p, W } = design;
    const { frame, fitted } = observedFrame(data, p, design.columnNames, `${design.formula} + (1 | ${data.columns.cluster})`, { name: data.columns.modifier, values: data.modifier }, (r) =>
      W.subarray(r * p, r * p + p),
    );
    try {
      const fit = lmm(frame);
      return startFrom(fit, fitted, C, fit.residualVariance, [...fit.diagnostics]);
    } catch (e) {
      throw new ComputeError(`smc: the modifier model '${design.formula}' fitted to the rows with the modifier observed failed: ${(e as Error).message}`);
    }
  }
  try {
    const fit = fitLogisticGlmm(data, design);
    if (!fit.converged) throw new Error("the logistic GLMM did not converge");
    return { coefficients: fit.coefficients, variances: new Float64Array(design.p), intercepts: fit.modes, clusterVariance: fit.sd * fit.sd, residualVariance: 1, diagnostics: fit.diagnostics };
  } catch (e) {
    const fallback = logisticImputationModel(data, design);
    return {
      coefficients: fallback.coefficients,
      variances: new Float64Array(design.p),
      intercepts: new Float64Array(C),
      clusterVariance: 0,
      residualVariance: 1,
      diagnostics: [
        warning("smc-modifier-start", `smc: modifier model centred at the logistic regression estimates: the GLMM fit failed (${(e as Error).message})`),
        ...fallback.diagnostics,
      ],
    };
  }
}

/** The substantive model fitted to the rows with the modifier observed (at their observed values). */
export function outcomeStart(data: ModifierData, design: SubstantiveDesign): ModelStart {
  const { p } = design;
  const C = data.clusterIds.length;
  const { frame, fitted, X } = observedFrame(data, p, design.columnNames, design.formula, { name: data.columns.outcome, values: data.outcome }, (r) =>
    observedRow(design, data.modifier[r], r),
  );
  const nRows = frame.y.length;
  for (let j = 0; j < p; j++) {
    let zero = true;
    for (let k = 0; k < nRows && zero; k++) zero = X[k * p + j] === 0;
    if (zero) {
      throw new InputError(
        `smc: column '${design.columnNames[j]}' of the substantive model '${design.formula}' is 0 in every row with the modifier observed ` +
          "(e.g. a factor level that occurs only where it is missing), so its prior and starting value cannot be taken from those rows; merge or drop that level",
      );
    }
  }
  const what = `smc: the substantive model '${design.formula}' fitted to the rows with the modifier observed`;
  try {
    if (design.family === "gaussian") {
      const fit = lmm(frame);
      return startFrom(fit, fitted, C, fit.residualVariance, [...fit.diagnostics]);
    }
    const fit = glmm(frame);
    const diagnostics: Diagnostic[] = [...fit.diagnostics];
    if (!fit.converged) diagnostics.push(warning("smc-outcome-start", `${what} did not converge; the chain starts from its last estimates`));
    return startFrom(fit, fitted, C, 1, diagnostics);
  } catch (e) {
    throw new ComputeError(`${what} failed: ${(e as Error).message}`);
  }
}

/** A row of the substantive design at modifier value m: x⁰ + m·(x¹ − x⁰) (x⁰ or x¹ for 0/1), or at level m. */
function observedRow(design: SubstantiveDesign, m: number, r: number): Float64Array {
  const { p, X0, X1, levelDesigns } = design;
  if (levelDesigns) return levelDesigns[m].subarray(r * p, r * p + p); // a categorical modifier's level code
  if (m === 0) return X0.subarray(r * p, r * p + p);
  if (m === 1) return X1.subarray(r * p, r * p + p);
  return Float64Array.from({ length: p }, (_, j) => X0[r * p + j] + m * (X1[r * p + j] - X0[r * p + j]));
}

/** x when it is finite and positive, else the fallback (a start value the fit could not give). */
export function positiveOr(x: number, fallback: number): number {
  return Number.isFinite(x) && x > 0 ? x : fallback;
}

/** The substantive model's priors and starting variances, without its starting intercepts. */
export type SubstantivePrior = Omit<NormalModelSpec, "startIntercepts"> & { readonly family: SubstantiveFamily };

/**
 * smc's prior for a linear random-intercept model (the substantive model or a
 * continuous modifier's), centred at its complete-case fit: β ~ N(β̂,
 * σ²_β·diag(SE²)), the residual-scaled Gamma(a, b·σ̂²) on τ, σ² starting at σ̂².
 */
export function linearPrior(formula: string, start: ModelStart, priorVariance: number, tauShape: number, tauRate: number): Omit<NormalModelSpec, "startIntercepts"> {
  const sigma2 = start.residualVariance;
  const variances = Float64Array.from(start.variances, (v) => priorVariance * v);
  if (!variances.every((v) => Number.isFinite(v) && v > 0)) {
    throw new ComputeError(`smc: the complete-case fit of '${formula}' has no finite standard errors to scale its prior by`);
  }
  return {
    priorMean: start.coefficients,
    priorVariance: variances,
    precisionShape: tauShape,
    precisionRate: tauRate * sigma2,
    startSigma2: sigma2,
    startClusterVariance: positiveOr(start.clusterVariance, 0.01 * sigma2),
  };
}

/** smc's priors for the substantive model: linearPrior, or for a logistic one β ~ N(β̂, σ²_β·I) and τ ~ Gamma(a, b). */
export function substantivePrior(design: SubstantiveDesign, start: ModelStart, priorVariance: number, tauShape: number, tauRate: number): SubstantivePrior {
  if (design.family === "binomial") {
    return {
      family: "binomial",
      priorMean: start.coefficients,
      priorVariance: new Float64Array(design.p).fill(priorVariance),
      precisionShape: tauShape,
      precisionRate: tauRate,
      startSigma2: 1,
      startClusterVariance: positiveOr(start.clusterVariance, 0.5),
    };
  }
  return { family: "gaussian", ...linearPrior(design.formula, start, priorVariance, tauShape, tauRate) };
}
