/**
 * Simulation studies of model-robust standardization (Li et al. 2025, §4):
 *
 * - `mrs-continuous`      §4.1: continuous outcome, non-informative cluster size (Table 1)
 * - `mrs-continuous-ics`  §4.2: continuous outcome, informative cluster size (Table 2)
 * - `mrs-binary`          §4.3: binary outcome, non-informative cluster size (Table 3)
 * - `mrs-binary-ics`      §4.4: binary outcome, informative cluster size (Table 4)
 * - `mrs-ics-test`        §4.6: the informative-cluster-size test (Table 5)
 *
 * Common design (mrs-trial.ts): m ∈ {30, 100} clusters of uniformly
 * distributed sizes with m·E(N) = 3000, simple randomization, a
 * treatment-effect random intercept; true values in mrs-truth.ts.
 *
 * Methods (§4.1, §4.3): for each working model (continuous: lm, lmm,
 * gee-exch, gee-ind; binary: glm = logistic model for the cluster proportions
 * (crtkit's `lm` working model with family binomial), glmm, gee-exch,
 * gee-ind), adjusted for X1, X2, H1, H2, N ("adj") or not ("unadj"): the
 * MRS estimator with its type-1 jackknife SE ("mrs") and the model's
 * treatment coefficient with its usual SE ("coef": HC3, CR3, Mancl–DeRouen,
 * model-based), all with t(m − 1) intervals. A coef method reports its
 * coefficient against both estimands, as the paper's tables do. Binary
 * estimands are log odds ratios (the paper's f).
 */
import { info } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import type { Dataset } from "../../data/dataset.ts";
import { qt } from "../../distributions/index.ts";
import { fitWorking, mrs, mrsData, type EffectScale, type WorkingName } from "../../estimands/index.ts";
import type { Estimate } from "../../core/records.ts";
import type { FamilyName } from "../../models/family/index.ts";
import { waldEstimate } from "../../inference/wald.ts";
import { integerParameter, numberParameter, stringParameter } from "../conditions.ts";
import { estimandRow } from "../rows.ts";
import type { AnalysisRow, MethodInfo, MethodSpec, Parameters, Scenario } from "../types.ts";
import { clusterSizeRange, isBinary, simulateMrsTrial, type MrsMechanism, type MrsSimDesign } from "./mrs-trial.ts";
import { mrsTruth, TRUTH_CLUSTERS } from "./mrs-truth.ts";

export { clusterSizeRange, simulateMrsTrial, type MrsMechanism, type MrsSimDesign } from "./mrs-trial.ts";
export { mrsTruth, TRUTH_CLUSTERS, type MrsTruth } from "./mrs-truth.ts";

interface WorkingChoice {
  /** Name in method names. */
  readonly label: string;
  readonly working: WorkingName;
  readonly family: FamilyName;
}

const CONTINUOUS_WORKING: readonly WorkingChoice[] = [
  { label: "lm", working: "lm", family: "gaussian" },
  { label: "lmm", working: "lmm", family: "gaussian" },
  { label: "gee-exch", working: "gee-exch", family: "gaussian" },
  { label: "gee-ind", working: "gee-ind", family: "gaussian" },
];
const BINARY_WORKING: readonly WorkingChoice[] = [
  { label: "glm", working: "lm", family: "binomial" },
  { label: "glmm", working: "glmm", family: "binomial" },
  { label: "gee-exch", working: "gee-exch", family: "binomial" },
  { label: "gee-ind", working: "gee-ind", family: "binomial" },
];

const ADJUSTED_FORMULA = "Y ~ X1 + X2 + cluster(H1 + H2 + N)";
const UNADJUSTED_FORMULA = "Y ~ 1";

function methodList(choices: readonly WorkingChoice[], kinds: readonly ("mrs" | "coef")[], adjustments: readonly ("adj" | "unadj")[]): MethodInfo[] {
  const out: MethodInfo[] = [];
  for (const w of choices) {
    for (const adj of adjustments) {
      for (const kind of kinds) {
        out.push({
          name: `${w.label}-${adj}-${kind}`,
          description: `${kind === "mrs" ? "model-robust standardization (type-1 jackknife)" : "treatment coefficient"} of the ${w.working}${
            w.family === "gaussian" ? "" : ` (${w.family})`
          } working model, ${adj === "adj" ? "adjusted for X1, X2, H1, H2, N" : "unadjusted"}`,
        });
      }
    }
  }
  return out;
}

