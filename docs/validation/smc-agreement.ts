/**
 * The tables of docs/validation/smc.md (not part of CI):
 *
 *   node --conditions=source --import tsx docs/validation/smc-agreement.ts --imputations 400
 *
 * 1. With nothing missing, the smc posterior of the substantive model
 *    (one chain, 500 burn-in, 8000 draws) against lme4's lmer and glmer fits
 *    of test/fixtures/smc-lmer.json: posterior mean, SD, the (RE)ML estimate and SE.
 * 2. On the four trials of test/fixtures/smc-jomo.json, smc's long-run pooled
 *    HTE and ATE (D imputations, burn-in 1000, thin 25) against jomo.lmer's
 *    (200 imputations), with Monte Carlo SEs √(B/D), and the trial's
 *    logit-versus-probit sensitivity (MMI with either link).
 * 3. The same for the two continuous-modifier trials of
 *    test/fixtures/smc-jomo-continuous.json.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { dataset } from "../../src/data/dataset.ts";
import { effectiveSampleSize } from "../../src/inference/mcmc.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { GIBBS_DEFAULTS } from "../../src/missing/gibbs.ts";
import { smcSampler } from "../../src/missing/smc/smc.ts";
import { createRng } from "../../src/random/index.ts";

const { values } = parseArgs({ options: { imputations: { type: "string", default: "400" } } });
const D = Number(values.imputations);
const fixtures = new URL("../../test/fixtures/", import.meta.url);
const f = (x: number, d = 3) => x.toFixed(d);

const lmer = JSON.parse(readFileSync(new URL("smc-lmer.json", fixtures), "utf8"));
const trial = dataset(["cluster", "A", "M", "X1", "Y", "B"].map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(lmer.data[name] as number[]) })));
for (const [outcome, family, formula, fit] of [
  ["Y", "gaussian", lmer.formula, lmer.lmer],
  ["B", "binomial", lmer.binaryFormula, lmer.glmer],
] as const) {
  const prepared = prepareModifierData(trial, { cluster: "cluster", treatment: "A", modifier: "M", outcome }, ["M ~ X1"], { family, substantive: { formula, family } });
  const burnin = 500;
  const kept = 8000;
  const sampler = smcSampler(prepared, prepared.designs[0], { imputations: kept, corstr: "exchangeable", level: 0.95, chains: 1, gibbs: { ...GIBBS_DEFAULTS, burnin, thin: 1, imputations: kept } });
  const chain = sampler.chain(createRng(2025), () => {});
  process.stdout.write(`\n${formula} (${family}), ${prepared.n} rows, ${prepared.clusterIds.length} clusters\n\n| term | posterior mean (MCSE) | posterior SD | ${family === "gaussian" ? "lmer" : "glmer"} estimate | SE | (mean − estimate)/SD |\n|---|---|---|---|---|---|\n`);
  sampler.names.forEach((name, j) => {
    if (!name.startsWith(`${outcome}~`)) return;
    const term = name.slice(2);
    let draws = Float64Array.from({ length: kept }, (_, t) => chain.draws[(burnin + t) * chain.width + j]);
    let label = term;
    let estimate: number;
    let se = NaN;
    if (term === "tau") {
      draws = Float64Array.from(draws, (t) => 1 / t);
      label = "σ²_u (1/τ)";
      estimate = fit.clusterVariance;
    } else if (term === "sigma2") {
      label = "σ²";
      estimate = fit.sigma2;
    } else {
      const k = fit.terms.indexOf(term);
      estimate = fit.fixef[k];
      se = fit.se[k];
    }
    const mean = draws.reduce((s, v) => s + v, 0) / kept;
    const sd = Math.sqrt(draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (kept - 1));
    const mcse = sd / Math.sqrt(effectiveSampleSize([draws]));
    process.stdout.write(`| ${label} | ${f(mean, 4)} (${f(mcse, 4)}) | ${f(sd, 4)} | ${f(estimate, 4)} | ${Number.isNaN(se) ? "—" : f(se, 4)} | ${f((mean - estimate) / sd, 3)} |\n`);
  });
}

type LongRun = Record<"imputations" | "hteMean" | "hteSd" | "ateMean" | "ateSd", number>;
interface Trial {
  readonly beta3: number;
  readonly data: Record<string, (number | null)[]>;
  readonly jomo: LongRun;
  readonly logitMmi: LongRun;
  readonly probitMmi: LongRun;
}
const jomo = JSON.parse(readFileSync(new URL("smc-jomo.json", fixtures), "utf8"));
process.stdout.write(
  `\nsmc (${jomo.modifierModel}; ${jomo.substantive}; D = ${D}) against jomo.lmer (D = ${jomo.jomoSchedule.nimp})\n\n` +
    "| trial | β₃ | estimand | smc (MCSE) | jomo (MCSE) | difference (MCSE) | logit − probit MMI (MCSE) | √B smc / jomo |\n|---|---|---|---|---|---|---|---|\n",
);
jomo.trials.forEach((t: Trial, i: number) => {
  const columns = ["cluster", "A", "M", "X1", "Y"].map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(t.data[name], (v) => (v === null ? NaN : v)) }));
  const r = analyzeMissingModifier(dataset(columns), {
    cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y",
    imputation: [jomo.modifierModel], methods: ["smc"], substantive: jomo.substantive,
    burnin: 1000, thin: 25, imputations: D, seed: 500 + i,
  }).results[0];
  for (const e of ["hte", "ate"] as const) {
    const b = r.pooling![e].b;
    const se = Math.sqrt(b / D);
    const jSe = t.jomo[`${e}Sd`] / Math.sqrt(t.jomo.imputations);
    const link = t.logitMmi[`${e}Mean`] - t.probitMmi[`${e}Mean`];
    const linkSe = Math.sqrt((t.logitMmi[`${e}Sd`] ** 2 + t.probitMmi[`${e}Sd`] ** 2) / t.logitMmi.imputations);
    process.stdout.write(
      `| ${i + 1} | ${f(t.beta3, 2)} | ${e.toUpperCase()} | ${f(r[e].estimate, 4)} (${f(se, 4)}) | ${f(t.jomo[`${e}Mean`], 4)} (${f(jSe, 4)}) | ` +
        `${f(r[e].estimate - t.jomo[`${e}Mean`], 4)} (${f(Math.hypot(se, jSe), 4)}) | ${f(link, 4)} (${f(linkSe, 4)}) | ${f(Math.sqrt(b) / t.jomo[`${e}Sd`], 2)} |\n`,
    );
  }
});

const continuous = JSON.parse(readFileSync(new URL("smc-jomo-continuous.json", fixtures), "utf8"));
process.stdout.write(
  `\nContinuous modifier: smc (${continuous.modifierModel}; D = ${D}) against jomo.lmer (D = ${continuous.jomoSchedule.nimp})\n\n` +
    "| trial | β₃ | estimand | smc (MCSE) | jomo (MCSE) | difference (MCSE) | √B smc / jomo |\n|---|---|---|---|---|---|---|\n",
);
continuous.trials.forEach((t: Omit<Trial, "logitMmi" | "probitMmi">, i: number) => {
  const columns = ["cluster", "A", "M", "X1", "Y"].map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(t.data[name], (v) => (v === null ? NaN : v)) }));
  const r = analyzeMissingModifier(dataset(columns), {
    cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y",
    imputation: [continuous.modifierModel], methods: ["smc"], substantive: continuous.substantive,
    burnin: 1000, thin: 25, imputations: D, seed: 600 + i,
  }).results[0];
  for (const e of ["hte", "ate"] as const) {
    const b = r.pooling![e].b;
    const se = Math.sqrt(b / D);
    const jSe = t.jomo[`${e}Sd`] / Math.sqrt(t.jomo.imputations);
    process.stdout.write(
      `| ${i + 1} | ${f(t.beta3, 2)} | ${e.toUpperCase()} | ${f(r[e].estimate, 4)} (${f(se, 4)}) | ${f(t.jomo[`${e}Mean`], 4)} (${f(jSe, 4)}) | ` +
        `${f(r[e].estimate - t.jomo[`${e}Mean`], 4)} (${f(Math.hypot(se, jSe), 4)}) | ${f(Math.sqrt(b) / t.jomo[`${e}Sd`], 2)} |\n`,
    );
  }
});
