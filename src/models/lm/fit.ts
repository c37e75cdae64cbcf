/**
 * Linear model by (weighted) least squares with classical or cluster-robust
 * variances. Stages, callable one by one:
 *
 *   olsFit(frame, weights?)            QR least squares, residuals, bread (XᵀWX)⁻¹
 *   lmCovariance(frame, fit, options)  classical or CR0/CR1/CR1p/CR1S/CR2/CR3 variance and per-term df
 *   lm(frame, options)                 both, plus the coefficient table, as a frozen result
 */
import { InputError } from "../../core/errors.ts";
import { info, warning, type Diagnostic } from "../../core/diagnostics.ts";
import type { Coefficient } from "../../core/records.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { crossprod, invertSymmetric, qrLeastSquares } from "../../linalg/index.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { checkModelFrame } from "../validate.ts";
import { CLUSTER_ROBUST_TYPES, clusterRobustLinear, type ClusterRobustType } from "../../inference/sandwich.ts";

/** `classical` (iid errors, σ²(XᵀWX)⁻¹) or a clubSandwich cluster-robust type. */
export type LmVcovType = "classical" | ClusterRobustType;

/**
 * Degrees of freedom of the t tests for a cluster-robust variance:
 * `satterthwaite` (clubSandwich's coef_test default; Bell–McCaffrey df for CR2)
 * or `naive` (m − 1 for m clusters, clubSandwich's "naive-t").
 * Classical variances always use the residual df n − p.
 */
export type LmDfMethod = "satterthwaite" | "naive";

export interface LmOptions {
  /** Default: "CR2" when the frame has clusters, otherwise "classical". */
  readonly vcov?: LmVcovType;
  /** Positive prior weights (frame row order); default: frame.weights, else unweighted. */
  readonly weights?: ArrayLike<number>;
  /** Default "satterthwaite". */
  readonly df?: LmDfMethod;
  /** Confidence level of the intervals; default 0.95. */
  readonly level?: number;
}

/** The least-squares stage. Arrays are row-major; `bread` is (XᵀWX)⁻¹. */
export interface OlsFit {
  readonly n: number;
  readonly p: number;
  readonly coefficients: Float64Array;
  /** y − Xβ̂ (raw, not multiplied by √w). */
  readonly residuals: Float64Array;
  readonly weights: Float64Array | null;
  readonly bread: Float64Array;
  /** Σ w·e². */
  readonly rss: number;
  readonly dfResidual: number;
  /** √(rss / (n − p)). */
  readonly sigma: number;
}

/** The variance stage. */
export interface LmCovariance {
  readonly vcov: LmVcovType;
  /** p×p row-major. */
  readonly covariance: Float64Array;
  /** Per-term df of the t reference distribution. */
  readonly df: readonly number[];
  readonly dfMethod: "residual" | LmDfMethod;
  readonly nClusters: number | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** What `lm` returns: a deeply frozen plain object. */
export interface LmResult {
  readonly formula: string;
  readonly response: string;
  readonly terms: readonly string[];
  readonly estimates: readonly number[];
  /** Variance matrix of the estimates (p×p, as nested rows). */
  readonly covariance: readonly (readonly number[])[];
  /** Coefficient table: t tests with the df of `dfMethod`, `level` intervals. */
  readonly coefficients: readonly Coefficient[];
  /** Variance type used (the CLI's `vcov` field). */
  readonly vcov: LmVcovType;
  readonly dfMethod: "residual" | LmDfMethod;
  readonly level: number;
  readonly residualStdError: number;
  readonly dfResidual: number;
  readonly nObs: number;
  readonly nDropped: number;
  /** Number of clusters, or null when the frame has none. */
  readonly nClusters: number | null;
  readonly weighted: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** Satterthwaite df below this make t tests unreliable (Tipton 2015). */
const SMALL_DF = 4;

function rowLabel(frame: ModelFrame, r: number): string {
  return frame.rows && frame.rows.length === frame.y.length ? `row ${frame.rows[r] + 1}` : `frame row ${r + 1}`;
}

function checkFrame(frame: ModelFrame): void {
  const { X, y, columnNames } = frame;
  const n = y.length;
  if (X.rows !== n) throw new InputError(`design matrix has ${X.rows} rows but response '${frame.response}' has ${n}`);
  if (columnNames.length !== X.cols) {
    throw new InputError(`design matrix has ${X.cols} columns but ${columnNames.length} column names`);
  }
  if (X.cols === 0) throw new InputError(`formula '${frame.formula}' has no terms to estimate`);
  for (let r = 0; r < n; r++) {
    if (!Number.isFinite(y[r])) throw new InputError(`response '${frame.response}' has non-finite value ${y[r]} at ${rowLabel(frame, r)}`);
  }
  const p = X.cols;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      const v = X.data[r * p + c];
      if (!Number.isFinite(v)) throw new InputError(`column '${columnNames[c]}' has non-finite value ${v} at ${rowLabel(frame, r)}`);
    }
  }
  if (n <= p) throw new InputError(`lm needs more rows than coefficients: ${n} rows, ${p} coefficients (${columnNames.join(", ")})`);
}

