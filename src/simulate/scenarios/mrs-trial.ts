/**
 * The simulated trials of the model-robust standardization studies (Li et
 * al. (2025), §4): m ∈ {30, 100} clusters with m·E(N) = 3000, cluster sizes
 * N ~ discrete U{0.2·E(N), …, 1.8·E(N)} (20–180 for m = 30, 6–54 for
 * m = 100), A ~ Bernoulli(0.5) (simple randomization, π = 0.5), a
 * treatment-effect random intercept γ_i ~ N(0, 0.2). Covariates H1, H2
 * (cluster level) and X1, X2 (individual level) and the potential outcomes
 * follow the paper's formulas (see `linearParts` below).
 */
import { dataset, type Dataset } from "../../data/dataset.ts";
import { expit } from "../../core/math.ts";
import { pnorm } from "../../distributions/index.ts";
import type { Rng } from "../../random/rng.ts";

/** Which data-generating mechanism of Li et al. (2025), §4. */
export type MrsMechanism = "continuous" | "continuous-ics" | "binary" | "binary-ics" | "test-continuous" | "test-binary";

/** In a fixed order: a mechanism's index keys the random stream of its super-population truth. */
export const MECHANISMS: readonly MrsMechanism[] = ["continuous", "continuous-ics", "binary", "binary-ics", "test-continuous", "test-binary"];


export interface MrsSimDesign {
  readonly mechanism: MrsMechanism;
  readonly clusters: number;
  /** δ of §4.6 (0 elsewhere). */
  readonly delta: number;
}

/** E(N) = 3000/m and the support of N. */
export function clusterSizeRange(clusters: number): { readonly mean: number; readonly lo: number; readonly hi: number } {
  const mean = 3000 / clusters;
  return { mean, lo: Math.round(0.2 * mean), hi: Math.round(1.8 * mean) };
}

/** One cluster's covariates. */
export interface ClusterDraw {
  readonly size: number;
  readonly h1: number;
  readonly h2: number;
  readonly gamma: number;
}

export function drawCluster(mech: MrsMechanism, lo: number, hi: number, en: number, rng: Rng): ClusterDraw {
  const size = lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let h1: number;
  let h2: number;
  switch (mech) {
    case "continuous":
    case "test-continuous":
      h1 = rng.uniform() < pnorm(Math.sin(en)) ? 1 : 0;
      h2 = 2 + (h1 * en) / 10 + 3 * rng.normal();
      break;
    case "continuous-ics":
      h1 = rng.uniform() < pnorm(Math.sin(size)) ? 1 : 0;
      h2 = 2 + (h1 * size) / 10 + 3 * rng.normal();
      break;
    case "binary":
    case "test-binary":
      h1 = rng.uniform() < 0.5 ? 1 : 0;
      h2 = 3 + h1 + rng.normal();
      break;
    case "binary-ics":
      h1 = rng.uniform() < 0.5 ? 1 : 0;
      h2 = 2 + h1 + size / en + rng.normal();
      break;
  }
  const gamma = Math.sqrt(0.2) * rng.normal();
  return { size, h1, h2, gamma };
}

/** X1, X2 of one individual, written into xs[0], xs[1]. */
export function drawIndividual(mech: MrsMechanism, c: ClusterDraw, en: number, rng: Rng, xs: Float64Array): void {
  const { size: n, h1, h2 } = c;
  let x1: number;
  let p2: number;
  switch (mech) {
    case "continuous":
    case "test-continuous":
      x1 = h1 * h2 + en / 100 + 4 * rng.normal();
      p2 = expit(Math.log(en) * x1 * h1 + h2);
      break;
    case "continuous-ics":
      x1 = h1 * h2 + n / 100 + 4 * rng.normal();
      p2 = expit(Math.log(n) * x1 * h1 + h2);
      break;
    case "binary":
    case "test-binary":
      x1 = h1 + h2 / 20 + 1 + 4 * rng.normal();
      p2 = expit(4 * h1 * x1 + h2);
      break;
    case "binary-ics":
      x1 = h1 + h2 / 20 + n / 100 + 4 * rng.normal();
      p2 = expit(Math.log(n) * h1 * x1 + h2);
      break;
  }
  xs[0] = x1;
  xs[1] = rng.uniform() < p2 ? 1 : 0;
}

