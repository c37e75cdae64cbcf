/**
 * The data of a missingness diagnosis: the options checked against the
 * columns, the missingness indicator R (1 = missing) added as a column, and
 * the analysis rows, those with a cluster (and, when given, a treatment):
 * grouped by cluster in order of first appearance, with each cluster's arm.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { cellKey, dataset, getColumn, numericColumn, type Column, type Dataset } from "../data/dataset.ts";
import { clusterConstant } from "../data/validate.ts";
import { deparseName } from "../formula/ast.ts";
import { modelFrame, parseFormula, type FormulaModelFrame } from "../formula/index.ts";

export interface MissingnessColumns {
  /** The cluster identifier column. */
  readonly cluster: string;
  /** The partly missing variable. */
  readonly variable: string;
  /** The cluster-level treatment (arm) column; numeric, constant within clusters. */
  readonly treatment?: string;
}

export interface MissingnessData {
  readonly columns: MissingnessColumns;
  /** The data with the indicator column added. */
  readonly data: Dataset;
  /** Name of the indicator column: "R" unless the data have one. */
  readonly indicator: string;
  /** Covariate terms as given (formula syntax), checked against the data. */
  readonly covariates: readonly string[];
  /** `R ~ 1 + (1 | C)` on the analysis rows: y is R, rows grouped by cluster. */
  readonly frame: FormulaModelFrame;
  /** The arm of each cluster (frame cluster order); null without a treatment. */
  readonly arms: Float64Array | null;
  readonly nRows: number;
  readonly nObs: number;
  readonly nMissing: number;
  /** Rows left out for a missing cluster or treatment. */
  readonly nDropped: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether cell i of a column is missing. */
export function isMissing(col: Column, i: number): boolean {
  return cellKey(col, i) === null;
}

/** A name for the indicator column that the data do not use: R, R_M, R_M_2, … */
function indicatorName(data: Dataset, variable: string): string {
  if (!data.columns.has("R")) return "R";
  let name = `R_${variable}`;
  for (let k = 2; data.columns.has(name); k++) name = `R_${variable}_${k}`;
  return name;
}

/** Splits a comma-separated covariate list at commas outside parentheses. */
export function splitCovariates(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if ((c === "," && depth === 0) || i === text.length) {
      const part = text.slice(start, i).trim();
      if (part === "") throw new InputError(`the covariate list '${text}' has an empty entry; separate covariates by single commas`);
      parts.push(part);
      start = i + 1;
    }
  }
  return parts;
}

/** Checks that each covariate reads existing columns and not the variable itself. */
function checkCovariates(data: Dataset, covariates: readonly string[], variable: string, indicator: string): void {
  for (const term of covariates) {
    for (const v of parseFormula(`${deparseName(indicator)} ~ ${term}`).variables) {
      for (const name of v.columns) {
        getColumn(data, name);
        if (name === variable) {
          throw new InputError(`covariate '${term}' uses the variable '${variable}' itself; a row where it is missing cannot enter its own missingness model`);
        }
      }
    }
  }
}

/**
 * Prepares the diagnosis of `columns.variable`. Throws an InputError for an
 * unknown column, a text or within-cluster varying treatment, or a variable
 * missing in every analysis row.
 *
 * @example
 * const prepared = missingnessData(data, { cluster: "cluster", variable: "M", treatment: "A" }, ["X1", "factor(region)"]);
 * prepared.frame.clusters.ids; prepared.nMissing;
 */
export function missingnessData(data: Dataset, columns: MissingnessColumns, covariates: readonly string[] = []): MissingnessData {
  const { cluster, variable, treatment } = columns;
  const target = getColumn(data, variable);
  const clusterColumn = getColumn(data, cluster);
  const treatmentValues = treatment === undefined ? null : numericColumn(data, treatment);
  const indicator = indicatorName(data, variable);
  checkCovariates(data, covariates, variable, indicator);

  const r = new Float64Array(data.nRows);
  for (let i = 0; i < data.nRows; i++) r[i] = isMissing(target, i) ? 1 : 0;
  const augmented = dataset([...data.columns.values(), { name: indicator, kind: "numeric", values: r }]);

  const diagnostics: Diagnostic[] = [];
  let noCluster = 0;
  let noTreatment = 0;
  for (let i = 0; i < data.nRows; i++) {
    if (isMissing(clusterColumn, i)) noCluster++;
    else if (treatmentValues !== null && Number.isNaN(treatmentValues[i])) noTreatment++;
  }
  const nDropped = noCluster + noTreatment;
  if (nDropped === data.nRows) {
    throw new InputError(`no rows left: all ${data.nRows} rows have a missing cluster ('${cluster}')${treatment === undefined ? "" : ` or treatment ('${treatment}')`}`);
  }
  if (noCluster > 0) diagnostics.push(info("dropped-rows", `${noCluster} of ${data.nRows} rows have no cluster ('${cluster}' missing) and are left out of every count and model`));
  if (noTreatment > 0) diagnostics.push(info("dropped-rows", `${noTreatment} of ${data.nRows} rows have no treatment ('${treatment}' missing) and are left out of every count and model`));

  const frame = modelFrame(augmented, `${deparseName(indicator)} ~ 1 + (1 | ${deparseName(cluster)})`, {
    extraVariables: treatment === undefined ? [] : [treatment],
  });
  const clusters = frame.clusters!;
  const arms = treatmentValues === null ? null : clusterConstant(treatmentValues, { ...clusters, rows: frame.rows }, `treatment '${treatment}'`);
  let nMissing = 0;
  for (const v of frame.y) nMissing += v;
  const nObs = frame.y.length;
  if (nMissing === nObs) {
    throw new InputError(`variable '${variable}' is missing in all ${nObs} rows: there is no observed value to compare with`);
  }
  return Object.freeze({
    columns,
    data: augmented,
    indicator,
    covariates: Object.freeze([...covariates]),
    frame,
    arms,
    nRows: data.nRows,
    nObs,
    nMissing,
    nDropped,
    diagnostics: Object.freeze(diagnostics),
  });
}
