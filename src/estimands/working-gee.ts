/**
 * Marginal working models fitted by GEE (Li et al. 2025, Example 3.4, eq. 14) on
 * the individual-level contextual-effect design, geepack-compatible.
 * Treatment SE: Mancl–DeRouen.
 *
 * All fits follow geepack's path (GLM start, then Fisher scoring to
 * geepack's tolerance) so that every leave-one-out estimate matches R. For
 * the Gaussian family they run on per-cluster sufficient statistics
 * (src/models/gee/refit.ts: leaving a cluster out is a subtraction, each iteration
 * O(K·p² + p³)); otherwise through src/models/gee, the GLM start of each
 * refit warm-started from the full-data GLM fit and the design rows copied
 * into buffers allocated once.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import type { ModelFrame } from "../formula/types.ts";
import { resolveFamily, type FamilyName } from "../models/family/index.ts";
import { gee, geeFit, resolveCorrelation } from "../models/gee/index.ts";
import { GeeSumsSolver, sumsSandwich } from "../models/gee/refit.ts";
import { glmFit } from "../models/glm/index.ts";
import { checkRank } from "../models/glm/validate.ts";
import { addBeta0, clusterSums, SumsView } from "../models/shared/cluster-sums.ts";
import type { MrsData } from "./data.ts";
import { individualDesign, leaveClusterOut, predictClusters, type MeanMap, type WorkingDesign, treatmentCoefficient } from "./design.ts";
import type { RefitStatus, WorkingFit, WorkingModel } from "./working-model.ts";

/** A ModelFrame over the individual rows of an MRS design (for the model modules' validation and full fits). */
export function individualFrame(d: MrsData, design: WorkingDesign): ModelFrame {
  return {
    formula: d.formula,
    response: d.response,
    y: d.y,
    X: { rows: design.rows, cols: design.p, data: design.x },
    columnNames: design.columnNames,
    rows: d.rows,
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: d.clusterColumn, ids: d.clusterIds, starts: d.starts },
    randomTerms: [],
    diagnostics: [],
  };
}

/** The mean map of a GLM-type link (no random effect to integrate). */
export function linkMap(link: string): MeanMap {
  if (link === "logit") return { kind: "expit", divisor: 1 };
  if (link === "log") return { kind: "exp", shift: 0 };
  return { kind: "identity" };
}

export function geeWorking(d: MrsData, familyName: FamilyName, corstr: "independence" | "exchangeable"): WorkingModel {
  return familyName === "gaussian" ? gaussianGeeWorking(d, corstr) : generalGeeWorking(d, familyName, corstr);
}

function treatmentScale(link: string): string {
  return link === "identity" ? "difference" : link === "logit" ? "log odds ratio" : "log ratio";
}

/**
 * Gaussian GEE on per-cluster sufficient statistics (src/models/gee/refit.ts), for the
 * full data and every refit: the same iterations as geepack; an exchangeable
 * α outside the positive-definite range is kept, as geepack keeps it, with a
 * warning. Mancl–DeRouen SE by the Woodbury form there (sumsSandwich).
 */
