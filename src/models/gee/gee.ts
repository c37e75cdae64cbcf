/**
 * gee(frame, options): the composition of the exported stages
 *   validate → (drop zero-weight rows) → glmFit (start) → geeFit → geeVariance → table,
 * matching geepack::geeglm.
 */
import { info, warning, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { ModelFrame, TimeIndex } from "../../formula/types.ts";
import { coefficientTable } from "../../inference/wald.ts";
import { resolveFamily, type Family, type FamilyName } from "../family/family.ts";
import type { Link, LinkName } from "../family/link.ts";
import { glmFit } from "../glm/irls.ts";
import { checkFrame, checkOffset, checkRank, checkResponse, checkWeights } from "../glm/validate.ts";
import type { ModelFit } from "../result.ts";
import { checkModelFrame, requireFiniteFit } from "../validate.ts";
import { CORRELATIONS, type CorStr, type WorkingCorrelation } from "./correlation.ts";
import { geeFit } from "./fit.ts";
import { hasUnitGap, ROW_ORDER, sortByTime, timeOrderText } from "./time.ts";
import { geeVariance, type GeeSe } from "./variance.ts";

export interface GeeOptions {
  /** Default "gaussian". */
  readonly family?: FamilyName | Family;
  /** Default: the family's canonical link. */
  readonly link?: LinkName | Link;
  /** Working correlation (default "independence", as geeglm). */
  readonly corstr?: CorStr | WorkingCorrelation;
  /** Standard errors: robust sandwich (default), model-based, Mancl–DeRouen or Kauermann–Carroll. */
  readonly se?: GeeSe;
  /**
   * Prior weights (≥ 0; default `frame.weights`). A row with weight 0 is
   * removed before fitting, so it affects nothing (complete-case analysis =
   * weights equal to the observed indicator). geepack's `weights=` differs
   * here: its zero-weight rows still shape the exchangeable/AR(1) working
   * correlation of their cluster.
   */
  readonly weights?: Float64Array;
  readonly offset?: Float64Array;
  /** Starting coefficients of the GLM whose fit starts the GEE (geeglm's `start`); default: the family's starting means. */
  readonly start?: ArrayLike<number>;
  /** Fisher-scoring iterations (geepack: 25). */
  readonly maxIter?: number;
  /** Absolute tolerance on the largest change in β, α, φ (geepack: 1e-4). */
  readonly tolerance?: number;
  /** Confidence level of the intervals in `table` (default 0.95). */
  readonly level?: number;
  /**
   * Time of each row (default `frame.time`): each cluster's rows are taken
   * in time order and AR(1) lags are time differences (geepack's `waves`);
   * without it, the row order within cluster. See time.ts.
   */
  readonly time?: TimeIndex;
}

/**
 * A fitted GEE: Wald inference from the covariance chosen by the `se` option
 * (`vcovType`): normal reference (df null) for robust and model-based SEs,
 * t with C − p df for the small-sample md and kc corrections (Li & Redden
 * 2015). `nObs` counts the rows with positive weight.
 */
export interface GeeResult extends ModelFit {
  readonly model: "gee";
  readonly nClusters: number;
  /** The `se` option: robust sandwich, model-based, Mancl–DeRouen or Kauermann–Carroll. */
  readonly vcovType: GeeSe;
  readonly family: FamilyName;
  readonly link: LinkName;
  readonly corstr: CorStr;
  /** Working correlation parameter; null for independence. */
  readonly alpha: number | null;
  /** Scale φ: weighted mean squared Pearson residual (no N − p correction, as geepack); `sigma` is √φ. */
  readonly scale: number;
  /** Order of each cluster's rows for AR(1) lags: "row order within cluster" or "by column 'T'". */
  readonly timeOrder: string;
  readonly converged: boolean;
  readonly iterations: number;
  /** Fitted means for every frame row (including rows with weight 0). */
  readonly fitted: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

const SE_TYPES: readonly GeeSe[] = ["robust", "model", "md", "kc"];

/** The rows, clusters and weights a GEE is fitted on, after dropping zero-weight rows. */
export interface GeeData {
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly y: Float64Array;
  readonly starts: Int32Array;
  readonly clusterIds: readonly string[];
  readonly weights?: Float64Array;
  readonly offset?: Float64Array;
  /** With a time index: rows in time order within cluster and each row's time gap to the previous one (AR(1) lags). */
  readonly gaps?: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Validates a clustered frame and returns the data to fit: rows with weight
 * 0 removed, clusters left empty removed, and with `time` each cluster's
 * rows in time order with their time gaps. Throws an InputError naming the
 * problem.
 */
export function geeData(
  frame: ModelFrame,
  family: Family,
  link: Link,
  weights?: Float64Array,
  offset?: Float64Array,
  time?: TimeIndex,
): GeeData {
  checkWeights(frame, weights);
  checkFrame(frame, weights);
  const clusters = frame.clusters;
  if (!clusters) throw new InputError(`gee needs clusters: give the cluster column for '${frame.formula}'`);
  const n = frame.X.rows;
  const p = frame.X.cols;
  const starts = clusters.starts;
  const nc = starts.length - 1;
  if (nc < 1 || starts[0] !== 0 || starts[nc] !== n || clusters.ids.length !== nc) {
    throw new InputError(`cluster index of column '${clusters.column}' does not cover the ${n} rows (${nc} clusters, ${clusters.ids.length} ids)`);
  }
  for (let c = 0; c < nc; c++) {
    if (starts[c + 1] < starts[c]) throw new InputError(`cluster index of column '${clusters.column}' is not increasing at cluster '${clusters.ids[c]}'`);
  }
  checkOffset(frame, offset, weights);
  checkResponse(frame, family, link, weights, true);
  checkRank(frame, weights);

  const diagnostics: Diagnostic[] = [];
  let dropped = 0;
  if (weights) for (let i = 0; i < n; i++) if (weights[i] === 0) dropped++;
  if (time && time.values.length !== n) throw new InputError(`time column '${time.column}' has ${time.values.length} values for ${n} rows`);
  if (dropped === 0 && !time) {
    const kept: number[] = [];
    for (let c = 0; c < nc; c++) if (starts[c + 1] > starts[c]) kept.push(c);
    if (kept.length === nc) {
      return { x: frame.X.data, n, p, y: frame.y, starts, clusterIds: clusters.ids, weights, offset, diagnostics };
    }
  }
  // Compact: keep rows with positive weight and clusters with at least one such row (in time order when given).
  const m = n - dropped;
  const order = new Int32Array(m);
  const newStarts: number[] = [0];
  const ids: string[] = [];
  const emptied: string[] = [];
  let r = 0;
  for (let c = 0; c < nc; c++) {
    const before = r;
    for (let i = starts[c]; i < starts[c + 1]; i++) if (!(weights && weights[i] === 0)) order[r++] = i;
    if (r > before) {
      newStarts.push(r);
      ids.push(clusters.ids[c]);
    } else if (starts[c + 1] > starts[c]) {
      emptied.push(clusters.ids[c]);
    }
  }
  const startsOut = Int32Array.from(newStarts);
  const gaps = time ? sortByTime(order, startsOut, ids, clusters.column, time, frame.rows) : undefined;
  const x = new Float64Array(m * p);
  const y = new Float64Array(m);
  const w = weights ? new Float64Array(m) : undefined;
  const off = offset ? new Float64Array(m) : undefined;
  for (let k = 0; k < m; k++) {
    const i = order[k];
    x.set(frame.X.data.subarray(i * p, (i + 1) * p), k * p);
    y[k] = frame.y[i];
    if (w && weights) w[k] = weights[i];
    if (off && offset) off[k] = offset[i];
  }
  if (dropped > 0) {
    diagnostics.push(
      info(
        "gee-zero-weight-rows",
        `${dropped} of ${n} rows have weight 0 and were left out` +
          (emptied.length > 0 ? `; clusters with no row left: ${listIds(emptied)}` : ""),
      ),
    );
  }
  return { x, n: m, p, y, starts: startsOut, clusterIds: ids, weights: w, offset: off, ...(gaps ? { gaps } : {}), diagnostics };
}

/**
 * Fits a marginal model by generalized estimating equations, as
 * geepack::geeglm: same starting values, estimators of α and φ, Fisher
 * scoring and convergence rule; robust ("san.se") or model-based ("naive")
 * standard errors, or the Mancl–DeRouen / Kauermann–Carroll corrections.
 *
 * @example
 * const fit = gee(frame, { family: "gaussian", corstr: "exchangeable" });
 * fit.table; // Coefficient[] with z statistics and robust SEs
 */
export function gee(frame: ModelFrame, options: GeeOptions = {}): GeeResult {
  const { family, link } = resolveFamily(options.family ?? "gaussian", options.link);
  const corr = resolveCorrelation(options.corstr ?? "independence");
  const se = options.se ?? "robust";
  if (!SE_TYPES.includes(se)) throw new InputError(`unknown se '${se}'; use one of: ${SE_TYPES.join(", ")}`);
  checkModelFrame(frame, { model: "gee", family: family.name, weights: options.weights ?? frame.weights, offset: options.offset });
  const time = options.time ?? frame.time;
  const data = geeData(frame, family, link, options.weights ?? frame.weights, options.offset, time);
  const { x, n, p, y, starts, weights, offset, gaps } = data;
  const nClusters = starts.length - 1;
  if (nClusters < 2) throw new InputError(`gee needs at least 2 clusters; column '${frame.clusters!.column}' has ${nClusters}`);

  const start = glmFit(x, n, p, y, family, link, { weights, offset, start: options.start });
  const fit = geeFit(x, n, p, y, starts, family, link, corr, {
    weights,
    offset,
    start: start.coefficients,
    maxIter: options.maxIter,
    tolerance: options.tolerance,
    gaps,
  });
  const vcov = geeVariance(x, n, p, y, starts, family, link, corr, fit.coefficients, fit.alpha, fit.scale, {
    weights,
    offset,
    types: [se],
    clusterIds: data.clusterIds,
    gaps,
  })[se]!;
  requireFiniteFit("gee", frame.columnNames, fit.coefficients, vcov, { scale: fit.scale, alpha: fit.alpha });
  const stdErrors = new Float64Array(p);
  for (let j = 0; j < p; j++) stdErrors[j] = Math.sqrt(vcov[j * p + j]);
  const level = options.level ?? 0.95;
  const table = coefficientTable(frame.columnNames, fit.coefficients, stdErrors, referenceDf(se, nClusters, p), level);

  const fitted = new Float64Array(frame.X.rows);
  for (let i = 0; i < fitted.length; i++) {
    let s = options.offset ? options.offset[i] : 0;
    for (let j = 0; j < p; j++) s += frame.X.data[i * p + j] * fit.coefficients[j];
    fitted[i] = link.linkinv(s);
  }

  const diagnostics: Diagnostic[] = [...frame.diagnostics, ...data.diagnostics];
  if (!start.converged) {
    diagnostics.push(warning("gee-start-not-converged", `the GLM fit giving the starting values did not converge in ${start.iterations} iterations`));
  }
  if (!fit.converged) {
    diagnostics.push(
      warning(
        "gee-not-converged",
        `GEE did not converge in ${fit.iterations} iterations (last change ${fit.lastChange.toPrecision(3)} > tolerance ${options.tolerance ?? 1e-4})`,
      ),
    );
  }
  const singletons: string[] = [];
  for (let c = 0; c < nClusters; c++) if (starts[c + 1] - starts[c] === 1) singletons.push(data.clusterIds[c]);
  if (singletons.length > 0) {
    diagnostics.push(
      info(
        "gee-cluster-size-1",
        `${singletons.length} of ${nClusters} clusters have a single row (${listIds(singletons)})` +
          (corr.nParameters > 0 ? "; they inform the coefficients and scale but not alpha" : ""),
      ),
    );
  }
  if (corr.nParameters > 0 && fit.pairs === 0) {
    diagnostics.push(warning("gee-alpha-not-estimated", `no cluster has two or more rows, so the ${corr.name} correlation alpha cannot be estimated; it stays 0`));
  }
  if (corr.name === "exchangeable" && fit.alpha < 0) {
    diagnostics.push(warning("gee-alpha-negative", `the estimated within-cluster correlation alpha = ${fit.alpha.toPrecision(4)} is negative`));
  }
  if (corr.name === "ar1") {
    diagnostics.push(
      info(
        "gee-ar1-order",
        time
          ? `AR(1) lags are differences of the times in '${time.column}' within each cluster (a gap of k gives alpha^k)`
          : `AR(1) lags are taken from the ${ROW_ORDER}; give a time column to order by time`,
      ),
    );
    if (time && gaps && fit.pairs > 0 && !hasUnitGap(gaps, starts)) {
      diagnostics.push(
        warning(
          "gee-alpha-not-estimated",
          `no two rows of a cluster are 1 apart in '${time.column}', so the AR(1) alpha cannot move from its start at 0 and stays 0; divide the times by their common gap`,
        ),
      );
    }
  }
  if (nClusters <= p) {
    diagnostics.push(
      warning("gee-few-clusters", `only ${nClusters} clusters for ${p} coefficients: the sandwich covariance is singular or unstable`),
    );
  }

  return Object.freeze({
    model: "gee" as const,
    formula: frame.formula,
    response: frame.response,
    terms: Object.freeze([...frame.columnNames]),
    nObs: n,
    nDropped: frame.nDropped,
    nClusters,
    coefficients: fit.coefficients,
    vcov,
    vcovType: se,
    table: Object.freeze(table),
    level,
    sigma: Math.sqrt(fit.scale),
    family: family.name,
    link: link.name,
    corstr: corr.name,
    alpha: corr.nParameters > 0 ? fit.alpha : null,
    scale: fit.scale,
    timeOrder: timeOrderText(time),
    converged: fit.converged,
    iterations: fit.iterations,
    fitted,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** The reference df of the Wald tests: null (normal) for robust and model SEs, C − p for md and kc. */
function referenceDf(se: GeeSe, nClusters: number, p: number): number | null {
  if (se !== "md" && se !== "kc") return null;
  if (nClusters <= p) {
    throw new InputError(`--se ${se} uses t with C − p df: ${nClusters} clusters for ${p} coefficients leave none; fit fewer coefficients or use --se robust`);
  }
  return nClusters - p;
}

/** The working correlation called `name`, or an InputError listing the choices. */
export function resolveCorrelation(corstr: CorStr | WorkingCorrelation | string): WorkingCorrelation {
  if (typeof corstr !== "string") return corstr;
  const c = (CORRELATIONS as Record<string, WorkingCorrelation | undefined>)[corstr];
  if (!c) throw new InputError(`unknown corstr '${corstr}'; use one of: ${Object.keys(CORRELATIONS).join(", ")}`);
  return c;
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).map((id) => `'${id}'`).join(", ");
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}
