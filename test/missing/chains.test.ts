/**
 * B-MMI chains on worker threads: the same bytes whatever the number of
 * workers (and as on one thread), convergence summarised in one warning,
 * and the --trace CSV layout.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { analyzeMissingModifierOnThreads } from "../../src/missing/analyze-threads.ts";
import { bmmiPlan, convergenceDiagnostics } from "../../src/missing/bmmi.ts";
import { runChainTasks } from "../../src/missing/chain-pool.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import type { MethodSettings } from "../../src/missing/result.ts";
import { traceCsv } from "../../src/report/trace.ts";

const binary = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"));
const continuous = readCsv(readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8"));
const QUICK = { cluster: "cluster", treatment: "A", outcome: "Y", seed: 7, burnin: 40, thin: 4, imputations: 3 } as const;

const bytes = (r: unknown): string => JSON.stringify(r, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v));

test("chains on 1, 2 and 3 workers give byte-identical results, equal to the single-thread analysis", async () => {
  const options: AnalyzeOptions = { ...QUICK, modifier: "M", imputation: ["M ~ X1 + A + Y", "M ~ X1*A*Y"], methods: ["mi", "bmmi"], chains: 3 };
  const here = bytes(analyzeMissingModifier(binary, options));
  for (const workers of [1, 2, 3]) {
    const r = await analyzeMissingModifierOnThreads(binary, { ...options, workers });
    assert.equal(r.traces.length, 6);
    assert.deepEqual(r.traces.map((t) => `${t.imputationModel} ${t.chain}`), ["M ~ X1 + A + Y 0", "M ~ X1 + A + Y 1", "M ~ X1 + A + Y 2", "M ~ X1*A*Y 0", "M ~ X1*A*Y 1", "M ~ X1*A*Y 2"]);
    assert.equal(bytes(r), here, `${workers} workers`);
  }
});

test("continuous and cluster-level B-MMI chains are the same on worker threads", async () => {
  for (const [modifier, model] of [["M", "M ~ X1*A*Y"], ["S", "S ~ H + X1 + A*Y"], ["G", "G ~ H + X1 + A*Y"]]) {
    const options: AnalyzeOptions = { ...QUICK, modifier, imputation: [model], methods: ["bmmi"], chains: 2 };
    const here = analyzeMissingModifier(continuous, options);
    const threads = await analyzeMissingModifierOnThreads(continuous, { ...options, workers: 2 });
    assert.equal(bytes(threads), bytes(here), modifier);
    const names = here.results[0].convergence!.parameters.map((p) => p.name);
    const terms = here.traces[0].parameterNames.slice(0, here.traces[0].nTerms);
    const expected = modifier === "M" ? [...terms, "tau", "sigma"] : modifier === "S" ? [...terms, "sigma"] : terms;
    assert.deepEqual(names, expected, modifier);
    assert.equal(here.results[0].nImputations, 6);
  }
});

test("split-R̂ and ESS shortfalls are one summarised warning each", () => {
  const parameters = [
    { name: "(Intercept)", ess: 400, rhat: 1.002 },
    { name: "X1", ess: 80, rhat: 1.02 },
    { name: "X1:A", ess: 45, rhat: 1.04 },
    { name: "A", ess: 300, rhat: 1.011 },
    { name: "tau", ess: 250, rhat: Number.NaN },
  ];
  const d = convergenceDiagnostics({ chains: 4, iterations: 2500, parameters });
  assert.deepEqual(d.map((x) => x.code), ["bmmi-rhat", "bmmi-ess"]);
  assert.match(d[0].message, /split-R̂ > 1\.01 for 3 of 5 parameters \(max 1\.040 for X1:A\) over 4 chains of 2500 iterations/);
  assert.match(d[1].message, /effective sample size < 100 for 2 of 5 parameters \(min 45 for X1:A\)/);
  assert.deepEqual(convergenceDiagnostics({ chains: 1, iterations: 10, parameters: [parameters[0]] }), []);
});

test("the trace CSV: chain, iteration, warmup (1/0), the terms, tau and sigma", () => {
  const r = analyzeMissingModifier(continuous, { ...QUICK, modifier: "M", imputation: ["M ~ X1"], methods: ["bmmi"], chains: 2 });
  const lines = traceCsv(r.traces).trim().split("\n");
  assert.equal(lines[0], "chain,iteration,warmup,(Intercept),X1,tau,sigma");
  assert.equal(lines.length, 1 + 2 * 52);
  const row = (k: number) => lines[k].split(",");
  assert.deepEqual(row(1).slice(0, 3), ["1", "1", "1"]);
  assert.deepEqual(row(40).slice(0, 3), ["1", "40", "1"]);
  assert.deepEqual(row(41).slice(0, 3), ["1", "41", "0"]);
  assert.deepEqual(row(53).slice(0, 3), ["2", "1", "1"]);
  const t = r.traces[0];
  assert.deepEqual(row(41).slice(3).map(Number), Array.from(t.draws.subarray(40 * 4, 41 * 4)));
  const cluster = analyzeMissingModifier(continuous, { ...QUICK, modifier: "G", imputation: ["G ~ H"], methods: ["bmmi"] });
  assert.equal(traceCsv(cluster.traces).split("\n")[0], "chain,iteration,warmup,(Intercept),H");
});

test("stopping the chains ends their worker threads and rejects", async () => {
  const data = prepareModifierData(binary, { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y" }, ["M ~ X1"]);
  const settings: MethodSettings = { imputations: 5, corstr: "exchangeable", level: 0.95, gibbs: { ...GIBBS_DEFAULTS, burnin: 100000, imputations: 5 }, chains: 2 };
  const design = data.designs[0];
  const plan = bmmiPlan(data, design, settings);
  const tasks = [0, 1].map((chain) => ({ data: { ...data, designs: [] }, design, settings, plan, chain, seed: 1, path: ["bmmi", design.formula, chain] }));
  const stop = new AbortController();
  const started = Date.now();
  const running = runChainTasks(tasks, 2, undefined, stop.signal);
  setTimeout(() => stop.abort(), 200);
  await assert.rejects(running, /the B-MMI chains were stopped/);
  // 100 000 burn-in iterations would take minutes: the threads were ended.
  assert.ok(Date.now() - started < 30000);
});

test("bad input met while planning the chains is reported as on one thread", async () => {
  // G observed in three clusters only (values 0 and 1): a four-coefficient cluster-level model cannot be fitted.
  const lines = readFileSync(new URL("../../examples/trial-continuous.csv", import.meta.url), "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const g = header.indexOf("G");
  const clusterG = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    if (cells[g] !== "NA") clusterG.set(cells[0], cells[g]);
  }
  const observed = [...clusterG.keys()];
  const first = (v: string) => observed.find((c) => clusterG.get(c) === v)!;
  const keep = new Set([first("0"), first("1")]);
  keep.add(observed.find((c) => !keep.has(c))!);
  const edited = [lines[0], ...lines.slice(1).map((line) => {
    const cells = line.split(",");
    if (!keep.has(cells[0])) cells[g] = "NA";
    return cells.join(",");
  })].join("\n");
  const data = readCsv(edited);
  const options: AnalyzeOptions = { ...QUICK, modifier: "G", imputation: ["G ~ H + A + X1"], methods: ["mi", "bmmi"], chains: 2 };
  const message = /imputation model 'G ~ H \+ A \+ X1' has 4 coefficients but the modifier 'G' is observed in only 3 clusters/;
  assert.throws(() => analyzeMissingModifier(data, options), message);
  await assert.rejects(analyzeMissingModifierOnThreads(data, { ...options, methods: ["bmmi", "mi"], workers: 2 }), message);
});
