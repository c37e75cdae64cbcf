/**
 * The outcome GEE's mean model, prepared once per analysis: an R formula
 * (default `Y ~ A*M`) that must contain the treatment-by-modifier
 * interaction, with its family, link, standard errors, ATE scale and pooling
 * df. The modifier enters as a plain variable, so every design column of a
 * term containing it equals (that column at M = 1) × M: a completed data set
 * only multiplies those columns by its centred modifier Mc. The designs with
 * everyone treated (A = 1) and everyone control (A = 0) are kept for the
 * standardized ATE. Everything here is plain data (typed arrays, strings).
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { ComputeError, InputError } from "../core/errors.ts";
import { numericColumn, type Dataset } from "../data/dataset.ts";
import { EFFECT_SCALES, type EffectScale } from "../estimands/estimator.ts";
import { modelMatrixFor, parseFormula, resolveDesign, type ParsedFormula } from "../formula/index.ts";
import { POOLING_DF, type PoolingDf } from "../inference/pool.ts";
import { binomial, gaussian, resolveFamily, type Family } from "../models/family/index.ts";
import type { LinkName } from "../models/family/link.ts";

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
}

export interface OutcomeModel {
  readonly settings: OutcomeSettings;
  /** The interaction's name as R's model.matrix gives it, e.g. "A:M". */
  readonly hteTerm: string;
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
}

interface Roles {
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
  const parsed = parseFormula(formula);
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
  return { settings: { formula, family, link, se, ateScale, poolingDf }, parsed, covariates };
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
export function prepareOutcomeModel(data: Dataset, spec: OutcomeSpec, roles: Roles, rows: Int32Array, modifier: Float64Array, clusters: number): OutcomeModel {
  const n = rows.length;
  const all = Int32Array.from({ length: n }, (_, r) => r);
  const { design: complete, diagnostics } = buildDesign(data, spec, roles, rows, all);
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
      completeCase = buildDesign(data, spec, roles, rows, observed).design;
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
  return { settings, hteTerm, complete, completeCase, completeCaseError, diagnostics: notes };
}

/** The design of the analysed rows `used` (positions among the prepared rows). */
function buildDesign(
  data: Dataset,
  spec: OutcomeSpec,
  roles: Roles,
  rows: Int32Array,
  used: Int32Array,
): { design: OutcomeDesign; diagnostics: readonly Diagnostic[] } {
  const { treatment: A, modifier: M } = roles;
  const dataRows = Int32Array.from(used, (r) => rows[r]);
  const { spec: design, diagnostics } = resolveDesign(data, spec.parsed, dataRows);
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
  return {
    design: {
      columnNames: design.columnNames,
      p,
      modifierColumns,
      hteColumn,
      x: at({ [M]: 1 }),
      treated: at({ [M]: 1, [A]: 1 }),
      control: at({ [M]: 1, [A]: 0 }),
    },
    diagnostics: diagnostics.map((d) => ({ ...d, message: `outcome model: ${d.message}` })),
  };
}
