/**
 * The outcome GEE on an assembled design matrix, for every modifier type
 * (outcome.ts for a binary or continuous modifier, categorical/fit.ts for a
 * categorical one): the model frame over the prepared rows and clusters, the
 * family, link and SE of the prepared outcome model, start values where the
 * family's defaults can fail, and the fit every outcome analysis returns.
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import type { ModelFrame } from "../formula/types.ts";
import { matrix } from "../linalg/matrix.ts";
import { getLink } from "../models/family/link.ts";
import { gee, type GeeResult } from "../models/gee/index.ts";
import type { ModifierData } from "./data.ts";
import { outcomeFamily, type OutcomeDesign, type OutcomeSettings } from "./outcome-model.ts";

export type OutcomeCorrelation = "exchangeable" | "independence";

/** The treatment-by-level contrasts of one fit. */
export interface HteTermsFit {
  readonly names: readonly string[];
  readonly coefficients: Float64Array;
  /** k' × k' row-major. */
  readonly vcov: Float64Array;
}

export interface OutcomeFit {
  readonly hte: number;
  readonly hteVariance: number;
  /** On the analysis scale (log ratio for rr and or). */
  readonly ate: number;
  readonly ateVariance: number;
  readonly converged: boolean;
  /** Clusters and coefficients of the fit: the t(C − p) reference of md/kc and their pooling ν_com. */
  readonly nClusters: number;
  readonly nCoefficients: number;
  readonly settings: OutcomeSettings;
  readonly diagnostics: readonly Diagnostic[];
  /** A categorical modifier: all treatment-by-level contrasts (hte is the first). */
  readonly hteTerms?: HteTermsFit;
}

/**
 * Fits the outcome GEE of `design` with the n × p matrix `x` (row-major);
 * `analysed[r]` is NaN for rows left out, which get weight 0 (`weights`
 * undefined when every row is analysed).
 */
export function outcomeGee(
  data: ModifierData,
  design: OutcomeDesign,
  x: Float64Array,
  weights: Float64Array | undefined,
  analysed: Float64Array,
  corstr: OutcomeCorrelation,
): GeeResult {
  const { n, outcome } = data;
  const { settings } = data.outcomeModel;
  const frame: ModelFrame = {
    formula: settings.formula,
    response: data.columns.outcome,
    y: outcome,
    X: matrix(n, design.p, x),
    columnNames: design.columnNames,
    rows: data.rows,
    droppedRows: new Int32Array(0),
    nDropped: 0,
    clusters: { column: data.columns.cluster, ids: data.clusterIds, starts: data.starts },
    randomTerms: [],
    diagnostics: [],
  };
  try {
    return gee(frame, {
      family: outcomeFamily(settings.family),
      link: settings.link,
      corstr,
      se: settings.se,
      weights,
      start: nullModelStart(design, outcome, analysed, settings),
    });
  } catch (e) {
    // A completed data set can make the outcome design singular (e.g. every M equal): a failure of the fit, not of the input.
    if (e instanceof InputError) throw new ComputeError(`outcome GEE: ${e.message}`);
    throw e;
  }
}

/**
 * Start values for a binary outcome with the identity or log link, whose
 * default starting means can step outside (0, 1) (R's glm then asks for start
 * values): the intercept-only fit, g(ȳ) over the analysed rows, other
 * coefficients 0. Undefined otherwise (the family's starting means).
 */
function nullModelStart(design: OutcomeDesign, y: Float64Array, analysed: Float64Array, settings: OutcomeSettings): Float64Array | undefined {
  if (settings.family !== "binomial" || settings.link === "logit" || design.columnNames[0] !== "(Intercept)") return undefined;
  let sum = 0;
  let count = 0;
  for (let r = 0; r < y.length; r++) {
    if (Number.isNaN(analysed[r])) continue;
    sum += y[r];
    count++;
  }
  const start = new Float64Array(design.p);
  start[0] = getLink(settings.link).linkfun(sum / count);
  return start;
}

/** The complete-case design, for modifier values missing exactly where the data's are. */
export function completeCaseDesign(data: ModifierData, m: Float64Array): OutcomeDesign {
  for (let r = 0; r < data.n; r++) {
    if (Number.isNaN(m[r]) !== Number.isNaN(data.modifier[r])) {
      throw new Error(`outcome GEE: row ${r + 1} is left out but its modifier is observed (only the complete cases may be left out)`);
    }
  }
  const design = data.outcomeModel.completeCase;
  if (design === null) throw new ComputeError(`outcome GEE on the complete cases: ${data.outcomeModel.completeCaseError}`);
  return design;
}
