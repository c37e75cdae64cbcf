/**
 * One cluster's term of the deviance and of its gradient, given the cluster's
 * conditional mode (see objective.ts for the formulas). The gradient is
 * assembled in two steps: the derivatives of the term at a fixed mode and
 * curvature (Laplace: at u*; quadrature: averaged over the nodes), then the
 * chain rule through u*(θ, β) and Hᵢ(θ, β) (implicit differentiation of the mode).
 */
import type { GaussHermiteRule } from "./gauss-hermite.ts";
import type { ClusterPass } from "./cluster-pass.ts";

/** A cluster at its conditional mode (reused from cluster to cluster). */
export interface ClusterAtMode {
  /** The spherical mode uᵢ*. */
  u: number;
  /** Dᵢ(uᵢ*). */
  deviance: number;
  /** Σⱼ (yᵢⱼ − μᵢⱼ), Σⱼ wᵢⱼ and Σⱼ dwᵢⱼ/dη at the mode. */
  score: number;
  weight: number;
  weightSlope: number;
  /** Hᵢ = 1 + θ² Σⱼ wᵢⱼ. */
  curvature: number;
}

/**
 * Derivatives of a cluster's term at a fixed mode and curvature, besides the
 * per-row coefficients of x (written into `rowCoef`).
 */
export interface TermSlopes {
  /** Derivative with respect to the mode u*. */
  m1: number;
  /** Derivative with respect to the node spread 1/√H, per unit of z (0 for Laplace). */
  m2: number;
  /** Derivative with respect to θ at fixed u. */
  tTheta: number;
}

/** Laplace (one node at the mode): D'(u*)/… terms at u*, and rowCoef = y − μ. */
export function laplaceSlopes(
  rows: ClusterPass,
  s: number,
  e: number,
  theta: number,
  at: ClusterAtMode,
  mu: Float64Array,
  rowCoef: Float64Array,
  out: TermSlopes,
): void {
  const y = rows.y;
  out.m1 = 2 * (at.u - theta * at.score);
  out.m2 = 0;
  out.tTheta = -2 * at.u * at.score;
  for (let j = s; j < e; j++) rowCoef[j] = y[j] - mu[j];
}

/** Adaptive Gauss–Hermite nodes around the mode, with per-node buffers reused across clusters. */
export class AdaptiveQuadrature {
  private readonly rule: GaussHermiteRule;
  private readonly maxSize: number;
  /** μ at node k for the cluster's rows, at k·maxSize + (j − s). */
  private readonly nodeMu: Float64Array;
  private readonly nodeS: Float64Array;
  private readonly nodeU: Float64Array;
  private readonly nodeE: Float64Array;

  constructor(rule: GaussHermiteRule, maxSize: number) {
    const K = rule.nodes.length;
    this.rule = rule;
    this.maxSize = maxSize;
    this.nodeMu = new Float64Array(maxSize * K);
    this.nodeS = new Float64Array(K);
    this.nodeU = new Float64Array(K);
    this.nodeE = new Float64Array(K);
  }

  /**
   * Σₖ wₖ exp(−(Dᵢ(uₖ) − Dᵢ(u*))/2 + zₖ²/2) over the nodes uₖ = u* + zₖ/√Hᵢ;
   * remembers each node for slopes().
   */
  integral(rows: ClusterPass, s: number, e: number, theta: number, at: ClusterAtMode, mu: Float64Array): number {
    const { nodes: z, weights: wq } = this.rule;
    const { maxSize, nodeMu, nodeS, nodeU, nodeE } = this;
    const d0 = at.deviance;
    const sd = 1 / Math.sqrt(at.curvature);
    let sum = 0;
    for (let k = 0; k < z.length; k++) {
      const zk = z[k];
      let dk: number;
      let sk: number;
      const uk = at.u + zk * sd;
      const off = k * maxSize;
      if (zk === 0) {
        dk = d0;
        sk = at.score;
        for (let j = s; j < e; j++) nodeMu[off + j - s] = mu[j];
      } else {
        dk = rows.deviance(s, e, theta, uk, nodeMu, off);
        sk = rows.score;
      }
      const ek = Math.exp(-0.5 * (dk - d0) + 0.5 * zk * zk);
      nodeS[k] = sk;
      nodeU[k] = uk;
      nodeE[k] = ek;
      sum += wq[k] * ek;
    }
    return sum;
  }

  /** The term's slopes from the nodes of the last integral() (whose value is `sum`), averaged with weights ∝ wₖeₖ. */
  slopes(rows: ClusterPass, s: number, e: number, theta: number, sum: number, rowCoef: Float64Array, out: TermSlopes): void {
    const { nodes: z, weights: wq } = this.rule;
    const { maxSize, nodeMu, nodeS, nodeU, nodeE } = this;
    const y = rows.y;
    let m1 = 0;
    let m2 = 0;
    let tTheta = 0;
    for (let j = s; j < e; j++) rowCoef[j] = 0;
    for (let k = 0; k < z.length; k++) {
      const pk = (wq[k] * nodeE[k]) / sum;
      if (pk === 0) continue;
      const dPrime = 2 * (nodeU[k] - theta * nodeS[k]);
      m1 += pk * dPrime;
      m2 += pk * dPrime * z[k];
      tTheta += pk * -2 * nodeU[k] * nodeS[k];
      const off = k * maxSize - s;
      for (let j = s; j < e; j++) rowCoef[j] += pk * (y[j] - nodeMu[off + j]);
    }
    out.m1 = m1;
    out.m2 = m2;
    out.tTheta = tTheta;
  }
}

/**
 * The chain rule through the mode u* and the curvature H: turns rowCoef into
 * the cluster's rows' coefficients of x in the β-gradient and returns the
 * cluster's part of the θ-gradient.
 */
export function chainRule(
  rows: ClusterPass,
  s: number,
  e: number,
  theta: number,
  at: ClusterAtMode,
  slopes: TermSlopes,
  mu: Float64Array,
  rowCoef: Float64Array,
): number {
  const { m1, m2, tTheta } = slopes;
  const { u: uc, score: sMode, weight: wMode, weightSlope: bMode, curvature: h } = at;
  const t2 = theta * theta;
  const q = 1 / h - (0.5 * m2) / (h * Math.sqrt(h));
  const ca = (-m1 * theta) / h - (q * t2 * t2 * bMode) / h;
  const cb = q * t2;
  if (rows.poisson) {
    for (let j = s; j < e; j++) rowCoef[j] = -2 * rowCoef[j] + (ca + cb) * mu[j];
  } else {
    for (let j = s; j < e; j++) {
      const m = mu[j];
      const w = m * (1 - m);
      rowCoef[j] = -2 * rowCoef[j] + ca * w + cb * w * (1 - 2 * m);
    }
  }
  const duTheta = (sMode - theta * uc * wMode) / h;
  const dhTheta = 2 * theta * wMode + t2 * bMode * (uc + theta * duTheta);
  return tTheta + m1 * duTheta + q * dhTheta;
}
