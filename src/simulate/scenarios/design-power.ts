/**
 * Power of a two-arm parallel cluster-randomized trial by simulation: the
 * scenarios `design-power` (estimand `ate`) and `design-power-hte` (an
 * individual-level binary effect modifier; estimands `ate` and `hte`,
 * optionally with the modifier partly missing). The simulated trials are
 * those of design-power-trial.ts.
 *
 * Methods. `design-power`: cluster-t (pooled t test on unweighted cluster
 * means, df 2k − 2), gee (Gaussian identity-link GEE, exchangeable, robust
 * sandwich SE, normal reference), gee-md (the same with the Mancl–DeRouen SE
 * and t(2k − 2)), lmm (random-intercept LMM by REML, t(2k − 2)), lm-cr2
 * (individual-level least squares, CR2 SE, Satterthwaite df). Binary
 * outcomes use the same identity-link models (linear probability models),
 * which estimate the risk difference. `design-power-hte`: gee, gee-md, lmm
 * and lm-cr2 for `Y ~ A*Mc` (Mc = M centred at its mean over the rows
 * analysed; ate = coefficient of A, hte = of A:Mc) on the rows with M
 * observed (all rows without missingness; with it, these are complete-case
 * analyses), with the same reference distributions (lmm and gee-md: t(2k − 2)
 * for both estimands, conservative for the interaction); and the
 * missing-modifier methods cca, si, mi, mmi and bmmi (src/missing, through
 * runMethod) with their own inference.
 *
 * Truth: ate = effect, hte = interaction, by construction.
 */
import { info, type Diagnostic } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { Estimate } from "../../core/records.ts";
import { dataset, type Dataset } from "../../data/dataset.ts";
import type { ModelFrame } from "../../formula/types.ts";
import { waldEstimate } from "../../inference/wald.ts";
import { matrix } from "../../linalg/matrix.ts";
import { GIBBS_DEFAULTS } from "../../missing/gibbs.ts";
import { METHOD_NAMES, usesImputationModel } from "../../missing/result.ts";
import { gee } from "../../models/gee/index.ts";
import { lm } from "../../models/lm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import type { Rng } from "../../random/rng.ts";
import { estimandRow } from "../rows.ts";
import type { AnalysisRow, MethodInfo, MethodSpec, Parameters, Scenario } from "../types.ts";
import { missingMethodSettings, missingModifierRows } from "./missing-modifier-study.ts";
import {
  clusterSizeDistribution,
  missingIntercept,
  readPowerDesign,
  simulateDesignTrial,
  type DesignTrial,
} from "./design-power-trial.ts";

export {
  clusterSizeDistribution,
  missingIntercept,
  readPowerDesign,
  simulateDesignTrial,
  type ClusterSizeDistribution,
  type DesignOutcome,
  type DesignTrial,
  type MissingMechanism,
  type PowerDesign,
} from "./design-power-trial.ts";

// ---------------------------------------------------------------------------
// Analyses

const ROW_ESTIMANDS = { ate: "A", hte: "A:Mc" } as const;

/** Pooled two-sample t test on unweighted cluster means, df = 2k − 2 (clusters − 2). */
export function clusterMeansT(trial: DesignTrial): Estimate {
  const C = trial.treated.length;
  let n1 = 0, s1 = 0, n0 = 0, s0 = 0;
  const means = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let r = trial.starts[c]; r < trial.starts[c + 1]; r++) s += trial.y[r];
    means[c] = s / (trial.starts[c + 1] - trial.starts[c]);
    if (trial.treated[c] === 1) {
      n1++;
      s1 += means[c];
    } else {
      n0++;
      s0 += means[c];
    }
  }
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let ss = 0;
  for (let c = 0; c < C; c++) {
    const dev = means[c] - (trial.treated[c] === 1 ? m1 : m0);
    ss += dev * dev;
  }
  const df = C - 2;
  return waldEstimate(m1 - m0, Math.sqrt((ss / df) * (1 / n1 + 1 / n0)), df);
}

/**
 * The model frame of a trial: `y ~ A` (no modifier) or `y ~ A*Mc` on the rows
 * with the modifier observed, Mc centred at its mean over those rows.
 * Clusters left without rows are removed. With `random` the frame carries
 * the random intercept `(1 | cluster)`.
 */
