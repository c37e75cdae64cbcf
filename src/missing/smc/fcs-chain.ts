/**
 * smc with partly missing covariates (SMC-FCS style; Bartlett et al. 2015):
 * besides the modifier M, each covariate X_k with a covariate model
 * (covariate-models.ts) is imputed in the same chain. The models factor one
 * joint distribution, p(Y | M, X)·p_δ(M | X)·Π_k p(X_k | parents), so each
 * missing value's full conditional is the product of the models it appears
 * in (fcs-draw.ts). One iteration:
 *   1. every missing M, then every missing X_k (in the order of the models),
 *      from its full conditional given everything else; the designs of the
 *      models that contain the value are rebuilt at the drawn value (for a
 *      binary value the rows at 0 and 1 are evaluated once per sweep);
 *   2. after burn-in, every `thin`-th iteration, the completed modifier goes
 *      to the outcome GEE;
 *   3. the modifier model, the substantive model and each covariate model
 *      update their parameters given the completed data (fcs-model.ts).
 * A binary covariate has a logistic random-intercept model, a continuous one
 * a normal random-intercept model; priors and starting values as the
 * single-modifier chain's (smc.ts), from each model's fit to the rows where
 * its response and every imputed variable it reads are observed. A
 * continuous value must enter every design affinely (checked at 0, 1, 2),
 * and no imputed value may enter a cluster mean.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import { ComputeError, InputError } from "../../core/errors.ts";
import type { Column, Dataset } from "../../data/dataset.ts";
import { designSpec, modelMatrixFor, parseFormula } from "../../formula/index.ts";
import { glmm } from "../../models/glmm/index.ts";
import { lmm } from "../../models/lmm/index.ts";
import type { Rng } from "../../random/rng.ts";
import type { ImputationDesign, ModifierData } from "../data.ts";
import { GIBBS_DEFAULTS } from "../gibbs.ts";
import type { MethodSettings } from "../result.ts";
import type { SmcChain } from "./chain.ts";
import { drawBinary, drawContinuous, logisticTerms, type LogisticTerms } from "./fcs-draw.ts";
import { FcsModel, type FcsKind } from "./fcs-model.ts";
import { observedFrame, positiveOr, startFrom } from "./start.ts";
import { usesClusterFunction } from "./substantive.ts";

type DesignSpec = ReturnType<typeof designSpec>;

/** An imputed variable: the modifier or a covariate. */
interface Imputed {
  readonly name: string;
  readonly binary: boolean;
  /** Analysed rows where it is missing. */
  readonly rows: Int32Array;
  /** Its current values per analysed row (the response of its own model). */
  readonly values: Float64Array;
  /** Its column in the chain's dataset (dataset rows). */
  readonly column: Float64Array;
  /** Where each chain starts its missing values. */
  readonly start: number;
}

interface ModelPart {
  readonly formula: string;
  /** Trace prefix: "" for the modifier model, "Y~" and "X2~" for the others. */
  readonly prefix: string;
  readonly kind: FcsKind;
  readonly spec: DesignSpec;
  readonly columnNames: readonly string[];
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** Columns its design reads. */
  readonly reads: ReadonlySet<string>;
  readonly response: string;
}

export interface FcsSampler {
  readonly names: readonly string[];
  readonly tauColumn: number;
  readonly diagnostics: readonly Diagnostic[];
  chain(rng: Rng, onImputation: (m: Float64Array, k: number) => void): SmcChain;
}

function isBinary(values: Float64Array, rows: Int32Array): boolean {
  for (const r of rows) {
    const v = values[r];
    if (!Number.isNaN(v) && v !== 0 && v !== 1) return false;
  }
  return true;
}

/** Mean of the observed values at `rows` (rounded for a binary variable): where a missing value starts. */
function startValue(values: Float64Array, rows: Int32Array, binary: boolean): number {
  let s = 0;
  let k = 0;
  for (const r of rows) {
    if (Number.isNaN(values[r])) continue;
    s += values[r];
    k++;
  }
  const mean = s / k;
  return binary ? (mean >= 0.5 ? 1 : 0) : mean;
}

/**
 * The chain's models and variables for one modifier model `design`; `offset`
 * is the δ of each analysed row (null under MAR).
 */
