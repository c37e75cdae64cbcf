/**
 * The profiled deviance of the random-intercept linear mixed model
 *
 *   y = Xβ + b[cluster] + ε,   b ~ N(0, σ²θ²),   ε ~ N(0, σ²),
 *
 * as a function of the relative standard deviation θ = σ_b/σ only (β and σ²
 * are profiled out in closed form), exactly as lme4 defines it.
 *
 * For cluster i of size nᵢ the marginal covariance is σ²(I + θ²11ᵀ), whose
 * inverse is σ²⁻¹(I − cᵢ11ᵀ) with cᵢ = θ²/(1 + nᵢθ²). So
 *   Xᵀ V⁻¹ X ∝ XᵀX − Σᵢ cᵢ sᵢsᵢᵀ        (sᵢ = column sums of Xᵢ)
 *   Xᵀ V⁻¹ y ∝ Xᵀy − Σᵢ cᵢ sᵢ tᵢ        (tᵢ = sum of yᵢ)
 *   log|L_θ|² = Σᵢ log(1 + nᵢθ²)
 * and one evaluation costs O(C·p² + p³) after an O(N·p²) pass that computes
 * the per-cluster sums once; no N×N matrix is formed. The response is first
 * replaced by its OLS residual (β = β_OLS + δ) so the sums of squares carry no
 * cancellation.
 *
 * ML:   d(θ) = log|L_θ|² + N·(1 + log(2π r²/N))
 * REML: d(θ) = log|L_θ|² + log|R_X|² + (N − p)·(1 + log(2π r²/(N − p)))
 * with r² the penalized residual sum of squares (Bates et al. 2015, eqs. 34, 41).
 */
