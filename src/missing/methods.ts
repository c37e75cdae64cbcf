/** One method applied to prepared data: the single dispatch point used by the analysis and the simulations. */
import { error as errorDiagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import type { Estimate } from "../core/records.ts";
import type { Rng } from "../random/rng.ts";
import { bayesianMultilevelImputation, type ChainTrace } from "./bmmi.ts";
import { categoricalBayesianImputation } from "./categorical/bmmi.ts";
import { categoricalMultipleImputation, categoricalSingleImputation } from "./categorical/methods.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { missingIndicator } from "./indicator.ts";
import { multilevelImputation } from "./mmi.ts";
import { METHOD_NAMES, usesImputationModel, type MethodName, type MethodResult, type MethodSettings } from "./result.ts";
import { completeCase, multipleImputation, singleImputation } from "./single-level.ts";
import { substantiveModelImputation } from "./smc/smc.ts";

const FAILED: Estimate = { estimate: NaN, stdError: NaN, df: null, statistic: NaN, pValue: NaN, confLow: NaN, confHigh: NaN };

export type Outcome = { result: MethodResult; traces: ChainTrace[] };
type Runner = (data: ModifierData, design: ImputationDesign, settings: MethodSettings, stream: (chain: number) => Rng) => Outcome;

/** Every method name has its runner: a name without one does not compile. cca and indicator ignore the design. */
const RUNNERS: Record<MethodName, Runner> = {
  cca: (data, _design, settings) => ({ result: completeCase(data, settings), traces: [] }),
  si: (data, design, settings, stream) => ({ result: singleImputation(data, design, settings, stream(0)), traces: [] }),
  mi: (data, design, settings, stream) => ({ result: multipleImputation(data, design, settings, stream(0)), traces: [] }),
  mmi: (data, design, settings, stream) => ({ result: multilevelImputation(data, design, settings, stream(0)), traces: [] }),
  bmmi: bayesianMultilevelImputation,
  smc: substantiveModelImputation,
  indicator: (data, _design, settings) => ({ result: missingIndicator(data, settings), traces: [] }),
};

/** A categorical modifier's own runners (categorical/methods.ts); the others are shared. */
const CATEGORICAL_RUNNERS: Partial<Record<MethodName, Runner>> = {
  si: (data, design, settings, stream) => ({ result: categoricalSingleImputation(data, design, settings, stream(0)), traces: [] }),
  mi: (data, design, settings, stream) => ({ result: categoricalMultipleImputation(data, design, settings, stream(0)), traces: [] }),
  bmmi: categoricalBayesianImputation,
  mmi: (_data, design) =>
    failedOutcome("mmi", design, "MMI needs a multinomial random-intercept model fitted with conditional modes, which is not available for a categorical modifier; use bmmi (the Bayesian multilevel imputation) or mi"),
};

/**
 * Runs `method` (with `design` unless it imputes nothing: cca, indicator). `stream(chain)` gives the
 * method's random stream (chain 0 for everything but extra B-MMI chains).
 * A ComputeError inside the method becomes a failed result with an error
 * diagnostic, so one failing fit does not lose the other methods' results.
 */
export function runMethod(
  data: ModifierData,
  method: MethodName,
  design: ImputationDesign | null,
  settings: MethodSettings,
  stream: (chain: number) => Rng,
): Outcome {
  if (!Object.hasOwn(RUNNERS, method)) throw new InputError(`unknown method '${method}'; use any of ${METHOD_NAMES.join(", ")}`);
  if (usesImputationModel(method) && design === null) throw new InputError(`method ${method} needs an imputation model`);
  try {
    const runner = (data.modifierType === "categorical" ? CATEGORICAL_RUNNERS[method] : undefined) ?? RUNNERS[method];
    return runner(data, design!, settings, stream);
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    return failedOutcome(method, design, e.message);
  }
}

/** The result of a method stopped by a computation failure: NaN estimates and an error diagnostic. */
export function failedOutcome(method: MethodName, design: ImputationDesign | null, message: string): Outcome {
  return {
    result: {
      method,
      imputationModel: design?.formula ?? null,
      hte: FAILED,
      ate: FAILED,
      nImputations: 0,
      diagnostics: [errorDiagnostic("method-failed", `${method}${design ? ` with '${design.formula}'` : ""} failed: ${message}`)],
    },
    traces: [],
  };
}

/** True when a result carries an error diagnostic (the method failed). */
export function failed(result: MethodResult): boolean {
  return result.diagnostics.some((d) => d.severity === "error");
}
