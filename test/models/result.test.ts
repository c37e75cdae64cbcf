/** Every model's result extends ModelFit: the shared fields exist and agree in shape. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { gee } from "../../src/models/gee/index.ts";
import { glm } from "../../src/models/glm/index.ts";
import { glmm } from "../../src/models/glmm/index.ts";
import { lm } from "../../src/models/lm/index.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import type { ModelFit } from "../../src/models/result.ts";

const data = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"), "trial.csv");
const level = 0.9;
const gaussian = glm(modelFrame(data, "Y ~ A + X1"), { family: "gaussian", level });
const logit = glm(modelFrame(data, "M ~ A + X1"), { family: "binomial", level });
const marginal = gee(modelFrame(data, "Y ~ A + X1", { cluster: "cluster" }), { corstr: "exchangeable", se: "md", level });
const robust = lm(modelFrame(data, "Y ~ A + X1", { cluster: "cluster" }), { vcov: "CR2", level });
const classical = lm(modelFrame(data, "Y ~ A + X1"), { level });
const mixed = lmm(modelFrame(data, "Y ~ A + X1 + (1 | cluster)"), { level });
const logistic = glmm(modelFrame(data, "M ~ A + X1 + (1 | cluster)"), { family: "binomial", level });
const fits: readonly ModelFit[] = [gaussian, logit, marginal, robust, classical, mixed, logistic];

test("every model fit has the ModelFit fields with consistent shapes", () => {
  assert.deepEqual(fits.map((f) => f.model), ["glm", "glm", "gee", "lm", "lm", "lmm", "glmm"]);
  for (const fit of fits) {
    const what = `${fit.model} ${fit.formula}`;
    const p = fit.terms.length;
    assert.deepEqual(fit.terms, ["(Intercept)", "A", "X1"], what);
    assert.equal(fit.response, fit.formula.split("~")[0].trim(), what);
    assert.ok(Number.isInteger(fit.nObs) && fit.nObs > 0, what);
    assert.ok(Number.isInteger(fit.nDropped) && fit.nDropped >= 0, what);
    assert.equal(fit.nObs + fit.nDropped, data.nRows, what);
    assert.ok(fit.nClusters === null || (Number.isInteger(fit.nClusters) && fit.nClusters === 40), what);
    assert.ok(fit.coefficients instanceof Float64Array && fit.coefficients.length === p, what);
    assert.ok(fit.vcov instanceof Float64Array && fit.vcov.length === p * p, what);
    assert.equal(typeof fit.vcovType, "string", what);
    assert.equal(fit.level, level, what);
    assert.ok(fit.sigma > 0 && Number.isFinite(fit.sigma), what);
    assert.equal(fit.converged, true, what);
    assert.ok(Array.isArray(fit.diagnostics), what);
    assert.equal(fit.table.length, p, what);
    fit.table.forEach((c, j) => {
      assert.equal(c.term, fit.terms[j], what);
      assert.equal(c.estimate, fit.coefficients[j], what);
      assert.ok(Math.abs(c.stdError - Math.sqrt(fit.vcov[j * p + j])) <= 1e-12 * c.stdError, `${what}: SE of ${c.term} from vcov`);
      assert.ok(c.confLow < c.estimate && c.estimate < c.confHigh, what);
    });
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(fit.vcov[i * p + j], fit.vcov[j * p + i], `${what}: symmetric vcov`);
    assert.ok(Object.isFrozen(fit) && Object.isFrozen(fit.table), what);
  }
});

test("the residual scale is √φ for every model", () => {
  assert.equal(gaussian.sigma, Math.sqrt(gaussian.dispersion));
  assert.equal(logit.sigma, 1);
  assert.equal(marginal.sigma, Math.sqrt(marginal.scale));
  assert.ok(Math.abs(robust.sigma - classical.sigma) <= 1e-14 * classical.sigma);
  assert.ok(Math.abs(classical.sigma - gaussian.sigma) <= 1e-12 * gaussian.sigma, "lm and gaussian glm agree on σ");
  assert.ok(Math.abs(mixed.sigma ** 2 - mixed.residualVariance) <= 1e-14 * mixed.residualVariance);
  assert.equal(logistic.sigma, 1);
});