export function fcsSampler(data: ModifierData, design: ImputationDesign, settings: MethodSettings, offset: Float64Array | null): FcsSampler {
  const { smcCovariates, substantive } = data;
  if (!smcCovariates || !substantive) throw new Error("fcsSampler needs covariate models and a substantive model");
  const source = smcCovariates.source;
  const { modifier, outcome, cluster } = data.columns;
  const datasetRows = data.rows;
  const n = data.n;

  // The chain's dataset: the imputed columns replaced by working copies.
  const columns = new Map<string, Float64Array>();
  const imputed: Imputed[] = [];
  const addImputed = (name: string, analysed: Float64Array, binary: boolean) => {
    const rows = Int32Array.from({ length: n }, (_, r) => r).filter((r) => Number.isNaN(analysed[r]));
    const values = Float64Array.from(analysed);
    const fill = startValue(analysed, Int32Array.from({ length: n }, (_, r) => r), binary);
    for (const r of rows) values[r] = fill;
    const column = new Float64Array(source.nRows).fill(fill);
    for (let r = 0; r < n; r++) column[datasetRows[r]] = values[r];
    columns.set(name, column);
    if (rows.length > 0) imputed.push({ name, binary, rows, values, column, start: fill });
    return values;
  };
  const mValues = addImputed(modifier, data.modifier, data.modifierType === "binary");
  const covariateValues = smcCovariates.models.map((m) => {
    const col = source.columns.get(m.response)!;
    const analysed = Float64Array.from(datasetRows, (i) => (col.values as Float64Array)[i]);
    return addImputed(m.response, analysed, isBinary(analysed, Int32Array.from({ length: n }, (_, r) => r)));
  });
  const chainData: Dataset = {
    nRows: source.nRows,
    names: source.names,
    columns: new Map(
      [...source.columns].map(([name, col]): [string, Column] => [name, columns.has(name) ? { name, kind: "numeric", values: columns.get(name)! } : col]),
    ),
  };

  const part = (formula: string, prefix: string, kind: FcsKind, y: Float64Array, response: string): ModelPart => {
    const parsed = parseFormula(formula);
    const spec = designSpec(chainData, parsed, datasetRows, { cluster });
    const X = modelMatrixFor(spec, chainData, datasetRows).data;
    for (const v of parsed.variables) {
      const inCluster = v.columns.find((c) => columns.has(c) && usesClusterFunction(v.expr));
      if (inCluster) throw new InputError(`smc: '${v.name}' in '${formula}' takes a cluster mean of '${inCluster}', which smc imputes; use '${inCluster}' itself`);
    }
    return { formula, prefix, kind, spec, columnNames: spec.columnNames, X, y, reads: new Set(parsed.variables.flatMap((v) => v.columns)), response };
  };
  const modifierPart = part(design.formula, "", data.modifierType === "binary" ? "logistic" : "normal", mValues, modifier);
  const outcomePart = part(substantive.formula, `${outcome}~`, substantive.family === "binomial" ? "logistic" : "normal", data.outcome, outcome);
  const covariateParts = smcCovariates.models.map((m, k) =>
    part(m.formula, `${m.response}~`, isBinary(covariateValues[k], Int32Array.from({ length: n }, (_, r) => r)) ? "logistic" : "normal", covariateValues[k], m.response),
  );
  const parts = [modifierPart, outcomePart, ...covariateParts];
  for (const v of imputed) if (!v.binary) checkAffine(v, parts, chainData, datasetRows);

  const diagnostics: Diagnostic[] = [];
  const starts = parts.map((p) => {
    const s = partStart(data, p, imputed);
    // The fits' own diagnostics (e.g. a boundary fit), said with the model they came from.
    diagnostics.push(...s.diagnostics.map((d) => ({ ...d, message: `smc, the start of '${p.formula}': ${d.message}` })));
    return s;
  });
  const names = parts.flatMap((p) => [...p.columnNames, ...extraNames(p, p === outcomePart)].map((t) => `${p.prefix}${t}`));
  const { gibbs } = settings;

  return {
    names,
    tauColumn: design.p,
    diagnostics,
    chain: (rng, onImputation) => {
      // Every chain starts from the same filled-in values and designs.
      for (const v of imputed) {
        for (const r of v.rows) {
          v.values[r] = v.start;
          v.column[datasetRows[r]] = v.start;
        }
      }
      for (const p of parts) p.X.set(modelMatrixFor(p.spec, chainData, datasetRows).data);
      const models = parts.map((p, k) => {
        const start = starts[k];
        const isModifier = p === modifierPart;
        const isOutcome = p === outcomePart;
        const normal = p.kind === "normal";
        const sigma2 = normal ? start.residualVariance : 1;
        const tauShape = isModifier ? gibbs.tauShape : GIBBS_DEFAULTS.tauShape;
        const tauRate = (isModifier ? gibbs.tauRate : GIBBS_DEFAULTS.tauRate) * (normal ? sigma2 : 1);
        return new FcsModel({
          kind: p.kind,
          what: isModifier ? "modifier-model" : isOutcome ? "substantive-model" : `covariate-model ${p.response}`,
          X: p.X,
          p: p.columnNames.length,
          y: p.y,
          starts: data.starts,
          priorMean: start.coefficients,
          priorVariance: normal ? Float64Array.from(start.variances, (v) => gibbs.priorVariance * v) : new Float64Array(p.columnNames.length).fill(gibbs.priorVariance),
          tauShape,
          tauRate,
          precisionShape: GIBBS_DEFAULTS.tauShape,
          precisionRate: GIBBS_DEFAULTS.tauRate * sigma2,
          startIntercepts: start.intercepts,
          startTau: 1 / positiveOr(start.clusterVariance, normal ? 0.01 * sigma2 : isOutcome ? 0.5 : 1 / gibbs.tauStart),
          startSigma2: sigma2,
          offset: isModifier ? offset : null,
          outcome: isOutcome,
        });
      });
      return runFcsChain(imputed, parts, models, chainData, datasetRows, mValues, gibbs, rng, onImputation);
    },
  };
}

