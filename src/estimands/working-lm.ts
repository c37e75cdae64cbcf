/**
 * The cluster-level working model (Li et al. 2025, Example 3.1): a regression of
 * the cluster means Ȳ_i on [1, A_i, X̄_i, H_i].
 *
 * - gaussian: least squares (eq. 8). The leave-one-cluster-out fits are
 *   closed-form downdates of the full fit: with B = (XᵀX)⁻¹, residual e_g and
 *   leverage h_g = x_gᵀBx_g, β₋g = β̂ − B x_g e_g / (1 − h_g), O(p) per
 *   cluster after O(m p²) once. Treatment SE: HC3 (sandwich's default), i.e.
 *   the CR3 variance with one cluster per row.
 * - binomial / poisson: eq. (9), a logit (log) mean model for the cluster
 *   proportions (rates) with the Gaussian working variance, fitted by IRLS
 *   from the quasi-binomial (quasi-Poisson) estimates; the jackknife refits
 *   start from the full-data estimates. Treatment SE: model-based with the
 *   dispersion Σ(Ȳ − μ̂)²/(m − p).
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { ComputeError } from "../core/errors.ts";
import type { ModelFrame } from "../formula/types.ts";
import { equilibratedCholesky, equilibratedInverse } from "../linalg/equilibrated.ts";
import { binomial, gaussian, logitLink, logLink, poisson, type FamilyName } from "../models/family/index.ts";
import { glmFit } from "../models/glm/index.ts";
import { lmCovariance, olsFit } from "../models/lm/index.ts";
import { checkRank } from "../models/glm/validate.ts";
import type { MrsData } from "./data.ts";
import { clusterDesign, predictClusters, type WorkingDesign, treatmentCoefficient } from "./design.ts";
import type { RefitStatus, WorkingFit, WorkingModel } from "./working-model.ts";

/** A ModelFrame over the cluster-mean rows, each cluster its own "cluster" (so CR3 = HC3). */
function clusterMeanFrame(d: MrsData, design: WorkingDesign): ModelFrame {
  const m = d.nClusters;
  const starts = new Int32Array(m + 1);
  for (let c = 0; c <= m; c++) starts[c] = c;
  return {
    formula: d.formula,
    response: `mean(${d.response})`,
    y: d.yBar,
    X: { rows: m, cols: design.p, data: design.x },
    columnNames: design.columnNames,
    rows: Int32Array.from({ length: m }, (_, c) => c),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: d.clusterColumn, ids: d.clusterIds, starts },
    randomTerms: [],
    diagnostics: [],
  };
}

export function lmWorking(d: MrsData, family: FamilyName): WorkingModel {
  return family === "gaussian" ? linearWorking(d) : glmMeansWorking(d, family);
}

function linearWorking(d: MrsData): WorkingModel {
  const design = clusterDesign(d);
  const frame = clusterMeanFrame(d, design);
  const m = d.nClusters;
  const p = design.p;
  const x = design.x;
  const fit = olsFit(frame);
  const cov = lmCovariance(frame, fit, { vcov: "CR3", df: "naive" });
  const beta = fit.coefficients;
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  predictClusters(x, p, beta, null, m, { kind: "identity" }, -1, eta1, eta0);

  // Downdate pieces: u_g = B x_g, h_g = x_gᵀ u_g.
  const bread = fit.bread;
  const u = new Float64Array(m * p);
  const lev = new Float64Array(m);
  for (let g = 0; g < m; g++) {
    let hg = 0;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += bread[i * p + j] * x[g * p + j];
      u[g * p + i] = s;
      hg += s * x[g * p + i];
    }
    lev[g] = hg;
  }
  const betaG = new Float64Array(p);
  const diagnostics: Diagnostic[] = [...cov.diagnostics];
  const full: WorkingFit = Object.freeze({
    working: "lm" as const,
    family: "gaussian" as const,
    link: "identity" as const,
    terms: design.columnNames,
    coefficients: beta,
    eta1,
    eta0,
    treatment: treatmentCoefficient(design.columnNames, beta, cov.vcov, p, "HC3", "difference"),
    varianceBetween: null,
    varianceResidual: fit.sigma * fit.sigma,
    alpha: null,
    converged: true,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      const slack = 1 - lev[g];
      if (!(slack > 1e-10)) {
        throw new ComputeError(
          `leaving out cluster '${d.clusterIds[g]}' leaves a coefficient of the cluster-level model unidentified (leverage ${lev[g].toPrecision(6)})`,
        );
      }
      const f = fit.residuals[g] / slack;
      for (let j = 0; j < p; j++) betaG[j] = beta[j] - u[g * p + j] * f;
      predictClusters(x, p, betaG, null, m, { kind: "identity" }, g, out1, out0);
      return { converged: true };
    },
  };
}

