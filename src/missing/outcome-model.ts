/**
 * The outcome GEE's mean model, prepared once per analysis: an R formula
 * (default `Y ~ A*M`) that must contain the treatment-by-modifier
 * interaction, with its family, link, standard errors, ATE scale and pooling
 * df. The modifier enters as a plain variable, so every design column of a
 * term containing it equals (that column at M = 1) × M: a completed data set
 * only multiplies those columns by its centred modifier Mc. The designs with
 * everyone treated (A = 1) and everyone control (A = 0) are kept for the
 * standardized ATE. A categorical modifier (written M or `factor(M)`) gets
 * one such column per non-reference level, multiplied by that level's
 * centred dummy instead (categorical/outcome-design.ts). Everything here is
 * plain data (typed arrays, strings).
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import { dataset, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { EFFECT_SCALES, type EffectScale } from "../estimands/estimator.ts";
import { modelMatrixFor, parseFormula, resolveDesign, type ParsedFormula } from "../formula/index.ts";
import { POOLING_DF, type PoolingDf } from "../inference/pool.ts";
import { binomial, gaussian, resolveFamily, type Family } from "../models/family/index.ts";
import type { LinkName } from "../models/family/link.ts";
import { checkContrastCoding, expandCategoricalDesign, type CategoricalColumns } from "./categorical/outcome-design.ts";

export type OutcomeFamily = "gaussian" | "binomial";
export const OUTCOME_FAMILIES: readonly OutcomeFamily[] = Object.freeze(["gaussian", "binomial"]);
/** Outcome-GEE standard errors: robust sandwich (normal reference), Mancl–DeRouen or Kauermann–Carroll (t(C − p)). */
export type OutcomeSe = "robust" | "md" | "kc";
export const OUTCOME_SE: readonly OutcomeSe[] = Object.freeze(["robust", "md", "kc"]);

export interface OutcomeOptions {
  /** GEE mean model (default `Y ~ A*M` in the analysis's column names). */
  readonly formula?: string;
  /** Default "gaussian". */
  readonly family?: OutcomeFamily;
  /** Default: the family's canonical link (identity, logit). */
  readonly link?: LinkName;
  /** Default "robust". */
  readonly se?: OutcomeSe;
  /** Scale of the ATE: rd (default), rr or or (binomial only; analysed on the log scale). */
  readonly ateScale?: EffectScale;
  /** Degrees of freedom of the pooled results (default "barnard-rubin"). */
  readonly poolingDf?: PoolingDf;
}

/** The choices every outcome fit and its inference follow. */
export interface OutcomeSettings {
  readonly formula: string;
  readonly family: OutcomeFamily;
  readonly link: LinkName;
  readonly se: OutcomeSe;
  readonly ateScale: EffectScale;
  readonly poolingDf: PoolingDf;
}

/** The outcome design on one set of analysed rows. Matrices are n × p over the prepared rows; rows not analysed are 0. */
export interface OutcomeDesign {
  readonly columnNames: readonly string[];
  readonly p: number;
  /** 1 for a column of a term containing the modifier (held at M = 1; multiplied by Mc when fitted). */
  readonly modifierColumns: Uint8Array;
  /** The treatment-by-modifier column: its coefficient is the HTE. */
  readonly hteColumn: number;
  readonly x: Float64Array;
  /** The design with A set to 1, and to 0, for every row (standardization). */
  readonly treated: Float64Array;
  readonly control: Float64Array;
  /** A categorical modifier: the level of each column's dummy and the treatment-by-level columns (categorical/outcome-design.ts). */
  readonly categorical?: CategoricalColumns;
}

