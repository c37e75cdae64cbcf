/**
 * `modelFrame()`: formula + data → ModelFrame (response, design matrix with
 * R's names, rows used, clusters). Composed of exported stages:
 * parseFormula → (drop rows with missing values, order rows by cluster) →
 * resolveDesign → modelMatrixFor.
 */
import { InputError } from "../core/errors.ts";
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { clusterIndex } from "../data/clusters.ts";
import { cellKey, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { resolveDesign, modelMatrixFor, type DesignSpec } from "./design.ts";
import { evaluateExpr, requireFinite } from "./evaluate.ts";
import { checkMagnitudes } from "./magnitude.ts";
import { parseFormula, type ParsedFormula } from "./terms.ts";
import type { ModelFrame } from "./types.ts";

export interface ModelFrameOptions {
  /** Cluster column: rows are reordered so each cluster's rows are contiguous. */
  readonly cluster?: string;
  /** Column of prior weights (non-negative). */
  readonly weights?: string;
  /**
   * Numeric time column carried as `frame.time` (rows are not reordered and
   * a missing time does not drop the row: the model that orders by time
   * checks the values and names the row).
   */
  readonly time?: string;
  /** More columns whose missing values drop rows (e.g. the treatment column of a standardization). */
  readonly extraVariables?: readonly string[];
  /** See DesignOptions.dropUnusedLevels (default true). */
  readonly dropUnusedLevels?: boolean;
}

/** A ModelFrame with what is needed to rebuild the design for other rows or data. */
export interface FormulaModelFrame extends ModelFrame {
  readonly parsed: ParsedFormula;
  /** Pass to modelMatrixFor() to build X for new rows, e.g. with A set to 1. */
  readonly design: DesignSpec;
  /** Names inside `cluster(...)` (not in X); see ParsedFormula.clusterVariables. */
  readonly clusterVariables: readonly string[];
}

function pushUnique(list: string[], names: readonly string[]): void {
  for (const n of names) if (!list.includes(n)) list.push(n);
}

/**
 * Builds the model frame of `formula` on `data`. Rows with a missing value in
 * any variable used (response, terms, also removed terms as in R, cluster,
 * weights, random-effect groups, `cluster(...)` variables that are columns,
 * extraVariables) are dropped and reported. With a cluster column (or a
 * `(1 | g)` term, whose group becomes the cluster), rows are ordered cluster
 * by cluster, clusters in order of first appearance, stable within a cluster.
 * Names inside `cluster(...)` that are not columns of `data` (such as a
 * cluster size N the caller computes) are not checked here. A response or
 * design value too large to square (see checkMagnitudes) is an InputError.
 *
 * @example
 * const frame = modelFrame(data, "Y ~ A*M + X1", { cluster: "cluster" });
 * frame.columnNames; // ["(Intercept)", "A", "M", "X1", "A:M"]
 */
export function modelFrame(data: Dataset, formula: string, options: ModelFrameOptions = {}): FormulaModelFrame {
  const parsed = parseFormula(formula);
  if (parsed.response === null) {
    throw new InputError(`formula '${formula}' has no response; write it as 'Y ~ ${formula.trim().replace(/^~\s*/, "")}'`);
  }
  const response = parsed.response;

  const groups = [...new Set(parsed.randomTerms.map((r) => r.group))];
  if (groups.length > 1) {
    throw new InputError(
      `formula '${formula}': random intercepts for more than one grouping factor (${groups.join(", ")}) are not supported`,
    );
  }
  if (options.cluster !== undefined && groups.length === 1 && groups[0] !== options.cluster) {
    throw new InputError(
      `the cluster column '${options.cluster}' differs from the random-effect group '${groups[0]}' of formula '${formula}'`,
    );
  }
  const clusterColumn = options.cluster ?? groups[0];

  // Every column the model reads, in order of use (all must exist).
  const used: string[] = [];
  pushUnique(used, response.columns);
  for (const v of parsed.variables) pushUnique(used, v.columns);
  if (clusterColumn !== undefined) pushUnique(used, [clusterColumn]);
  if (options.weights !== undefined) pushUnique(used, [options.weights]);
  pushUnique(used, options.extraVariables ?? []);
  pushUnique(
    used,
    parsed.clusterVariables.filter((c) => data.columns.has(c)),
  );

  const missing = new Uint8Array(data.nRows);
  const counts: [string, number][] = [];
  for (const name of used) {
    const col = getColumn(data, name);
    let count = 0;
    if (col.kind === "numeric") {
      const v = col.values;
      for (let i = 0; i < v.length; i++) {
        if (Number.isNaN(v[i])) {
          missing[i] = 1;
          count++;
        }
      }
    } else {
      const v = col.values;
      for (let i = 0; i < v.length; i++) {
        if (v[i] === null) {
          missing[i] = 1;
          count++;
        }
      }
    }
    if (count > 0) counts.push([name, count]);
  }
  let nDropped = 0;
  for (let i = 0; i < missing.length; i++) nDropped += missing[i];
  const kept = new Int32Array(data.nRows - nDropped);
  const droppedRows = new Int32Array(nDropped);
  for (let i = 0, k = 0, d = 0; i < data.nRows; i++) {
    if (missing[i]) droppedRows[d++] = i;
    else kept[k++] = i;
  }
  const missingText = counts.map(([name, c]) => `${name} (${c})`).join(", ");
  if (kept.length === 0) {
    throw new InputError(
      `formula '${formula}': no rows left: all ${data.nRows} rows have a missing value in ${missingText}`,
    );
  }
  const diagnostics: Diagnostic[] = [];
  if (nDropped > 0) {
    diagnostics.push(
      info("dropped-rows", `dropped ${nDropped} of ${data.nRows} rows with a missing value in ${missingText}`),
    );
  }

  let rows = kept;
  let clusters: ModelFrame["clusters"];
  if (clusterColumn !== undefined) {
    const col = getColumn(data, clusterColumn);
    const keys = Array.from(kept, (i) => cellKey(col, i));
    const index = clusterIndex(keys, clusterColumn);
    rows = new Int32Array(kept.length);
    for (let k = 0; k < kept.length; k++) rows[k] = kept[index.order[k]];
    clusters = Object.freeze({ column: clusterColumn, ids: Object.freeze([...index.ids]), starts: index.starts });
  }

  const ctx = clusterColumn === undefined ? {} : { cluster: clusterColumn };
  const y = evaluateExpr(response.expr, data, rows, undefined, ctx);
  requireFinite(y, response.name, response.columns, data, rows);

  let weights: Float64Array | undefined;
  if (options.weights !== undefined) {
    const name = options.weights;
    weights = evaluateExpr({ kind: "name", name, pos: 0 }, data, rows);
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(w >= 0) || w === Infinity) {
        throw new InputError(`weights column '${name}' has invalid value ${w} at data row ${rows[i] + 1}; weights must be finite and non-negative`);
      }
    }
  }

  let time: ModelFrame["time"];
  if (options.time !== undefined) {
    const values = numericColumn(data, options.time);
    time = Object.freeze({ column: options.time, values: Float64Array.from(rows, (r) => values[r]) });
  }

  const design = resolveDesign(data, parsed, rows, { dropUnusedLevels: options.dropUnusedLevels, cluster: clusterColumn });
  diagnostics.push(...design.diagnostics);
  const X = modelMatrixFor(design.spec, data, rows);
  checkMagnitudes({ y, X, response: response.name, columnNames: design.spec.columnNames, rows });

  return Object.freeze({
    formula,
    response: response.name,
    y,
    X,
    columnNames: design.spec.columnNames,
    rows,
    droppedRows,
    nDropped,
    ...(clusters ? { clusters } : {}),
    randomTerms: parsed.randomTerms,
    ...(weights ? { weights } : {}),
    ...(time ? { time } : {}),
    diagnostics: Object.freeze(diagnostics),
    parsed,
    design: design.spec,
    clusterVariables: parsed.clusterVariables,
  });
}