function glmMeansWorking(d: MrsData, familyName: "binomial" | "poisson"): WorkingModel {
  const design = clusterDesign(d);
  const frame = clusterMeanFrame(d, design);
  checkRank(frame, undefined);
  const m = d.nClusters;
  const p = design.p;
  const x = design.x;
  const quasi = familyName === "binomial" ? binomial : poisson;
  const link = familyName === "binomial" ? logitLink : logLink;
  const map = familyName === "binomial" ? ({ kind: "expit", divisor: 1 } as const) : ({ kind: "exp", shift: 0 } as const);
  const tolerance = 1e-12;
  const maxIter = 1000; // Gauss–Newton converges linearly when the residuals are large
  const start = glmFit(x, m, p, d.yBar, quasi, link);
  const fit = glmFit(x, m, p, d.yBar, gaussian, link, { start: start.coefficients, tolerance, maxIter });
  const beta = fit.coefficients;
  let rss = 0;
  for (let c = 0; c < m; c++) rss += (d.yBar[c] - fit.mu[c]) ** 2;
  const dispersion = rss / (m - p);
  const l = new Float64Array(p * p);
  const sc = new Float64Array(p);
  if (equilibratedCholesky(fit.information, p, l, sc, 0) !== 0) {
    throw new ComputeError("the information matrix of the cluster-level working model is singular");
  }
  const inv = equilibratedInverse(l, sc, p);
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  predictClusters(x, p, beta, null, m, map, -1, eta1, eta0);
  const diagnostics: Diagnostic[] = [
    info(
      "mrs-lm-glm",
      `cluster-level working model: ${link.name} mean model for the cluster ${familyName === "binomial" ? "proportions" : "means"} ` +
        `with Gaussian working variance (Li et al. 2025, eq. 9)`,
    ),
  ];
  if (!fit.converged) diagnostics.push(warning("mrs-lm-not-converged", `the cluster-level working model did not converge in ${fit.iterations} iterations`));

  const xb = new Float64Array((m - 1) * p);
  const yb = new Float64Array(m - 1);
  const full: WorkingFit = Object.freeze({
    working: "lm" as const,
    family: familyName,
    link: link.name,
    terms: design.columnNames,
    coefficients: beta,
    eta1,
    eta0,
    treatment: treatmentCoefficient(
      design.columnNames,
      beta,
      inv.map((v) => dispersion * v),
      p,
      "model",
      familyName === "binomial" ? "log odds ratio" : "log ratio",
    ),
    varianceBetween: null,
    varianceResidual: dispersion,
    alpha: null,
    converged: fit.converged,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      xb.set(x.subarray(0, g * p), 0);
      xb.set(x.subarray((g + 1) * p), g * p);
      yb.set(d.yBar.subarray(0, g), 0);
      yb.set(d.yBar.subarray(g + 1), g);
      const r = glmFit(xb, m - 1, p, yb, gaussian, link, { start: beta, tolerance, maxIter });
      predictClusters(x, p, r.coefficients, null, m, map, g, out1, out0);
      return { converged: r.converged };
    },
  };
}