function gaussianGeeWorking(d: MrsData, corstr: "independence" | "exchangeable"): WorkingModel {
  const design = individualDesign(d);
  const frame = individualFrame(d, design);
  checkRank(frame, undefined);
  const m = d.nClusters;
  const p = design.p;
  const x = design.x;
  const exch = corstr === "exchangeable";
  const sums = clusterSums(x, d.nObs, p, d.y, d.starts);
  const view = new SumsView(sums);
  const solver = new GeeSumsSolver(p);
  view.select(-1);
  const r = solver.fit(view, exch);
  const delta = Float64Array.from(r.delta);
  const beta = addBeta0(sums, delta, new Float64Array(p));
  const alpha = r.parameter;
  const vcov = sumsSandwich(sums, delta, alpha, "md");
  const map: MeanMap = { kind: "identity" };
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  predictClusters(x, p, beta, d.starts, m, map, -1, eta1, eta0);
  const diagnostics: Diagnostic[] = [];
  if (!r.converged) diagnostics.push(warning("gee-not-converged", `GEE did not converge in ${r.iterations} iterations`));
  if (exch && !(alpha < 1 && (view.maxSize < 2 || 1 + (view.maxSize - 1) * alpha > 0))) {
    diagnostics.push(
      warning(
        "gee-alpha-outside",
        `the exchangeable correlation estimate alpha = ${alpha.toPrecision(4)} is outside the range where the working correlation of the ` +
          `largest cluster (${view.maxSize} rows) is positive definite; the estimating equations are solved with R(alpha)^-1 as geepack does, ` +
          `but the working model is degenerate (consider gee-ind or covariate adjustment)`,
      ),
    );
  }
  const betaG = new Float64Array(p);
  const full: WorkingFit = Object.freeze({
    working: exch ? ("gee-exch" as const) : ("gee-ind" as const),
    family: "gaussian" as const,
    link: "identity" as const,
    terms: design.columnNames,
    coefficients: beta,
    eta1,
    eta0,
    treatment: treatmentCoefficient(design.columnNames, beta, vcov, p, "md", "difference"),
    varianceBetween: null,
    varianceResidual: r.scale,
    alpha: exch ? alpha : null,
    converged: r.converged,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      view.select(g);
      const rg = solver.fit(view, exch);
      predictClusters(x, p, addBeta0(sums, rg.delta, betaG), d.starts, m, map, g, out1, out0);
      return { converged: rg.converged };
    },
  };
}

/** Binomial and Poisson GEE through src/models/gee (geepack-compatible); refits copy rows into buffers allocated once. */
function generalGeeWorking(d: MrsData, familyName: FamilyName, corstr: "independence" | "exchangeable"): WorkingModel {
  const design = individualDesign(d);
  const frame = individualFrame(d, design);
  const { family, link } = resolveFamily(familyName);
  const corr = resolveCorrelation(corstr);
  const m = d.nClusters;
  const n = d.nObs;
  const p = design.p;
  const x = design.x;
  const fit = gee(frame, { family, link, corstr: corr, se: "md" });
  const map = linkMap(link.name);
  const eta1 = new Float64Array(m);
  const eta0 = new Float64Array(m);
  predictClusters(x, p, fit.coefficients, d.starts, m, map, -1, eta1, eta0);
  const glmStart = glmFit(x, n, p, d.y, family, link).coefficients;
  let minSize = n;
  for (let c = 0; c < m; c++) minSize = Math.min(minSize, d.starts[c + 1] - d.starts[c]);
  const xb = new Float64Array((n - minSize) * p);
  const yb = new Float64Array(n - minSize);
  const sb = new Int32Array(m);

  const diagnostics: Diagnostic[] = fit.diagnostics.filter((g) => g.code !== "dropped-rows");
  const full: WorkingFit = Object.freeze({
    working: corstr === "independence" ? ("gee-ind" as const) : ("gee-exch" as const),
    family: familyName,
    link: link.name,
    terms: design.columnNames,
    coefficients: fit.coefficients,
    eta1,
    eta0,
    treatment: treatmentCoefficient(design.columnNames, fit.coefficients, fit.vcov, p, "md", treatmentScale(link.name)),
    varianceBetween: null,
    varianceResidual: fit.scale,
    alpha: fit.alpha,
    converged: fit.converged,
    diagnostics: Object.freeze(diagnostics),
  });
  return {
    full,
    refitWithout(g: number, out1: Float64Array, out0: Float64Array): RefitStatus {
      const nb = leaveClusterOut(x, p, d.y, d.starts, g, xb, yb, sb);
      const xg = xb.subarray(0, nb * p);
      const yg = yb.subarray(0, nb);
      const start = glmFit(xg, nb, p, yg, family, link, { start: glmStart });
      const r = geeFit(xg, nb, p, yg, sb, family, link, corr, { start: start.coefficients });
      predictClusters(x, p, r.coefficients, d.starts, m, map, g, out1, out0);
      return { converged: r.converged };
    },
  };
}