function extraNames(p: ModelPart, outcome: boolean): string[] {
  if (p.kind === "logistic") return ["tau"];
  return outcome ? ["sigma2", "tau"] : ["tau", "sigma"];
}

/** A continuous imputed value must enter each design affinely: the row at 2 is 2·(row at 1) − (row at 0). */
function checkAffine(v: Imputed, parts: readonly ModelPart[], data: Dataset, datasetRows: Int32Array): void {
  const rows = Int32Array.from(v.rows, (r) => datasetRows[r]);
  for (const p of parts) {
    if (!p.reads.has(v.name)) continue;
    const at = (x: number) => modelMatrixFor(p.spec, data, rows, { [v.name]: x }).data;
    const [x0, x1] = [at(0), at(1)];
    let x2: Float64Array;
    try {
      x2 = at(2);
    } catch {
      x2 = new Float64Array(x0.length).fill(NaN);
    }
    const q = p.columnNames.length;
    for (let k = 0; k < x0.length; k++) {
      const expected = 2 * x1[k] - x0[k];
      if (!(Math.abs(x2[k] - expected) <= 1e-9 * (1 + Math.abs(expected)))) {
        throw new InputError(
          `smc: the continuous '${v.name}', which smc imputes, must enter '${p.formula}' linearly (itself and its interactions); column '${p.columnNames[k % q]}' is not linear in it`,
        );
      }
    }
  }
}

/** Fit of one model to the rows where its response and every imputed value it reads are observed. */
function partStart(data: ModifierData, p: ModelPart, imputed: readonly Imputed[]) {
  const q = p.columnNames.length;
  const missing = new Uint8Array(data.n);
  for (const v of imputed) if (v.name === p.response || p.reads.has(v.name)) for (const r of v.rows) missing[r] = 1;
  const formula = p.prefix === `${data.columns.outcome}~` ? p.formula : `${p.formula} + (1 | ${data.columns.cluster})`;
  const { frame, fitted } = observedFrame(data, q, p.columnNames, formula, { name: p.response, values: p.y }, (r) => p.X.subarray(r * q, r * q + q), (r) => missing[r] === 0);
  const what = `smc: the model '${p.formula}' fitted to the rows where it is observed`;
  try {
    if (p.kind === "normal") {
      const fit = lmm(frame);
      return startFrom(fit, fitted, data.clusterIds.length, fit.residualVariance, [...fit.diagnostics]);
    }
    const fit = glmm(frame);
    if (!fit.converged) throw new ComputeError(`${what} did not converge`);
    return startFrom(fit, fitted, data.clusterIds.length, 1, [...fit.diagnostics]);
  } catch (e) {
    if (e instanceof ComputeError && e.message.startsWith(what)) throw e;
    throw new ComputeError(`${what} failed: ${(e as Error).message}`);
  }
}

