/**
 * smc's covariate models (SMC-FCS style): among the `--imputation` formulas
 * of an analysis with smc, those whose response is the modifier are modifier
 * models (one smc analysis each), and those whose response is another column
 * are models of partly missing covariates, joined to every smc analysis and
 * imputed in the same chain. Together with the modifier model p(M | X) and the
 * substantive model p(Y | M, X) they must factor a joint distribution,
 * p(Y | M, X)·p(M | X)·Π_k p(X_k | parents), so a covariate model leaves out
 * the outcome and the modifier, and the covariate models form no cycle
 * (X2 ~ X3 and X3 ~ X2 would count their association twice). Also here:
 * which models have something to impute in the analysed rows, and the
 * placeholder dataset the designs are first built on (data.ts uses both).
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { getColumn, numericColumn, type Dataset } from "../../data/dataset.ts";
import { parseFormula } from "../../formula/index.ts";

/** The columns the covariate models are checked against (ModifierColumns). */
export interface CovariateRoles {
  readonly cluster: string;
  readonly treatment: string;
  readonly modifier: string;
  readonly outcome: string;
}

export interface CovariateModel {
  readonly formula: string;
  /** The covariate it imputes. */
  readonly response: string;
  /** Columns its right-hand side reads. */
  readonly predictors: readonly string[];
}

/** The response of a formula, or null when it has none or does not parse as a formula with one. */
function responseOf(formula: string): string | null {
  const parsed = parseFormula(formula);
  return parsed.response?.name ?? null;
}

/**
 * Splits the imputation formulas: with smc among the methods, a formula whose
 * response is not the modifier is a covariate model; without smc every formula
 * stays a modifier model (and one with another response is refused as before).
 */
export function splitImputationModels(formulas: readonly string[], columns: CovariateRoles, smc: boolean): { modifierModels: string[]; covariateModels: string[] } {
  if (!smc) return { modifierModels: [...formulas], covariateModels: [] };
  const modifierModels: string[] = [];
  const covariateModels: string[] = [];
  for (const f of formulas) {
    const response = responseOf(f);
    if (response === null || response === columns.modifier) modifierModels.push(f);
    else covariateModels.push(f);
  }
  if (modifierModels.length === 0 && covariateModels.length > 0) {
    throw new InputError(
      `smc needs a model for the modifier '${columns.modifier}' among the imputation models (e.g. '${columns.modifier} ~ X1'); ` +
        `${covariateModels.map((f) => `'${f}'`).join(", ")} ${covariateModels.length === 1 ? "is a covariate model" : "are covariate models"}`,
    );
  }
  return { modifierModels, covariateModels };
}

/** Parses and checks the covariate models; refuses a cycle among them. */
export function covariateModels(formulas: readonly string[], columns: CovariateRoles): CovariateModel[] {
  const { modifier, outcome, treatment, cluster } = columns;
  const models = formulas.map((formula): CovariateModel => {
    const parsed = parseFormula(formula);
    const response = parsed.response!.name;
    if (response === outcome) {
      throw new InputError(`covariate model '${formula}': the outcome '${outcome}' is not imputed; smc's substantive model (--substantive) is its model`);
    }
    if (response === treatment || response === cluster) {
      throw new InputError(`covariate model '${formula}': '${response}' is the ${response === treatment ? "treatment" : "cluster"} column, which is never imputed`);
    }
    if (parsed.randomTerms.length > 0) {
      throw new InputError(`covariate model '${formula}': leave out '(1 | ...)'; smc adds the cluster random intercept itself`);
    }
    const predictors = [...new Set(parsed.variables.flatMap((v) => v.columns))];
    for (const banned of [outcome, modifier]) {
      if (predictors.includes(banned)) {
        throw new InputError(
          `covariate model '${formula}' contains the ${banned === outcome ? "outcome" : "modifier"} '${banned}': the substantive model ` +
            `(${outcome} given ${modifier} and the covariates) and the modifier model (${modifier} given the covariates) carry it, so a covariate's model leaves out ${modifier} and ${outcome}`,
        );
      }
    }
    if (predictors.includes(response)) throw new InputError(`covariate model '${formula}' has its response '${response}' on the right-hand side`);
    return { formula, response, predictors };
  });
  const seen = new Map<string, string>();
  for (const m of models) {
    const other = seen.get(m.response);
    if (other !== undefined) throw new InputError(`covariate '${m.response}' has two covariate models, '${other}' and '${m.formula}'; give it one`);
    seen.set(m.response, m.formula);
  }
  checkAcyclic(models);
  return models;
}

