/**
 * The data-generating mechanisms of the missing-effect-modifier simulation
 * study (Blette et al. 2023, "Data-generating Mechanisms", scenarios 1 and 2).
 *
 * Cluster sizes ~ Poisson(mean size) (a zero is redrawn: a cluster needs a
 * member); exact 1:1 randomization (with an odd number of clusters the extra
 * cluster is a control); modifier M† ~ Bernoulli(expit(0.5 + α_i)) with α_i on
 * the latent scale giving the modifier ICC; outcome
 * Y = 1 + A + 0.75M† + β₃AM† + 0.8XA − 0.4XM† + 0.7XAM† (+ 0.9X₂AM† − 1.1X₃AM†
 * in scenario 2) + κ_i + ε, ε ~ N(0, 3), Var κ_i giving the outcome ICC;
 * M is observed with logit P(R = 1) = 1.2 + 0.5X − 0.2Y (scenario 1) or
 * 1.5 + 0.6X₁ + 1.2X₂ − 0.8X₃ − 0.2Y + ζ_i (scenario 2).
 */
import { expit } from "../../core/math.ts";
import type { Rng } from "../../random/rng.ts";
import { bernoulli, poisson } from "../../random/samplers.ts";

export interface MissingModifierDesign {
  readonly scenario: 1 | 2;
  readonly clusters: number;
  readonly meanClusterSize: number;
  readonly beta3: number;
  /** Latent-scale ICC of the modifier (and, in scenario 2, of missingness). */
  readonly modifierIcc: number;
  readonly outcomeIcc: number;
  readonly errorVariance: number;
}

export const MISSING_MODIFIER_DEFAULTS: Omit<MissingModifierDesign, "scenario"> = {
  clusters: 50,
  meanClusterSize: 50,
  beta3: 0,
  modifierIcc: 0.1,
  outcomeIcc: 0.1,
  errorVariance: 3,
};

/** One simulated trial as columns (cluster ids 1..C; M is NaN where missing; mFull keeps M†). */
export interface MissingModifierTrial {
  readonly cluster: Float64Array;
  readonly A: Float64Array;
  readonly M: Float64Array;
  readonly mFull: Float64Array;
  readonly Y: Float64Array;
  readonly X: readonly Float64Array[];
}

/** Variance of a latent-scale random intercept giving `icc` for a logistic model: (π²/3)·icc/(1 − icc). */
export function latentInterceptVariance(icc: number): number {
  return ((Math.PI * Math.PI) / 3) * (icc / (1 - icc));
}

export function simulateMissingModifierTrial(design: MissingModifierDesign, rng: Rng): MissingModifierTrial {
  const { scenario, clusters: C } = design;
  const sizes: number[] = [];
  for (let i = 0; i < C; i++) {
    let n = 0;
    while (n === 0) n = poisson(rng, design.meanClusterSize);
    sizes.push(n);
  }
  const treated = shuffledAllocation(C, rng);
  const N = sizes.reduce((a, b) => a + b, 0);
  const nX = scenario === 1 ? 1 : 3;
  const cluster = new Float64Array(N);
  const A = new Float64Array(N);
  const M = new Float64Array(N);
  const mFull = new Float64Array(N);
  const Y = new Float64Array(N);
  const X = Array.from({ length: nX }, () => new Float64Array(N));
  const sdModifier = Math.sqrt(latentInterceptVariance(design.modifierIcc));
  const outcomeTotal = design.errorVariance / (1 - design.outcomeIcc);
  const sdKappa = Math.sqrt(outcomeTotal * design.outcomeIcc);
  const sdError = Math.sqrt(design.errorVariance);
  let row = 0;
  for (let i = 0; i < C; i++) {
    const a = treated[i];
    const alpha = sdModifier * rng.normal();
    const kappa = sdKappa * rng.normal();
    const zeta = scenario === 2 ? sdModifier * rng.normal() : 0;
    for (let j = 0; j < sizes[i]; j++, row++) {
      const m = bernoulli(rng, expit(0.5 + alpha));
      for (let k = 0; k < nX; k++) X[k][row] = rng.normal();
      const x1 = X[0][row];
      let y = 1 + a + 0.75 * m + design.beta3 * a * m + 0.8 * x1 * a - 0.4 * x1 * m + 0.7 * x1 * a * m;
      if (scenario === 2) y += 0.9 * X[1][row] * a * m - 1.1 * X[2][row] * a * m;
      y += kappa + sdError * rng.normal();
      const logitObserved =
        scenario === 1
          ? 1.2 + 0.5 * x1 - 0.2 * y
          : 1.5 + 0.6 * x1 + 1.2 * X[1][row] - 0.8 * X[2][row] - 0.2 * y + zeta;
      cluster[row] = i + 1;
      A[row] = a;
      mFull[row] = m;
      Y[row] = y;
      M[row] = bernoulli(rng, expit(logitObserved)) === 1 ? m : NaN;
    }
  }
  return { cluster, A, M, mFull, Y, X };
}

/** Exact 1:1 allocation: floor(C/2) treated clusters, in random order (Fisher–Yates). */
function shuffledAllocation(C: number, rng: Rng): Uint8Array {
  const a = new Uint8Array(C);
  for (let i = 0; i < Math.floor(C / 2); i++) a[i] = 1;
  for (let i = C - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