export interface OutcomeModel {
  readonly settings: OutcomeSettings;
  /** The interaction's name as R's model.matrix gives it, e.g. "A:M". */
  readonly hteTerm: string;
  /** A categorical modifier: every treatment-by-level term (hteTerm is the first). */
  readonly hteTerms?: readonly string[];
  /** Design on every analysed row (the completed data sets). */
  readonly complete: OutcomeDesign;
  /** Design on the rows with the modifier observed (complete-case analysis; null when it cannot be built: see completeCaseError). */
  readonly completeCase: OutcomeDesign | null;
  readonly completeCaseError: string | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** The outcome options checked and the formula parsed, before any row is chosen. */
export interface OutcomeSpec {
  readonly settings: OutcomeSettings;
  readonly parsed: ParsedFormula;
  /** Columns of the outcome model besides the outcome and the modifier (their missing values drop rows). */
  readonly covariates: readonly string[];
  /** How the formula writes the modifier when it writes `factor(M)` (then parsed as plain M): the modifier is categorical. */
  readonly modifierFactor: string | null;
}

/** A categorical modifier's levels and the level code of every data row (categorical/levels.ts). */
export interface CategoricalCoding {
  readonly levels: readonly string[];
  readonly codes: Float64Array;
}

interface Roles {
  /** The cluster column, which cmean()/cwc() in the outcome model group by. */
  readonly cluster?: string;
  readonly treatment: string;
  readonly modifier: string;
  readonly outcome: string;
}

function isPlainColumn(v: { readonly role: string; readonly expr: { readonly kind: string } }): boolean {
  return v.role === "column" && v.expr.kind === "name";
}

// R's binomial() also takes the identity link (a linear probability model, whose
// coefficients are risk differences); the outcome GEE allows it.
const BINOMIAL_OUTCOME: Family = Object.freeze({ ...binomial, links: Object.freeze([...binomial.links, "identity" as const]) });

/** The family object of the outcome GEE. */
export function outcomeFamily(name: OutcomeFamily): Family {
  return name === "binomial" ? BINOMIAL_OUTCOME : gaussian;
}

/** Checks the outcome options and parses the formula; InputError naming the formula or option otherwise. */
export function outcomeSpec(roles: Roles, options: OutcomeOptions = {}): OutcomeSpec {
  const { treatment: A, modifier: M, outcome: Y } = roles;
  const family = options.family ?? "gaussian";
  if (!OUTCOME_FAMILIES.includes(family)) throw new InputError(`outcome family '${String(family)}' is not available; use one of: ${OUTCOME_FAMILIES.join(", ")}`);
  const link = resolveFamily(outcomeFamily(family), options.link).link.name;
  const se = options.se ?? "robust";
  if (!OUTCOME_SE.includes(se)) throw new InputError(`unknown outcome se '${String(se)}'; use one of: ${OUTCOME_SE.join(", ")}`);
  const ateScale = options.ateScale ?? "rd";
  if (!EFFECT_SCALES.includes(ateScale)) throw new InputError(`unknown ATE scale '${String(ateScale)}'; use one of: ${EFFECT_SCALES.join(", ")}`);
  if (ateScale !== "rd" && family !== "binomial") {
    throw new InputError(`ATE scale '${ateScale}' needs a binary outcome (family binomial); a ${family} outcome's ATE is a mean difference (rd)`);
  }
  const poolingDf = options.poolingDf ?? "barnard-rubin";
  if (!POOLING_DF.includes(poolingDf)) throw new InputError(`unknown pooling df '${String(poolingDf)}'; use one of: ${POOLING_DF.join(", ")}`);
  const formula = options.formula ?? `${Y} ~ ${A}*${M}`;
  const { parsed, modifierFactor } = parseOutcomeFormula(formula, M);
  const example = `e.g. '${Y} ~ ${A}*${M} + X1'`;
  if (parsed.response === null || !isPlainColumn(parsed.response) || parsed.response.name !== Y) {
    throw new InputError(`outcome model '${formula}' must have the outcome '${Y}' as its response, ${example}`);
  }
  if (parsed.randomTerms.length > 0 || parsed.clusterVariables.length > 0) {
    throw new InputError(`outcome model '${formula}' is a GEE mean model: leave out '(1 | …)' and 'cluster(…)'; the working correlation accounts for the clusters`);
  }
  for (const v of parsed.variables) {
    if (v.columns.includes(M) && !isPlainColumn(v)) {
      throw new InputError(`outcome model '${formula}': the modifier '${M}' must enter as a plain variable (it is centred on each completed data set), not as '${v.name}'`);
    }
  }
  const mIndex = parsed.variables.findIndex((v) => v.name === M);
  const hte = parsed.terms.find(
    (t) => t.variables.length === 2 && t.variables.includes(mIndex) && t.variables.some((k) => k !== mIndex && parsed.variables[k].columns.join() === A),
  );
  if (mIndex < 0 || hte === undefined) {
    throw new InputError(`outcome model '${formula}' has no treatment-by-modifier interaction '${A}:${M}', ${example}`);
  }
  const covariates = [...new Set(parsed.variables.flatMap((v) => v.columns))].filter((c) => c !== M && c !== Y);
  return { settings: { formula, family, link, se, ateScale, poolingDf }, parsed, covariates, modifierFactor };
}

/**
 * Parses the outcome formula; `factor(M)` (or `as.factor(M)`) of the modifier
 * is read as M, its label kept for the term names (the design expands it).
 */
export function parseOutcomeFormula(formula: string, M: string): { parsed: ParsedFormula; modifierFactor: string | null } {
  const parsed = parseFormula(formula);
  const factor = parsed.variables.find((v) => v.role === "factor" && v.expr.kind === "name" && v.columns.length === 1 && v.columns[0] === M);
  if (factor === undefined) return { parsed, modifierFactor: null };
  const escaped = M.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const plain = formula.replace(new RegExp(`\\b(?:as\\.)?factor\\(\\s*${escaped}\\s*\\)`, "g"), M);
  return { parsed: parseFormula(plain), modifierFactor: factor.name };
}

/** A binary outcome must be 0/1 wherever it is present: InputError naming the first other value and its row. */
export function checkOutcomeValues(data: Dataset, spec: OutcomeSpec, outcome: string): void {
  if (spec.settings.family !== "binomial") return;
  const y = numericColumn(data, outcome);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isNaN(v) && v !== 0 && v !== 1) {
      throw new InputError(`outcome '${outcome}' must be 0 or 1 for the binomial family; row ${i + 1} has ${v}`);
    }
  }
}