/** The Gibbs sweeps (see the file comment); draws of every model's parameters per iteration. */
function runFcsChain(
  imputed: readonly Imputed[],
  parts: readonly ModelPart[],
  models: readonly FcsModel[],
  data: Dataset,
  datasetRows: Int32Array,
  completed: Float64Array,
  schedule: MethodSettings["gibbs"],
  rng: Rng,
  onImputation: (m: Float64Array, k: number) => void,
): SmcChain {
  const iterations = schedule.burnin + schedule.thin * schedule.imputations;
  const width = models.reduce((s, m) => s + m.width, 0);
  const draws = new Float64Array(iterations * width);
  const own = imputed.map((v) => models[parts.findIndex((p) => p.response === v.name && p.y === v.values)]);
  const touching = imputed.map((v) => parts.map((_, k) => k).filter((k) => parts[k].reads.has(v.name)));
  const terms = logisticTerms(parts.length);
  let saved = 0;
  for (let it = 1; it <= iterations; it++) {
    imputed.forEach((v, i) => sweep(v, own[i], touching[i].map((k) => ({ part: parts[k], model: models[k] })), data, datasetRows, rng, terms));
    if (it > schedule.burnin && (it - schedule.burnin) % schedule.thin === 0) onImputation(completed, saved++);
    for (const m of models) m.update(rng);
    let o = (it - 1) * width;
    for (const m of models) {
      m.record(draws, o);
      o += m.width;
    }
  }
  return { iterations, width, draws };
}

/** A model a value enters, with its design rows at value 0 and 1 (row i of the value's missing rows at i·p). */
export interface Touching {
  readonly model: FcsModel;
  readonly at0: Float64Array;
  readonly at1: Float64Array;
}

/**
 * The full conditional of the value of analysed row r (the i-th missing row):
 * for a binary value its log-odds; for a continuous one the precision and
 * precision × mean of its normal factor, the logistic terms going to `terms`.
 */
export function rowConditional(binary: boolean, own: FcsModel, touching: readonly Touching[], r: number, i: number, terms: LogisticTerms): { logOdds: number; precision: number; linear: number } {
  if (binary) {
    let logOdds = own.linear(r);
    for (const { model, at0, at1 } of touching) {
      const y = model.y[r];
      const q = model.p;
      logOdds += model.logLik(y, model.linearWith(r, at1, i * q)) - model.logLik(y, model.linearWith(r, at0, i * q));
    }
    return { logOdds, precision: NaN, linear: NaN };
  }
  let precision = 1 / own.sigma2;
  let linear = own.linear(r) * precision;
  terms.count = 0;
  for (const { model, at0, at1 } of touching) {
    const q = model.p;
    const a = model.linearWith(r, at0, i * q);
    const b = model.linearWith(r, at1, i * q) - a;
    const y = model.y[r];
    if (model.kind === "normal") {
      precision += (b * b) / model.sigma2;
      linear += (b * (y - a)) / model.sigma2;
    } else {
      terms.a[terms.count] = a;
      terms.b[terms.count] = b;
      terms.y[terms.count++] = y;
    }
  }
  return { logOdds: NaN, precision, linear };
}

/** Draws every missing value of `v` from its full conditional, and rebuilds the design rows it enters. */
function sweep(
  v: Imputed,
  own: FcsModel,
  parts: readonly { part: ModelPart; model: FcsModel }[],
  data: Dataset,
  datasetRows: Int32Array,
  rng: Rng,
  terms: LogisticTerms,
): void {
  const rows = Int32Array.from(v.rows, (r) => datasetRows[r]);
  const touching: Touching[] = parts.map(({ part, model }) => ({
    model,
    at0: modelMatrixFor(part.spec, data, rows, { [v.name]: 0 }).data,
    at1: modelMatrixFor(part.spec, data, rows, { [v.name]: 1 }).data,
  }));
  for (let i = 0; i < v.rows.length; i++) {
    const r = v.rows[i];
    const c = rowConditional(v.binary, own, touching, r, i, terms);
    const value = v.binary ? drawBinary(rng, c.logOdds) : drawContinuous(rng, v.values[r], c.precision, c.linear, terms);
    v.values[r] = value;
    v.column[datasetRows[r]] = value;
    for (const { model, at0, at1 } of touching) {
      const q = model.p;
      for (let j = 0; j < q; j++) {
        const x0 = at0[i * q + j];
        model.X[r * q + j] = v.binary ? (value === 1 ? at1[i * q + j] : x0) : x0 + value * (at1[i * q + j] - x0);
      }
    }
  }
}
