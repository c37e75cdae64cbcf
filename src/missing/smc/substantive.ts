/**
 * The substantive model of substantive-model-compatible imputation: the
 * outcome's model given the modifier and covariates, e.g.
 * `Y ~ A*M*X1 + (1 | cluster)`, a linear (gaussian) or logistic (binomial)
 * random-intercept model. Its design is built twice for every analysed row,
 * with the modifier set to 0 and to 1: a binary modifier's row of the design
 * is then one of the two, whatever functions of it the formula uses
 * (interactions, `factor(M)`, `I(…)`). A continuous modifier must enter
 * affinely (itself and its interactions, not `I(M^2)` or `log(M)`), so that a
 * row is x⁰ + M·(x¹ − x⁰); that is checked at M = 2.
 */
import { InputError } from "../../core/errors.ts";
import { numericColumn, type Dataset } from "../../data/dataset.ts";
import type { Expr } from "../../formula/ast.ts";
import { CLUSTER_FUNCTIONS } from "../../formula/evaluate.ts";
import { designSpec, modelMatrixFor, parseFormula, type ParsedFormula } from "../../formula/index.ts";

export type SubstantiveFamily = "gaussian" | "binomial";

export interface SubstantiveSpec {
  /** e.g. "Y ~ A*M*X1 + (1 | cluster)". */
  readonly formula: string;
  /** gaussian: linear mixed model; binomial: logistic random-intercept model (0/1 outcome). */
  readonly family: SubstantiveFamily;
}

/** The roles the substantive model is checked against. */
export interface SubstantiveRoles {
  readonly cluster: string;
  readonly modifier: string;
  readonly outcome: string;
}

export interface SubstantiveDesign {
  readonly formula: string;
  readonly family: SubstantiveFamily;
  readonly columnNames: readonly string[];
  readonly p: number;
  /** n × p row-major designs of the analysed rows with the modifier set to 0 and to 1. */
  readonly X0: Float64Array;
  readonly X1: Float64Array;
  /** For a continuous modifier: a design column that is not affine in it (null when all are, and for a binary one). */
  readonly nonAffineColumn: string | null;
  /**
   * A categorical modifier (smc/categorical-design.ts): the n × p design at
   * each of its k levels (X0 and X1 are the first two).
   */
  readonly levelDesigns?: readonly Float64Array[];
}

export function usesClusterFunction(e: Expr): boolean {
  switch (e.kind) {
    case "call":
      return CLUSTER_FUNCTIONS.has(e.fn) || e.args.some(usesClusterFunction);
    case "unary":
      return usesClusterFunction(e.arg);
    case "paren":
      return usesClusterFunction(e.expr);
    case "binary":
      return usesClusterFunction(e.left) || usesClusterFunction(e.right);
    default:
      return false;
  }
}

/** Checks the formula's roles; returns it parsed. */
export function checkSubstantive(spec: SubstantiveSpec, roles: SubstantiveRoles): ParsedFormula {
  const { formula } = spec;
  const parsed = parseFormula(formula);
  const example = `${roles.outcome} ~ A*${roles.modifier}*X1 + (1 | ${roles.cluster})`;
  if (parsed.response === null || parsed.response.name !== roles.outcome) {
    throw new InputError(`substantive model '${formula}' must have the outcome '${roles.outcome}' as its response, e.g. '${example}'`);
  }
  const groups = parsed.randomTerms.map((r) => r.group);
  if (groups.length !== 1 || groups[0] !== roles.cluster) {
    throw new InputError(
      `substantive model '${formula}' needs exactly one random intercept, for the cluster: '(1 | ${roles.cluster})'` +
        (groups.length > 0 ? `; it has ${parsed.randomTerms.map((r) => `(1 | ${r.group})`).join(" + ")}` : ""),
    );
  }
  const usedVariables = new Set(parsed.terms.flatMap((t) => t.variables));
  const withModifier = parsed.variables.filter((v, k) => usedVariables.has(k) && v.columns.includes(roles.modifier));
  if (withModifier.length === 0) {
    throw new InputError(
      `substantive model '${formula}' does not contain the modifier '${roles.modifier}': the imputation draws it from the outcome's model given '${roles.modifier}', e.g. '${example}'`,
    );
  }
  for (const v of withModifier) {
    if (usesClusterFunction(v.expr)) {
      throw new InputError(
        `substantive model '${formula}': '${v.name}' takes a cluster mean of the modifier, which ties its imputed values together; use '${roles.modifier}' itself`,
      );
    }
  }
  if (parsed.variables.some((v) => v.columns.includes(roles.outcome))) {
    throw new InputError(`substantive model '${formula}' uses the outcome '${roles.outcome}' on its right-hand side`);
  }
  return parsed;
}

