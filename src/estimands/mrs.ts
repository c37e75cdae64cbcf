/**
 * mrs(): model-robust standardization for cluster-randomized trials (seed
 * 002; R package MRStdCRT), composed of stages callable one by one:
 *
 *   mrsData(data, formula, options)    validate, order by cluster, cluster means, π, ω
 *   fitWorking(mrsData, options)       working model on the full data (+ refit closure)
 *   standardize(mrsData, η₁, η₀)       eqs. (4)–(7): μ_C(a), μ_I(a), μ_ω(a)
 *   jackknifeMeans(mrsData, model)     leave-one-cluster-out refits
 *   mrsSummary(mrsData, model, jack)   contrasts, jackknife SEs, t(m − 1) inference, ICS test
 *
 * Scales: rd (μ₁ − μ₀), rr (μ₁/μ₀) and or (odds ratio). Ratio effects are
 * analysed on the log scale: the jackknife SE is that of the log ratio, the
 * interval is exp(log θ̂ ± t·SE). (MRStdCRT computes ratio-scale SEs on the
 * ratio itself; point estimates agree, ratio-scale SEs differ by design.)
 * The informative-cluster-size test (§3.5) is T = D̂/SE_jack(D̂) on t(m − 1)
 * with D̂ = Δ̂_C − Δ̂_I on the analysis scale (a difference of log ratios for
 * rr and or).
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Coefficient, Estimate } from "../core/records.ts";
import type { Dataset } from "../data/dataset.ts";
import { waldEstimate } from "../inference/wald.ts";
import type { FamilyName, LinkName } from "../models/family/index.ts";
import { mrsData, type MrsData, type MrsDataOptions } from "./data.ts";
import { EFFECT_SCALES, MEANS_LENGTH, requireContrast, standardize, type EffectScale } from "./estimator.ts";
import { jackknifeMeans, jackknifeStdError, type JackknifeMeans, type JackknifeType } from "./jackknife.ts";
import { fitWorking } from "./working.ts";
import type { CoefficientSe, WorkingModel, WorkingName, WorkingOptions } from "./working-model.ts";

export interface MrsOptions extends MrsDataOptions, WorkingOptions {
  /** Default "rd". */
  readonly scale?: EffectScale;
  /** Jackknife SE type (default 1, as MRStdCRT). */
  readonly jackknife?: JackknifeType;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Called after each jackknife refit. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PotentialOutcomeMeans {
  readonly treated: number;
  readonly control: number;
}

/** The informative-cluster-size test (Li et al. 2025, §3.5). */
export interface IcsTest {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** D̂ = Δ̂_C − Δ̂_I on the analysis scale (log scale for rr, or). */
  readonly difference: number;
  readonly stdError: number;
}

/** The working model's treatment coefficient ("Coef"), with t(m − 1) inference. */
export interface WorkingCoefficient extends Coefficient {
  readonly se: CoefficientSe;
  readonly scale: string;
}

export interface MrsResult {
  readonly formula: string;
  readonly response: string;
  readonly treatment: string;
  readonly cluster: string;
  readonly working: WorkingName;
  readonly family: FamilyName;
  readonly link: LinkName;
  readonly scale: EffectScale;
  readonly jackknife: JackknifeType;
  readonly level: number;
  readonly nClusters: number;
  readonly nTreated: number;
  readonly nObs: number;
  readonly nDropped: number;
  /** Δ_C. For rr/or: estimate and interval on the ratio scale, stdError/statistic/pValue on the log scale. */
  readonly clusterAte: Estimate;
  /** Δ_I, as clusterAte. */
  readonly individualAte: Estimate;
  /** Δ_ω for the cluster weights given, else null. */
  readonly weightedAte: Estimate | null;
  readonly icsTest: IcsTest;
  readonly means: {
    readonly cluster: PotentialOutcomeMeans;
    readonly individual: PotentialOutcomeMeans;
    readonly weighted: PotentialOutcomeMeans | null;
  };
  readonly coefficient: WorkingCoefficient;
  readonly workingModel: {
    readonly terms: readonly string[];
    readonly estimates: readonly number[];
    readonly varianceBetween: number | null;
    readonly varianceResidual: number | null;
    readonly alpha: number | null;
    readonly converged: boolean;
  };
  readonly probability: string;
  /** Leave-one-cluster-out values on the analysis scale, in cluster order. */
  readonly replicates: {
    readonly clusterIds: readonly string[];
    readonly clusterAte: readonly number[];
    readonly individualAte: readonly number[];
    readonly weightedAte: readonly number[] | null;
  };
  readonly diagnostics: readonly Diagnostic[];
}