function parseMethod(name: string, choices: readonly WorkingChoice[]): { choice: WorkingChoice; adjusted: boolean; kind: "mrs" | "coef" } {
  const m = /^(.*)-(adj|unadj)-(mrs|coef)$/.exec(name);
  const choice = m ? choices.find((c) => c.label === m[1]) : undefined;
  if (!m || !choice) throw new InputError(`unknown method '${name}'`);
  return { choice, adjusted: m[2] === "adj", kind: m[3] as "mrs" | "coef" };
}

/** An Estimate on the analysis scale (log for ratio scales). */
function analysisScale(e: Estimate, scale: EffectScale): Estimate {
  if (scale === "rd") return e;
  return { ...e, estimate: Math.log(e.estimate), confLow: Math.log(e.confLow), confHigh: Math.log(e.confHigh) };
}

function analyseMrs(data: Dataset, method: string, choices: readonly WorkingChoice[], estimands: readonly string[]): AnalysisRow[] {
  const { choice, adjusted, kind } = parseMethod(method, choices);
  const formula = adjusted ? ADJUSTED_FORMULA : UNADJUSTED_FORMULA;
  const scale: EffectScale = choice.family === "binomial" ? "or" : "rd";
  const options = { cluster: "cluster", treatment: "A", working: choice.working, family: choice.family };
  if (kind === "coef") {
    const d = mrsData(data, formula, options);
    const fit = fitWorking(d, options);
    const t = fit.full.treatment;
    const e = waldEstimate(t.estimate, t.stdError, d.nClusters - 1);
    return estimands.map((name) => estimandRow(name, e, fit.full.converged));
  }
  const res = mrs(data, formula, { ...options, scale, jackknife: 1 });
  const converged = res.workingModel.converged && !res.diagnostics.some((g) => g.code === "mrs-jackknife-not-converged");
  return estimands.map((name) => {
    if (name === "ics") {
      const t = res.icsTest;
      const q = qt(0.975, t.df);
      return {
        estimand: "ics",
        estimate: t.difference,
        stdError: t.stdError,
        df: t.df,
        confLow: t.difference - q * t.stdError,
        confHigh: t.difference + q * t.stdError,
        pValue: t.pValue,
        converged,
      };
    }
    return estimandRow(name, analysisScale(name === "clusterAte" ? res.clusterAte : res.individualAte, scale), converged);
  });
}

function readDesign(p: Parameters, mechanism: MrsMechanism): MrsSimDesign {
  const clusters = integerParameter(p, "clusters", 4);
  const delta = Object.hasOwn(p, "delta") ? numberParameter(p, "delta") : 0;
  return { mechanism, clusters, delta };
}

function checkClusters(p: Parameters): void {
  const clusters = integerParameter(p, "clusters", 4);
  const { lo } = clusterSizeRange(clusters);
  if (lo < 2) throw new InputError(`parameter 'clusters' = ${clusters} gives clusters of fewer than 2 members (m·E(N) = 3000); use at most 750`);
}

function effectScenario(
  name: string,
  mechanism: MrsMechanism,
  description: string,
): Scenario<Dataset> {
  const choices = isBinary(mechanism) ? BINARY_WORKING : CONTINUOUS_WORKING;
  const estimands = ["clusterAte", "individualAte"] as const;
  return {
    name,
    description,
    defaults: { clusters: 30 },
    grid: { clusters: [30, 100] },
    estimands,
    methods: methodList(choices, ["mrs", "coef"], ["unadj", "adj"]),
    validate: checkClusters,
    truth: (p) => {
      const t = mrsTruth(readDesign(p, mechanism));
      return { clusterAte: t.clusterAte, individualAte: t.individualAte };
    },
    notes: (p) => [
      info(
        "mrs-truth",
        isBinary(mechanism)
          ? `true log odds ratios from a simulated super-population of ${TRUTH_CLUSTERS} clusters (potential-outcome probabilities averaged); ` +
            `Monte Carlo SE ${mrsTruth(readDesign(p, mechanism)).mcse.toPrecision(2)}`
          : "true values in closed form over the cluster-size distribution",
      ),
      info("mrs-sizes", `cluster sizes uniform on ${clusterSizeRange(integerParameter(p, "clusters", 4)).lo}–${clusterSizeRange(integerParameter(p, "clusters", 4)).hi}`),
    ],
    generate: (p, rng) => simulateMrsTrial(readDesign(p, mechanism), rng),
    analyse: (data: Dataset, _p: Parameters, spec: MethodSpec) => analyseMrs(data, spec.method, choices, estimands),
  };
}