export function trialFrame(trial: DesignTrial, random: boolean): ModelFrame {
  const C = trial.treated.length;
  const m = trial.modifier;
  const N = trial.y.length;
  let used = N;
  let centre = 0;
  if (m) {
    used = 0;
    let s = 0;
    for (let r = 0; r < N; r++) {
      if (Number.isNaN(m[r])) continue;
      used++;
      s += m[r];
    }
    centre = s / used;
  }
  const p = m ? 4 : 2;
  const x = new Float64Array(used * p);
  const y = new Float64Array(used);
  const rows = new Int32Array(used);
  const dropped = new Int32Array(N - used);
  const starts: number[] = [0];
  const ids: string[] = [];
  let i = 0;
  let j = 0;
  for (let c = 0; c < C; c++) {
    const a = trial.treated[c];
    for (let r = trial.starts[c]; r < trial.starts[c + 1]; r++) {
      if (m && Number.isNaN(m[r])) {
        dropped[j++] = r;
        continue;
      }
      const o = i * p;
      x[o] = 1;
      x[o + 1] = a;
      if (m) {
        const mc = m[r] - centre;
        x[o + 2] = mc;
        x[o + 3] = a * mc;
      }
      y[i] = trial.y[r];
      rows[i] = r;
      i++;
    }
    if (i > starts[starts.length - 1]) {
      starts.push(i);
      ids.push(String(c + 1));
    }
  }
  const diagnostics: Diagnostic[] = [];
  return {
    formula: m ? (random ? "Y ~ A*Mc + (1 | cluster)" : "Y ~ A*Mc") : random ? "Y ~ A + (1 | cluster)" : "Y ~ A",
    response: "Y",
    y,
    X: matrix(used, p, x),
    columnNames: m ? ["(Intercept)", "A", "Mc", "A:Mc"] : ["(Intercept)", "A"],
    rows,
    droppedRows: dropped,
    nDropped: N - used,
    clusters: { column: "cluster", ids, starts: Int32Array.from(starts) },
    randomTerms: random ? [{ term: "(Intercept)", group: "cluster" }] : [],
    diagnostics,
  };
}

/** Model-based analyses; one row per estimand of `estimands`. */
function modelRows(trial: DesignTrial, method: string, estimands: readonly ("ate" | "hte")[]): AnalysisRow[] {
  const tDf = 2 * trial.clustersPerArm - 2;
  const index = (e: "ate" | "hte"): number => (e === "ate" ? 1 : 3);
  switch (method) {
    case "gee":
    case "gee-md": {
      const fit = gee(trialFrame(trial, false), { family: "gaussian", corstr: "exchangeable", se: method === "gee" ? "robust" : "md" });
      const p = fit.coefficients.length;
      return estimands.map((e) => {
        const j = index(e);
        const se = Math.sqrt(fit.vcov[j * p + j]);
        return estimandRow(e, waldEstimate(fit.coefficients[j], se, method === "gee" ? null : tDf), fit.converged);
      });
    }
    case "lmm": {
      const fit = lmm(trialFrame(trial, true));
      const p = fit.coefficients.length;
      return estimands.map((e) => {
        const j = index(e);
        return estimandRow(e, waldEstimate(fit.coefficients[j], Math.sqrt(fit.vcov[j * p + j]), tDf), fit.converged);
      });
    }
    case "lm-cr2": {
      const fit = lm(trialFrame(trial, false), { vcov: "CR2" });
      return estimands.map((e) => {
        const c = fit.table.find((x) => x.term === ROW_ESTIMANDS[e])!;
        return estimandRow(e, c);
      });
    }
    default:
      throw new InputError(`unknown method '${method}'`);
  }
}

/** The trial as a Dataset with columns cluster, A, M (NaN = missing), Y, for the missing-modifier methods. */
export function trialDataset(trial: DesignTrial): Dataset {
  const N = trial.y.length;
  const cluster = new Float64Array(N);
  const A = new Float64Array(N);
  for (let c = 0; c < trial.treated.length; c++) {
    cluster.fill(c + 1, trial.starts[c], trial.starts[c + 1]);
    A.fill(trial.treated[c], trial.starts[c], trial.starts[c + 1]);
  }
  return dataset([
    { name: "cluster", kind: "numeric", values: cluster },
    { name: "A", kind: "numeric", values: A },
    { name: "M", kind: "numeric", values: trial.modifier ?? new Float64Array(N) },
    { name: "Y", kind: "numeric", values: trial.y },
  ]);
}

function missingMethodRows(trial: DesignTrial, params: Parameters, spec: MethodSpec, rng: Rng): AnalysisRow[] {
  return missingModifierRows(trialDataset(trial), spec, missingMethodSettings(params), rng, ["ate", "hte"]);
}

// ---------------------------------------------------------------------------
// Scenarios

/** Methods of the `design-power` scenario. */
export const DESIGN_POWER_METHODS = ["cluster-t", "gee", "gee-md", "lmm", "lm-cr2"] as const;
/** Methods of the `design-power-hte` scenario. */
export const DESIGN_POWER_HTE_METHODS = ["gee", "gee-md", "lmm", "lm-cr2", ...METHOD_NAMES] as const;

/** How the missing-modifier methods that impute nothing treat the rows without M. */
const MISSING_METHOD_STEP: Readonly<Record<string, string>> = {
  cca: "after dropping rows without M",
  indicator: "with Mc = 0 and a missingness indicator and its interaction with A for rows without M",
};

const MODEL_METHODS: readonly MethodInfo[] = [
  { name: "gee", description: "GEE, Gaussian identity link, exchangeable, robust sandwich SE, normal reference" },
  { name: "gee-md", description: "the same GEE with the Mancl–DeRouen small-sample SE and t(2k − 2)" },
  { name: "lmm", description: "random-intercept LMM by REML, t(2k − 2)" },
  { name: "lm-cr2", description: "individual-level least squares, CR2 cluster-robust SE, Satterthwaite df" },
];