/** Depth-first search for a cycle through the covariate models' imputed predictors. */
function checkAcyclic(models: readonly CovariateModel[]): void {
  const byResponse = new Map(models.map((m) => [m.response, m]));
  const state = new Map<string, "open" | "done">();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new InputError(
        `the covariate models form a cycle (${cycle.join(" → ")}): smc multiplies them into one joint model, so order them, e.g. '${cycle[0]} ~ …' without '${cycle[1]}'`,
      );
    }
    state.set(name, "open");
    for (const p of byResponse.get(name)!.predictors) if (byResponse.has(p)) visit(p, [...path, name]);
    state.set(name, "done");
  };
  for (const m of models) visit(m.response, []);
}

export interface SmcCovariates {
  readonly models: readonly (CovariateModel & { readonly nMissing: number })[];
  /** The dataset the analysis reads (dataset rows `rows`). */
  readonly source: Dataset;
}

/** A covariate model whose response appears in no model has nothing to impute for. */
export function checkCovariateModelsUsed(models: readonly CovariateModel[], imputationFormulas: readonly string[], substantive: { readonly formula: string } | undefined): void {
  if (models.length === 0) return;
  const used = new Set([
    ...imputationFormulas.flatMap((f) => parseFormula(f).variables.flatMap((v) => v.columns)),
    ...(substantive ? parseFormula(substantive.formula).variables.flatMap((v) => v.columns) : []),
    ...models.flatMap((m) => m.predictors),
  ]);
  for (const m of models) {
    if (!used.has(m.response)) {
      throw new InputError(
        `covariate model '${m.formula}': '${m.response}' is in neither the modifier model, the substantive model nor another covariate model, so imputing it changes nothing; leave the model out`,
      );
    }
  }
}

/** The covariate models with something to impute (a note for each without), or undefined when none has. */
export function activeCovariateModels(data: Dataset, models: readonly CovariateModel[], rows: Int32Array, diagnostics: Diagnostic[]): SmcCovariates | undefined {
  const active: (CovariateModel & { nMissing: number })[] = [];
  for (const m of models) {
    const col = getColumn(data, m.response);
    if (col.kind !== "numeric") {
      throw new InputError(`covariate model '${m.formula}': smc imputes a numeric covariate (0/1 or continuous); column '${m.response}' holds text`);
    }
    let nMissing = 0;
    for (const r of rows) if (Number.isNaN(col.values[r])) nMissing++;
    if (nMissing === 0) {
      diagnostics.push(info("covariate-model-unused", `covariate model '${m.formula}': '${m.response}' is observed in every analysed row, so there is nothing to impute and the model is not used`));
      continue;
    }
    if (nMissing === rows.length) throw new InputError(`covariate model '${m.formula}': '${m.response}' is missing in every analysed row: nothing to impute from`);
    active.push({ ...m, nMissing });
  }
  return active.length === 0 ? undefined : { models: active, source: data };
}

/** The dataset with each imputed covariate's missing cells set to its first observed value in `rows`. */
export function placeholderDataset(data: Dataset, models: readonly CovariateModel[], rows: Int32Array): Dataset {
  const replaced = new Map<string, Float64Array>();
  for (const m of models) {
    const values = Float64Array.from(numericColumn(data, m.response));
    let fill = NaN;
    for (const r of rows) if (!Number.isNaN(values[r])) { fill = values[r]; break; }
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) values[i] = fill;
    replaced.set(m.response, values);
  }
  return { nRows: data.nRows, names: data.names, columns: new Map([...data.columns].map(([name, col]) => [name, replaced.has(name) ? { name, kind: "numeric", values: replaced.get(name)! } : col])) };
}
