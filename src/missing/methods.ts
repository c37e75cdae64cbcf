/** One method applied to prepared data: the single dispatch point used by the analysis and the simulations. */
import { error as errorDiagnostic } from "../core/diagnostics.ts";
import { ComputeError } from "../core/errors.ts";
import type { Estimate } from "../core/records.ts";
import type { Rng } from "../random/rng.ts";
import { bayesianMultilevelImputation, type ChainTrace } from "./bmmi.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { multilevelImputation } from "./mmi.ts";
import type { MethodName, MethodResult, MethodSettings } from "./result.ts";
import { completeCase, multipleImputation, singleImputation } from "./single-level.ts";

const FAILED: Estimate = { estimate: NaN, stdError: NaN, df: null, statistic: NaN, pValue: NaN, confLow: NaN, confHigh: NaN };

/**
 * Runs `method` (with `design` unless it is cca). `stream(chain)` gives the
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
): { result: MethodResult; traces: ChainTrace[] } {
  try {
    if (method === "cca") return { result: completeCase(data, settings), traces: [] };
    if (design === null) throw new Error(`method ${method} needs an imputation model`);
    if (method === "si") return { result: singleImputation(data, design, settings, stream(0)), traces: [] };
    if (method === "mi") return { result: multipleImputation(data, design, settings, stream(0)), traces: [] };
    if (method === "mmi") return { result: multilevelImputation(data, design, settings, stream(0)), traces: [] };
    return bayesianMultilevelImputation(data, design, settings, stream);
  } catch (e) {
    if (!(e instanceof ComputeError)) throw e;
    return {
      result: {
        method,
        imputationModel: design?.formula ?? null,
        hte: FAILED,
        ate: FAILED,
        nImputations: 0,
        diagnostics: [errorDiagnostic("method-failed", `${method}${design ? ` with '${design.formula}'` : ""} failed: ${e.message}`)],
      },
      traces: [],
    };
  }
}

/** True when a result carries an error diagnostic (the method failed). */
export function failed(result: MethodResult): boolean {
  return result.diagnostics.some((d) => d.severity === "error");
}
