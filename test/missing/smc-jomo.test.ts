/**
 * smc against jomo's substantive-model-compatible imputation
 * (`jomo::jomo.lmer`, fixtures/r/smc-jomo.R) on four simulated trials (40
 * clusters, scenario 1, both values of the interaction), each completed data
 * set analysed by geeglm as crtkit analyses it.
 *
 * The pooled estimate is the mean of D per-imputation estimates: crtkit's
 * with D = 50 (thinned draws of one chain, taken as independent at thin 25)
 * and jomo's long run (200) differ by Monte Carlo error of SD
 * √(B_crtkit/50 + B_jomo/200), plus what the models' difference does:
 * jomo's modifier model is a probit latent-normal joint model, crtkit's a
 * logistic random-intercept model. That part is bounded per trial by the
 * fixture's link sensitivity: the same trial imputed by MMI from glmer with
 * the logit and with the probit link, whose long-run means differ by δ; the
 * bound allows |δ| plus two of its Monte Carlo SEs. Four Monte Carlo SDs per
 * check (eight checks: false alarm < 5e-4).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dataset } from "../../src/data/dataset.ts";
import { qf } from "../../src/distributions/index.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/smc-jomo.json", import.meta.url), "utf8"));
const D = 50;

interface LongRun {
  readonly imputations: number;
  readonly hteMean: number;
  readonly hteSd: number;
  readonly ateMean: number;
  readonly ateSd: number;
}

fixture.trials.forEach((trial: { beta3: number; data: Record<string, (number | null)[]>; jomo: LongRun; logitMmi: LongRun; probitMmi: LongRun }, i: number) => {
  test(`trial ${i + 1} (β₃ = ${trial.beta3.toFixed(3)}): smc's pooled HTE and ATE agree with jomo.lmer within Monte Carlo error and the link's effect`, () => {
    const columns = ["cluster", "A", "M", "X1", "Y"].map((name) => ({
      name,
      kind: "numeric" as const,
      values: Float64Array.from(trial.data[name], (v) => (v === null ? NaN : v)),
    }));
    const result = analyzeMissingModifier(dataset(columns), {
      cluster: "cluster",
      treatment: "A",
      modifier: "M",
      outcome: "Y",
      imputation: [fixture.modifierModel],
      methods: ["smc"],
      substantive: fixture.substantive,
      burnin: 1000,
      thin: 25,
      imputations: D,
      seed: 300 + i,
    });
    const [smc] = result.results;
    const { jomo, logitMmi, probitMmi } = trial;
    for (const estimand of ["hte", "ate"] as const) {
      const pooled = smc[estimand].estimate;
      const between = smc.pooling![estimand].b;
      const jomoMean = jomo[`${estimand}Mean`];
      const jomoSd = jomo[`${estimand}Sd`];
      const link = Math.abs(logitMmi[`${estimand}Mean`] - probitMmi[`${estimand}Mean`]);
      const linkSe = Math.sqrt((logitMmi[`${estimand}Sd`] ** 2 + probitMmi[`${estimand}Sd`] ** 2) / logitMmi.imputations);
      const mcSd = Math.sqrt(between / D + jomoSd ** 2 / jomo.imputations);
      const bound = 4 * mcSd + link + 2 * linkSe;
      assert.ok(Math.abs(pooled - jomoMean) <= bound, `${estimand}: smc ${pooled} vs jomo ${jomoMean} (bound ${bound})`);
      // The between-imputation variances: their ratio is F(D − 1, 199)-distributed
      // when both spread alike; outside its central 99.99% would mean the imputation uncertainty differs.
      const ratio = between / jomoSd ** 2;
      const lo = qf(5e-5, D - 1, jomo.imputations - 1);
      const hi = qf(1 - 5e-5, D - 1, jomo.imputations - 1);
      assert.ok(ratio > lo && ratio < hi, `${estimand}: between-imputation variance ratio ${ratio} outside [${lo}, ${hi}]`);
    }
  });
});

/**
 * A continuous modifier (fixtures/r/smc-jomo-continuous.R): jomo's normal
 * covariate model and crtkit's normal random-intercept modifier model are the
 * same conditional family, so the bound is Monte Carlo error alone.
 */
const continuous = JSON.parse(readFileSync(new URL("../fixtures/smc-jomo-continuous.json", import.meta.url), "utf8"));
continuous.trials.forEach((trial: { beta3: number; data: Record<string, (number | null)[]>; jomo: LongRun }, i: number) => {
  test(`continuous modifier, trial ${i + 1} (β₃ = ${trial.beta3}): smc agrees with jomo.lmer within Monte Carlo error`, () => {
    const columns = ["cluster", "A", "M", "X1", "Y"].map((name) => ({
      name,
      kind: "numeric" as const,
      values: Float64Array.from(trial.data[name], (v) => (v === null ? NaN : v)),
    }));
    const [smc] = analyzeMissingModifier(dataset(columns), {
      cluster: "cluster",
      treatment: "A",
      modifier: "M",
      outcome: "Y",
      imputation: [continuous.modifierModel],
      methods: ["smc"],
      substantive: continuous.substantive,
      burnin: 1000,
      thin: 25,
      imputations: D,
      seed: 400 + i,
    }).results;
    const { jomo } = trial;
    for (const estimand of ["hte", "ate"] as const) {
      const between = smc.pooling![estimand].b;
      const jomoSd = jomo[`${estimand}Sd`];
      const bound = 4 * Math.sqrt(between / D + jomoSd ** 2 / jomo.imputations);
      assert.ok(Math.abs(smc[estimand].estimate - jomo[`${estimand}Mean`]) <= bound, `${estimand}: smc ${smc[estimand].estimate} vs jomo ${jomo[`${estimand}Mean`]} (bound ${bound})`);
      const ratio = between / jomoSd ** 2;
      assert.ok(ratio > qf(5e-5, D - 1, jomo.imputations - 1) && ratio < qf(1 - 5e-5, D - 1, jomo.imputations - 1), `${estimand}: between-imputation variance ratio ${ratio}`);
    }
  });
});
