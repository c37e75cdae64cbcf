/**
 * Validation and preparation of a trial with a partly missing binary effect
 * modifier: rows grouped by cluster, treatment checked to be cluster-level and
 * 0/1, modifier checked to be 0/1 where observed, missingness counted per
 * cluster, and the design matrix of each imputation model built for every row.
 *
 * Policy for other missing values: a row with a missing cluster is refused; a
 * row with a missing treatment, outcome or imputation-model covariate is
 * dropped (it cannot enter the outcome model or be imputed), counted per
 * variable and reported in `diagnostics`. All methods analyse the same rows.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { clusterIndexOf } from "../data/clusters.ts";
import { getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { designMatrix, parseFormula } from "../formula/index.ts";

export interface ModifierColumns {
  readonly cluster: string;
  readonly treatment: string;
  readonly modifier: string;
  readonly outcome: string;
}

export interface ClusterMissingness {
  readonly cluster: string;
  readonly n: number;
  readonly nMissing: number;
}

/** An imputation model's design for every analysed row (cluster order). */
export interface ImputationDesign {
  readonly formula: string;
  readonly columnNames: readonly string[];
  /** n × p row-major. */
  readonly W: Float64Array;
  readonly p: number;
}

export interface ModifierData {
  readonly columns: ModifierColumns;
  readonly n: number;
  readonly clusterIds: readonly string[];
  /** Cluster c owns rows starts[c] .. starts[c+1]-1. */
  readonly starts: Int32Array;
  /** Dataset row (0-based) of each analysed row. */
  readonly rows: Int32Array;
  readonly treatment: Float64Array;
  /** 0/1, NaN where missing. */
  readonly modifier: Float64Array;
  readonly outcome: Float64Array;
  readonly nMissing: number;
  readonly missingByCluster: readonly ClusterMissingness[];
  /** Clusters (indices) with no observed modifier value. */
  readonly clustersWithoutModifier: readonly number[];
  readonly designs: readonly ImputationDesign[];
  readonly nDropped: number;
  readonly diagnostics: readonly Diagnostic[];
}

function formulaVariables(formula: string, modifier: string): string[] {
  const parsed = parseFormula(formula);
  if (parsed.response === null || parsed.response.name !== modifier) {
    throw new InputError(
      `imputation model '${formula}' must have the modifier '${modifier}' as its response, e.g. '${modifier} ~ X1*A*Y'`,
    );
  }
  if (parsed.randomTerms.length > 0) {
    throw new InputError(
      `imputation model '${formula}': leave out '(1 | ...)'; the multilevel methods add the cluster random intercept themselves`,
    );
  }
  return [...new Set(parsed.variables.flatMap((v) => v.columns))];
}

/**
 * Validates the data and builds what every method needs.
 *
 * @example
 * const prepared = prepareModifierData(data, { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" }, ["M ~ X1*A*Y"]);
 */
