/**
 * Small-sample inference for the fixed effects of a random-intercept LMM:
 * Satterthwaite degrees of freedom (as lmerTest computes them) and the
 * Kenward–Roger adjusted covariance with its degrees of freedom (as pbkrtest).
 *
 * With V = σ_b²·ZZᵀ + σ²·I the covariance is linear in φ = (σ_b², σ²), with
 * G₁ = ZZᵀ and G₂ = I, and Φ = (XᵀV⁻¹X)⁻¹ = vcov(β̂). For a contrast l,
 *   Satterthwaite:  ν = 2 (lᵀΦl)² / (gᵀ A g),   gᵣ = ∂(lᵀΦl)/∂φᵣ = −lᵀΦPᵣΦl,
 * with A = 2 H⁻¹ the inverse observed information of the REML (or ML)
 * criterion (Satterthwaite 1946; Kuznetsova et al. 2017). lmerTest
 * differentiates numerically in (θ, σ); at an interior optimum the result is
 * the same in any parametrization, so it is computed here in closed form.
 *   Kenward–Roger:  Φ_A = Φ + 2Φ{Σᵣₛ Wᵣₛ (Qᵣₛ − PᵣΦPₛ)}Φ,  W = 2·I_E⁻¹,
 * with I_E the expected REML information (Kenward & Roger 1997); for a single
 * coefficient their F approximation reduces to ν = 2/A₂ with
 * A₂ = Σᵣₛ Wᵣₛ (ΦPᵣΦ)ⱼⱼ(ΦPₛΦ)ⱼⱼ / Φⱼⱼ², and a scale factor of 1.
 *
 * Here Pᵣ = −XᵀV⁻¹GᵣV⁻¹X and Qᵣₛ = XᵀV⁻¹GᵣV⁻¹GₛV⁻¹X. Every matrix is a sum
 * over clusters of closed forms in the cluster's size nᵢ and column sums sᵢ,
 * because Vᵢ⁻¹ = σ⁻²(I − cᵢ11ᵀ) with cᵢ = σ_b²/(σ² + nᵢσ_b²): the cost is
 * O(N·p + C·p² + p³), and no N×N matrix is formed.
 *
 * At a boundary fit (σ_b² = 0) the between-cluster variance is not a free
 * parameter of the likelihood's interior; it is then held fixed at 0, which
 * gives the ordinary least-squares df N − p and Φ_A = Φ (stated in a diagnostic).
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { invertSymmetric } from "../../linalg/symmetric.ts";
import type { LmmFit } from "./result.ts";

export type LmmDfMethod = "satterthwaite" | "kenward-roger" | "none";

export const LMM_DF_METHODS: readonly LmmDfMethod[] = ["satterthwaite", "kenward-roger", "none"];

export interface LmmSmallSample {
  readonly method: LmmDfMethod;
  /** Denominator df per coefficient; null for "none" (normal reference). */
  readonly df: readonly (number | null)[];
  /** Covariance of β̂ to report: Kenward–Roger's Φ_A, otherwise the fit's vcov. */
  readonly vcov: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

/** The per-cluster algebra both methods share: Φ, Pᵣ, Qᵣₛ and the information pieces. */
interface VarianceAlgebra {
  readonly p: number;
  readonly phi: Float64Array;
  /** P₁ (σ_b²) and P₂ (σ²); P₁ is absent when σ_b² is held at 0. */
  readonly P: readonly Float64Array[];
  /** tr(PGᵣPGₛ) = Kᵣₛ − 2tr(ΦQᵣₛ) + tr(ΦPᵣΦPₛ), the expected REML information ×2. */
  readonly expectedReml: Float64Array;
  /** tr(V⁻¹GᵣV⁻¹Gₛ), the expected ML information ×2 (β known). */
  readonly kTrace: Float64Array;
  /** yᵀPGᵣPGₛPy, the data part of the observed information. */
  readonly quadratic: Float64Array;
  /** Σᵣₛ Wᵣₛ(Qᵣₛ − PᵣΦPₛ) is built from these. */
  readonly Q: readonly (readonly Float64Array[])[];
}

