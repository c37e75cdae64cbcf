/**
 * Validation and preparation of a trial with a partly missing effect
 * modifier: rows grouped by cluster, treatment checked to be cluster-level and
 * 0/1, the modifier's type (binary, continuous or categorical:
 * categorical/levels.ts) and level (individual or
 * cluster; modifier.ts) decided, missingness counted per cluster, and the
 * design matrix of each imputation model built for every imputation unit: a
 * row, or a cluster for a cluster-level modifier (cluster-level.ts).
 *
 * Policy for other missing values: a row with a missing cluster is refused; a
 * row with a missing treatment, outcome, imputation-model covariate,
 * outcome-model or substantive-model (smc) covariate is dropped (only the modifier is imputed, so such a
 * row can neither be imputed nor enter the outcome model); `diagnostics`
 * count the dropped rows, how many miss each column, and name the clusters
 * left with no rows. All methods analyse the same rows. The exception is a
 * covariate with an smc covariate model (smc/covariate-models.ts): its rows
 * are kept, smc imputes it, and no other method may use it.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { clusterIndexOf } from "../data/clusters.ts";
import { cellKey, getColumn, numericColumn, type Column, type Dataset } from "../data/dataset.ts";
import { clusterTreatment } from "../data/validate.ts";
import { designMatrix, parseFormula } from "../formula/index.ts";
import { checkOutcomeValues, outcomeSpec, parseOutcomeFormula, prepareOutcomeModel, type OutcomeModel, type OutcomeOptions } from "./outcome-model.ts";
import { clusterLevelDataset } from "./cluster-level.ts";
import { categoricalModifier, checkLevelsObserved, isCategorical, type CategoricalModifier } from "./categorical/levels.ts";
import { checkModifierVaries, clusterValues, modifierLevel, modifierType, type ModifierLevel, type ModifierType } from "./modifier.ts";
import { activeCovariateModels, checkCovariateModelsUsed, covariateModels, placeholderDataset, type SmcCovariates } from "./smc/covariate-models.ts";
import { categoricalSubstantiveDesign } from "./smc/categorical-design.ts";
import { substantiveCovariates, substantiveDesign, type SubstantiveDesign, type SubstantiveSpec } from "./smc/substantive.ts";

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

/** An imputation model's design for every imputation unit (rows in cluster order, or clusters). */
export interface ImputationDesign {
  readonly formula: string;
  readonly columnNames: readonly string[];
  /** units.n × p row-major. */
  readonly W: Float64Array;
  readonly p: number;
}

/**
 * What the imputation models see: the analysed rows for an individual-level
 * modifier, the clusters for a cluster-level one.
 */
