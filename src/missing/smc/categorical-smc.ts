/**
 * smc for a categorical modifier with k levels: the modifier's own model is
 * the multinomial logit with one cluster random intercept (and precision)
 * per non-reference level, as categorical B-MMI's (categorical/gibbs.ts,
 * whose level-by-level update it reuses), centred at and started from the
 * single-level multinomial estimates; the substantive model is evaluated at
 * each of the k levels of a missing value (categorical-design.ts,
 * categorical-outcome.ts) and the value drawn from its exact k-point full
 * conditional (categorical-chain.ts). Priors of the substantive model are
 * smc.ts's. The trace names the modifier model's coefficients `level:term`
 * and its precisions `tau:level`, as categorical B-MMI does. A δ-adjustment
 * is refused (categorical/shift.ts), as are covariate models.
 */
import { info } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { CategoricalLogitModel } from "../categorical/gibbs.ts";
import { multinomialImputationModel } from "../categorical/impute.ts";
import { refuseShift } from "../categorical/shift.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { GIBBS_DEFAULTS } from "../gibbs.ts";
import type { MethodSettings } from "../result.ts";
import { runCategoricalSmcChain } from "./categorical-chain.ts";
import type { SmcSampler } from "./chain.ts";
import { CategoricalOutcome, type CategoricalOutcomeSpec } from "./categorical-outcome.ts";
import { outcomeStart, substantivePrior, type ModelStart } from "./start.ts";
import type { SubstantiveDesign } from "./substantive.ts";

/** The substantive model's priors and start (smc.ts's choices), intercepts in working cluster order. */
function outcomeSpec(design: SubstantiveDesign, start: ModelStart, settings: MethodSettings, intercepts: Float64Array): CategoricalOutcomeSpec {
  const { tauShape, tauRate } = GIBBS_DEFAULTS;
  return { ...substantivePrior(design, start, settings.gibbs.priorVariance, tauShape, tauRate), startIntercepts: intercepts };
}

export function categoricalSmcSampler(data: ModifierData, design: ImputationDesign, settings: MethodSettings): SmcSampler {
  const substantive = data.substantive!;
  const { modifier: M, outcome: y } = data.columns;
  refuseShift(data, settings);
  if (data.smcCovariates) {
    throw new InputError(
      `smc: covariate models (${data.smcCovariates.models.map((m) => `'${m.formula}'`).join(", ")}) are for a binary or continuous modifier, not the categorical '${M}'; leave them out of --imputation`,
    );
  }
  const levels = data.levels!;
  const k = levels.length;
  const model = multinomialImputationModel(data, design);
  const start = outcomeStart(data, substantive);
  const note = info(
    "smc-categorical",
    `smc of the categorical modifier '${M}': a multinomial-logit modifier model with one cluster random intercept per non-reference level (${levels.slice(1).join(", ")}), ` +
      `updated level by level with Pólya-Gamma draws, prior N(β̂, ${settings.gibbs.priorVariance}·I) around the single-level multinomial estimates; ` +
      `each missing value drawn from its ${k}-point full conditional under both models`,
  );
  const names = [
    ...levels.slice(1).flatMap((l) => design.columnNames.map((t) => `${l}:${t}`)),
    ...levels.slice(1).map((l) => `tau:${l}`),
    ...[...substantive.columnNames, ...(substantive.family === "binomial" ? ["tau"] : ["sigma2", "tau"])].map((t) => `${y}~${t}`),
  ];
  return {
    names,
    tauColumn: (k - 1) * design.p,
    diagnostics: [note, ...model.diagnostics, ...start.diagnostics],
    chain: (rng, onImputation) => {
      const modifierModel = new CategoricalLogitModel(
        { W: design.W, n: data.n, p: design.p, k, starts: data.starts, modifier: data.modifier, priorMean: model.fit.coefficients, randomIntercept: true },
        settings.gibbs,
      );
      const { order, starts } = modifierModel.layout;
      const missing = Int32Array.from(
        order.map((r, w) => (Number.isNaN(data.modifier[r]) ? w : -1)).filter((w) => w >= 0),
      );
      // Working cluster c is the analysed cluster of its first row.
      const clusterOfRow = new Int32Array(data.n);
      for (let c = 0; c + 1 < data.starts.length; c++) clusterOfRow.fill(c, data.starts[c], data.starts[c + 1]);
      const intercepts = Float64Array.from({ length: starts.length - 1 }, (_, c) => start.intercepts[clusterOfRow[order[starts[c]]]]);
      const outcome = new CategoricalOutcome({ order, starts, missing }, substantive.levelDesigns!, substantive.p, data.outcome, outcomeSpec(substantive, start, settings, intercepts));
      return runCategoricalSmcChain(data.modifier, modifierModel, outcome, missing, settings.gibbs, rng, onImputation);
    },
  };
}