/**
 * Degrees of freedom (and, for Kenward–Roger, the adjusted covariance) of
 * each fixed effect of `fit`, fitted to `frame`.
 *
 * @example
 * const frame = modelFrame(data, "Y ~ A + X1 + (1 | cluster)");
 * const fit = lmm(frame);
 * const kr = lmmSmallSample(frame, fit, "kenward-roger");
 * kr.df; // one df per coefficient
 */
export function lmmSmallSample(frame: ModelFrame, fit: LmmFit, method: LmmDfMethod): LmmSmallSample {
  const p = fit.coefficients.length;
  if (method === "none") return { method, df: new Array<null>(p).fill(null), vcov: fit.vcov, diagnostics: [] };
  if (method === "kenward-roger" && fit.method !== "reml") {
    throw new InputError("Kenward–Roger degrees of freedom need a REML fit (--method reml)");
  }
  if (frame.X.rows !== fit.nObs || frame.X.cols !== p) {
    throw new InputError(`the frame (${frame.X.rows} × ${frame.X.cols}) is not the one the LMM was fitted to (${fit.nObs} × ${p})`);
  }
  const diagnostics: Diagnostic[] = [];
  const varBetween = fit.randomEffects[0].variance;
  const fixedBetween = fit.boundary || varBetween === 0;
  if (fixedBetween) {
    diagnostics.push(
      warning(
        "df-boundary",
        `${method} df at a boundary fit: the between-cluster variance is estimated as 0 and is held fixed there, so the df are those of ordinary least squares (N − p = ${fit.nObs - p})`,
      ),
    );
  }
  const algebra = varianceAlgebra(frame, fit, fixedBetween);
  const nPar = algebra.P.length;

  let covPar: Float64Array;
  let vcov = fit.vcov;
  if (method === "satterthwaite") {
    // Observed information of the criterion: H = −(REML or ML trace term) + 2·(quadratic term); A = 2H⁻¹.
    const base = fit.method === "reml" ? algebra.expectedReml : algebra.kTrace;
    const h = new Float64Array(nPar * nPar);
    for (let k = 0; k < h.length; k++) h[k] = -base[k] + 2 * algebra.quadratic[k];
    covPar = scaled(invertSymmetric(h, nPar, "the Hessian of the REML criterion in the variance parameters"), 2);
  } else {
    covPar = scaled(invertSymmetric(algebra.expectedReml, nPar, "the expected information of the variance parameters"), 2);
    vcov = krAdjustedCovariance(algebra, covPar);
  }

  // gᵣ for each coefficient j: (ΦPᵣΦ)ⱼⱼ, up to sign (the sign cancels in gᵀAg).
  const phi = algebra.phi;
  const phiPphiDiag = algebra.P.map((Pr) => diagonalOfSandwich(phi, Pr, p));
  const df: number[] = [];
  for (let j = 0; j < p; j++) {
    let quad = 0;
    for (let r = 0; r < nPar; r++) {
      for (let s = 0; s < nPar; s++) quad += covPar[r * nPar + s] * phiPphiDiag[r][j] * phiPphiDiag[s][j];
    }
    const vjj = phi[j * p + j];
    const nu = (2 * vjj * vjj) / quad;
    if (!Number.isFinite(nu) || nu <= 0) {
      throw new ComputeError(`${method} degrees of freedom of '${fit.terms[j]}' are not finite (${nu}); the variance parameters are not identified`);
    }
    df.push(nu);
  }
  return { method, df, vcov, diagnostics };
}

function scaled(a: Float64Array, factor: number): Float64Array {
  for (let k = 0; k < a.length; k++) a[k] *= factor;
  return a;
}

/** diag(Φ M Φ) for symmetric p×p Φ and M. */
function diagonalOfSandwich(phi: Float64Array, m: Float64Array, p: number): Float64Array {
  const mphi = multiplySquare(m, phi, p);
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += phi[j * p + k] * mphi[k * p + j];
    out[j] = s;
  }
  return out;
}

function multiplySquare(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const aik = a[i * p + k];
      if (aik === 0) continue;
      for (let j = 0; j < p; j++) out[i * p + j] += aik * b[k * p + j];
    }
  }
  return out;
}

