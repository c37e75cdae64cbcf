/**
 * One replicate: generate a data set from the replicate's own random stream,
 * apply every method to it (each method with its own stream), and serialize
 * the rows. The same code runs on the main thread and in worker threads, so
 * the text of a replicate does not depend on where it ran.
 *
 * Streams: the data of replicate r in a condition come from
 * createRng(seed, scenarioId, condition.streamId, r); method spec s gets
 * createRng(seed, scenarioId, condition.streamId, r, methodStreamId(s)), so
 * adding or removing a method changes no other method's numbers.
 */
import { performance } from "node:perf_hooks";
import { createRng } from "../random/rng.ts";
import { methodStreamId } from "./conditions.ts";
import type { AnalysisRow, MethodSpec, Parameters, Scenario } from "./types.ts";

/** What a replicate needs to know (all plain data, so it can be sent to a worker). */
export interface ReplicateContext {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly scenarioId: number;
  readonly conditions: readonly { readonly parameters: Parameters; readonly streamId: number }[];
  readonly methods: readonly MethodSpec[];
}

/** The output of one replicate. */
export interface ReplicateOutput {
  readonly replicate: number;
  /** JSON Lines, one row per method × estimand, each line ending in "\n"; deterministic. */
  readonly text: string;
  /** Seconds of each method call, in method order. */
  readonly seconds: number[];
  readonly generateSeconds: number;
}

/** A batch of replicates of one condition. */
export interface ReplicateTask {
  readonly condition: number;
  readonly replicates: readonly number[];
}

export interface TaskOutput {
  readonly condition: number;
  readonly outputs: ReplicateOutput[];
}

function message(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}

const finite = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** A stored line: fixed key order, non-finite numbers as null (so equal rows give equal bytes). */
function line(
  replicate: number,
  spec: MethodSpec,
  estimand: string,
  r: AnalysisRow | undefined,
  error: string | undefined,
): string {
  let estimate: number | null = null;
  let stdError: number | null = null;
  let df: number | null = null;
  let confLow: number | null = null;
  let confHigh: number | null = null;
  let pValue: number | null = null;
  let converged = false;
  let err = error;
  if (r && err === undefined) {
    estimate = finite(r.estimate);
    stdError = finite(r.stdError);
    df = finite(r.df); // Infinity (a normal reference) is stored as null, as is null
    confLow = finite(r.confLow);
    confHigh = finite(r.confHigh);
    pValue = finite(r.pValue);
    converged = r.converged === true;
    err = typeof r.error === "string" && r.error !== "" ? r.error : undefined;
    if (err === undefined && converged) {
      const bad = (["estimate", "stdError", "confLow", "confHigh", "pValue"] as const).filter((k) => finite(r[k]) === null);
      if (bad.length > 0) err = `not finite: ${bad.map((k) => `${k} = ${String(r[k])}`).join(", ")}`;
    }
  }
  const out: Record<string, unknown> = {
    replicate,
    method: spec.method,
    imputationModel: spec.imputationModel,
    estimand,
    estimate,
    stdError,
    df,
    confLow,
    confHigh,
    pValue,
    converged,
  };
  if (err !== undefined) out.error = err;
  return JSON.stringify(out) + "\n";
}

/** Rows of one method call, one per estimand in the scenario's order, validated. */
function methodLines(
  ctx: ReplicateContext,
  replicate: number,
  spec: MethodSpec,
  rows: readonly AnalysisRow[] | undefined,
  failure: string | undefined,
): string {
  const estimands = ctx.scenario.estimands;
  let error = failure;
  if (error === undefined) {
    if (!Array.isArray(rows)) {
      error = `the analysis returned ${typeof rows} instead of an array of rows`;
    } else {
      for (const r of rows) {
        if (!estimands.includes(r.estimand)) error ??= `the analysis returned a row for unknown estimand '${String(r.estimand)}'`;
        else if (rows.filter((x) => x.estimand === r.estimand).length > 1) error ??= `the analysis returned more than one row for estimand '${r.estimand}'`;
        if (r.method !== undefined && r.method !== spec.method) error ??= `the analysis of method '${spec.method}' returned a row labelled '${r.method}'`;
        if (r.imputationModel !== undefined && r.imputationModel !== spec.imputationModel) {
          error ??= `the analysis with imputation model '${spec.imputationModel}' returned a row labelled '${r.imputationModel}'`;
        }
      }
    }
  }
  let text = "";
  for (const e of estimands) {
    const r = error === undefined ? rows!.find((x) => x.estimand === e) : undefined;
    const missing = error === undefined && r === undefined ? `the analysis returned no row for estimand '${e}'` : undefined;
    text += line(replicate, spec, e, r, error ?? missing);
  }
  return text;
}

/** Runs replicate `replicate` of condition `condition`. Never throws for a failing method or data generation. */
export function runReplicate(ctx: ReplicateContext, condition: number, replicate: number): ReplicateOutput {
  const { scenario, seed, scenarioId } = ctx;
  const cond = ctx.conditions[condition];
  const t0 = performance.now();
  let data: unknown;
  let generateError: string | undefined;
  try {
    data = scenario.generate(cond.parameters, createRng(seed, scenarioId, cond.streamId, replicate));
  } catch (e) {
    generateError = `data generation failed: ${message(e)}`;
  }
  const generateSeconds = (performance.now() - t0) / 1000;
  let text = "";
  const seconds: number[] = [];
  for (const spec of ctx.methods) {
    if (generateError !== undefined) {
      text += methodLines(ctx, replicate, spec, undefined, generateError);
      seconds.push(0);
      continue;
    }
    const t = performance.now();
    let rows: readonly AnalysisRow[] | undefined;
    let failure: string | undefined;
    try {
      rows = scenario.analyse(data, cond.parameters, spec, createRng(seed, scenarioId, cond.streamId, replicate, methodStreamId(spec)));
    } catch (e) {
      failure = message(e);
    }
    const measured = (performance.now() - t) / 1000;
    const reported = rows && rows.length > 0 ? finite(rows[0].seconds) : null;
    seconds.push(reported ?? measured);
    text += methodLines(ctx, replicate, spec, rows, failure);
  }
  return { replicate, text, seconds, generateSeconds };
}

/** Runs a batch of replicates of one condition. */
export function runTask(ctx: ReplicateContext, task: ReplicateTask): TaskOutput {
  return { condition: task.condition, outputs: task.replicates.map((r) => runReplicate(ctx, task.condition, r)) };
}
