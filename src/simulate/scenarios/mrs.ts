/**
 * Simulation studies of model-robust standardization (Li et al. (2025), §4):
 *
 * - `mrs-continuous`      §4.1: continuous outcome, non-informative cluster size (Table 1)
 * - `mrs-continuous-ics`  §4.2: continuous outcome, informative cluster size (Table 2)
 * - `mrs-binary`          §4.3: binary outcome, non-informative cluster size (Table 3)
 * - `mrs-binary-ics`      §4.4: binary outcome, informative cluster size (Table 4)
 * - `mrs-ics-test`        §4.6: the informative-cluster-size test (Table 5)
 *
 * Common design: m ∈ {30, 100} clusters with m·E(N) = 3000, cluster sizes
 * N ~ discrete U{0.2·E(N), …, 1.8·E(N)} (20–180 for m = 30, 6–54 for
 * m = 100), A ~ Bernoulli(0.5) (simple randomization, π = 0.5), a
 * treatment-effect random intercept γ_i ~ N(0, 0.2). Covariates H1, H2
 * (cluster level) and X1, X2 (individual level) and the potential outcomes
 * follow the paper's formulas (see `linearParts` below).
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
 *
 * True values: continuous ones in closed form (the outcome differences are
 * linear in N² log N and γ, so Δ_C = E[Q], Δ_I = E[N·Q]/E[N] with Q the
 * cluster's effect; these reproduce the paper's super-population values
 * 5.92/8.15 and 4.48/6.25). Binary ones from a simulated super-population of
 * TRUTH_CLUSTERS clusters (the paper used 10⁷), averaging each individual's
 * potential-outcome probabilities rather than Bernoulli draws; they reproduce
 * the paper's 0.65, 0.91/1.24, 0.71/0.97, 0.878 and 0.863 to within their
 * Monte Carlo error (reported in the condition notes).
 */
import { info } from "../../core/diagnostics.ts";
import { InputError } from "../../core/errors.ts";
import { dataset, type Dataset } from "../../data/dataset.ts";
import { pnorm, qt } from "../../dist/index.ts";
import { fitWorking, mrs, mrsData, type EffectScale, type WorkingName } from "../../estimands/index.ts";
import type { Estimate } from "../../core/records.ts";
import type { FamilyName } from "../../models/family/index.ts";
import { waldEstimate } from "../../inference/wald.ts";
import { gaussHermite } from "../../models/glmm/index.ts";
import { createRng, type Rng } from "../../random/rng.ts";
import { integerParameter, numberParameter, stringParameter } from "../conditions.ts";
import { estimandRow } from "../rows.ts";
import type { AnalysisRow, MethodInfo, MethodSpec, Parameters, Scenario } from "../types.ts";

/** Which data-generating mechanism of Li et al. (2025), §4. */
export type MrsMechanism = "continuous" | "continuous-ics" | "binary" | "binary-ics" | "test-continuous" | "test-binary";

const MECHANISMS: readonly MrsMechanism[] = ["continuous", "continuous-ics", "binary", "binary-ics", "test-continuous", "test-binary"];

/** Super-population size for the binary true values (Monte Carlo SE of the truths ≈ 3e-4 on the log-odds-ratio scale, ≈ 2e-3 with informative cluster size). */
export const TRUTH_CLUSTERS = 100_000;

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

export interface MrsSimDesign {
  readonly mechanism: MrsMechanism;
  readonly clusters: number;
  /** δ of §4.6 (0 elsewhere). */
  readonly delta: number;
}

/** E(N) = 3000/m and the support of N. */
export function clusterSizeRange(clusters: number): { readonly mean: number; readonly lo: number; readonly hi: number } {
  const mean = 3000 / clusters;
  return { mean, lo: Math.round(0.2 * mean), hi: Math.round(1.8 * mean) };
}

/** One cluster's covariates. */
interface ClusterDraw {
  readonly size: number;
  readonly h1: number;
  readonly h2: number;
  readonly gamma: number;
}

function drawCluster(mech: MrsMechanism, lo: number, hi: number, en: number, rng: Rng): ClusterDraw {
  const size = lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let h1: number;
  let h2: number;
  switch (mech) {
    case "continuous":
    case "test-continuous":
      h1 = rng.uniform() < pnorm(Math.sin(en)) ? 1 : 0;
      h2 = 2 + (h1 * en) / 10 + 3 * rng.normal();
      break;
    case "continuous-ics":
      h1 = rng.uniform() < pnorm(Math.sin(size)) ? 1 : 0;
      h2 = 2 + (h1 * size) / 10 + 3 * rng.normal();
      break;
    case "binary":
    case "test-binary":
      h1 = rng.uniform() < 0.5 ? 1 : 0;
      h2 = 3 + h1 + rng.normal();
      break;
    case "binary-ics":
      h1 = rng.uniform() < 0.5 ? 1 : 0;
      h2 = 2 + h1 + size / en + rng.normal();
      break;
  }
  const gamma = Math.sqrt(0.2) * rng.normal();
  return { size, h1, h2, gamma };
}

