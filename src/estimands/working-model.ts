/**
 * What every working outcome model of model-robust standardization
 * provides (working.ts dispatches to the implementations): the full-data
 * fit and the leave-one-cluster-out refit of the jackknife.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { FamilyName, LinkName } from "../models/family/index.ts";

export type WorkingName = "lm" | "lmm" | "gee-ind" | "gee-exch" | "glmm";
export const WORKING_MODELS: readonly WorkingName[] = Object.freeze(["lm", "lmm", "gee-ind", "gee-exch", "glmm"]);

/** Which standard error the treatment coefficient (the "Coef" comparator) reports. */
export type CoefficientSe = "HC3" | "CR3" | "md" | "model";

export interface WorkingOptions {
  /** Default "lm". */
  readonly working?: WorkingName;
  /** Default "gaussian". */
  readonly family?: FamilyName;
}

/** The working model's own estimate of the treatment coefficient, as the "Coef" rows of Li et al. (2025) report it. */
export interface TreatmentCoefficient {
  readonly term: string;
  readonly estimate: number;
  readonly stdError: number;
  /**
   * HC3 (cluster-mean LM, as sandwich::vcovHC), CR3 (LMM, clubSandwich's
   * approximate jackknife), md (GEE, Mancl–DeRouen), model (GLMM and the
   * Gaussian-variance GLM on cluster means).
   */
  readonly se: CoefficientSe;
  /** Scale of the coefficient: "difference", "log odds ratio", "log ratio". */
  readonly scale: string;
}

/** A working model fitted to the full data. */
export interface WorkingFit {
  readonly working: WorkingName;
  readonly family: FamilyName;
  readonly link: LinkName;
  /** Columns of the working design. */
  readonly terms: readonly string[];
  readonly coefficients: Float64Array;
  /** Ê(Ȳ_i | A_i = 1, …) per cluster. */
  readonly eta1: Float64Array;
  /** Ê(Ȳ_i | A_i = 0, …) per cluster. */
  readonly eta0: Float64Array;
  readonly treatment: TreatmentCoefficient;
  /** Random-intercept variance (lmm, glmm), residual variance (lmm), correlation (gee-exch). */
  readonly varianceBetween: number | null;
  readonly varianceResidual: number | null;
  readonly alpha: number | null;
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** What a leave-one-cluster-out refit reports (predictions go to caller-owned arrays). */
export interface RefitStatus {
  readonly converged: boolean;
}

/** A fitted working model that can be refitted without one cluster. */
export interface WorkingModel {
  readonly full: WorkingFit;
  /**
   * Refits the model without cluster `g` (0-based, in MrsData order),
   * starting from the full-data fit, and writes the predictions for every
   * other cluster into eta1/eta0 (entry g becomes NaN). Throws a
   * ComputeError when the refit fails.
   */
  refitWithout(g: number, eta1: Float64Array, eta0: Float64Array): RefitStatus;
}