function checkOptions(options: { readonly scale?: EffectScale; readonly jackknife?: JackknifeType; readonly level?: number }): { scale: EffectScale; type: JackknifeType; level: number } {
  const scale = options.scale ?? "rd";
  if (!EFFECT_SCALES.includes(scale)) throw new InputError(`unknown scale '${String(scale)}'; use one of: ${EFFECT_SCALES.join(", ")}`);
  const type = options.jackknife ?? 1;
  if (type !== 1 && type !== 2 && type !== 3) throw new InputError(`jackknife type must be 1, 2 or 3; got ${String(type)}`);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level ${level} is not between 0 and 1`);
  return { scale, type, level };
}

function effectEstimate(theta: number, se: number, df: number, level: number, scale: EffectScale): Estimate {
  const w = waldEstimate(theta, se, df, level);
  if (scale === "rd") return Object.freeze(w);
  return Object.freeze({ ...w, estimate: Math.exp(theta), confLow: Math.exp(w.confLow), confHigh: Math.exp(w.confHigh) });
}

/**
 * Stage 4: contrasts, jackknife standard errors, t(m − 1) inference and the
 * ICS test from the full-data fit and the leave-one-cluster-out means.
 */
export function mrsSummary(
  data: MrsData,
  model: WorkingModel,
  jack: JackknifeMeans,
  options: { readonly scale?: EffectScale; readonly jackknife?: JackknifeType; readonly level?: number } = {},
): MrsResult {
  const { scale, type, level } = checkOptions(options);
  const m = data.nClusters;
  const df = m - 1;
  const fit = model.full;
  const means = standardize(data, fit.eta1, fit.eta0);
  const thetaC = requireContrast(means[0], means[1], scale, "cluster-average effect");
  const thetaI = requireContrast(means[2], means[3], scale, "individual-average effect");
  const weighted = data.weights !== null;
  const thetaW = weighted ? requireContrast(means[4], means[5], scale, "weighted effect") : NaN;

  const repC = new Float64Array(m);
  const repI = new Float64Array(m);
  const repW = new Float64Array(m);
  const repD = new Float64Array(m);
  for (let g = 0; g < m; g++) {
    const o = g * MEANS_LENGTH;
    const mu = jack.means;
    const what = `jackknife without cluster '${data.clusterIds[g]}'`;
    repC[g] = requireContrast(mu[o], mu[o + 1], scale, `${what}, cluster-average effect`);
    repI[g] = requireContrast(mu[o + 2], mu[o + 3], scale, `${what}, individual-average effect`);
    if (weighted) repW[g] = requireContrast(mu[o + 4], mu[o + 5], scale, `${what}, weighted effect`);
    repD[g] = repC[g] - repI[g];
  }
  const seC = jackknifeStdError(repC, thetaC, type);
  const seI = jackknifeStdError(repI, thetaI, type);
  const difference = thetaC - thetaI;
  const seD = jackknifeStdError(repD, difference, type);
  const ics = waldEstimate(difference, seD, df, level);

  const diagnostics: Diagnostic[] = [...data.diagnostics, ...fit.diagnostics];
  diagnostics.push(
    info(
      "mrs-jackknife",
      `standard errors: type ${type} delete-one-cluster jackknife over ${m} refits of the ${fit.working} working model; ` +
        `intervals and tests use t(${df})`,
    ),
  );
  diagnostics.push(info("mrs-probability", `randomization probability: ${data.probabilitySource}`));
  if (scale !== "rd") {
    const name = scale === "rr" ? "ratio" : "odds ratio";
    diagnostics.push(
      info(
        "mrs-log-scale",
        `scale ${scale}: estimate and interval are on the ${name} scale; stdError, statistic and pValue are on the log ${name} scale; ` +
          `the ICS test compares log ${name}s`,
      ),
    );
  }
  if (jack.notConverged.length > 0) {
    const ids = jack.notConverged.map((g) => `'${data.clusterIds[g]}'`);
    diagnostics.push(
      warning(
        "mrs-jackknife-not-converged",
        `${ids.length} of ${m} jackknife refits did not converge (without cluster ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""})`,
      ),
    );
  }
  if (!fit.converged) diagnostics.push(warning("mrs-working-not-converged", `the ${fit.working} working model did not converge on the full data`));
  for (const [name, v] of [["Δ_C", seC], ["Δ_I", seI], ["Δ_C − Δ_I", seD]] as const) {
    if (!(v > 0)) diagnostics.push(warning("mrs-zero-se", `the jackknife standard error of ${name} is ${v}; its test and interval are degenerate`));
  }

  const coefWald = waldEstimate(fit.treatment.estimate, fit.treatment.stdError, df, level);
  diagnostics.push(
    info(
      "mrs-coefficient",
      `coefficient: the working model's treatment coefficient '${fit.treatment.term}' (${fit.treatment.scale}) with ${fit.treatment.se} standard error and t(${df})`,
    ),
  );
  const nTreated = data.treated.reduce((s, a) => s + a, 0);
  return Object.freeze({
    formula: data.formula,
    response: data.response,
    treatment: data.treatment,
    cluster: data.clusterColumn,
    working: fit.working,
    family: fit.family,
    link: fit.link,
    scale,
    jackknife: type,
    level,
    nClusters: m,
    nTreated,
    nObs: data.nObs,
    nDropped: data.nDropped,
    clusterAte: effectEstimate(thetaC, seC, df, level, scale),
    individualAte: effectEstimate(thetaI, seI, df, level, scale),
    weightedAte: weighted ? effectEstimate(thetaW, jackknifeStdError(repW, thetaW, type), df, level, scale) : null,
    icsTest: Object.freeze({ statistic: ics.statistic, df, pValue: ics.pValue, difference, stdError: seD }),
    means: Object.freeze({
      cluster: Object.freeze({ treated: means[0], control: means[1] }),
      individual: Object.freeze({ treated: means[2], control: means[3] }),
      weighted: weighted ? Object.freeze({ treated: means[4], control: means[5] }) : null,
    }),
    coefficient: Object.freeze({ term: fit.treatment.term, ...coefWald, se: fit.treatment.se, scale: fit.treatment.scale }),
    workingModel: Object.freeze({
      terms: fit.terms,
      estimates: Object.freeze(Array.from(fit.coefficients)),
      varianceBetween: fit.varianceBetween,
      varianceResidual: fit.varianceResidual,
      alpha: fit.alpha,
      converged: fit.converged,
    }),
    probability: data.probabilitySource,
    replicates: Object.freeze({
      clusterIds: data.clusterIds,
      clusterAte: Object.freeze(Array.from(repC)),
      individualAte: Object.freeze(Array.from(repI)),
      weightedAte: weighted ? Object.freeze(Array.from(repW)) : null,
    }),
    diagnostics: Object.freeze(diagnostics),
  });
}

/**
 * Model-robust standardization estimates of the cluster-average and
 * individual-average treatment effects with jackknife inference and the
 * informative-cluster-size test.
 *
 * @example
 * const res = mrs(data, "Y ~ X1 + X2 + cluster(H1 + N)", {
 *   cluster: "C", treatment: "A", working: "gee-exch", scale: "rd", jackknife: 1,
 * });
 * res.clusterAte;   // { estimate, stdError, df: m − 1, statistic, pValue, confLow, confHigh }
 * res.icsTest;      // { statistic, df, pValue, … }
 */
export function mrs(data: Dataset, formula: string, options: MrsOptions): MrsResult {
  checkOptions(options);
  const d = mrsData(data, formula, options);
  const model = fitWorking(d, options);
  const jack = jackknifeMeans(d, model, options.onProgress);
  return mrsSummary(d, model, jack, options);
}
