/**
 * Working outcome models for model-robust standardization (Li et al. 2025, §3.3).
 * A working model is fitted once to the full data (`fitWorking`) and then
 * refitted with each cluster left out (`refitWithout`, the jackknife); each
 * fit yields the predicted cluster-mean outcome under A = 1 and A = 0 for
 * every cluster, Ê(Ȳ_i | A_i = a, X_i, H_i, N_i).
 *
 * | working    | fitted on        | model                                         |
 * |------------|------------------|-----------------------------------------------|
 * | `lm`       | cluster means    | least squares (gaussian); Gaussian-variance logit/log regression (binomial/poisson, eq. 9) |
 * | `lmm`      | individuals      | random-intercept LMM, REML (eq. 10)          |
 * | `gee-ind`  | individuals      | GEE, working independence (eq. 14)          |
 * | `gee-exch` | individuals      | GEE, exchangeable working correlation       |
 * | `glmm`     | individuals      | random-intercept GLMM, Laplace: logistic (eq. 11) or Poisson log link |
 *
 * Individual-level models use the contextual-effect design of design.ts.
 */
import { InputError } from "../core/errors.ts";
import type { FamilyName, LinkName } from "../models/family/index.ts";
import { requireInformativeOutcome } from "../models/validate.ts";
import type { MrsData } from "./data.ts";
import { geeWorking } from "./working-gee.ts";
import { lmWorking } from "./working-lm.ts";
import { mixedWorking } from "./working-mixed.ts";
import { WORKING_MODELS, type WorkingModel, type WorkingName, type WorkingOptions } from "./working-model.ts";

/** Checks the family is one the working model supports and returns its link. */
export function workingLink(working: WorkingName, family: FamilyName): LinkName {
  if (!WORKING_MODELS.includes(working)) {
    throw new InputError(`unknown working model '${String(working)}'; use one of: ${WORKING_MODELS.join(", ")}`);
  }
  if (family !== "gaussian" && family !== "binomial" && family !== "poisson") {
    throw new InputError(`unknown family '${String(family)}'; use gaussian, binomial or poisson`);
  }
  if (working === "lmm" && family !== "gaussian") {
    throw new InputError(
      `the lmm working model is linear (family gaussian; it may be fitted to binary or count outcomes); ` +
        `for a ${family} random-intercept model use --working glmm`,
    );
  }
  if (working === "glmm" && family === "gaussian") {
    throw new InputError("the glmm working model needs family binomial (logit) or poisson (log); for a gaussian outcome use --working lmm");
  }
  return family === "gaussian" ? "identity" : family === "binomial" ? "logit" : "log";
}

/**
 * Fits the working model to the full data (stage 2 of mrs()).
 *
 * @example
 * const model = fitWorking(mrsData(data, "Y ~ X1 + cluster(H1)", { cluster: "C", treatment: "A" }), { working: "gee-exch" });
 * model.full.eta1; // predicted cluster means under treatment
 */
export function fitWorking(data: MrsData, options: WorkingOptions = {}): WorkingModel {
  const working = options.working ?? "lm";
  const family = options.family ?? "gaussian";
  workingLink(working, family);
  checkOutcome(data, family);
  switch (working) {
    case "lm":
      return lmWorking(data, family);
    case "gee-ind":
    case "gee-exch":
      return geeWorking(data, family, working === "gee-ind" ? "independence" : "exchangeable");
    case "lmm":
    case "glmm":
      return mixedWorking(data, working, family);
  }
}

function checkOutcome(data: MrsData, family: FamilyName): void {
  requireInformativeOutcome(data.y, data.response, family);
  if (family === "gaussian") return;
  for (let r = 0; r < data.nObs; r++) {
    const v = data.y[r];
    const bad = family === "binomial" ? !(v === 0 || v === 1) : !(v >= 0 && Number.isInteger(v));
    if (bad) {
      throw new InputError(
        `response '${data.response}' is ${v} at data row ${data.rows[r] + 1}; family ${family} needs ` +
          (family === "binomial" ? "0/1 outcomes" : "non-negative integer counts"),
      );
    }
  }
}
