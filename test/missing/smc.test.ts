/**
 * The smc method in the analysis: its inputs refused with messages that name
 * the problem, reproducibility from named streams, independence from the
 * other methods, convergence diagnostics summarised, the binary-outcome
 * substantive model, and clusters without an observed modifier.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { readCsv } from "../../src/data/csv.ts";
import { dataset } from "../../src/data/dataset.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { convergenceWarnings } from "../../src/missing/smc/smc.ts";
import { createRng } from "../../src/random/index.ts";

const csv = readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8");
const data = readCsv(csv);
const SUBSTANTIVE = "Y ~ A*M*(X1 + X2 + X3) + (1 | cluster)";
const QUICK: AnalyzeOptions = {
  cluster: "cluster",
  treatment: "A",
  modifier: "M",
  outcome: "Y",
  imputation: ["M ~ X1 + X2 + X3"],
  methods: ["smc"],
  substantive: SUBSTANTIVE,
  burnin: 100,
  thin: 10,
  imputations: 5,
  seed: 7,
};

function refuses(options: Partial<AnalyzeOptions>, message: RegExp, input = data): void {
  assert.throws(() => analyzeMissingModifier(input, { ...QUICK, ...options }), (e: unknown) => e instanceof InputError && message.test(e.message));
}

test("smc refuses a substantive model it cannot use, naming the problem", () => {
  refuses({ substantive: undefined }, /smc needs a substantive model for the outcome, e\.g\. --substantive "Y ~ A\*M\*X1 \+ \(1 \| cluster\)"/);
  refuses({ methods: ["cca", "mmi"], imputation: ["M ~ X1*A*Y"] }, /--substantive is the substantive model of the smc method; add smc to --methods/);
  refuses({ substantive: "Y ~ A*X1 + (1 | cluster)" }, /substantive model 'Y ~ A\*X1 \+ \(1 \| cluster\)' does not contain the modifier 'M'/);
  refuses({ substantive: "X1 ~ A*M + (1 | cluster)" }, /must have the outcome 'Y' as its response/);
  refuses({ substantive: "Y ~ A*M" }, /needs exactly one random intercept, for the cluster: '\(1 \| cluster\)'/);
  refuses({ substantive: "Y ~ A*M + (1 | region)" }, /needs exactly one random intercept, for the cluster.*it has \(1 \| region\)/);
  refuses({ substantive: "Y ~ A*M + cmean(M) + (1 | cluster)" }, /'cmean\(M\)' takes a cluster mean of the modifier/);
});

test("smc refuses a modifier model with the outcome: the substantive model carries it", () => {
  refuses({ imputation: ["M ~ X1*A*Y"] }, /smc: imputation model 'M ~ X1\*A\*Y' contains the outcome 'Y'; in smc the substantive model carries 'Y'/);
});

test("a binomial substantive model needs a 0/1 outcome", () => {
  refuses({ outcomeModel: { family: "binomial" } }, /outcome 'Y' must be 0 or 1 for the binomial family; row 1 has -0\.208321/);
});

const quick = analyzeMissingModifier(data, QUICK);

test("smc pools its completed data sets, reports the substantive model and every parameter's convergence", () => {
  const [r] = quick.results;
  assert.equal(r.method, "smc");
  assert.equal(r.imputationModel, "M ~ X1 + X2 + X3");
  assert.equal(r.substantiveModel, SUBSTANTIVE);
  assert.equal(r.nImputations, 5);
  assert.ok(r.pooling && r.pooling.hte.m === 5);
  assert.ok(Number.isFinite(r.hte.estimate) && r.hte.stdError > 0 && r.hte.df! > 0);
  // 4 modifier-model coefficients, τ, 16 substantive coefficients, σ² and the outcome's τ.
  const names = r.convergence!.parameters.map((p) => p.name);
  assert.equal(names.length, 4 + 1 + 16 + 2);
  assert.deepEqual(names.slice(0, 6), ["(Intercept)", "X1", "X2", "X3", "tau", "Y~(Intercept)"]);
  assert.deepEqual(names.slice(-3), ["Y~A:M:X3", "Y~sigma2", "Y~tau"]);
  const [trace] = quick.traces;
  assert.equal(trace.method, "smc");
  assert.equal(trace.iterations, 150);
  assert.deepEqual(trace.parameterNames, names);
});

test("same seed, same bytes; smc's result does not depend on the other methods or their order", () => {
  const again = analyzeMissingModifier(data, QUICK);
  assert.equal(JSON.stringify(again.results), JSON.stringify(quick.results));
  assert.deepEqual(again.traces, quick.traces);
  const withOthers = analyzeMissingModifier(data, { ...QUICK, methods: ["smc", "cca", "mmi"] });
  assert.deepEqual(withOthers.results.find((r) => r.method === "smc"), quick.results[0]);
  const other = analyzeMissingModifier(data, { ...QUICK, seed: 8 });
  assert.notEqual(other.results[0].hte.estimate, quick.results[0].hte.estimate);
  const twoChains = analyzeMissingModifier(data, { ...QUICK, chains: 2 });
  assert.equal(twoChains.results[0].nImputations, 10);
  assert.deepEqual(twoChains.traces[0], quick.traces[0]);
});

test("convergence problems are summarised in one warning each for R̂ and ESS", () => {
  const warnings = convergenceWarnings({
    chains: 1,
    iterations: 200,
    parameters: [
      { name: "a", ess: 500, rhat: 1.002 },
      { name: "b", ess: 40, rhat: 1.03 },
      { name: "c", ess: 90, rhat: 1.2 },
      { name: "d", ess: 800, rhat: 1.011 },
      { name: "e", ess: 700, rhat: 1.0 },
    ],
  });
  assert.deepEqual(warnings.map((w) => w.code), ["smc-rhat", "smc-ess"]);
  assert.match(warnings[0].message, /split-R̂ above 1\.01 for 3 of 5 parameters \(largest 1\.200, c\)/);
  assert.match(warnings[1].message, /effective sample size below 100 for 2 of 5 parameters \(smallest 40, b\)/);
  assert.deepEqual(convergenceWarnings({ chains: 1, iterations: 10, parameters: [{ name: "a", ess: 500, rhat: 1 }] }), []);
  // A chain far too short: at most one warning of each kind however many parameters fall short.
  const short = analyzeMissingModifier(data, { ...QUICK, burnin: 0, thin: 1, imputations: 20 });
  const codes = short.results[0].diagnostics.map((d) => d.code);
  assert.equal(codes.filter((c) => c === "smc-ess").length, 1);
  assert.ok(codes.filter((c) => c === "smc-rhat").length <= 1);
});

test("a cluster with no observed modifier is imputed from the population part of both models", () => {
  const lines = csv.split("\n");
  const mIndex = lines[0].split(",").indexOf("M");
  const edited = lines.map((line, i) => {
    const cells = line.split(",");
    if (i > 0 && cells[0] === "3") cells[mIndex] = "NA";
    return cells.join(",");
  });
  const r = analyzeMissingModifier(readCsv(edited.join("\n")), QUICK);
  assert.ok(r.diagnostics.some((d) => d.code === "cluster-without-modifier"));
  assert.ok(Number.isFinite(r.results[0].hte.estimate) && Number.isFinite(r.results[0].hte.stdError));
});

test("a binary outcome gets the logistic substantive model", () => {
  // Scenario-1-like trial with a binary outcome whose log-odds depend on A, M and their product.
  const rng = createRng(12);
  const C = 30;
  const cluster: number[] = [];
  const A: number[] = [];
  const M: number[] = [];
  const X1: number[] = [];
  const Y: number[] = [];
  for (let c = 0; c < C; c++) {
    const a = c % 2;
    const u = 0.5 * rng.normal();
    for (let j = 0; j < 25; j++) {
      const m = rng.uniform() < 0.6 ? 1 : 0;
      const x = rng.normal();
      const y = rng.uniform() < 1 / (1 + Math.exp(-(-0.2 + 0.5 * a + 0.6 * m - 0.8 * a * m + 0.3 * x + u))) ? 1 : 0;
      cluster.push(c + 1);
      A.push(a);
      X1.push(x);
      Y.push(y);
      M.push(rng.uniform() < 1 / (1 + Math.exp(-(1 + 0.5 * x - 0.8 * y))) ? m : NaN);
    }
  }
  const trial = dataset(
    Object.entries({ cluster, A, M, X1, Y }).map(([name, values]) => ({ name, kind: "numeric" as const, values: Float64Array.from(values) })),
  );
  const r = analyzeMissingModifier(trial, {
    ...QUICK,
    imputation: ["M ~ X1"],
    substantive: "Y ~ A*M + X1 + (1 | cluster)",
    outcomeModel: { family: "binomial" },
  });
  const [result] = r.results;
  const names = result.convergence!.parameters.map((p) => p.name);
  assert.deepEqual(names, ["(Intercept)", "X1", "tau", "Y~(Intercept)", "Y~A", "Y~M", "Y~X1", "Y~A:M", "Y~tau"]);
  assert.ok(Number.isFinite(result.hte.estimate) && result.hte.stdError > 0);
  assert.ok(!result.diagnostics.some((d) => d.severity === "error"));
});

test("a substantive-model level seen only where the modifier is missing is refused, naming the column", () => {
  const lines = csv.trim().split("\n");
  const header = lines[0].split(",");
  const region = header.indexOf("region");
  const mIndex = header.indexOf("M");
  let moved = 0;
  const edited = lines.map((line, i) => {
    const cells = line.split(",");
    if (i > 0 && cells[region] === "3" && moved++ < 10) {
      cells[region] = "9";
      cells[mIndex] = "NA";
    }
    return cells.join(",");
  });
  refuses(
    { substantive: "Y ~ A*M + factor(region) + (1 | cluster)" },
    /column 'factor\(region\)9' of the substantive model 'Y ~ A\*M \+ factor\(region\) \+ \(1 \| cluster\)' is 0 in every row with the modifier observed/,
    readCsv(edited.join("\n")),
  );
});

test("a continuous modifier must enter the substantive model linearly; a cluster-level one is refused", () => {
  const lines = csv.trim().split("\n");
  const header = lines[0].split(",");
  const x2 = header.indexOf("X2");
  const continuous = readCsv(
    lines
      .map((line, i) => {
        const cells = line.split(",");
        if (i > 0 && i % 4 === 0) cells[x2] = "NA";
        return cells.join(",");
      })
      .join("\n"),
  );
  const options = { modifier: "X2", imputation: ["X2 ~ X1"], substantive: "Y ~ A*X2*X1 + (1 | cluster)" };
  const r = analyzeMissingModifier(continuous, { ...QUICK, ...options });
  assert.ok(Number.isFinite(r.results[0].hte.estimate) && r.results[0].hte.stdError > 0);
  assert.deepEqual(r.results[0].convergence!.parameters.map((p) => p.name).slice(0, 4), ["(Intercept)", "X1", "tau", "sigma"]);
  refuses(
    { ...options, substantive: "Y ~ A*X2 + I(X2^2) + (1 | cluster)" },
    /the continuous modifier 'X2' must enter the substantive model 'Y ~ A\*X2 \+ I\(X2\^2\) \+ \(1 \| cluster\)' linearly.*column 'I\(X2\^2\)' is not linear in it/,
    continuous,
  );
  const clusterLevel = lines.map((line, i) => {
    if (i === 0) return `${line},K`;
    const c = Number(line.split(",")[0]);
    return `${line},${c % 5 === 0 ? "NA" : c % 2}`;
  });
  refuses(
    { modifier: "K", imputation: ["K ~ X1"], substantive: "Y ~ A*K + (1 | cluster)" },
    /smc imputes an individual-level modifier; 'K' is constant within every cluster \(a cluster-level variable\): use mmi or bmmi for it/,
    readCsv(clusterLevel.join("\n")),
  );
});