function checkWeights(frame: ModelFrame, weights: ArrayLike<number>): Float64Array {
  const n = frame.y.length;
  if (weights.length !== n) throw new InputError(`weights have ${weights.length} values, expected ${n} (one per row)`);
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const v = weights[r];
    if (!(Number.isFinite(v) && v > 0)) throw new InputError(`weight ${v} at ${rowLabel(frame, r)} is not a positive finite number`);
    w[r] = v;
  }
  return w;
}

/**
 * Least squares by Householder QR (weighted: on √w·X and √w·y). A column
 * that is a linear combination of earlier ones is refused with an InputError
 * naming it (R would report NA for it).
 */
export function olsFit(frame: ModelFrame, weights?: ArrayLike<number>): OlsFit {
  checkFrame(frame);
  const { X, y, columnNames } = frame;
  const n = X.rows;
  const p = X.cols;
  const wIn = weights ?? frame.weights;
  const w = wIn === undefined ? null : checkWeights(frame, wIn);
  let xs = X.data;
  let ys: Float64Array = y;
  if (w) {
    xs = new Float64Array(n * p);
    ys = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const sw = Math.sqrt(w[r]);
      ys[r] = sw * y[r];
      for (let c = 0; c < p; c++) xs[r * p + c] = sw * X.data[r * p + c];
    }
  }
  const qr = qrLeastSquares(xs, n, p, ys);
  if (qr.dependent.length > 0) {
    const names = qr.dependent.map((c) => `'${columnNames[c]}'`);
    throw new InputError(
      names.length === 1
        ? `singular design: column ${names[0]} is a linear combination of earlier columns`
        : `singular design: columns ${names.join(", ")} are linear combinations of earlier columns`,
    );
  }
  const beta = qr.coefficients;
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += X.data[r * p + c] * beta[c];
    const e = y[r] - s;
    residuals[r] = e;
    rss += (w ? w[r] : 1) * e * e;
  }
  const bread = invertSymmetric(crossprod(X.data, n, p, w ?? undefined), p, "the cross-product matrix XᵀWX");
  const dfResidual = n - p;
  return Object.freeze({
    n,
    p,
    coefficients: beta,
    residuals,
    weights: w,
    bread,
    rss,
    dfResidual,
    sigma: Math.sqrt(rss / dfResidual),
  });
}

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
      vcov: type,
      covariance,
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
    vcov: type,
    covariance: robust.vcov,
    df: Object.freeze(df),
    dfMethod,
    nClusters: m,
    diagnostics: Object.freeze(diagnostics),
  });
}

/**
 * Linear model y = Xβ + e by least squares, with classical or cluster-robust
 * inference. With clusters the default is CR2 with Satterthwaite df per term,
 * as `clubSandwich::coef_test(lm(...), vcov = "CR2", cluster = ...)` reports.
 * The result's diagnostics start with the frame's own (dropped rows, …).
 *
 * @example
 * const fit = lm(frame, { vcov: "CR2" });
 * fit.coefficients.find((c) => c.term === "A"); // { estimate, stdError, df, pValue, … }
 */
export function lm(frame: ModelFrame, options: LmOptions = {}): LmResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level ${level} is not between 0 and 1`);
  checkModelFrame(frame, { model: "lm", family: "gaussian", weights: options.weights ?? frame.weights });
  const fit = olsFit(frame, options.weights);
  const cov = lmCovariance(frame, fit, { vcov: options.vcov, df: options.df });
  const p = fit.p;
  const se = new Float64Array(p);
  for (let i = 0; i < p; i++) se[i] = Math.sqrt(cov.covariance[i * p + i]);
  const coefficients = coefficientTable(frame.columnNames, fit.coefficients, se, cov.df as number[], level).map((c) =>
    Object.freeze(c),
  );
  const covariance = Array.from({ length: p }, (_, i) => Object.freeze(Array.from(cov.covariance.subarray(i * p, (i + 1) * p))));
  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...cov.diagnostics];
  if (cov.vcov !== "classical") {
    diagnostics.push(
      info(
        "lm-vcov",
        `${cov.vcov} cluster-robust variance over ${cov.nClusters} clusters of '${frame.clusters!.column}'; ` +
          (cov.dfMethod === "satterthwaite" ? "t tests use Satterthwaite df per term" : `t tests use ${cov.nClusters! - 1} df (clusters − 1)`),
      ),
    );
  }
  return Object.freeze({
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    estimates: Object.freeze(Array.from(fit.coefficients)),
    covariance: Object.freeze(covariance),
    coefficients: Object.freeze(coefficients),
    vcov: cov.vcov,
    dfMethod: cov.dfMethod,
    level,
    residualStdError: fit.sigma,
    dfResidual: fit.dfResidual,
    nObs: fit.n,
    nDropped: frame.nDropped,
    nClusters: cov.nClusters,
    weighted: fit.weights !== null,
    diagnostics: Object.freeze(diagnostics),
  });
}
