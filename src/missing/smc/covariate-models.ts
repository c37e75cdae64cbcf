/**
 * smc's covariate models (SMC-FCS style): among the `--imputation` formulas
 * of an analysis with smc, those whose response is the modifier are modifier
 * models (one smc analysis each), and those whose response is another column
 * are models of partly missing covariates, joined to every smc analysis and
 * imputed in the same chain. Together with the modifier model p(M | X) and the
 * substantive model p(Y | M, X) they must factor a joint distribution,
 * p(Y | M, X)·p(M | X)·Π_k p(X_k | parents), so a covariate model leaves out
 * the outcome and the modifier, and the covariate models form no cycle
 * (X2 ~ X3 and X3 ~ X2 would count their association twice).
 */
import { InputError } from "../../core/errors.ts";
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
