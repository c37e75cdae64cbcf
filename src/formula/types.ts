import type { Diagnostic } from "../core/diagnostics.ts";
import type { Matrix } from "../linalg/matrix.ts";

/** A random-effects term `(1 | g)`: for now random intercepts only. */
export interface RandomTerm {
  /** R-style name of the random term, "(Intercept)". */
  readonly term: string;
  /** Grouping column. */
  readonly group: string;
}

/** A time column read for the frame rows (frame order; NaN where missing). */
export interface TimeIndex {
  readonly column: string;
  readonly values: Float64Array;
}

/**
 * Everything a fit needs, in numbers: the response, the fixed-effects design
 * matrix with R's column names and order, and (when the model is clustered)
 * the clusters. Rows are those with no missing value in any variable used;
 * when `clusters` is present the rows are reordered so each cluster's rows are
 * contiguous: cluster c owns rows clusters.starts[c] .. clusters.starts[c+1]-1,
 * clusters numbered in order of first appearance in the data.
 */
export interface ModelFrame {
  /** The formula as given. */
  readonly formula: string;
  /** Name of the response variable (left-hand side as written). */
  readonly response: string;
  readonly y: Float64Array;
  /** n × p fixed-effects design matrix. */
  readonly X: Matrix;
  /** Column names as R's model.matrix names them: "(Intercept)", "A", "A:M", "factor(site)2". */
  readonly columnNames: readonly string[];
  /** For each frame row, its 0-based row index in the dataset. */
  readonly rows: Int32Array;
  /** Dataset rows (0-based) dropped for a missing value in a variable the model uses. */
  readonly droppedRows: Int32Array;
  readonly nDropped: number;
  /** Cluster structure of the frame rows, when a cluster column was given or the formula has `(1 | g)`. */
  readonly clusters?: {
    readonly column: string;
    readonly ids: readonly string[];
    /** Length C + 1. */
    readonly starts: Int32Array;
  };
  /** Random-effects terms found in the formula. */
  readonly randomTerms: readonly RandomTerm[];
  /** Optional per-row prior weights (frame row order). */
  readonly weights?: Float64Array;
  /** Time of each row, when a time column was given: orders each cluster's rows for an AR(1) working correlation. */
  readonly time?: TimeIndex;
  readonly diagnostics: readonly Diagnostic[];
}
