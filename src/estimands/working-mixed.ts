/**
 * Conditional (random-intercept) working models on the individual-level
 * contextual-effect design (Li et al. 2025, Examples 3.2, 3.3):
 *
 * - `lmm`: y = [1, A, X − X̄, X̄, H]γ + b_i + ε (eq. 10), REML as lme4::lmer
 *   (src/models/lmm). Ê(Ȳ_i | A = a) is the mean of the fixed-effect
 *   predictions of the cluster's rows. Treatment SE: CR3, clubSandwich's
 *   approximate jackknife, A Σ XᵢᵀVᵢ⁻¹(I − Hᵢ)⁻¹eᵢeᵢᵀ(I − Hᵢ)⁻ᵀVᵢ⁻¹Xᵢ A with
 *   Vᵢ ∝ I + θ²J and Hᵢ = XᵢAXᵢᵀVᵢ⁻¹, which is the Mancl–DeRouen sandwich of
 *   a Gaussian GEE whose exchangeable correlation is θ²/(1 + θ²)
 *   (computed from per-cluster sums, src/models/gee/refit.ts).
 * - `glmm` (binomial): logit model with random intercept c_i ~ N(0, σ²)
 *   (eq. 11), Laplace as lme4::glmer (src/models/glmm), marginalized per
 *   row with expit(η / √(1 + 3σ²/π²)) — Li et al. (2025)'s approximation (its
 *   √((σ² + π²/3)/(π²/3))) and MRStdCRT's `sqrt(3·σ²/π² + 1)`. Treatment SE:
 *   model-based (lme4's vcov).
 * - `glmm` (poisson): log-link model with random intercept c_i ~ N(0, σ²),
 *   Laplace as lme4::glmer(family = poisson), marginalized per row with
 *   exp(η + σ²/2) (E exp(c_i) = exp(σ²/2), exact for the log link).
 *   Treatment SE: model-based (lme4's vcov), on the log rate ratio scale.
 *
 * Jackknife refits: the LMM's run on per-cluster sufficient statistics
 * (src/models/lmm/refit.ts: the REML criterion of src/models/lmm, with leaving a
 * cluster out a subtraction and θ searched around the full-data θ̂); the
 * GLMM's copy the rows of the other clusters into buffers allocated once and
 * start from the full-data fixed effects, skipping the Hessian (only β and θ
 * are needed).
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import type { ModelFrame } from "../formula/types.ts";
import type { FamilyName } from "../models/family/index.ts";
import { sumsSandwich } from "../models/gee/refit.ts";
import { glmm, glmmObjective, optimizeGlmm } from "../models/glmm/index.ts";
import { glmmHessianFactor, refitGlmm } from "../models/glmm/refit.ts";
import { lmm } from "../models/lmm/index.ts";
import { RemlSumsSolver } from "../models/lmm/refit.ts";
import { addBeta0, clusterSums, SumsView } from "../models/shared/cluster-sums.ts";
import type { MrsData } from "./data.ts";
import { individualDesign, leaveClusterOut, predictClusters, type MeanMap, treatmentCoefficient } from "./design.ts";
import { individualFrame } from "./working-gee.ts";
import type { RefitStatus, WorkingFit, WorkingModel } from "./working-model.ts";

/** The marginalizing divisor √(1 + 3σ²/π²) of a logistic random-intercept model. */
export function logitMarginalDivisor(variance: number): number {
  return Math.sqrt(1 + (3 * variance) / (Math.PI * Math.PI));
}

/** Buffers for leave-one-cluster-out frames, allocated once per model. */
function looBuffers(d: MrsData, p: number) {
  const m = d.nClusters;
  let minSize = d.nObs;
  for (let c = 0; c < m; c++) minSize = Math.min(minSize, d.starts[c + 1] - d.starts[c]);
  const rows = d.nObs - minSize;
  return {
    x: new Float64Array(rows * p),
    y: new Float64Array(rows),
    starts: new Int32Array(m),
    ids: d.clusterIds.slice(0, m - 1),
    frameRows: Int32Array.from({ length: rows }, (_, i) => i),
  };
}

function looFrame(d: MrsData, base: ModelFrame, design: { x: Float64Array; p: number }, g: number, buf: ReturnType<typeof looBuffers>): ModelFrame {
  const nb = leaveClusterOut(design.x, design.p, d.y, d.starts, g, buf.x, buf.y, buf.starts);
  const ids = buf.ids as string[];
  for (let c = 0, k = 0; c < d.nClusters; c++) if (c !== g) ids[k++] = d.clusterIds[c];
  return {
    ...base,
    y: buf.y.subarray(0, nb),
    X: { rows: nb, cols: design.p, data: buf.x.subarray(0, nb * design.p) },
    rows: buf.frameRows.subarray(0, nb),
    clusters: { column: d.clusterColumn, ids, starts: buf.starts },
  };
}

