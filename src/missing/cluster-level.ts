/**
 * The imputation model of a cluster-level modifier is a model for clusters:
 * one row per cluster, holding the modifier's cluster value, cluster-level
 * covariates as they are and individual-level ones as their cluster means
 * over the analysed rows (numeric columns averaged first, then the formula
 * applied, as `aggregate()` followed by `model.matrix()` does in R).
 *
 * What each method becomes there: SI and MI fit a logistic (binary) or
 * linear (continuous) regression to the clusters with the modifier observed.
 * With one value per cluster a cluster random intercept is not identified
 * (for a continuous modifier it is confounded with the residual, for a
 * binary one it has no within-cluster information at all), so MMI is the
 * same regression with parameters fixed, as MI, and B-MMI is its Bayesian
 * version: the Gibbs sampler without the random intercept, which draws the
 * regression parameters (and σ) instead of fixing them.
 */
import { InputError } from "../core/errors.ts";
import { cellKey, dataset, getColumn, type Column, type Dataset } from "../data/dataset.ts";

/**
 * The cluster-level data set: `columns` (cluster means of numeric columns,
 * text columns that are constant within clusters) and the modifier's
 * cluster values under `modifier`.
 */
export function clusterLevelDataset(
  data: Dataset,
  columns: readonly string[],
  modifier: string,
  values: Float64Array,
  grouping: { readonly rows: Int32Array; readonly starts: Int32Array; readonly ids: readonly string[]; readonly column: string },
): Dataset {
  const { rows, starts, ids } = grouping;
  const C = ids.length;
  const out: Column[] = [{ name: modifier, kind: "numeric", values }];
  for (const name of columns) {
    if (name === modifier) continue;
    const col = getColumn(data, name);
    if (col.kind === "numeric") {
      const means = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let r = starts[c]; r < starts[c + 1]; r++) s += col.values[rows[r]];
        means[c] = s / (starts[c + 1] - starts[c]);
      }
      out.push({ name, kind: "numeric", values: means });
      continue;
    }
    const cells: (string | null)[] = [];
    for (let c = 0; c < C; c++) {
      const first = cellKey(col, rows[starts[c]]);
      for (let r = starts[c] + 1; r < starts[c + 1]; r++) {
        const v = cellKey(col, rows[r]);
        if (v !== first) {
          throw new InputError(
            `imputation covariate '${name}' is text and varies within cluster '${ids[c]}' of column '${grouping.column}' ('${first}' at row ${rows[starts[c]] + 1}, '${v}' at row ${rows[r] + 1}): ` +
              `the cluster-level imputation model of a cluster-level modifier averages covariates per cluster, which needs numeric columns (code it 0/1)`,
          );
        }
      }
      cells.push(first);
    }
    out.push({ name, kind: "text", values: cells });
  }
  return dataset(out);
}