function traceOfProduct(a: Float64Array, b: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) s += a[i * p + k] * b[k * p + i];
  return s;
}

/** Φ + 2Φ{Σᵣₛ Wᵣₛ (Qᵣₛ − PᵣΦPₛ)}Φ. */
function krAdjustedCovariance(algebra: VarianceAlgebra, w: Float64Array): Float64Array {
  const { p, phi, P, Q } = algebra;
  const nPar = P.length;
  const u = new Float64Array(p * p);
  for (let r = 0; r < nPar; r++) {
    const pPhi = multiplySquare(P[r], phi, p);
    for (let s = 0; s < nPar; s++) {
      const wrs = w[r * nPar + s];
      const pPhiP = multiplySquare(pPhi, P[s], p);
      const q = Q[r][s];
      for (let k = 0; k < p * p; k++) u[k] += wrs * (q[k] - pPhiP[k]);
    }
  }
  const adjustment = multiplySquare(multiplySquare(phi, u, p), phi, p);
  const out = new Float64Array(p * p);
  for (let k = 0; k < p * p; k++) out[k] = phi[k] + 2 * adjustment[k];
  // Symmetrize against rounding.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const m = (out[i * p + j] + out[j * p + i]) / 2;
      out[i * p + j] = m;
      out[j * p + i] = m;
    }
  }
  return out;
}

/**
 * Accumulates, cluster by cluster, the p×p matrices Pᵣ and Qᵣₛ and the
 * scalar traces and quadratic forms. In cluster i (size n, column sums s,
 * residual sum t = Σ(y − Xβ̂)), with a = 1/σ², c = σ_b²/(σ² + nσ_b²) and
 * d = a(1 − cn) (so V⁻¹1 = d·1):
 *   V⁻¹J V⁻¹ = d²J,  V⁻² = a²(I − (2c − c²n)J),  V⁻³ = a³(I − e₃J), e₃ = (1 − (1 − cn)³)/n,
 *   V⁻¹JV⁻¹JV⁻¹ = n d³ J,  V⁻¹JV⁻² = d³ J.
 */
