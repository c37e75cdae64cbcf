/**
 * Power by simulation: the design is simulated `reps` times (scenarios
 * `design-power` and `design-power-hte`, src/simulate/scenarios/design-power.ts),
 * each simulated trial is analysed by the chosen methods, and the power is
 * the rejection rate (two-sided p ≤ α) with its Monte Carlo SE
 * √(P(1 − P)/reps). Coverage, bias and SEs come with it, and so does the
 * closed-form power of the same design for comparison:
 *
 * - `design-power`: `power()` (power.ts) with the same mean cluster size, cv
 *   and ICC, t quantiles with 2(k − 1) df for methods with a t reference
 *   (cluster-t, gee-md, lmm, lm-cr2) and normal quantiles for gee. The
 *   closed-form value reported is `powerTwoSided` (it counts rejections in
 *   either direction, as the simulated rejection rate does). With t
 *   quantiles that closed form is the shifted-central-t approximation; for a
 *   continuous outcome with equal cluster sizes and cluster-t, the test
 *   statistic has an exactly noncentral t(2k − 2) distribution, and
 *   `exactPower` gives its power (`noncentralTPower`, by numerical
 *   integration).
 * - `design-power-hte`: `htePower()` / `atePower()` (Yang et al. 2020, normal
 *   reference), over the exact cluster-size distribution of the simulation
 *   (1000 equally likely quantiles) and, with a missing modifier, over
 *   Binomial(n, 1 − rate) retained sizes for the HTE and for the
 *   complete-case analyses (gee, gee-md, lmm, lm-cr2, cca) — exact for a
 *   complete-case analysis under MCAR, an approximation otherwise — while
 *   the ATE of the imputation methods (si, mi, mmi, bmmi), which keep every
 *   outcome, uses all rows.
 * - Under the null (effect or interaction 0) the closed-form rejection rate is α.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { pchisq, qt } from "../distributions/index.ts";
import { listScenarios, registerScenario } from "../simulate/registry.ts";
import { canonicalParameters } from "../simulate/conditions.ts";
import { runSimulation } from "../simulate/runner.ts";
import {
  clusterSizeDistribution,
  DESIGN_POWER_HTE_METHODS,
  DESIGN_POWER_METHODS,
  designPowerHteScenario,
  designPowerScenario,
  readPowerDesign,
  type PowerDesign,
} from "../simulate/scenarios/design-power.ts";
import type { ParamValue, Parameters, Progress, SummaryRow } from "../simulate/types.ts";
import { atePower, htePower, type AttritionSpec } from "./hte.ts";
import { power } from "./power.ts";
import { checkFinite, checkInteger, checkOpenUnit } from "./validate.ts";

// Worker threads find the scenarios by importing this module (until they are built in).
for (const s of [designPowerScenario, designPowerHteScenario]) {
  if (!listScenarios().some((x) => x.name === s.name)) registerScenario({ ...s, module: import.meta.url });
}

/** Analysis methods: the model-based ones, and (with a modifier) the missing-modifier methods. */
export type PowerMethod = (typeof DESIGN_POWER_HTE_METHODS)[number] | "cluster-t";

/** A two-arm parallel CRT to simulate. */
export interface SimulatedDesign {
  readonly clustersPerArm: number;
  /** Cluster size (the mean size when cv > 0; a whole number when cv = 0). */
  readonly clusterSize: number;
  /** Coefficient of variation of cluster sizes (gamma-distributed sizes, rounded, at least 1); default 0. */
  readonly cv?: number;
  /** Outcome ICC (given the modifier when there is one; proportion scale for a binary outcome). */
  readonly icc: number;
  readonly outcome:
    /** Mean difference `effect`, total SD `sd` (SD given the modifier when there is one). */
    | { readonly type: "continuous"; readonly effect: number; readonly sd: number }
    /** Control risk `p0`, risk difference `effect` (beta-binomial; no modifier). */
    | { readonly type: "binary"; readonly p0: number; readonly effect: number };
  /** A binary individual-level effect modifier (continuous outcomes only); `effect` is then the ATE averaged over it. */
  readonly modifier?: {
    readonly prevalence: number;
    /** Within-cluster correlation of the modifier, in [0, 1). */
    readonly icc: number;
    /** Treatment-by-modifier interaction (the HTE). */
    readonly interaction: number;
    /** Main effect of the modifier; default 0. */
    readonly mainEffect?: number;
  };
  /** Missing modifier values (needs `modifier`). */
  readonly missing?: {
    readonly rate: number;
    /** "mcar" (default) or "mar" (on Y). */
    readonly mechanism?: "mcar" | "mar";
    /** Log-odds of missingness per SD of Y under MAR; default 1. */
    readonly slope?: number;
  };
}