/** Columns the substantive model reads besides the modifier and the outcome (each row needs them). */
export function substantiveCovariates(spec: SubstantiveSpec, roles: SubstantiveRoles): string[] {
  const parsed = checkSubstantive(spec, roles);
  const columns = parsed.variables.flatMap((v) => v.columns);
  return [...new Set(columns)].filter((c) => c !== roles.modifier && c !== roles.outcome);
}

/**
 * The two designs of `spec` at the dataset rows `rows` (the analysed rows in
 * cluster order). A binomial outcome must be 0/1.
 *
 * @example
 * const d = substantiveDesign(data, { formula: "Y ~ A*M*X1 + (1 | cluster)", family: "gaussian" }, roles, rows);
 */
export function substantiveDesign(
  data: Dataset,
  spec: SubstantiveSpec,
  roles: SubstantiveRoles,
  rows: Int32Array,
  modifierType: "binary" | "continuous" = "binary",
): SubstantiveDesign {
  const parsed = checkSubstantive(spec, roles);
  checkBinomialOutcome(data, spec, roles, rows);
  const design = designSpec(data, parsed, rows, { cluster: roles.cluster });
  const X0 = modelMatrixFor(design, data, rows, { [roles.modifier]: 0 });
  const X1 = modelMatrixFor(design, data, rows, { [roles.modifier]: 1 });
  const nonAffineColumn = modifierType === "continuous" ? firstNonAffine(design, data, rows, roles.modifier, X0.data, X1.data) : null;
  return { formula: spec.formula, family: spec.family, columnNames: design.columnNames, p: X0.cols, X0: X0.data, X1: X1.data, nonAffineColumn };
}

/** A binomial substantive model needs a 0/1 outcome: InputError naming the first other value and its row. */
export function checkBinomialOutcome(data: Dataset, spec: SubstantiveSpec, roles: SubstantiveRoles, rows: Int32Array): void {
  if (spec.family !== "binomial") return;
  const y = numericColumn(data, roles.outcome);
  for (const r of rows) {
    if (y[r] !== 0 && y[r] !== 1) {
      throw new InputError(`a binomial substantive model needs a 0/1 outcome; '${roles.outcome}' row ${r + 1} has ${y[r]}`);
    }
  }
}

/** The first column whose value at M = 2 is not 2x¹ − x⁰ (or that cannot be evaluated there), or null. */
function firstNonAffine(
  design: ReturnType<typeof designSpec>,
  data: Dataset,
  rows: Int32Array,
  modifier: string,
  X0: Float64Array,
  X1: Float64Array,
): string | null {
  const p = design.columnNames.length;
  let X2: Float64Array;
  try {
    X2 = modelMatrixFor(design, data, rows, { [modifier]: 2 }).data;
  } catch {
    return design.columnNames.find((name) => name.includes(modifier)) ?? design.columnNames[0];
  }
  for (let k = 0; k < X2.length; k++) {
    const expected = 2 * X1[k] - X0[k];
    if (Math.abs(X2[k] - expected) > 1e-9 * (1 + Math.abs(expected))) return design.columnNames[k % p];
  }
  return null;
}
