/**
 * Cluster-robust (sandwich) variances for linear models fitted by (weighted)
 * least squares, with the small-sample corrections of clubSandwich and its
 * Satterthwaite degrees of freedom.
 *
 * Notation: X (n×p, rows of each cluster contiguous), weights W (identity
 * when absent), residuals e = y − Xβ̂, bread B = (XᵀWX)⁻¹. For cluster j the
 * "adjusted score" is u_j = X_jᵀ W_j A_j e_j and the variance is
 * V = B·(Σ_j u_j u_jᵀ)·B, where A_j is
 *
 * - CR0: I;  CR1: √(m/(m−1))·I;  CR1p: √(m/(m−p))·I;
 *   CR1S: √(m(n−1)/((m−1)(n−p)))·I  (m clusters, n rows);
 * - CR2 (Bell & McCaffrey's bias-reduced linearization): the symmetric
 *   inverse square root of G_j = [(I − H)(I − H)ᵀ]_jj with H = X B Xᵀ W, the
 *   working model being independence with unit variances (clubSandwich's
 *   default for lm). Unweighted, G_j = I − H_jj. Eigenvalues ≤ 1e-12 are
 *   treated as zero (pseudo-inverse), as clubSandwich does.
 * - CR3 (jackknife-type): (I − H_jj)⁻¹.
 *
 * Nothing of size n_j × n_j (let alone N × N) is ever formed: each cluster
 * costs O(n_j p²) plus a few p×p (2p×2p) eigen/Cholesky problems. The stages:
 * cluster Gram matrices and the CR0/CR1/CR3 adjustments (sandwich-adjust.ts),
 * the CR2 adjustment (sandwich-cr2.ts), Satterthwaite df (satterthwaite.ts).
 */
import { InputError } from "../core/errors.ts";
import type { Diagnostic } from "../core/diagnostics.ts";
import { crossprod, multiply } from "../linalg/crossprod.ts";
import { AdjustedScore, ClusterGram, cr3Adjustment, scalarAdjustment, type ClusterAdjustment } from "./sandwich-adjust.ts";
import { cr2Adjustment } from "./sandwich-cr2.ts";
import { SatterthwaiteDf } from "./satterthwaite.ts";

/** Cluster-robust variance types, named as clubSandwich names them. */
export type ClusterRobustType = "CR0" | "CR1" | "CR1p" | "CR1S" | "CR2" | "CR3";

export const CLUSTER_ROBUST_TYPES: readonly ClusterRobustType[] = Object.freeze([
  "CR0",
  "CR1",
  "CR1p",
  "CR1S",
  "CR2",
  "CR3",
]);

/** What a cluster-robust variance of a least-squares fit needs. */
export interface LinearSandwichInput {
  /** n×p row-major design, each cluster's rows contiguous. */
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Raw residuals y − Xβ̂ (not multiplied by √w). */
  readonly residuals: ArrayLike<number>;
  /** Positive prior weights; omitted means unweighted. */
  readonly weights?: ArrayLike<number>;
  /** (XᵀWX)⁻¹, p×p. */
  readonly bread: Float64Array;
  /** Cluster j owns rows starts[j] .. starts[j+1]−1; length m + 1. */
  readonly starts: Int32Array;
  /** Cluster labels, for messages. */
  readonly clusterIds?: readonly string[];
}

export interface ClusterRobustVcov {
  readonly type: ClusterRobustType;
  /** p×p row-major variance matrix. */
  readonly vcov: Float64Array;
  /** Satterthwaite df per coefficient, or null when not requested. */
  readonly df: Float64Array | null;
  readonly nClusters: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The scalar of CR1-type corrections, applied to the scores (the variance scales by its square). */
export function cr1Factor(type: "CR0" | "CR1" | "CR1p" | "CR1S", m: number, n: number, p: number): number {
  switch (type) {
    case "CR0":
      return 1;
    case "CR1":
      return Math.sqrt(m / (m - 1));
    case "CR1p":
      return Math.sqrt(m / (m - p));
    case "CR1S":
      return Math.sqrt((m * (n - 1)) / ((m - 1) * (n - p)));
  }
}

/**
 * Cluster-robust variance of a (weighted) least-squares fit, and optionally
 * the Satterthwaite df of each coefficient's t test. Equals
 * `clubSandwich::vcovCR(fit, cluster, type)` and the `df_Satt` column of
 * `coef_test(fit, vcov, test = "Satterthwaite")` for an `lm` fit.
 *
 * @example
 * const v = clusterRobustLinear({ x, n, p, residuals, bread, starts }, "CR2", { satterthwaite: true });
 */
export function clusterRobustLinear(
  input: LinearSandwichInput,
  type: ClusterRobustType,
  options: { readonly satterthwaite?: boolean } = {},
): ClusterRobustVcov {
  const { x, n, p, weights: w, bread, starts } = input;
  const m = starts.length - 1;
  const label = (j: number): string => (input.clusterIds ? input.clusterIds[j] : String(j + 1));
  if (!CLUSTER_ROBUST_TYPES.includes(type)) {
    throw new InputError(`unknown cluster-robust variance type '${String(type)}'; use one of ${CLUSTER_ROBUST_TYPES.join(", ")}`);
  }
  if (m < 2) throw new InputError(`cluster-robust variance needs at least 2 clusters; the data have ${m}`);
  if (type === "CR1p" && m <= p) {
    throw new InputError(`CR1p needs more clusters than coefficients; the data have ${m} clusters and ${p} coefficients`);
  }
  const satterthwaite = options.satterthwaite ?? false;
  const weighted = w !== undefined;

  // Whole-sample pieces: F = XᵀWX and Ω = B·XᵀW²X·B (Ω = B unweighted).
  const xtwx = crossprod(x, n, p, w);
  let omega = bread;
  if (weighted) {
    const w2 = new Float64Array(n);
    for (let r = 0; r < n; r++) w2[r] = w[r] * w[r];
    omega = multiply(multiply(bread, crossprod(x, n, p, w2), p, p, p), bread, p, p, p);
  }
  let maxSize = 0;
  for (let j = 0; j < m; j++) maxSize = Math.max(maxSize, starts[j + 1] - starts[j]);

  const adjustment: ClusterAdjustment =
    type === "CR2"
      ? cr2Adjustment(input, bread, omega, maxSize, label)
      : type === "CR3"
        ? cr3Adjustment(xtwx, p, label)
        : scalarAdjustment(cr1Factor(type, m, n, p), p);
  const gram = new ClusterGram(p);
  const score = new AdjustedScore(p);
  const df = satterthwaite ? new SatterthwaiteDf(bread, omega, p, weighted) : null;
  const meat = new Float64Array(p * p);
  for (let j = 0; j < m; j++) {
    const r0 = starts[j];
    const r1 = starts[j + 1];
    if (r1 <= r0) throw new InputError(`cluster '${label(j)}' has no rows`);
    gram.compute(input, r0, r1);
    adjustment.apply(j, r0, r1, gram, score);
    const u = score.u;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a * p + b] += u[a] * u[b];
    df?.add(score);
  }

  const vcov = multiply(multiply(bread, meat, p, p, p), bread, p, p, p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < a; b++) {
      const s = 0.5 * (vcov[a * p + b] + vcov[b * p + a]);
      vcov[a * p + b] = s;
      vcov[b * p + a] = s;
    }
  }
  const diagnostics: Diagnostic[] = adjustment.diagnostics();
  return Object.freeze({ type, vcov, df: df ? df.df() : null, nClusters: m, diagnostics: Object.freeze(diagnostics) });
}