export interface PowerSimulationOptions {
  readonly design: SimulatedDesign;
  /** Default: ["cluster-t"] without a modifier, ["gee"] with one. */
  readonly methods?: readonly PowerMethod[];
  /** Imputation models of si, mi, mmi, bmmi (default "M ~ A*Y"). */
  readonly imputationModels?: readonly string[];
  /** Completed data sets of mi, mmi, bmmi (default 5); B-MMI burn-in and thinning (defaults 1000, 100). */
  readonly imputations?: number;
  readonly burnin?: number;
  readonly thin?: number;
  /** Replicates (default 1000). */
  readonly reps?: number;
  /** Non-negative integer seed. */
  readonly seed: number;
  /** Worker threads (default: available cores); the result does not depend on it. */
  readonly workers?: number;
  /** Two-sided significance level (default 0.05). */
  readonly alpha?: number;
  /** Store the replicates in (and resume from) this directory; default: in memory. */
  readonly outDir?: string;
  readonly onProgress?: (progress: Progress) => void;
}

/** The closed form a simulated power is compared with. */
export interface ClosedFormPower {
  /** Which formula: "power" (power.ts), "htePower" or "atePower" (hte.ts). */
  readonly formula: "power" | "htePower" | "atePower";
  /** One-tail power (the inverse of the sample-size formula). */
  readonly power: number;
  /** Two-sided power: the closed-form counterpart of the simulated rejection rate. */
  readonly powerTwoSided: number;
  readonly standardError: number;
  readonly noncentrality: number;
  readonly criticalValue: number;
  /** t df (2k − 2) or null for normal quantiles. */
  readonly df: number | null;
  readonly designEffect: number;
}

/** Simulated power of one method for one estimand, with the closed form beside it. */
export interface PowerEstimate {
  readonly method: string;
  readonly imputationModel: string;
  readonly estimand: string;
  readonly truth: number;
  /** Rejection rate: power, or the type I error rate when truth = 0. */
  readonly power: number | null;
  readonly powerMcse: number | null;
  /** Two-sided closed-form power (α under the null); null when no closed form applies. */
  readonly closedFormPower: number | null;
  readonly closedForm: ClosedFormPower | null;
  /** Exact power of the cluster-means t test (noncentral t; continuous outcome, equal sizes, cluster-t); else null. */
  readonly exactPower: number | null;
  readonly coverage: number | null;
  readonly coverageMcse: number | null;
  readonly bias: number | null;
  readonly biasMcse: number | null;
  readonly empSe: number | null;
  readonly modelSe: number | null;
  /** Replicates used, and those whose analysis failed (excluded). */
  readonly nReps: number;
  readonly nFailed: number;
}

export interface PowerSimulationResult {
  readonly scenario: "design-power" | "design-power-hte";
  /** The scenario parameters simulated. */
  readonly parameters: Readonly<Record<string, ParamValue>>;
  readonly reps: number;
  readonly seed: number;
  readonly alpha: number;
  readonly estimates: readonly PowerEstimate[];
  readonly diagnostics: readonly Diagnostic[];
  /** Wall-clock seconds (not part of the deterministic output). */
  readonly seconds: number;
  readonly workers: number;
  readonly outDir: string | null;
}

// ---------------------------------------------------------------------------
// Stage 1: design → scenario parameters

/**
 * The scenario and parameters that simulate `design` (validated).
 *
 * @example
 * designParameters({ clustersPerArm: 10, clusterSize: 20, icc: 0.05, outcome: { type: "continuous", effect: 0.5, sd: 1 } });
 * // → { scenario: "design-power", parameters: { clustersPerArm: 10, clusterSize: 20, cv: 0, icc: 0.05, outcome: "continuous", effect: 0.5, sd: 1, p0: 0.3 } }
 */