function varianceAlgebra(frame: ModelFrame, fit: LmmFit, fixedBetween: boolean): VarianceAlgebra {
  const p = fit.coefficients.length;
  const x = frame.X.data;
  const y = frame.y;
  const beta = fit.coefficients;
  const starts = fit.conditionalModes.starts;
  const nClusters = starts.length - 1;
  const sigma2 = fit.residualVariance;
  const varBetween = fixedBetween ? 0 : fit.randomEffects[0].variance;
  const a = 1 / sigma2;

  const xtx = new Float64Array(p * p);
  const p1 = new Float64Array(p * p); // −Σ d² s sᵀ
  const ssWeighted2 = new Float64Array(p * p); // Σ (2c − c²n) s sᵀ
  const ssWeighted3 = new Float64Array(p * p); // Σ e₃ s sᵀ
  const q11 = new Float64Array(p * p); // Σ n d³ s sᵀ
  const q12 = new Float64Array(p * p); // Σ d³ s sᵀ
  let k11 = 0;
  let k12 = 0;
  let k22 = 0;
  // Pieces of the quadratic forms uᵣᵀ P uₛ with u₁ = G₁e, u₂ = e, e = V⁻¹(y − Xβ̂).
  const xtVinvU1 = new Float64Array(p); // Σ E d s
  const xtVinvU2 = new Float64Array(p); // a Σ (Xᵢᵀeᵢ − c E s)
  let u1Vu1 = 0;
  let u1Vu2 = 0;
  let u2Vu2 = 0;

  const s = new Float64Array(p);
  const xte = new Float64Array(p);
  for (let g = 0; g < nClusters; g++) {
    const lo = starts[g];
    const hi = starts[g + 1];
    const n = hi - lo;
    if (n === 0) continue;
    s.fill(0);
    xte.fill(0);
    let t = 0;
    for (let i = lo; i < hi; i++) {
      const row = i * p;
      let fitted = 0;
      for (let j = 0; j < p; j++) fitted += x[row + j] * beta[j];
      t += y[i] - fitted;
      for (let j = 0; j < p; j++) {
        const xij = x[row + j];
        s[j] += xij;
        for (let k = 0; k <= j; k++) xtx[j * p + k] += xij * x[row + k];
      }
    }
    const c = varBetween / (sigma2 + n * varBetween);
    const oneMinusCn = 1 - c * n;
    const d = a * oneMinusCn;
    const e2 = 2 * c - c * c * n;
    const e3 = (1 - oneMinusCn * oneMinusCn * oneMinusCn) / n;
    // eᵢ = a(rᵢ − c t 1); Eᵢ = 1ᵀeᵢ = d t; Xᵢᵀeᵢ = a(Xᵢᵀrᵢ − c t s).
    for (let i = lo; i < hi; i++) {
      const row = i * p;
      let fitted = 0;
      for (let j = 0; j < p; j++) fitted += x[row + j] * beta[j];
      const ei = a * (y[i] - fitted - c * t);
      for (let j = 0; j < p; j++) xte[j] += x[row + j] * ei;
      u2Vu2 += a * ei * ei;
    }
    const E = d * t;
    u2Vu2 -= a * c * E * E;
    u1Vu1 += n * d * E * E;
    u1Vu2 += d * E * E;
    for (let j = 0; j < p; j++) {
      xtVinvU1[j] += E * d * s[j];
      xtVinvU2[j] += a * (xte[j] - c * E * s[j]);
    }
    const d2 = d * d;
    const d3 = d2 * d;
    for (let j = 0; j < p; j++) {
      for (let k = 0; k <= j; k++) {
        const ss = s[j] * s[k];
        p1[j * p + k] -= d2 * ss;
        ssWeighted2[j * p + k] += e2 * ss;
        ssWeighted3[j * p + k] += e3 * ss;
        q11[j * p + k] += n * d3 * ss;
        q12[j * p + k] += d3 * ss;
      }
    }
    k11 += n * n * d2;
    k12 += n * d2;
    k22 += a * a * (n - 1 + oneMinusCn * oneMinusCn);
  }
  const p2 = new Float64Array(p * p);
  const q22 = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      p2[j * p + k] = -a * a * (xtx[j * p + k] - ssWeighted2[j * p + k]);
      q22[j * p + k] = a * a * a * (xtx[j * p + k] - ssWeighted3[j * p + k]);
    }
  }
  for (const m of [p1, p2, q11, q12, q22]) fillUpper(m, p);

  const phi = fit.vcov;
  const P = fixedBetween ? [p2] : [p1, p2];
  const Q = fixedBetween ? [[q22]] : [
    [q11, q12],
    [q12, q22],
  ];
  const K = fixedBetween ? [[k22]] : [
    [k11, k12],
    [k12, k22],
  ];
  const xu = fixedBetween ? [xtVinvU2] : [xtVinvU1, xtVinvU2];
  const uu = fixedBetween ? [[u2Vu2]] : [
    [u1Vu1, u1Vu2],
    [u1Vu2, u2Vu2],
  ];
  const nPar = P.length;
  const expectedReml = new Float64Array(nPar * nPar);
  const kTrace = new Float64Array(nPar * nPar);
  const quadratic = new Float64Array(nPar * nPar);
  const phiP = P.map((Pr) => multiplySquare(phi, Pr, p));
  for (let r = 0; r < nPar; r++) {
    for (let q = 0; q < nPar; q++) {
      kTrace[r * nPar + q] = K[r][q];
      expectedReml[r * nPar + q] = K[r][q] - 2 * traceOfProduct(phi, Q[r][q], p) + traceOfProduct(phiP[r], phiP[q], p);
      quadratic[r * nPar + q] = uu[r][q] - bilinear(xu[r], phi, xu[q], p);
    }
  }
  return { p, phi, P, Q, expectedReml, kTrace, quadratic };
}

function fillUpper(m: Float64Array, p: number): void {
  for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) m[j * p + k] = m[k * p + j];
}

function bilinear(u: Float64Array, m: Float64Array, v: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) {
    let row = 0;
    for (let j = 0; j < p; j++) row += m[i * p + j] * v[j];
    s += u[i] * row;
  }
  return s;
}
