/**
 * A simulation scenario for the binary-outcome analysis of `crtkit analyze`
 * (registered as "missing-modifier-binary" when imported; see
 * missing-binary-run.ts and missing-binary.md).
 *
 * Data: C clusters (exact 1:1), sizes 10 + Poisson(n̄ − 10); X1 ~ N(0, 1);
 * modifier M ~ Bernoulli(expit(0.3 + α_i)), α_i ~ N(0, (π²/3)·0.1/0.9); a
 * marginal logistic outcome model
 *   logit P(Y = 1 | A, M, X1) = −0.5 + 0.8A + 0.4M + β₃AM + 0.5X1 (β₃ = −0.6),
 * made clustered without changing it: Y = 1{V < p} with V the cluster's
 * shared uniform U_i with probability 0.3 and the member's own uniform
 * otherwise (V is uniform either way). M is observed with
 * logit P(R = 1) = 1.2 + 0.5X1 − 1.2Y + 0.3A + ζ_i, ζ_i ~ N(0, 0.5²): missing
 * at random given the outcome, ≈ 30% missing.
 *
 * Analysis: binomial GEE `Y ~ A*M + X1` (logit, exchangeable), imputation
 * model `M ~ X1*A*Y`. Truths: HTE = β₃ (the marginal model's interaction;
 * centring M changes only the A coefficient); ATE (risk difference) =
 * E[expit(η(1, M, X1)) − expit(η(0, M, X1))] with M ~ Bernoulli(E[expit(0.3 + α)])
 * independent of X1 ~ N(0, 1), by numerical integration.
 *
 * Methods: cca, si, mi, mmi, bmmi with robust SEs (normal for cca/si;
 * Barnard–Rubin df with ν_com = C − 2); the same with Kauermann–Carroll SEs
 * (suffix "-kc": t(C − p), ν_com = C − p); and mmi with the paper's df formula
 * ("mmi-paper").
 */
import { expit } from "../../src/core/math.ts";
import { dataset, type Dataset } from "../../src/data/dataset.ts";
import type { OutcomeOptions } from "../../src/missing/outcome-model.ts";
import type { Rng } from "../../src/random/rng.ts";
import { bernoulli, poisson } from "../../src/random/samplers.ts";
import { registerScenario } from "../../src/simulate/index.ts";
import { integerParameter, numberParameter } from "../../src/simulate/conditions.ts";
import { expectedExpit, missingMethodSettings, missingModifierRows } from "../../src/simulate/scenarios/missing-modifier-study.ts";
import { latentInterceptVariance } from "../../src/simulate/scenarios/missing-modifier.ts";
import type { Parameters } from "../../src/simulate/types.ts";

const COEF = { intercept: -0.5, a: 0.8, m: 0.4, x: 0.5 };
const MODIFIER_INTERCEPT = 0.3;
const SHARED = 0.3;
export const OUTCOME_MODEL = "Y ~ A*M + X1";
export const IMPUTATION_MODEL = "M ~ X1*A*Y";

function simulate(p: Parameters, rng: Rng): Dataset {
  const C = integerParameter(p, "clusters", 4);
  const meanSize = numberParameter(p, "meanClusterSize");
  const beta3 = numberParameter(p, "beta3");
  const sdAlpha = Math.sqrt(latentInterceptVariance(0.1));
  const treated: number[] = Array.from({ length: C }, (_, i) => (i < C / 2 ? 1 : 0));
  for (let i = C - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [treated[i], treated[j]] = [treated[j], treated[i]];
  }
  const cols: Record<"cluster" | "A" | "M" | "Y" | "X1", number[]> = { cluster: [], A: [], M: [], Y: [], X1: [] };
  for (let i = 0; i < C; i++) {
    const size = 10 + poisson(rng, meanSize - 10);
    const a = treated[i];
    const alpha = sdAlpha * rng.normal();
    const zeta = 0.5 * rng.normal();
    const shared = rng.uniform();
    for (let j = 0; j < size; j++) {
      const m = bernoulli(rng, expit(MODIFIER_INTERCEPT + alpha));
      const x = rng.normal();
      const prob = expit(COEF.intercept + COEF.a * a + COEF.m * m + beta3 * a * m + COEF.x * x);
      const v = rng.uniform() < SHARED ? shared : rng.uniform();
      const y = v < prob ? 1 : 0;
      const observed = bernoulli(rng, expit(1.2 + 0.5 * x - 1.2 * y + 0.3 * a + zeta));
      cols.cluster.push(i + 1);
      cols.A.push(a);
      cols.M.push(observed === 1 ? m : NaN);
      cols.Y.push(y);
      cols.X1.push(x);
    }
  }
  return dataset(Object.entries(cols).map(([name, values]) => ({ name, kind: "numeric" as const, values: Float64Array.from(values) })));
}

/** The population risk difference: M independent of X1 ~ N(0, 1); Simpson's rule over ±10 SD. */
export function ateTruth(beta3: number): number {
  const meanM = expectedExpit(MODIFIER_INTERCEPT, latentInterceptVariance(0.1));
  const steps = 4000;
  const h = 20 / steps;
  let s = 0;
  for (let k = 0; k <= steps; k++) {
    const x = -10 + k * h;
    const rd = (m: number): number =>
      expit(COEF.intercept + COEF.a + (COEF.m + beta3) * m + COEF.x * x) - expit(COEF.intercept + COEF.m * m + COEF.x * x);
    const f = (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)) * (meanM * rd(1) + (1 - meanM) * rd(0));
    s += (k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2) * f;
  }
  return (s * h) / 3;
}

const VARIANTS: Record<string, { method: string; outcome: OutcomeOptions }> = {};
for (const m of ["cca", "si", "mi", "mmi", "bmmi"]) {
  VARIANTS[m] = { method: m, outcome: { formula: OUTCOME_MODEL, family: "binomial" } };
  VARIANTS[`${m}-kc`] = { method: m, outcome: { formula: OUTCOME_MODEL, family: "binomial", se: "kc" } };
}
VARIANTS["mmi-paper"] = { method: "mmi", outcome: { formula: OUTCOME_MODEL, family: "binomial", poolingDf: "paper" } };

registerScenario({
  name: "missing-modifier-binary",
  description: "CRT with a binary outcome (marginal logistic model, clustered by a shared uniform) and a binary modifier missing at random; binomial GEE Y ~ A*M + X1.",
  module: import.meta.url,
  defaults: { clusters: 24, meanClusterSize: 30, beta3: -0.6, imputations: 15, burnin: 1000, thin: 100 },
  grid: { clusters: [24] },
  estimands: ["hte", "ate"],
  methods: Object.keys(VARIANTS).map((name) => ({ name, usesImputationModel: VARIANTS[name].method !== "cca" })),
  defaultImputationModels: [IMPUTATION_MODEL],
  truth: (p) => ({ hte: numberParameter(p, "beta3"), ate: ateTruth(numberParameter(p, "beta3")) }),
  generate: (p, rng) => simulate(p, rng),
  analyse: (data, p, spec, rng) => {
    const variant = VARIANTS[spec.method];
    return missingModifierRows(data, { ...spec, method: variant.method }, missingMethodSettings(p), rng, ["hte", "ate"], variant.outcome);
  },
});