export function designParameters(
  design: SimulatedDesign,
  settings: { readonly imputations?: number; readonly burnin?: number; readonly thin?: number } = {},
): { scenario: "design-power" | "design-power-hte"; parameters: Record<string, ParamValue> } {
  if (design === null || typeof design !== "object") throw new InputError(`design must be an object, got ${String(design)}`);
  const o = design.outcome;
  if (o === null || typeof o !== "object" || (o.type !== "continuous" && o.type !== "binary")) {
    throw new InputError(`design.outcome must be { type: "continuous", effect, sd } or { type: "binary", p0, effect }, got ${JSON.stringify(o)}`);
  }
  const common: Record<string, ParamValue> = {
    clustersPerArm: checkInteger(design.clustersPerArm, "clustersPerArm", 2),
    clusterSize: checkFinite(design.clusterSize, "clusterSize"),
    cv: checkFinite(design.cv ?? 0, "cv"),
    icc: checkFinite(design.icc, "icc"),
    effect: checkFinite(o.effect, "outcome.effect"),
  };
  if (design.missing !== undefined && design.modifier === undefined) {
    throw new InputError("design.missing describes missing modifier values, but the design has no modifier");
  }
  if (design.modifier === undefined) {
    const parameters = {
      ...common,
      outcome: o.type,
      sd: o.type === "continuous" ? checkFinite(o.sd, "outcome.sd") : designPowerScenario.defaults.sd,
      p0: o.type === "binary" ? checkFinite(o.p0, "outcome.p0") : designPowerScenario.defaults.p0,
    };
    readPowerDesign(parameters);
    return { scenario: "design-power", parameters };
  }
  if (o.type !== "continuous") {
    throw new InputError("a design with an effect modifier needs a continuous outcome (the binary outcome is supported without a modifier)");
  }
  const m = design.modifier;
  const miss = design.missing;
  const d = designPowerHteScenario.defaults;
  const parameters: Record<string, ParamValue> = {
    ...common,
    sd: checkFinite(o.sd, "outcome.sd"),
    prevalence: checkFinite(m.prevalence, "modifier.prevalence"),
    modifierIcc: checkFinite(m.icc, "modifier.icc"),
    interaction: checkFinite(m.interaction, "modifier.interaction"),
    modifierEffect: checkFinite(m.mainEffect ?? 0, "modifier.mainEffect"),
    missingRate: checkFinite(miss?.rate ?? 0, "missing.rate"),
    missingMechanism: miss?.mechanism ?? "mcar",
    missingSlope: checkFinite(miss?.slope ?? 1, "missing.slope"),
    imputations: settings.imputations ?? (d.imputations as number),
    burnin: settings.burnin ?? (d.burnin as number),
    thin: settings.thin ?? (d.thin as number),
  };
  readPowerDesign(parameters);
  return { scenario: "design-power-hte", parameters };
}

// ---------------------------------------------------------------------------
// Stage 2: closed forms

const T_METHODS: readonly string[] = ["cluster-t", "gee-md", "lmm", "lm-cr2"];

/**
 * Two-sided power of a t test whose statistic is noncentral t(df, ncp):
 * P(|T| > t₁₋α/₂,df). With T = (Z + δ)/W, W = √(V/df), V ~ χ²(df), the
 * acceptance probability given W = w is a(w) = Φ(cw − δ) − Φ(−cw − δ), a(0) = 0,
 * so E[a(W)] = ∫₀^∞ a′(w)·P(W > w) dw = c∫₀^∞ [φ(cw − δ) + φ(cw + δ)]·(1 − F_χ²(df·w²; df)) dw,
 * integrated by composite Simpson's rule on [0, w_max] (beyond it either
 * factor is below e^−72), about 200 nodes per width of the narrower feature
 * (1/c or the SD 1/√(2df) of W). Against R's pt(q, df, ncp) over df 2–500,
 * ncp 0–5, α 0.05 and 0.01 the largest absolute error is 9e-13; about 5 ms a call.
 *
 * @example
 * noncentralTPower(3, 18, 0.05); // ≈ 0.80971 (R: 1 − pt(qt(0.975, 18), 18, 3) + pt(−qt(0.975, 18), 18, 3))
 */
