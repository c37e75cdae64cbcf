/**
 * The missing-indicator analysis: a comparison method that imputes nothing.
 * The outcome GEE (the prepared mean model, e.g. `Y ~ A*M + X1`) is fitted
 * to every analysed row with the centred modifier Mc set to 0 where M is
 * missing, plus the missingness indicator R (1 where missing) and A·R; the
 * hierarchical-missing-data essay's "Strategy 1", here with the trial's GEE
 * rather than a mixed model. Setting Mc = 0 is setting M to its observed
 * mean; any other fill value (the raw M = 0, say) only reparametrizes the
 * model, since R and A·R absorb it, so hte and ate do not depend on it.
 *
 * What it estimates. The M terms vanish in the missing rows, which get their
 * own arm-specific intercept (R, A·R): `hte` (the A:M coefficient) is fitted
 * from the rows with M observed only, sharing the covariates' coefficients
 * and the working correlation with the missing rows. `ate` is standardized
 * over all analysed rows, as for the other methods: with the identity link,
 * β_A + β_{A:R}·π (π the share of rows missing M), the observed rows'
 * effect at their mean M and the missing rows' own arm difference, averaged.
 *
 * Why it can be biased (Jones 1996; Groenwold et al. 2012). The HTE is a
 * complete-case quantity: unbiased only when missingness of M is unrelated
 * to the outcome given A, M and the outcome model's covariates, and those
 * covariates act alike in both patterns. The ATE combines each pattern's
 * arm difference with the pooled pattern shares: it is the overall effect
 * when missingness is unaffected by treatment, the same rule in both arms
 * decided at baseline (White & Thompson 2005); when the share missing M
 * differs between arms (missingness affected by treatment, or depending on
 * an outcome the treatment changes) the missing rows' arm difference
 * compares different people and the ATE can be biased. With Y fully
 * observed that bias is often small (docs/validation/sensitivity-mnar.md).
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { ModifierData } from "./data.ts";
import { fitOutcomeDesign } from "./outcome.ts";
import type { OutcomeDesign } from "./outcome-model.ts";
import { singleFitEstimates, uniqueDiagnostics, type MethodResult, type MethodSettings } from "./result.ts";

export interface IndicatorDesign {
  /** The outcome design with R (and A·R when both arms miss M) appended. */
  readonly design: OutcomeDesign;
  /** Centred modifier: M minus its observed mean, 0 where missing. */
  readonly mc: Float64Array;
  readonly diagnostics: readonly Diagnostic[];
}

/** The indicator model's design on the prepared rows. */
export function indicatorDesign(data: ModifierData): IndicatorDesign {
  const { n, modifier, treatment } = data;
  const { treatment: A, modifier: M } = data.columns;
  const base = data.outcomeModel.complete;
  let sum = 0;
  let used = 0;
  let missingTreated = 0;
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(modifier[r])) missingTreated += treatment[r] === 1 ? 1 : 0;
    else {
      sum += modifier[r];
      used++;
    }
  }
  const centre = sum / used;
  const mc = Float64Array.from(modifier, (v) => (Number.isNaN(v) ? 0 : v - centre));
  const nMissing = n - used;
  const missingControl = nMissing - missingTreated;
  if (nMissing === 0) {
    return { design: base, mc, diagnostics: [info("indicator-no-missing", `modifier '${M}' is observed in every row: the indicator analysis is the complete-data analysis`)] };
  }
  // A·R is estimable only when both arms have rows missing M (otherwise it is 0 or R).
  const withArm = missingTreated > 0 && missingControl > 0;
  const extra = withArm ? 2 : 1;
  const p = base.p + extra;
  const r = `missing(${M})`;
  const widen = (from: Float64Array, arm: (row: number) => number): Float64Array => {
    const out = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      out.set(from.subarray(i * base.p, (i + 1) * base.p), i * p);
      const miss = Number.isNaN(modifier[i]) ? 1 : 0;
      out[i * p + base.p] = miss;
      if (withArm) out[i * p + base.p + 1] = arm(i) * miss;
    }
    return out;
  };
  const modifierColumns = new Uint8Array(p);
  modifierColumns.set(base.modifierColumns);
  const design: OutcomeDesign = {
    columnNames: [...base.columnNames, r, ...(withArm ? [`${A}:${r}`] : [])],
    p,
    modifierColumns,
    hteColumn: base.hteColumn,
    x: widen(base.x, (i) => treatment[i]),
    treated: widen(base.treated, () => 1),
    control: widen(base.control, () => 0),
  };
  const share = nMissing / n;
  const diagnostics: Diagnostic[] = [
    info(
      "indicator-model",
      `missing-indicator analysis: the outcome model ${data.outcomeModel.settings.formula} with ${M} centred at its observed mean and set to 0 (its observed mean) in the ${nMissing} rows where it is missing, ` +
        `plus ${r}${withArm ? ` and ${A}:${r}` : ""}, so the missing rows get their own ${withArm ? "arm-specific " : ""}intercept; ` +
        `hte is the ${data.outcomeModel.hteTerm} coefficient, fitted from the ${used} rows with ${M} observed; ` +
        `ate is standardized over all ${n} rows: the observed rows' effect at their mean ${M} and the missing rows' own arm difference, weighted ${(1 - share).toFixed(3)} and ${share.toFixed(3)}`,
    ),
    warning(
      "indicator-bias",
      `hte uses only the ${used} rows with ${M} observed (the missing rows add nothing about effect modification), so it is unbiased only when missingness of ${M} is unrelated to the outcome ` +
        `given ${A}, ${M} and the outcome model's covariates, and those covariates act alike in rows with and without ${M}; ate relies on the missing rows' own arm difference, ` +
        "which randomization protects when missingness is unaffected by treatment (the same rule in both arms), and which can be biased when the share missing differs between arms, " +
        "as when missingness depends on the treatment or on an outcome it changes (Jones 1996; White & Thompson 2005; Groenwold et al. 2012)",
    ),
  ];
  if (!withArm) {
    const arm = missingTreated > 0 ? "treated" : "control";
    diagnostics.push(
      warning(
        "indicator-one-arm",
        `every row missing ${M} is in the ${arm} arm: ${A}:${r} cannot be estimated, so the missing rows' treatment effect is taken to be the observed rows' effect at their mean ${M}`,
      ),
    );
  }
  return { design, mc, diagnostics };
}

/** The indicator analysis: one GEE fit, Wald inference as for cca (normal with robust SEs, t(C − p) with md/kc). */
export function missingIndicator(data: ModifierData, settings: MethodSettings): MethodResult {
  const { design, mc, diagnostics } = indicatorDesign(data);
  const { se, formula } = data.outcomeModel.settings;
  const clusters = data.clusterIds.length;
  if (se !== "robust" && clusters <= design.p) {
    throw new InputError(
      `--se ${se} with indicator: the t reference has C − p = ${clusters} − ${design.p} df (the outcome model '${formula}' plus the missingness indicator); it needs fewer coefficients than the ${clusters} clusters`,
    );
  }
  const fit = fitOutcomeDesign(data, design, mc, settings.corstr);
  return {
    method: "indicator",
    imputationModel: null,
    ...singleFitEstimates(fit, settings.level),
    nImputations: 0,
    diagnostics: uniqueDiagnostics([...diagnostics, ...fit.diagnostics]),
  };
}