function sizeNote(p: Parameters): Diagnostic[] {
  const d = readPowerDesign(p);
  if (d.cv === 0) return [];
  const dist = clusterSizeDistribution(d.clusterSize, d.cv);
  return [
    info(
      "cluster-size-distribution",
      `cluster sizes max(1, round(Gamma)) with mean ${d.clusterSize} and cv ${d.cv}: realized mean ${dist.mean.toFixed(4)}, cv ${dist.cv.toFixed(4)}`,
    ),
  ];
}

const COMMON_DEFAULTS = { clustersPerArm: 10, clusterSize: 20, cv: 0, icc: 0.05 } as const;

/** `design-power`: the ATE of a two-arm parallel CRT, continuous or binary outcome. */
export const designPowerScenario: Scenario<DesignTrial> = {
  name: "design-power",
  description:
    "two-arm parallel CRT (continuous or beta-binomial binary outcome, gamma cluster sizes): power of cluster-t, gee, gee-md, lmm, lm-cr2 for the ATE",
  defaults: { ...COMMON_DEFAULTS, outcome: "continuous", effect: 0.5, sd: 1, p0: 0.3 },
  grid: { effect: [0, 0.5] },
  estimands: ["ate"],
  methods: [{ name: "cluster-t", description: "pooled t test on cluster means, df 2k − 2" }, ...MODEL_METHODS],
  validate: (p) => void readPowerDesign(p),
  truth: (p) => ({ ate: readPowerDesign(p).effect }),
  notes: (p) => {
    const d = readPowerDesign(p);
    const out = sizeNote(p);
    if (d.outcome === "binary") {
      out.push(
        info(
          "binary-outcome",
          `beta-binomial outcome: risks ${d.p0} (control) and ${Number((d.p0 + d.effect).toPrecision(12))} (intervention), ICC ${d.icc} on the proportion scale; ` +
            "the ATE is the risk difference, estimated by identity-link (linear probability) models",
        ),
      );
    }
    return out;
  },
  generate: simulateDesignTrial,
  analyse(trial: DesignTrial, _params: Parameters, spec: MethodSpec): AnalysisRow[] {
    if (spec.method === "cluster-t") return [estimandRow("ate", clusterMeansT(trial))];
    return modelRows(trial, spec.method, ["ate"]);
  },
};

/** `design-power-hte`: ATE and treatment-by-modifier interaction with a binary modifier, optionally partly missing. */
export const designPowerHteScenario: Scenario<DesignTrial> = {
  name: "design-power-hte",
  description:
    "two-arm parallel CRT with a binary individual-level effect modifier (optionally missing, MCAR or MAR on Y): power for the ATE and the HTE (A:M interaction)",
  defaults: {
    ...COMMON_DEFAULTS,
    clustersPerArm: 20,
    effect: 0.5,
    sd: 1,
    prevalence: 0.5,
    modifierIcc: 0.1,
    interaction: 0.5,
    modifierEffect: 0,
    missingRate: 0,
    missingMechanism: "mcar",
    missingSlope: 1,
    imputations: 5,
    burnin: GIBBS_DEFAULTS.burnin,
    thin: GIBBS_DEFAULTS.thin,
  },
  grid: { interaction: [0, 0.5] },
  estimands: ["ate", "hte"],
  methods: [
    ...MODEL_METHODS,
    ...METHOD_NAMES.map((name) => ({
      name,
      usesImputationModel: usesImputationModel(name),
      description: `missing-modifier method ${name} (GEE Y ~ A*Mc ${MISSING_METHOD_STEP[name] ?? "after imputing M"})`,
    })),
  ],
  defaultMethods: ["gee", "gee-md", "lmm", "lm-cr2"],
  defaultImputationModels: ["M ~ A*Y"],
  validate: (p) => {
    readPowerDesign(p);
    missingMethodSettings(p);
  },
  truth: (p) => {
    const d = readPowerDesign(p);
    return { ate: d.effect, hte: d.modifier!.interaction };
  },
  notes: (p) => {
    const d = readPowerDesign(p);
    const out = sizeNote(p);
    const miss = d.missing;
    if (miss) {
      out.push(
        info(
          "missing-modifier",
          miss.mechanism === "mcar"
            ? `modifier missing completely at random with probability ${miss.rate}; gee, gee-md, lmm and lm-cr2 analyse the complete cases`
            : `modifier missing at random given Y: logit P(missing) = ${missingIntercept(miss.rate, miss.slope).toFixed(4)} + ${miss.slope}·(Y − μ̄)/σ̄ ` +
                `(rate ≈ ${miss.rate} under a normal approximation to Y); gee, gee-md, lmm and lm-cr2 analyse the complete cases`,
        ),
      );
    }
    return out;
  },
  generate: simulateDesignTrial,
  analyse(trial: DesignTrial, params: Parameters, spec: MethodSpec, rng: Rng): AnalysisRow[] {
    if ((METHOD_NAMES as readonly string[]).includes(spec.method)) return missingMethodRows(trial, params, spec, rng);
    return modelRows(trial, spec.method, ["ate", "hte"]);
  },
};