export function noncentralTPower(noncentrality: number, df: number, alpha = 0.05): number {
  const delta = Math.abs(checkFinite(noncentrality, "noncentrality"));
  if (!(typeof df === "number" && df > 0 && Number.isFinite(df))) throw new InputError(`df must be a positive finite number, got ${df}`);
  const a = checkOpenUnit(alpha, "alpha");
  const c = qt(1 - a / 2, df);
  const wMax = Math.min((delta + 12) / c, Math.max(2, 1 + 15 * Math.sqrt(2 / df)));
  const width = Math.min(1 / c, 1 / Math.sqrt(2 * df));
  let steps = Math.min(200_000, Math.ceil((wMax / width) * 200));
  if (steps % 2 === 1) steps++;
  const h = wMax / steps;
  const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const w = i * h;
    const z1 = c * w - delta;
    const z2 = c * w + delta;
    const f = (Math.exp(-0.5 * z1 * z1) + Math.exp(-0.5 * z2 * z2)) * invSqrt2Pi * (1 - pchisq(df * w * w, df));
    sum += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * f;
  }
  const accept = (c * sum * h) / 3;
  return Math.min(1, Math.max(0, 1 - accept));
}

/** Equally likely cluster sizes standing for the size distribution (its `count` quantiles). */
function sizeQuantiles(d: PowerDesign, count: number): number[] {
  const dist = clusterSizeDistribution(d.clusterSize, d.cv);
  if (dist.sizes.length === 1) return [dist.sizes[0]];
  const out: number[] = [];
  let cum = dist.probabilities[0];
  let s = 0;
  for (let i = 0; i < count; i++) {
    const u = (i + 0.5) / count;
    while (cum < u && s < dist.sizes.length - 1) cum += dist.probabilities[++s];
    out.push(dist.sizes[s]);
  }
  return out;
}

/**
 * The closed-form power of the design in `parameters` (either scenario) for
 * `method` and `estimand`, and the exact noncentral-t power where it
 * applies. Null fields when no closed form applies.
 */
export function closedFormFor(
  parameters: Parameters,
  method: string,
  estimand: string,
  alpha = 0.05,
): { closedFormPower: number | null; closedForm: ClosedFormPower | null; exactPower: number | null; diagnostics: Diagnostic[] } {
  const d = readPowerDesign(parameters);
  const diagnostics: Diagnostic[] = [];
  const small = T_METHODS.includes(method);
  const k = d.clustersPerArm;
  if (d.modifier === null) {
    if (estimand !== "ate") return { closedFormPower: null, closedForm: null, exactPower: null, diagnostics };
    const exact =
      method === "cluster-t" && d.outcome === "continuous" && d.cv === 0
        ? noncentralTPower(Math.abs(d.effect) / Math.sqrt((2 * d.sd * d.sd * (d.icc + (1 - d.icc) / d.clusterSize)) / k), 2 * k - 2, alpha)
        : null;
    if (d.effect === 0) return { closedFormPower: alpha, closedForm: null, exactPower: exact, diagnostics };
    const r = power({
      outcome: d.outcome === "continuous" ? { type: "continuous", delta: d.effect, sd: d.sd } : { type: "binary", p1: d.p0 + d.effect, p2: d.p0 },
      clusterSize: d.clusterSize,
      clustersPerArm: k,
      icc: d.icc,
      cv: d.cv,
      alpha,
      smallSample: small,
    });
    return {
      closedFormPower: r.powerTwoSided,
      closedForm: Object.freeze({
        formula: "power" as const,
        power: r.power,
        powerTwoSided: r.powerTwoSided,
        standardError: r.standardError,
        noncentrality: r.noncentrality,
        criticalValue: r.criticalValue,
        df: r.df,
        designEffect: r.designEffect,
      }),
      exactPower: exact,
      diagnostics,
    };
  }
  const m = d.modifier;
  const delta = estimand === "hte" ? m.interaction : estimand === "ate" ? d.effect : NaN;
  if (Number.isNaN(delta)) return { closedFormPower: null, closedForm: null, exactPower: null, diagnostics };
  if (delta === 0) return { closedFormPower: alpha, closedForm: null, exactPower: null, diagnostics };
  // Missing modifier values remove rows from complete-case analyses; the imputation methods keep every
  // outcome for the ATE, but cannot recover all of the modifier's information for the HTE.
  const imputes = ["si", "mi", "mmi", "bmmi"].includes(method);
  const attrition: AttritionSpec | undefined =
    d.missing && (estimand === "hte" || !imputes) ? { rate: d.missing.rate, method: "binomial" } : undefined;
  const common = {
    outcomeVariance: d.sd * d.sd,
    outcomeIcc: d.icc,
    clusterSize: sizeQuantiles(d, 1000),
    clustersPerArm: k,
    delta,
    alpha,
    ...(attrition ? { attrition } : {}),
  };
  const r =
    estimand === "hte"
      ? htePower({ ...common, modifier: { type: "binary", prevalence: m.prevalence, icc: m.icc } })
      : atePower(common);
  return {
    closedFormPower: r.powerTwoSided,
    closedForm: Object.freeze({
      formula: estimand === "hte" ? ("htePower" as const) : ("atePower" as const),
      power: r.power,
      powerTwoSided: r.powerTwoSided,
      standardError: r.standardError,
      noncentrality: r.noncentrality,
      criticalValue: r.criticalValue,
      df: null,
      designEffect: r.designEffect,
    }),
    exactPower: null,
    diagnostics,
  };
}