export interface ImputationUnits {
  readonly n: number;
  /** Observed value of each unit, NaN where missing (the modifier itself at the individual level). */
  readonly observed: Float64Array;
  /** The unit of each analysed row. */
  readonly ofRow: Int32Array;
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
  /** NaN where missing; 0/1 for a binary modifier. A cluster-level modifier's partly observed clusters are filled in. */
  readonly modifier: Float64Array;
  readonly modifierType: ModifierType;
  /** A categorical modifier's levels in R's order (the first is the reference); `modifier` holds level codes 0..k−1. */
  readonly levels?: readonly string[];
  readonly level: ModifierLevel;
  readonly units: ImputationUnits;
  readonly outcome: Float64Array;
  readonly nMissing: number;
  readonly missingByCluster: readonly ClusterMissingness[];
  /** Clusters (indices) with no observed modifier value. */
  readonly clustersWithoutModifier: readonly number[];
  readonly designs: readonly ImputationDesign[];
  /** The outcome GEE's mean model and inference settings. */
  readonly outcomeModel: OutcomeModel;
  /** The substantive model's designs (for smc), when one was given. */
  readonly substantive?: SubstantiveDesign;
  /**
   * smc's covariate models of partly missing covariates (those with a value
   * missing in an analysed row), with the dataset they read; absent when none.
   * `designs` and `substantive` are built with each such covariate at a
   * placeholder (its first observed value) where it is missing: the smc chain
   * rebuilds those rows as it imputes.
   */
  readonly smcCovariates?: SmcCovariates;
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


/** The outcome model (see outcome-model.ts) and the modifier's type. */
export interface PrepareOptions extends OutcomeOptions {
  /** Default: binary when every observed value is 0 or 1, else continuous. */
  readonly modifierType?: ModifierType;
  /** The substantive model of smc, when smc runs. */
  readonly substantive?: SubstantiveSpec;
  /** smc's covariate models (formulas whose response is another column than the modifier). */
  readonly covariateModels?: readonly string[];
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
  options: PrepareOptions = {},
): ModifierData {
  const { cluster, treatment, modifier, outcome } = columns;
  const diagnostics: Diagnostic[] = [];
  const a = numericColumn(data, treatment);
  const outcomeModelSpec = outcomeSpec(columns, options);
  const categorical = categoricalChoice(data, modifier, options, outcomeModelSpec.modifierFactor);
  const m = categorical !== null ? categorical.codes : numericColumn(data, modifier);
  const y = numericColumn(data, outcome);
  const clusterCol = getColumn(data, cluster);
  const smcModels = covariateModels(options.covariateModels ?? [], columns);
  const imputedByModel = new Set(smcModels.map((m) => m.response));
  const covariates = [
    ...new Set([
      ...imputationFormulas.flatMap((f) => formulaVariables(f, modifier)),
      ...(options.substantive ? substantiveCovariates(options.substantive, columns) : []),
      ...smcModels.flatMap((m) => [m.response, ...m.predictors]),
    ]),
  ].filter((v) => v !== modifier);
  checkCovariateModelsUsed(smcModels, imputationFormulas, options.substantive);

  for (let i = 0; i < data.nRows; i++) {
    if (cellKey(clusterCol, i) === null) throw new InputError(`column '${cluster}' row ${i + 1} is missing: every row needs a cluster`);
  }
  checkOutcomeValues(data, outcomeModelSpec, outcome);
  const type = categorical !== null ? { type: "categorical" as const, diagnostics: categorical.diagnostics } : modifierType(m, modifier, options.modifierType);
  diagnostics.push(...type.diagnostics);
  for (const c of outcomeModelSpec.covariates) {
    if (imputedByModel.has(c)) {
      throw new InputError(
        `the outcome model uses '${c}', which smc's covariate model '${smcModels.find((m) => m.response === c)!.formula}' imputes: the outcome GEE analyses the completed modifier only; leave '${c}' out of --outcome-model`,
      );
    }
  }
  // A covariate with an smc covariate model is imputed, not a reason to drop its rows.
  const needed = [...new Set([treatment, outcome, ...covariates, ...outcomeModelSpec.covariates])]
    .filter((name) => !imputedByModel.has(name))
    .map((name) => [name, missingTest(data, name)] as const);
  const { keep, dropped } = completeRows(data.nRows, needed);
  const nDropped = data.nRows - keep.length;
  if (nDropped > 0) diagnostics.push(droppedRowsDiagnostic(nDropped, data.nRows, dropped));
  if (options.substantive) diagnostics.push(...unmodelledCovariates(covariates, new Set([treatment, outcome]), dropped));
  diagnostics.push(...outcomeCovariatesDropped(outcomeModelSpec.covariates, new Set([treatment, ...covariates]), dropped));
  if (keep.length === 0) throw new InputError("no rows left to analyse after dropping rows with missing values");

  const index = clusterIndexOf(clusterCol, keep, cluster);
  diagnostics.push(...emptiedClusters(data, clusterCol, new Set(index.ids)));
  const C = index.ids.length;
  const rows = Int32Array.from(index.order, (k) => keep[k]);
  const n = rows.length;
  clusterTreatment(a, { column: cluster, ids: index.ids, starts: index.starts, rows }, treatment);
  const treatmentOut = new Float64Array(n);
  let modifierOut: Float64Array = new Float64Array(n);
  const outcomeOut = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    treatmentOut[r] = a[rows[r]];
    modifierOut[r] = m[rows[r]];
    outcomeOut[r] = y[rows[r]];
  }
  if (categorical !== null) {
    checkLevelsObserved(modifierOut, categorical.levels, modifier, (l) => m.reduce((k, v) => (v === l ? k + 1 : k), 0));
  }
  checkModifierVaries(modifierOut, modifier);
  const level = modifierLevel(modifierOut, index.starts);
  let units: ImputationUnits;
  if (level === "cluster") {
    const byCluster = clusterValues(modifierOut, index.starts);
    modifierOut = byCluster.filledRows;
    const ofRow = new Int32Array(n);
    for (let c = 0; c < C; c++) ofRow.fill(c, index.starts[c], index.starts[c + 1]);
    units = { n: C, observed: byCluster.values, ofRow };
    diagnostics.push(clusterLevelDiagnostic(modifier, byCluster));
  } else {
    units = { n, observed: modifierOut, ofRow: Int32Array.from({ length: n }, (_, r) => r) };
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
  for (const c of level === "individual" ? clustersWithoutModifier : []) {
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

  const covariateImputation = activeCovariateModels(data, smcModels, rows, diagnostics);
  // Designs see each imputed covariate at a placeholder where it is missing (the smc chain rebuilds those rows).
  const designData = covariateImputation ? placeholderDataset(data, covariateImputation.models, rows) : data;
  // A cluster-level modifier's models are fitted to one row per cluster.
  const unitData =
    level === "cluster"
      ? clusterLevelDataset(data, covariates, modifier, units.observed, { rows, starts: index.starts, ids: index.ids, column: cluster })
      : designData;
  const unitRows = level === "cluster" ? Int32Array.from({ length: C }, (_, c) => c) : rows;
  const designs = imputationFormulas.map((formula): ImputationDesign => {
    // cmean()/cwc() group by the trial's clusters (a cluster-level model has one row per cluster already).
    const { X, spec } = designMatrix(unitData, parseFormula(formula), unitRows, level === "cluster" ? {} : { cluster });
    return { formula, columnNames: spec.columnNames, W: X.data, p: X.cols };
  });

  const outcomeModel = prepareOutcomeModel(data, outcomeModelSpec, columns, rows, modifierOut, C, categorical ?? undefined);
  diagnostics.push(...outcomeModel.diagnostics);

  return {
    columns: { cluster, treatment, modifier, outcome },
    n,
    clusterIds: index.ids,
    starts: index.starts,
    rows,
    treatment: treatmentOut,
    modifier: modifierOut,
    modifierType: type.type,
    ...(categorical !== null ? { levels: categorical.levels } : {}),
    level,
    units,
    outcome: outcomeOut,
    nMissing,
    missingByCluster,
    clustersWithoutModifier,
    designs,
    outcomeModel,
    ...(options.substantive
      ? {
          substantive:
            categorical !== null
              ? categoricalSubstantiveDesign(designData, options.substantive, columns, rows, categorical)
              : substantiveDesign(designData, options.substantive, columns, rows, type.type === "continuous" ? "continuous" : "binary"),
        }
      : {}),
    ...(covariateImputation ? { smcCovariates: covariateImputation } : {}),
    nDropped,
    diagnostics,
  };
}

/** The categorical modifier, when it is one (asked for, a text column, or `factor(M)` in the outcome model); null otherwise. */
function categoricalChoice(data: Dataset, modifier: string, options: PrepareOptions, modifierFactor: string | null): CategoricalModifier | null {
  const requested = options.modifierType;
  if (modifierFactor !== null && requested !== undefined && requested !== "categorical") {
    throw new InputError(`the outcome model writes '${modifierFactor}', a categorical modifier, but the modifier type is '${requested}'; use --modifier-type categorical or write '${modifier}'`);
  }
  // factor(M) in the substantive model makes a modifier with values other than 0/1 categorical (a 0/1 one stays binary: the same design).
  const substantiveFactor = options.substantive !== undefined && parseOutcomeFormula(options.substantive.formula, modifier).modifierFactor !== null && !zeroOne(data, modifier);
  if (!isCategorical(data, modifier, requested, modifierFactor !== null || substantiveFactor)) return null;
  return categoricalModifier(data, modifier);
}

/** Whether a numeric column holds 0 and 1 only (where present); false for a text column. */
function zeroOne(data: Dataset, name: string): boolean {
  const col = getColumn(data, name);
  return col.kind === "numeric" && col.values.every((v) => Number.isNaN(v) || v === 0 || v === 1);
}

/** With smc: the covariates whose missing values dropped rows, and how to impute them instead. */
function unmodelledCovariates(covariates: readonly string[], exclude: ReadonlySet<string>, byColumn: ReadonlyMap<string, number>): Diagnostic[] {
  const missing = covariates.filter((c) => !exclude.has(c) && (byColumn.get(c) ?? 0) > 0);
  return missing.map((c) =>
    info(
      "covariate-not-imputed",
      `'${c}' is missing in ${byColumn.get(c)} row${byColumn.get(c) === 1 ? "" : "s"}, which are dropped: it has no covariate model; ` +
        `for smc to impute it in the same chain, add one, e.g. --imputation "… ; ${c} ~ X1"`,
    ),
  );
}

function clusterLevelDiagnostic(modifier: string, byCluster: ReturnType<typeof clusterValues>): Diagnostic {
  const C = byCluster.values.length;
  let unobserved = 0;
  for (let c = 0; c < C; c++) if (Number.isNaN(byCluster.values[c])) unobserved++;
  const filled =
    byCluster.nFilled > 0
      ? `; ${byCluster.nFilled} missing row${byCluster.nFilled === 1 ? " in 1 partly observed cluster takes its" : `s in ${byCluster.filledClusters} partly observed cluster${byCluster.filledClusters === 1 ? "" : "s"} take their`} cluster's observed value`
      : "";
  return info(
    "cluster-level-modifier",
    `modifier '${modifier}' is constant within each of the ${C - unobserved} clusters where it is observed (${byCluster.repeatedClusters} of them with two or more observed values): it is imputed at the cluster level, ` +
      `one value for each of the ${unobserved} cluster${unobserved === 1 ? "" : "s"} without an observed value, from a model of the clusters ` +
      `(cluster-level covariates and cluster means of individual-level ones; no random intercept)${filled}`,
  );
}

/** A missingness test for a column that may be numeric or text (factor covariates). */
function missingTest(data: Dataset, name: string): (i: number) => boolean {
  const col = getColumn(data, name);
  // As cellKey(col, i) === null, without a string per row.
  return col.kind === "numeric" ? (i) => Number.isNaN(col.values[i]) : (i) => col.values[i] === null;
}

/** Rows with every needed column present, and how many rows miss each column. */
function completeRows(
  nRows: number,
  needed: readonly (readonly [string, (i: number) => boolean])[],
): { keep: number[]; dropped: Map<string, number> } {
  const keep: number[] = [];
  const dropped = new Map(needed.map(([name]) => [name, 0])); // in column order, for a stable message
  for (let i = 0; i < nRows; i++) {
    let complete = true;
    for (const [name, missing] of needed) {
      if (!missing(i)) continue;
      complete = false;
      dropped.set(name, dropped.get(name)! + 1);
    }
    if (complete) keep.push(i);
  }
  return { keep, dropped };
}

function droppedRowsDiagnostic(nDropped: number, nRows: number, byColumn: ReadonlyMap<string, number>): Diagnostic {
  const rowsText = (k: number): string => `${k} row${k === 1 ? "" : "s"}`;
  const detail = [...byColumn].filter(([, k]) => k > 0).map(([name, k]) => `'${name}' in ${rowsText(k)}`).join(", ");
  let total = 0;
  for (const k of byColumn.values()) total += k;
  const overlap = total > nDropped ? "; some rows miss several" : "";
  return warning("dropped-rows", `dropped ${nDropped} of ${nRows} rows with a missing value: ${detail}${overlap}`);
}

/** A warning for each cluster of the data all of whose rows were dropped. */
function emptiedClusters(data: Dataset, clusterCol: Column, analysed: ReadonlySet<string>): Diagnostic[] {
  const sizes = new Map<string, number>();
  for (let i = 0; i < data.nRows; i++) {
    const key = cellKey(clusterCol, i);
    if (key !== null && !analysed.has(key)) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return [...sizes].map(([id, size]) =>
    warning("cluster-dropped", `cluster '${id}' has no rows left: all its ${size} rows have a missing value, so no method analyses it`),
  );
}

/** Says that the outcome model's own covariates are not imputed: their missing values drop rows from every method. */
function outcomeCovariatesDropped(outcomeCovariates: readonly string[], alsoElsewhere: ReadonlySet<string>, byColumn: ReadonlyMap<string, number>): Diagnostic[] {
  const missing = outcomeCovariates.filter((c) => !alsoElsewhere.has(c) && (byColumn.get(c) ?? 0) > 0);
  if (missing.length === 0) return [];
  const detail = missing.map((c) => `'${c}' (${byColumn.get(c)} row${byColumn.get(c) === 1 ? "" : "s"})`).join(", ");
  return [
    info(
      "outcome-covariate-missing",
      `outcome-model covariate${missing.length > 1 ? "s" : ""} ${detail} ${missing.length > 1 ? "are" : "is"} not imputed: those rows are left out of every method, as rows missing an imputation-model covariate are`,
    ),
  ];
}
