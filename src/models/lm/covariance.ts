/**
 * The variance stage of lm: classical σ²(XᵀWX)⁻¹ or a cluster-robust type
 * (src/inference/sandwich.ts), with the df of each coefficient's t test.
 */
import { InputError } from "../../core/errors.ts";
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { CLUSTER_ROBUST_TYPES, clusterRobustLinear, type ClusterRobustType } from "../../inference/sandwich.ts";
import type { OlsFit } from "./ols.ts";

/** `classical` (iid errors, σ²(XᵀWX)⁻¹) or a clubSandwich cluster-robust type. */
export type LmVcovType = "classical" | ClusterRobustType;

/**
 * Degrees of freedom of the t tests for a cluster-robust variance:
 * `satterthwaite` (clubSandwich's coef_test default; Bell–McCaffrey df for CR2)
 * or `naive` (m − 1 for m clusters, clubSandwich's "naive-t").
 * Classical variances always use the residual df n − p.
 */
export type LmDfMethod = "satterthwaite" | "naive";

/** The variance stage. */
export interface LmCovariance {
  readonly vcovType: LmVcovType;
  /** p×p row-major. */
  readonly vcov: Float64Array;
  /** Per-term df of the t reference distribution. */
  readonly df: readonly number[];
  readonly dfMethod: "residual" | LmDfMethod;
  readonly nClusters: number | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Satterthwaite df below this make t tests unreliable (Tipton 2015). */
const SMALL_DF = 4;

/**
 * The variance of the least-squares estimates: classical σ²(XᵀWX)⁻¹ with
 * residual df, or a cluster-robust type (see src/inference/sandwich.ts) over
 * frame.clusters with Satterthwaite (default) or m − 1 df.
 */
export function lmCovariance(
  frame: ModelFrame,
  fit: OlsFit,
  options: { readonly vcov?: LmVcovType; readonly df?: LmDfMethod } = {},
): LmCovariance {
  const clusters = frame.clusters;
  const type = options.vcov ?? (clusters ? "CR2" : "classical");
  const { n, p } = fit;
  if (type === "classical") {
    const s2 = fit.sigma * fit.sigma;
    const covariance = new Float64Array(p * p);
    for (let i = 0; i < p * p; i++) covariance[i] = s2 * fit.bread[i];
    return Object.freeze({
      vcovType: type,
      vcov: covariance,
      df: Object.freeze(new Array<number>(p).fill(fit.dfResidual)),
      dfMethod: "residual" as const,
      nClusters: clusters ? clusters.ids.length : null,
      diagnostics: Object.freeze([]),
    });
  }
  if (!CLUSTER_ROBUST_TYPES.includes(type)) {
    throw new InputError(`unknown vcov '${String(type)}'; use classical, ${CLUSTER_ROBUST_TYPES.join(", ")}`);
  }
  const dfMethod = options.df ?? "satterthwaite";
  if (dfMethod !== "satterthwaite" && dfMethod !== "naive") {
    throw new InputError(`unknown df method '${String(dfMethod)}'; use satterthwaite or naive`);
  }
  if (!clusters) throw new InputError(`vcov '${type}' needs clusters: give a cluster column`);
  const { starts, ids, column } = clusters;
  const m = ids.length;
  if (starts.length !== m + 1 || starts[0] !== 0 || starts[m] !== n) {
    throw new InputError(`cluster column '${column}': cluster boundaries do not cover the ${n} rows`);
  }
  for (let j = 0; j < m; j++) {
    if (starts[j + 1] <= starts[j]) throw new InputError(`cluster '${ids[j]}' of column '${column}' has no rows`);
  }
  if (m < 2) throw new InputError(`vcov '${type}' needs at least 2 clusters; column '${column}' has ${m}`);
  const robust = clusterRobustLinear(
    {
      x: frame.X.data,
      n,
      p,
      residuals: fit.residuals,
      weights: fit.weights ?? undefined,
      bread: fit.bread,
      starts,
      clusterIds: ids,
    },
    type,
    { satterthwaite: dfMethod === "satterthwaite" },
  );
  const df = robust.df ? Array.from(robust.df) : new Array<number>(p).fill(m - 1);
  const diagnostics: Diagnostic[] = [...robust.diagnostics];
  if (robust.df) {
    df.forEach((d, i) => {
      if (!(d > 0 && Number.isFinite(d))) {
        diagnostics.push(
          warning("satterthwaite-df-undefined", `Satterthwaite df for '${frame.columnNames[i]}' is ${d}: the variance of its ${type} estimate is degenerate`),
        );
      } else if (d < SMALL_DF) {
        diagnostics.push(
          warning(
            "satterthwaite-small-df",
            `Satterthwaite df for '${frame.columnNames[i]}' is ${d.toFixed(2)} (< ${SMALL_DF}): its t test may be unreliable`,
          ),
        );
      }
    });
  }
  return Object.freeze({
    vcovType: type,
    vcov: robust.vcov,
    df: Object.freeze(df),
    dfMethod,
    nClusters: m,
    diagnostics: Object.freeze(diagnostics),
  });
}