// ---------------------------------------------------------------------------
// Stage 3: simulate and summarize

function estimateFrom(row: SummaryRow, parameters: Parameters, alpha: number): { estimate: PowerEstimate; diagnostics: Diagnostic[] } {
  const cf = closedFormFor(parameters, row.method, row.estimand, alpha);
  return {
    estimate: Object.freeze({
      method: row.method,
      imputationModel: row.imputationModel,
      estimand: row.estimand,
      truth: row.truth,
      power: row.rejection,
      powerMcse: row.rejectionMcse,
      closedFormPower: cf.closedFormPower,
      closedForm: cf.closedForm,
      exactPower: cf.exactPower,
      coverage: row.coverage,
      coverageMcse: row.coverageMcse,
      bias: row.bias,
      biasMcse: row.biasMcse,
      empSe: row.empSe,
      modelSe: row.modelSe,
      nReps: row.nReps,
      nFailed: row.nFailed,
    }),
    diagnostics: cf.diagnostics,
  };
}

function fmt(x: number): string {
  return x.toFixed(4);
}

/** Diagnostics comparing the simulated power with the closed form (distance in MCSE units) and describing the closed form. */
function comparisonDiagnostics(estimates: readonly PowerEstimate[], design: PowerDesign, alpha: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of estimates) {
    const label = `${e.method}${e.imputationModel ? ` [${e.imputationModel}]` : ""}, ${e.estimand}`;
    if (e.power === null) {
      out.push(warning("power-simulation-no-replicates", `${label}: no usable replicate, so no simulated power`));
      continue;
    }
    const ref = e.exactPower ?? e.closedFormPower;
    if (ref !== null && e.powerMcse !== null) {
      // The MCSE at the reference value, so a simulated power of 0 or 1 still gives a distance.
      const mcse = Math.sqrt((ref * (1 - ref)) / e.nReps);
      const z = mcse > 0 ? (e.power - ref) / mcse : 0;
      out.push(
        info(
          "power-simulation-comparison",
          `${label}: simulated power ${fmt(e.power)} (MCSE ${fmt(e.powerMcse)}) vs ${e.exactPower !== null ? "exact noncentral-t" : "closed-form"} ${fmt(ref)}` +
            ` (${z >= 0 ? "+" : ""}${z.toFixed(2)} MCSE)` +
            (e.exactPower !== null && e.closedFormPower !== null ? `; shifted-t closed form ${fmt(e.closedFormPower)}` : ""),
        ),
      );
    }
    if (e.truth === 0 && e.closedFormPower !== null) {
      out.push(info("power-simulation-null", `${label}: the true effect is 0, so the rejection rate is the type I error rate (nominal ${alpha})`));
    }
  }
  if (design.modifier !== null) {
    out.push(
      info(
        "power-simulation-closed-form",
        "closed forms: Yang et al. (2020) HTE/ATE power with normal quantiles" +
          (design.missing
            ? `; the missing modifier as Binomial(n, ${1 - design.missing.rate}) retained cluster sizes for the HTE and for complete-case analyses ` +
              "(exact only for complete cases under MCAR), all rows for the ATE of the imputation methods"
            : ""),
      ),
    );
  } else if (design.cv > 0) {
    out.push(info("power-simulation-closed-form", `closed form: design effect 1 + ((cv² + 1)n̄ − 1)ρ for unequal cluster sizes (an approximation for cluster-t, which weights clusters equally)`));
  }
  if (design.outcome === "binary") {
    out.push(info("power-simulation-closed-form", "closed form for a binary outcome: normal approximation to the difference in proportions"));
  }
  return out;
}