/**
 * Builds the outcome designs on the prepared rows (`rows`: dataset row of
 * each, cluster order; `modifier`: NaN where missing). `clusters` is C, for
 * the t(C − p) reference of md/kc standard errors.
 */
export function prepareOutcomeModel(
  data: Dataset,
  spec: OutcomeSpec,
  roles: Roles,
  rows: Int32Array,
  modifier: Float64Array,
  clusters: number,
  categorical?: CategoricalCoding,
): OutcomeModel {
  const n = rows.length;
  const all = Int32Array.from({ length: n }, (_, r) => r);
  const { design: complete, diagnostics } = buildDesign(data, spec, roles, rows, all, categorical);
  const { settings } = spec;
  if (settings.se !== "robust" && clusters <= complete.p) {
    throw new InputError(
      `--se ${settings.se}: the t reference has C − p = ${clusters} − ${complete.p} df; the outcome model '${settings.formula}' needs fewer coefficients than the ${clusters} clusters`,
    );
  }
  const observed = Int32Array.from(all.filter((r) => !Number.isNaN(modifier[r])));
  let completeCase: OutcomeDesign | null = complete;
  let completeCaseError: string | null = null;
  if (observed.length < n) {
    try {
      completeCase = buildDesign(data, spec, roles, rows, observed, categorical).design;
    } catch (e) {
      // The complete cases alone may not support the design (e.g. a factor level only among rows missing the modifier).
      if (!(e instanceof InputError)) throw e;
      completeCase = null;
      completeCaseError = e.message;
    }
  }
  const hteTerm = complete.columnNames[complete.hteColumn];
  const notes = [...diagnostics];
  if (settings.ateScale !== "rd") {
    const name = settings.ateScale === "rr" ? "risk ratio" : "odds ratio";
    notes.push(info("ate-log-scale", `ATE on the ${name} scale: estimate, confLow and confHigh are ratios; stdError, statistic and pValue are on the log ${name} scale`));
  }
  const hteTerms = complete.categorical ? { hteTerms: Array.from(complete.categorical.hteColumns, (j) => complete.columnNames[j]) } : {};
  return { settings, hteTerm, ...hteTerms, complete, completeCase, completeCaseError, diagnostics: notes };
}