export function prepareModifierData(
  data: Dataset,
  columns: ModifierColumns,
  imputationFormulas: readonly string[],
): ModifierData {
  const { cluster, treatment, modifier, outcome } = columns;
  const diagnostics: Diagnostic[] = [];
  const a = numericColumn(data, treatment);
  const m = numericColumn(data, modifier);
  const y = numericColumn(data, outcome);
  const clusterCol = getColumn(data, cluster);
  const covariates = [...new Set(imputationFormulas.flatMap((f) => formulaVariables(f, modifier)))].filter(
    (v) => v !== modifier,
  );
  const covariateValues = covariates.map((name) => [name, numericColumnOrText(data, name)] as const);

  // Drop rows that cannot be analysed, counting the reason per variable.
  const dropCounts = new Map<string, number>();
  const keep: number[] = [];
  for (let i = 0; i < data.nRows; i++) {
    const reasons: string[] = [];
    if (Number.isNaN(a[i])) reasons.push(treatment);
    if (Number.isNaN(y[i])) reasons.push(outcome);
    for (const [name, missing] of covariateValues) if (missing(i)) reasons.push(name);
    for (const r of reasons) dropCounts.set(r, (dropCounts.get(r) ?? 0) + 1);
    if (reasons.length === 0) keep.push(i);
    const mi = m[i];
    if (!Number.isNaN(mi) && mi !== 0 && mi !== 1) {
      throw new InputError(`modifier '${modifier}' must be 0 or 1; row ${i + 1} has ${mi}`);
    }
    const ai = a[i];
    if (!Number.isNaN(ai) && ai !== 0 && ai !== 1) {
      throw new InputError(`treatment '${treatment}' must be 0 or 1; row ${i + 1} has ${ai}`);
    }
  }
  const nDropped = data.nRows - keep.length;
  if (nDropped > 0) {
    const detail = [...dropCounts].map(([k, v]) => `${k} (${v})`).join(", ");
    diagnostics.push(
      warning("dropped-rows", `dropped ${nDropped} of ${data.nRows} rows with a missing value in ${detail}`),
    );
  }
  if (keep.length === 0) throw new InputError("no rows left to analyse after dropping rows with missing values");

  const index = clusterIndexOf(clusterCol, keep, cluster);
  const C = index.ids.length;
  const rows = Int32Array.from(index.order, (k) => keep[k]);
  const n = rows.length;
  const treatmentOut = new Float64Array(n);
  const modifierOut = new Float64Array(n);
  const outcomeOut = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    treatmentOut[r] = a[rows[r]];
    modifierOut[r] = m[rows[r]];
    outcomeOut[r] = y[rows[r]];
  }

  // Treatment must be constant within each cluster; each arm needs 2 clusters.
  const arms = [0, 0];
  for (let c = 0; c < C; c++) {
    const first = index.starts[c];
    for (let r = first + 1; r < index.starts[c + 1]; r++) {
      if (treatmentOut[r] !== treatmentOut[first]) {
        throw new InputError(
          `treatment '${treatment}' varies within cluster '${index.ids[c]}': row ${rows[first] + 1} has ${treatmentOut[first]}, row ${rows[r] + 1} has ${treatmentOut[r]}`,
        );
      }
    }
    arms[treatmentOut[first]]++;
  }
  if (arms[0] < 2 || arms[1] < 2) {
    throw new InputError(
      `each arm needs at least 2 clusters; '${treatment}' = 1 has ${arms[1]} and '${treatment}' = 0 has ${arms[0]}`,
    );
  }

  let nMissing = 0;
  const missingByCluster: ClusterMissingness[] = [];
  const clustersWithoutModifier: number[] = [];
  for (let c = 0; c < C; c++) {
    let miss = 0;
    for (let r = index.starts[c]; r < index.starts[c + 1]; r++) if (Number.isNaN(modifierOut[r])) miss++;
    const size = index.starts[c + 1] - index.starts[c];
    nMissing += miss;
    missingByCluster.push({ cluster: index.ids[c], n: size, nMissing: miss });
    if (miss === size) clustersWithoutModifier.push(c);
  }
  if (nMissing === 0) {
    diagnostics.push(info("no-missing-modifier", `modifier '${modifier}' is observed in every row: all methods reduce to the complete-data analysis`));
  }
  for (const c of clustersWithoutModifier) {
    const size = missingByCluster[c].n;
    diagnostics.push(
      warning(
        "cluster-without-modifier",
        `cluster '${index.ids[c]}' has 0 of ${size} modifier values observed: complete-case analysis drops it, and the multilevel imputations use the population random intercept for it`,
      ),
    );
  }
  if (nMissing === n) {
    throw new InputError(`modifier '${modifier}' is missing in every analysed row: nothing to impute from`);
  }

  const designs = imputationFormulas.map((formula): ImputationDesign => {
    const { X, spec } = designMatrix(data, parseFormula(formula), rows);
    return { formula, columnNames: spec.columnNames, W: X.data, p: X.cols };
  });

  return {
    columns,
    n,
    clusterIds: index.ids,
    starts: index.starts,
    rows,
    treatment: treatmentOut,
    modifier: modifierOut,
    outcome: outcomeOut,
    nMissing,
    missingByCluster,
    clustersWithoutModifier,
    designs,
    nDropped,
    diagnostics,
  };
}

/** A missingness test for a column that may be numeric or text (factor covariates). */
function numericColumnOrText(data: Dataset, name: string): (i: number) => boolean {
  const col = getColumn(data, name);
  // As cellKey(col, i) === null, without a string per row.
  return col.kind === "numeric" ? (i) => Number.isNaN(col.values[i]) : (i) => col.values[i] === null;
}