export const mrsContinuousScenario = effectScenario(
  "mrs-continuous",
  "continuous",
  "Li et al. (2025), §4.1 (Table 1): continuous outcome, non-informative cluster size; MRS vs treatment coefficient for LM, LMM, GEE-exch, GEE-ind",
);
export const mrsContinuousIcsScenario = effectScenario(
  "mrs-continuous-ics",
  "continuous-ics",
  "Li et al. (2025), §4.2 (Table 2): continuous outcome, informative cluster size",
);
export const mrsBinaryScenario = effectScenario(
  "mrs-binary",
  "binary",
  "Li et al. (2025), §4.3 (Table 3): binary outcome, non-informative cluster size, log odds ratio; GLM, GLMM, GEE-exch, GEE-ind",
);
export const mrsBinaryIcsScenario = effectScenario(
  "mrs-binary-ics",
  "binary-ics",
  "Li et al. (2025), §4.4 (Table 4): binary outcome, informative cluster size, log odds ratio",
);

/**
 * Working models of §4.6 under the column names of Table 5: `lm` is the LM on
 * cluster means (continuous) or the logistic GLM on cluster proportions
 * (binary); `lmm` is the LMM (continuous) or the logistic GLMM (binary).
 */
const TEST_CHOICES: Record<"continuous" | "binary", readonly WorkingChoice[]> = {
  continuous: CONTINUOUS_WORKING,
  binary: [
    { label: "lm", working: "lm", family: "binomial" },
    { label: "lmm", working: "glmm", family: "binomial" },
    { label: "gee-exch", working: "gee-exch", family: "binomial" },
    { label: "gee-ind", working: "gee-ind", family: "binomial" },
  ],
};

export const mrsIcsTestScenario: Scenario<Dataset> = {
  name: "mrs-ics-test",
  description:
    "Li et al. (2025), §4.6 (Table 5): the informative-cluster-size test (Δ_C − Δ_I; log odds ratios for binary outcomes), covariate-adjusted working models",
  defaults: { outcome: "continuous", clusters: 30, delta: 0 },
  grid: { outcome: ["continuous", "binary"], clusters: [30, 100], delta: [0] },
  estimands: ["clusterAte", "individualAte", "ics"],
  methods: [
    { name: "lm-adj-mrs", description: "ICS test from the MRS estimators of the cluster-level working model (LM on cluster means; binary: logistic GLM on cluster proportions), adjusted" },
    { name: "lmm-adj-mrs", description: "ICS test with the random-intercept working model (LMM; binary: logistic GLMM), adjusted" },
    { name: "gee-exch-adj-mrs", description: "ICS test with the exchangeable GEE working model, adjusted" },
    { name: "gee-ind-adj-mrs", description: "ICS test with the independence GEE working model, adjusted" },
  ],
  validate(p) {
    checkClusters(p);
    const o = stringParameter(p, "outcome");
    if (o !== "continuous" && o !== "binary") throw new InputError(`parameter 'outcome' must be 'continuous' or 'binary'; got '${o}'`);
  },
  truth: (p) => {
    const outcome = stringParameter(p, "outcome") as "continuous" | "binary";
    return mrsTruth(readDesign(p, outcome === "binary" ? "test-binary" : "test-continuous")) as unknown as Record<string, number>;
  },
  notes: (p) => [
    info(
      "mrs-truth",
      stringParameter(p, "outcome") === "binary"
        ? `true log odds ratios from a simulated super-population of ${TRUTH_CLUSTERS} clusters; Monte Carlo SE ${mrsTruth(readDesign(p, "test-binary")).mcse.toPrecision(2)}`
        : "true values in closed form over the cluster-size distribution",
    ),
  ],
  generate: (p, rng) => {
    const outcome = stringParameter(p, "outcome");
    return simulateMrsTrial(readDesign(p, outcome === "binary" ? "test-binary" : "test-continuous"), rng);
  },
  analyse(data: Dataset, p: Parameters, spec: MethodSpec): AnalysisRow[] {
    const outcome = stringParameter(p, "outcome") as "continuous" | "binary";
    return analyseMrs(data, spec.method, TEST_CHOICES[outcome], ["clusterAte", "individualAte", "ics"]);
  },
};

export const mrsScenarios: readonly Scenario<Dataset>[] = [
  mrsContinuousScenario,
  mrsContinuousIcsScenario,
  mrsBinaryScenario,
  mrsBinaryIcsScenario,
  mrsIcsTestScenario,
];