/**
 * The potential outcome's mean (continuous) or log-odds (binary) under
 * control (`base`) and the cluster's treatment effect without γ (`effect`):
 * Y(a) has mean / logit base + a·(effect + γ).
 */
export function linearParts(mech: MrsMechanism, c: ClusterDraw, x1: number, x2: number, en: number, delta: number): [number, number] {
  const { size: n, h1, h2 } = c;
  const q = (n * n * Math.log(n)) / (en * en);
  switch (mech) {
    case "continuous":
      return [3 + (h1 * x1 * x1) / (5 * en) + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), -3];
    case "continuous-ics":
      return [(h1 * x1 * x1) / (5 * n) - q + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), q];
    case "test-continuous":
      return [(h1 * x1 * x1) / (5 * en) + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), delta * q + 1];
    case "binary":
      return [-0.8 + (x1 * x1) / 100 + h1 + Math.cos(h2) * x2 + Math.abs(h2) / 5, 0.8];
    case "binary-ics":
      return [-q / 5 + (x1 * x1) / (2 * n) + h1 + Math.cos(h2) * x2 + Math.abs(h2) / 5, q / 5];
    case "test-binary":
      return [
        (x1 * x1) / (2 * en) + h1 / 2 + Math.cos(h2) * x2 + Math.abs(h2) / 10,
        (delta * n * n * Math.log(n / en)) / (5 * en * en) + 1,
      ];
  }
}

export function isBinary(mech: MrsMechanism): boolean {
  return mech === "binary" || mech === "binary-ics" || mech === "test-binary";
}

/** One simulated trial: columns cluster, A, Y, X1, X2, H1, H2 (rows cluster by cluster). */
export function simulateMrsTrial(design: MrsSimDesign, rng: Rng): Dataset {
  const { mechanism: mech, clusters: m, delta } = design;
  const { mean: en, lo, hi } = clusterSizeRange(m);
  const draws: ClusterDraw[] = [];
  const arms = new Uint8Array(m);
  let n = 0;
  for (let i = 0; i < m; i++) {
    const c = drawCluster(mech, lo, hi, en, rng);
    draws.push(c);
    arms[i] = rng.uniform() < 0.5 ? 1 : 0;
    n += c.size;
  }
  const cluster = new Float64Array(n);
  const A = new Float64Array(n);
  const Y = new Float64Array(n);
  const X1 = new Float64Array(n);
  const X2 = new Float64Array(n);
  const H1 = new Float64Array(n);
  const H2 = new Float64Array(n);
  const xs = new Float64Array(2);
  const binary = isBinary(mech);
  let r = 0;
  for (let i = 0; i < m; i++) {
    const c = draws[i];
    const a = arms[i];
    for (let j = 0; j < c.size; j++, r++) {
      drawIndividual(mech, c, en, rng, xs);
      const [base, effect] = linearParts(mech, c, xs[0], xs[1], en, delta);
      const lin = base + a * (effect + c.gamma);
      cluster[r] = i + 1;
      A[r] = a;
      X1[r] = xs[0];
      X2[r] = xs[1];
      H1[r] = c.h1;
      H2[r] = c.h2;
      Y[r] = binary ? (rng.uniform() < expit(lin) ? 1 : 0) : lin + rng.normal();
    }
  }
  const col = (name: string, values: Float64Array) => ({ name, kind: "numeric" as const, values });
  return dataset([col("cluster", cluster), col("A", A), col("Y", Y), col("X1", X1), col("X2", X2), col("H1", H1), col("H2", H2)]);
}