import { ComputeError, InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { choleskyInPlace, choleskyLogDet } from "../../linalg/cholesky.ts";
import { crossprod, crossprodVector } from "../../linalg/crossprod.ts";
import { qrLeastSquares } from "../../linalg/qr.ts";
import { clusterLayout, type ClusterLayout } from "../shared/cluster-layout.ts";

export type LmmMethod = "reml" | "ml";

export interface LmmObjectiveOptions {
  /** "reml" (default, as lmer) or "ml". */
  readonly method?: LmmMethod;
}

/** Everything one evaluation of the profiled deviance computes. */
export interface LmmEvaluation {
  readonly theta: number;
  /** REML criterion or −2·log-likelihood (lme4's `REMLcrit` / `deviance`). */
  readonly deviance: number;
  /** Fixed effects given θ (generalized least squares). */
  readonly beta: Float64Array;
  /** Penalized residual sum of squares r²(θ). */
  readonly penalizedRss: number;
  /** σ²: r²/(N − p) for REML, r²/N for ML. */
  readonly sigma2: number;
  /** log|L_θ|² = Σ log(1 + nᵢθ²). */
  readonly logDetL: number;
  /** log|R_X|² = log det Xᵀ(I + θ²ZZᵀ)⁻¹X. */
  readonly logDetRX: number;
  /** Lower Cholesky factor (p×p, row-major) of Xᵀ(I + θ²ZZᵀ)⁻¹X; vcov(β) = σ²·(that matrix)⁻¹. */
  readonly factor: Float64Array;
}

/** The profiled deviance of a random-intercept LMM and the data it needs. */
export interface LmmObjective {
  readonly method: LmmMethod;
  readonly frame: ModelFrame;
  readonly layout: ClusterLayout;
  /** The profiled deviance at θ ≥ 0. */
  deviance(theta: number): number;
  /** The profiled deviance at θ with the estimates it implies. */
  evaluate(theta: number): LmmEvaluation;
  /**
   * d deviance / d(θ²) at θ = 0. When it is ≥ 0, θ = 0 is a local minimum
   * (the boundary fit), since the deviance is even in θ.
   */
  slopeAtZero(): number;
}

/**
 * Builds the profiled deviance for `frame` (validated here: clusters,
 * finite values, full-rank X; see clusterLayout).
 *
 * @example
 * const obj = lmmObjective(frame, { method: "reml" });
 * obj.deviance(0.5); // REML criterion at θ = 0.5
 */
export function lmmObjective(frame: ModelFrame, options: LmmObjectiveOptions = {}): LmmObjective {
  const method = options.method ?? "reml";
  if (method !== "reml" && method !== "ml") {
    throw new InputError(`lmm: unknown method '${String(method)}'; use 'reml' or 'ml'`);
  }
  const layout = clusterLayout(frame, "lmm");
  const { n, p, nClusters, starts } = layout;
  const x = frame.X.data;
  const y = frame.y;

  // OLS start: β = β0 + δ, work with r0 = y − Xβ0.
  const ols = qrLeastSquares(x, n, p, y);
  const beta0 = ols.coefficients;
  const r0 = ols.residuals;
  const xtx = crossprod(x, n, p);
  const xtr = crossprodVector(x, n, p, r0);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += r0[i] * r0[i];
  const sizes = new Float64Array(nClusters);
  const colSums = new Float64Array(nClusters * p);
  const resSums = new Float64Array(nClusters);
  for (let c = 0; c < nClusters; c++) {
    sizes[c] = starts[c + 1] - starts[c];
    const sc = c * p;
    let t = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      const row = i * p;
      for (let j = 0; j < p; j++) colSums[sc + j] += x[row + j];
      t += r0[i];
    }
    resSums[c] = t;
  }
  const dfResidual = method === "reml" ? n - p : n;

  // Workspace reused across evaluations of deviance().
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);

  /** Fills a (factored), b (solved: δ) and returns [logDetL, r²]. */
  function core(theta: number, fa: Float64Array, fb: Float64Array): [number, number] {
    const psi = theta * theta;
    fa.set(xtx);
    fb.set(xtr);
    let q = rr;
    let logDetL = 0;
    for (let c = 0; c < nClusters; c++) {
      const nc = sizes[c];
      if (nc === 0 || psi === 0) continue;
      const k = psi / (1 + nc * psi);
      logDetL += Math.log1p(nc * psi);
      const sc = c * p;
      const t = resSums[c];
      for (let i = 0; i < p; i++) {
        const si = k * colSums[sc + i];
        if (si === 0) continue;
        const ri = i * p;
        for (let j = 0; j <= i; j++) fa[ri + j] -= si * colSums[sc + j];
        fb[i] -= si * t;
      }
      q -= k * t * t;
    }
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) fa[i * p + j] = fa[j * p + i];
    const status = choleskyInPlace(fa, p, 0);
    if (status !== 0) {
      throw new ComputeError(`lmm: Xᵀ V⁻¹ X is not positive definite at θ = ${theta} (pivot ${status} of ${p})`);
    }
    // r² = q − bᵀ A⁻¹ b, accumulated as a sum of squares to stay non-negative.
    const z = fb;
    for (let i = 0; i < p; i++) {
      let s = z[i];
      for (let k2 = 0; k2 < i; k2++) s -= fa[i * p + k2] * z[k2];
      z[i] = s / fa[i * p + i];
    }
    let zz = 0;
    for (let i = 0; i < p; i++) zz += z[i] * z[i];
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i];
      for (let k2 = i + 1; k2 < p; k2++) s -= fa[k2 * p + i] * z[k2];
      z[i] = s / fa[i * p + i];
    }
    const r2 = Math.max(q - zz, Number.MIN_VALUE);
    return [logDetL, r2];
  }

  function criterion(logDetL: number, logDetRX: number, r2: number): number {
    const base = logDetL + dfResidual * (1 + Math.log((2 * Math.PI * r2) / dfResidual));
    return method === "reml" ? base + logDetRX : base;
  }

  return Object.freeze({
    method,
    frame,
    layout,
    deviance(theta: number): number {
      const [logDetL, r2] = core(theta, a, b);
      return criterion(logDetL, method === "reml" ? choleskyLogDet(a, p) : 0, r2);
    },
    slopeAtZero(): number {
      // At ψ = θ² = 0: d log|L|²/dψ = N; d r²/dψ = −Σᵢ Eᵢ² (Eᵢ = cluster sums of the OLS
      // residuals, envelope theorem); d log|R_X|²/dψ = −tr((XᵀX)⁻¹ Σᵢ sᵢsᵢᵀ).
      let sumE2 = 0;
      for (let c = 0; c < nClusters; c++) sumE2 += resSums[c] * resSums[c];
      let slope = n - (dfResidual * sumE2) / rr;
      if (method === "reml") {
        const l = Float64Array.from(xtx);
        choleskyInPlace(l, p, 0);
        const v = new Float64Array(p);
        let trace = 0;
        for (let c = 0; c < nClusters; c++) {
          for (let j = 0; j < p; j++) v[j] = colSums[c * p + j];
          // ‖L⁻¹sᵢ‖² = sᵢᵀ(XᵀX)⁻¹sᵢ
          for (let i = 0; i < p; i++) {
            let s = v[i];
            for (let k2 = 0; k2 < i; k2++) s -= l[i * p + k2] * v[k2];
            v[i] = s / l[i * p + i];
            trace += v[i] * v[i];
          }
        }
        slope -= trace;
      }
      return slope;
    },
    evaluate(theta: number): LmmEvaluation {
      const fa = new Float64Array(p * p);
      const delta = new Float64Array(p);
      const [logDetL, r2] = core(theta, fa, delta);
      const logDetRX = choleskyLogDet(fa, p);
      const beta = new Float64Array(p);
      for (let j = 0; j < p; j++) beta[j] = beta0[j] + delta[j];
      return {
        theta,
        deviance: criterion(logDetL, method === "reml" ? logDetRX : 0, r2),
        beta,
        penalizedRss: r2,
        sigma2: r2 / dfResidual,
        logDetL,
        logDetRX,
        factor: fa,
      };
    },
  });
}