export function mixedWorking(d: MrsData, working: "lmm" | "glmm", family: FamilyName): WorkingModel {
  return working === "lmm" ? lmmWorking(d) : glmmWorking(d, family);
}

function lmmWorking(d: MrsData): WorkingModel {
  const design = individualDesign(d);
  const frame = individualFrame(d, design);
  const m = d.nClusters;
  const p = design.p;
  const fit = lmm(frame, { method: "reml" });
  const beta = fit.coefficients;
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  const map: MeanMap = { kind: "identity" };
  predictClusters(design.x, p, beta, d.starts, m, map, -1, eta1, eta0);
  const psi = fit.theta * fit.theta;
  const sums = clusterSums(design.x, d.nObs, p, d.y, d.starts);
  const view = new SumsView(sums);
  const solver = new RemlSumsSolver(p);
  const betaG = new Float64Array(p);
  const delta = new Float64Array(p);
  for (let j = 0; j < p; j++) delta[j] = beta[j] - sums.beta0[j];
  const cr3 = sumsSandwich(sums, delta, psi / (1 + psi), "md");
  const diagnostics: Diagnostic[] = fit.diagnostics.filter((g) => g.code !== "dropped-rows");
  const full: WorkingFit = Object.freeze({
    working: "lmm" as const,
    family: "gaussian" as const,
    link: "identity" as const,
    terms: design.columnNames,
    coefficients: beta,
    eta1,
    eta0,
    treatment: treatmentCoefficient(design.columnNames, beta, cr3, p, "CR3", "difference"),
    varianceBetween: psi * fit.residualVariance,
    varianceResidual: fit.residualVariance,
    alpha: null,
    converged: fit.converged,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      view.select(g);
      const r = solver.fit(view, fit.theta);
      predictClusters(design.x, p, addBeta0(sums, r.delta, betaG), d.starts, m, map, g, out1, out0);
      return { converged: r.converged };
    },
  };
}

/** How a random-intercept GLMM's predictions are averaged over the random intercept of variance σ². */
function marginalMap(family: "binomial" | "poisson", variance: number): MeanMap {
  return family === "poisson" ? { kind: "exp", shift: variance / 2 } : { kind: "expit", divisor: logitMarginalDivisor(variance) };
}

function glmmWorking(d: MrsData, family: FamilyName): WorkingModel {
  // fitWorking's workingLink has already refused gaussian.
  const fam = family === "poisson" ? "poisson" : "binomial";
  const design = individualDesign(d);
  const frame = individualFrame(d, design);
  const m = d.nClusters;
  const p = design.p;
  const fit = glmm(frame, { family: fam, nagq: 1 });
  const beta = fit.coefficients;
  const variance = fit.theta * fit.theta;
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  predictClusters(design.x, p, beta, d.starts, m, marginalMap(fam, variance), -1, eta1, eta0);
  const buf = looBuffers(d, p);
  // Fixed Newton matrix of the warm-started refits: the full-data approximate Hessian.
  const chol = fit.theta > 0 ? glmmHessianFactor(glmmObjective(frame, { nagq: 1, family: fam }), fit.theta, beta) : null;
  const secant = { curvature: 0 };
  const diagnostics: Diagnostic[] = fit.diagnostics.filter((g) => g.code !== "dropped-rows");
  diagnostics.push(
    info(
      "mrs-glmm-marginal",
      fam === "poisson"
        ? `GLMM predictions are marginalized over the random intercept with exp(eta + sigma^2/2), sigma^2 = ${variance.toPrecision(4)}`
        : `GLMM predictions are marginalized over the random intercept with expit(eta / sqrt(1 + 3*sigma^2/pi^2)), sigma^2 = ${variance.toPrecision(4)}`,
    ),
  );
  const full: WorkingFit = Object.freeze({
    working: "glmm" as const,
    family: fam,
    link: fam === "poisson" ? ("log" as const) : ("logit" as const),
    terms: design.columnNames,
    coefficients: beta,
    eta1,
    eta0,
    treatment: treatmentCoefficient(
      design.columnNames,
      beta,
      fit.vcov,
      p,
      "model",
      fam === "poisson" ? "log rate ratio (conditional on the random intercept)" : "log odds ratio (conditional on the random intercept)",
    ),
    varianceBetween: variance,
    varianceResidual: null,
    alpha: null,
    converged: fit.converged,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      const objective = glmmObjective(looFrame(d, frame, design, g, buf), { nagq: 1, family: fam });
      const r = chol
        ? refitGlmm(objective, fit.theta, beta, chol, secant)
        : optimizeGlmm(objective, { start: beta, skipHessian: true });
      predictClusters(design.x, p, r.beta, d.starts, m, marginalMap(fam, r.theta * r.theta), g, out1, out0);
      return { converged: r.converged };
    },
  };
}