/** X1, X2 of one individual, written into xs[0], xs[1]. */
function drawIndividual(mech: MrsMechanism, c: ClusterDraw, en: number, rng: Rng, xs: Float64Array): void {
  const { size: n, h1, h2 } = c;
  let x1: number;
  let p2: number;
  switch (mech) {
    case "continuous":
    case "test-continuous":
      x1 = h1 * h2 + en / 100 + 4 * rng.normal();
      p2 = expit(Math.log(en) * x1 * h1 + h2);
      break;
    case "continuous-ics":
      x1 = h1 * h2 + n / 100 + 4 * rng.normal();
      p2 = expit(Math.log(n) * x1 * h1 + h2);
      break;
    case "binary":
    case "test-binary":
      x1 = h1 + h2 / 20 + 1 + 4 * rng.normal();
      p2 = expit(4 * h1 * x1 + h2);
      break;
    case "binary-ics":
      x1 = h1 + h2 / 20 + n / 100 + 4 * rng.normal();
      p2 = expit(Math.log(n) * h1 * x1 + h2);
      break;
  }
  xs[0] = x1;
  xs[1] = rng.uniform() < p2 ? 1 : 0;
}

/**
 * The potential outcome's mean (continuous) or log-odds (binary) under
 * control (`base`) and the cluster's treatment effect without γ (`effect`):
 * Y(a) has mean / logit base + a·(effect + γ).
 */
function linearParts(mech: MrsMechanism, c: ClusterDraw, x1: number, x2: number, en: number, delta: number): [number, number] {
  const { size: n, h1, h2 } = c;
  const q = (n * n * Math.log(n)) / (en * en);
  switch (mech) {
    case "continuous":
      return [3 + (h1 * x1 * x1) / (5 * en) + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), -3];
    case "continuous-ics":
      return [(h1 * x1 * x1) / (5 * n) - q + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), q];
    case "test-continuous":
      return [(h1 * x1 * x1) / (5 * en) + Math.cos(h2) * x2 + Math.abs(h2) * Math.sin(x2), delta * q + 1];
    case "binary":
      return [-0.8 + (x1 * x1) / 100 + h1 + Math.cos(h2) * x2 + Math.abs(h2) / 5, 0.8];
    case "binary-ics":
      return [-q / 5 + (x1 * x1) / (2 * n) + h1 + Math.cos(h2) * x2 + Math.abs(h2) / 5, q / 5];
    case "test-binary":
      return [
        (x1 * x1) / (2 * en) + h1 / 2 + Math.cos(h2) * x2 + Math.abs(h2) / 10,
        (delta * n * n * Math.log(n / en)) / (5 * en * en) + 1,
      ];
  }
}

function isBinary(mech: MrsMechanism): boolean {
  return mech === "binary" || mech === "binary-ics" || mech === "test-binary";
}

/** One simulated trial: columns cluster, A, Y, X1, X2, H1, H2 (rows cluster by cluster). */
export function simulateMrsTrial(design: MrsSimDesign, rng: Rng): Dataset {
  const { mechanism: mech, clusters: m, delta } = design;
  const { mean: en, lo, hi } = clusterSizeRange(m);
  const draws: ClusterDraw[] = [];
  const arms = new Uint8Array(m);
  let n = 0;
  for (let i = 0; i < m; i++) {
    const c = drawCluster(mech, lo, hi, en, rng);
    draws.push(c);
    arms[i] = rng.uniform() < 0.5 ? 1 : 0;
    n += c.size;
  }
  const cluster = new Float64Array(n);
  const A = new Float64Array(n);
  const Y = new Float64Array(n);
  const X1 = new Float64Array(n);
  const X2 = new Float64Array(n);
  const H1 = new Float64Array(n);
  const H2 = new Float64Array(n);
  const xs = new Float64Array(2);
  const binary = isBinary(mech);
  let r = 0;
  for (let i = 0; i < m; i++) {
    const c = draws[i];
    const a = arms[i];
    for (let j = 0; j < c.size; j++, r++) {
      drawIndividual(mech, c, en, rng, xs);
      const [base, effect] = linearParts(mech, c, xs[0], xs[1], en, delta);
      const lin = base + a * (effect + c.gamma);
      cluster[r] = i + 1;
      A[r] = a;
      X1[r] = xs[0];
      X2[r] = xs[1];
      H1[r] = c.h1;
      H2[r] = c.h2;
      Y[r] = binary ? (rng.uniform() < expit(lin) ? 1 : 0) : lin + rng.normal();
    }
  }
  const col = (name: string, values: Float64Array) => ({ name, kind: "numeric" as const, values });
  return dataset([col("cluster", cluster), col("A", A), col("Y", Y), col("X1", X1), col("X2", X2), col("H1", H1), col("H2", H2)]);
}