/**
 * Estimates the power of a design by simulation, with Monte Carlo SEs and
 * the closed-form power beside it.
 *
 * @example
 * const r = await powerBySimulation({
 *   design: { clustersPerArm: 10, clusterSize: 20, icc: 0.05, outcome: { type: "continuous", effect: 0.5, sd: 1 } },
 *   methods: ["cluster-t", "gee"], reps: 1000, seed: 1,
 * });
 * r.estimates[0]; // { method: "cluster-t", estimand: "ate", power, powerMcse, closedFormPower, exactPower, … }
 */
export async function powerBySimulation(options: PowerSimulationOptions): Promise<PowerSimulationResult> {
  if (options === null || typeof options !== "object") throw new InputError(`options must be an object, got ${String(options)}`);
  const { scenario, parameters } = designParameters(options.design, options);
  const design = readPowerDesign(parameters);
  const alpha = checkOpenUnit(options.alpha ?? 0.05, "alpha");
  const reps = checkInteger(options.reps ?? 1000, "reps", 2);
  const allowed: readonly string[] = scenario === "design-power" ? DESIGN_POWER_METHODS : DESIGN_POWER_HTE_METHODS;
  const methods = options.methods ?? [scenario === "design-power" ? "cluster-t" : "gee"];
  if (methods.length === 0) throw new InputError("methods is empty; name at least one method");
  for (const m of methods) {
    if (!allowed.includes(m)) {
      throw new InputError(
        `method '${m}' is not available for ${scenario === "design-power" ? "a design without a modifier" : "a design with a modifier"}; use one of: ${allowed.join(", ")}`,
      );
    }
  }
  // Every design parameter is a (one-value) grid dimension, so each design has its own condition key in an output directory.
  const settingKeys = new Set(["imputations", "burnin", "thin"]);
  const grid: Record<string, ParamValue[]> = {};
  const fixed: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(parameters)) {
    if (settingKeys.has(k)) fixed[k] = v;
    else grid[k] = [v];
  }
  const run = await runSimulation({
    scenario,
    parameters: fixed,
    grid,
    reps,
    methods,
    ...(options.imputationModels !== undefined ? { imputationModels: options.imputationModels } : {}),
    seed: options.seed,
    workers: options.workers,
    alpha,
    ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // One condition: drop the "condition <key>: " prefix the runner puts on its notes.
  const key = run.manifest.conditions.find((c) => canonicalParameters(c.parameters) === canonicalParameters(parameters))?.key;
  const prefix = key === undefined ? null : `condition ${key}: `;
  const diagnostics: Diagnostic[] = run.diagnostics.map((d) =>
    prefix !== null && d.message.startsWith(prefix) ? { ...d, message: d.message.slice(prefix.length) } : d,
  );
  const estimates: PowerEstimate[] = [];
  for (const row of run.summary) {
    const e = estimateFrom(row, parameters, alpha);
    estimates.push(e.estimate);
    diagnostics.push(...e.diagnostics);
  }
  diagnostics.push(...comparisonDiagnostics(estimates, design, alpha));
  return Object.freeze({
    scenario,
    parameters: Object.freeze({ ...parameters }),
    reps,
    seed: options.seed,
    alpha,
    estimates: Object.freeze(estimates),
    diagnostics: Object.freeze(diagnostics),
    seconds: run.seconds,
    workers: run.workers,
    outDir: run.outDir,
  });
}
