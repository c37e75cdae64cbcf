/**
 * Power by simulation: the design is simulated `reps` times (scenarios
 * `design-power` and `design-power-hte`, src/simulate/scenarios/design-power.ts),
 * each simulated trial is analysed by the chosen methods, and the power is
 * the rejection rate (two-sided p ≤ α) with its Monte Carlo SE
 * √(P(1 − P)/reps). Coverage, bias and SEs come with it, and so does the
 * closed-form power of the same design for comparison:
 *
 * - `design-power`: `power()` (src/design/power.ts) with the same mean cluster size, cv
 *   and ICC, t quantiles with 2(k − 1) df for methods with a t reference
 *   (cluster-t, gee-md, lmm, lm-cr2) and normal quantiles for gee. The
 *   closed-form value reported is `powerTwoSided` (it counts rejections in
 *   either direction, as the simulated rejection rate does). With t
 *   quantiles that closed form is the shifted-central-t approximation; for a
 *   continuous outcome with equal cluster sizes and cluster-t, the test
 *   statistic has an exactly noncentral t(2k − 2) distribution, and
 *   `exactPower` gives its power (`noncentralTPower`, by numerical
 *   integration).
 * - `design-power-hte`: `htePower()` / `atePower()` (src/design/hte.ts; Yang et al. 2020, normal
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
import { checkFinite, checkInteger, checkOpenUnit } from "../design/validate.ts";
import { canonicalParameters } from "./conditions.ts";
import { closedFormFor, type ClosedFormPower } from "./power-closed-form.ts";
import { runSimulation } from "./runner.ts";
import {
  DESIGN_POWER_HTE_METHODS,
  DESIGN_POWER_METHODS,
  designPowerHteScenario,
  designPowerScenario,
  readPowerDesign,
  type PowerDesign,
} from "./scenarios/design-power.ts";
import type { ParamValue, Parameters, Progress, SummaryRow } from "./types.ts";

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
// Stage 2: simulate and summarize

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