/** The design of the analysed rows `used` (positions among the prepared rows). */
function buildDesign(
  data: Dataset,
  spec: OutcomeSpec,
  roles: Roles,
  rows: Int32Array,
  used: Int32Array,
  categorical?: CategoricalCoding,
): { design: OutcomeDesign; diagnostics: readonly Diagnostic[] } {
  const { treatment: A, modifier: M } = roles;
  const dataRows = Int32Array.from(used, (r) => rows[r]);
  // A categorical modifier is built as a plain variable held at 1 (its level codes stand in), then expanded.
  if (categorical !== undefined) data = withNumericColumn(data, M, categorical.codes);
  const { spec: design, diagnostics } = resolveDesign(data, spec.parsed, dataRows, roles.cluster === undefined ? {} : { cluster: roles.cluster });
  const p = design.columnNames.length;
  const mVariable = design.variables.findIndex((v) => v.name === M);
  const modifierColumns = new Uint8Array(p);
  let hteColumn = -1;
  for (const t of design.terms) {
    if (!t.variables.includes(mVariable)) continue;
    modifierColumns.fill(1, t.firstColumn, t.firstColumn + t.nColumns);
    const isHte = t.variables.length === 2 && t.variables.some((k) => k !== mVariable && design.variables[k].columns.join() === A);
    if (isHte && hteColumn < 0) {
      if (t.nColumns !== 1) throw new InputError(`outcome model '${spec.settings.formula}': the interaction '${t.label}' has ${t.nColumns} columns; the treatment must be 0/1`);
      hteColumn = t.firstColumn;
    }
  }
  if (hteColumn < 0) throw new ComputeError(`outcome model '${spec.settings.formula}': no treatment-by-modifier column in the design`);
  const scatter = (compact: Float64Array): Float64Array => {
    if (used.length === rows.length) return compact;
    const out = new Float64Array(rows.length * p);
    for (let k = 0; k < used.length; k++) out.set(compact.subarray(k * p, (k + 1) * p), used[k] * p);
    return out;
  };
  const at = (set: Record<string, number>): Float64Array => scatter(modelMatrixFor(design, data, dataRows, set).data);
  const base: OutcomeDesign = {
    columnNames: design.columnNames,
    p,
    modifierColumns,
    hteColumn,
    x: at({ [M]: 1 }),
    treated: at({ [M]: 1, [A]: 1 }),
    control: at({ [M]: 1, [A]: 0 }),
  };
  let out = base;
  if (categorical !== undefined) {
    const label = spec.modifierFactor ?? M;
    checkContrastCoding(design, mVariable, spec.settings.formula, label);
    out = expandCategoricalDesign(base, rows.length, categorical.levels, M, label);
  }
  return { design: out, diagnostics: diagnostics.map((d) => ({ ...d, message: `outcome model: ${d.message}` })) };
}

/** `data` with column `name` replaced by numeric values. */
export function withNumericColumn(data: Dataset, name: string, values: Float64Array): Dataset {
  return dataset(data.names.map((c) => (c === name ? { name, kind: "numeric" as const, values } : getColumn(data, c))));
}