/** True Δ_C, Δ_I (log odds ratios for binary outcomes) and their difference. */
export interface MrsTruth {
  readonly clusterAte: number;
  readonly individualAte: number;
  readonly ics: number;
  /** Monte Carlo SE of the super-population truths (10 batches); 0 for closed forms. */
  readonly mcse: number;
}

const truthCache = new Map<string, MrsTruth>();

/**
 * True values. Continuous: closed form over the discrete uniform N.
 * Binary: a super-population of `superClusters` clusters (fixed random stream),
 * averaging potential-outcome probabilities (γ integrated by 8-point
 * Gauss–Hermite quadrature), with a Monte Carlo SE from 10 batches. Cached
 * per design.
 */
export function mrsTruth(design: MrsSimDesign, superClusters = TRUTH_CLUSTERS): MrsTruth {
  const key = `${design.mechanism}|${design.clusters}|${design.delta}|${superClusters}`;
  const cached = truthCache.get(key);
  if (cached) return cached;
  const { mechanism: mech, clusters, delta } = design;
  const { mean: en, lo, hi } = clusterSizeRange(clusters);
  let truth: MrsTruth;
  if (!isBinary(mech)) {
    // Effect of cluster i: effect(N) + γ_i (mean 0); E over N ~ U{lo..hi}.
    let sQ = 0;
    let sNQ = 0;
    let sN = 0;
    for (let n = lo; n <= hi; n++) {
      const q = (n * n * Math.log(n)) / (en * en);
      const eff = mech === "continuous" ? -3 : mech === "continuous-ics" ? q : delta * q + 1;
      sQ += eff;
      sNQ += n * eff;
      sN += n;
    }
    const k = hi - lo + 1;
    const c = sQ / k;
    const i = sNQ / sN;
    truth = { clusterAte: c, individualAte: i, ics: c - i, mcse: 0 };
  } else {
    const rng = createRng(20250214, MECHANISMS.indexOf(mech), clusters, Math.round(delta * 1000));
    const gh = gaussHermite(8);
    const xs = new Float64Array(2);
    const batches = 10;
    const sums = new Float64Array(batches * 5); // per batch: c1, c0, i1, i0, n
    for (let s = 0; s < superClusters; s++) {
      const c = drawCluster(mech, lo, hi, en, rng);
      let p1 = 0;
      let p0 = 0;
      for (let j = 0; j < c.size; j++) {
        drawIndividual(mech, c, en, rng, xs);
        const [base, effect] = linearParts(mech, c, xs[0], xs[1], en, delta);
        p0 += expit(base);
        const e1 = base + effect;
        for (let k = 0; k < gh.nodes.length; k++) p1 += gh.weights[k] * expit(e1 + Math.sqrt(0.2) * gh.nodes[k]);
      }
      const o = (s % batches) * 5;
      sums[o] += p1 / c.size;
      sums[o + 1] += p0 / c.size;
      sums[o + 2] += p1;
      sums[o + 3] += p0;
      sums[o + 4] += c.size;
    }
    const logit = (p: number) => Math.log(p / (1 - p));
    const effects = (b0: number, b1: number): [number, number] => {
      let c1 = 0, c0 = 0, i1 = 0, i0 = 0, nTot = 0, k = 0;
      for (let b = b0; b < b1; b++) {
        const o = b * 5;
        c1 += sums[o];
        c0 += sums[o + 1];
        i1 += sums[o + 2];
        i0 += sums[o + 3];
        nTot += sums[o + 4];
        k += Math.floor(superClusters / batches) + (b < superClusters % batches ? 1 : 0);
      }
      return [logit(c1 / k) - logit(c0 / k), logit(i1 / nTot) - logit(i0 / nTot)];
    };
    const [clusterAte, individualAte] = effects(0, batches);
    let ss = 0;
    for (let b = 0; b < batches; b++) {
      const [cb, ib] = effects(b, b + 1);
      ss += (cb - clusterAte) ** 2 + (ib - individualAte) ** 2;
    }
    // Pooled over both estimands: SE of a batch value / √batches.
    const mcse = Math.sqrt(ss / (2 * (batches - 1)) / batches);
    truth = { clusterAte, individualAte, ics: clusterAte - individualAte, mcse };
  }
  truthCache.set(key, truth);
  return truth;
}

// ------------------------------------------------------------------ methods

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
