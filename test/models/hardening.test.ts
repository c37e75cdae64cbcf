/**
 * Inputs that used to give silently wrong results: each class is tested for
 * every model that can meet it, through the library functions (the CLI only
 * formats what they throw).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ComputeError, InputError } from "../../src/core/errors.ts";
import { datasetFromRecord, type Dataset } from "../../src/data/dataset.ts";
import { modelFrame } from "../../src/formula/index.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { resolveFamily } from "../../src/models/family/family.ts";
import { gee } from "../../src/models/gee/index.ts";
import { glm, glmFit } from "../../src/models/glm/index.ts";
import { glmm } from "../../src/models/glmm/index.ts";
import { lm } from "../../src/models/lm/index.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { requireFiniteFit } from "../../src/models/validate.ts";
import { mrs } from "../../src/estimands/index.ts";

function throwsKind(kind: typeof InputError | typeof ComputeError, f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${String(e)}`);
    assert.match((e as Error).message, message);
    return true;
  });
}
const throwsInput = (f: () => unknown, message: RegExp): void => throwsKind(InputError, f, message);

/** 8 clusters of 6 rows; A is constant within clusters (4 treated); columns can be replaced. */
function trial(replace: Record<string, (number | null)[]> = {}): Dataset {
  const n = 48;
  const cl = Array.from({ length: n }, (_, i) => Math.floor(i / 6) + 1);
  const A = cl.map((c) => c % 2);
  const X1 = Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3));
  const Y = X1.map((x, i) => 1 + 0.5 * A[i] + x + 0.3 * Math.cos(2.3 * i) + 0.2 * (cl[i] % 3));
  const B = Y.map((y, i) => (y + 0.4 * Math.sin(5.1 * i) > 1.3 ? 1 : 0));
  const K = Y.map((y) => Math.max(0, Math.round(2 * y)));
  return datasetFromRecord({ cl, A, X1, Y, B, K, ...replace });
}

/** Each model fit from a formula, as the commands build them. */
type Fit = (data: Dataset, formula: string) => unknown;
const FIXED: Record<"lm" | "glm" | "gee", Fit> = {
  lm: (d, f) => lm(modelFrame(d, f)),
  glm: (d, f) => glm(modelFrame(d, f), { family: "gaussian" }),
  gee: (d, f) => gee(modelFrame(d, f, { cluster: "cl" }), { corstr: "exchangeable" }),
};
const GAUSSIAN: Record<string, Fit> = {
  ...FIXED,
  "lm CR2": (d, f) => lm(modelFrame(d, f, { cluster: "cl" }), { vcov: "CR2" }),
  lmm: (d, f) => lmm(modelFrame(d, `${f} + (1 | cl)`)),
};

test("lm, glm and gee refuse a random-effect term instead of dropping it; lmm and glmm accept it", () => {
  const data = trial();
  for (const [model, fit] of Object.entries(FIXED)) {
    for (const formula of ["Y ~ A + X1 + (1 | cl)", "Y ~ (1 | cl) + A"]) {
      throwsInput(
        () => fit(data, formula),
        new RegExp(`^formula '${formula.replace(/[()|+]/g, "\\$&")}' contains the random-effect term \\(1 \\| cl\\); ${model} fits fixed effects only: use lmm or glmm$`),
      );
    }
  }
  assert.equal(lmm(modelFrame(data, "Y ~ A + X1 + (1 | cl)")).nClusters, 8);
  assert.equal(glmm(modelFrame(data, "B ~ X1 + (1 | cl)")).nClusters, 8);
  throwsInput(() => mrs(data, "Y ~ X1 + (1 | cl)", { cluster: "cl", treatment: "A" }), /random-effect terms are not used by mrs/);
});

test("a constant gaussian outcome is refused by every model, naming the column and value", () => {
  const data = trial({ Y: Array(48).fill(2.5) });
  for (const [model, fit] of Object.entries(GAUSSIAN)) {
    throwsInput(() => fit(data, "Y ~ A + X1"), /^the outcome 'Y' is 2\.5 in all 48 rows used: a constant outcome has no residual variance/);
    assert.ok(model);
  }
  for (const working of ["lm", "lmm", "gee-exch"] as const) {
    throwsInput(() => mrs(data, "Y ~ X1", { cluster: "cl", treatment: "A", working }), /the outcome 'Y' is 2\.5 in all 48 rows used/);
  }
  // Rows with weight 0 do not count; a gaussian outcome must vary around the offset.
  const frame = modelFrame(data, "Y ~ X1");
  const y = Float64Array.from(frame.y);
  y[0] = 7;
  const weights = new Float64Array(48).fill(1);
  weights[0] = 0;
  throwsInput(() => glm({ ...frame, y }, { family: "gaussian", weights }), /is 2\.5 in all 47 rows used/);
  const offset = Float64Array.from(frame.X.data.filter((_, k) => k % 2 === 1)); // X1
  throwsInput(() => glm({ ...frame, y: Float64Array.from(offset, (v) => v + 1) }, { family: "gaussian", offset }), /minus the offset is 1 in all 48 rows/);
  assert.equal(glm(frame, { family: "gaussian", offset }).converged, true, "a constant outcome with a varying offset has residual variance");
});

test("a binary outcome that is all 0 or all 1, or counts that are all 0, are refused: no finite estimate exists", () => {
  for (const v of [0, 1]) {
    const data = trial({ B: Array(48).fill(v), K: Array(48).fill(0) });
    const message = new RegExp(`^the outcome 'B' is ${v} in all 48 rows used: its log-odds is ${v === 0 ? "-" : ""}Infinity, so the binomial model has no finite maximum-likelihood estimate`);
    throwsInput(() => glm(modelFrame(data, "B ~ A + X1"), { family: "binomial" }), message);
    throwsInput(() => glm(modelFrame(data, "B ~ A + X1"), { family: "binomial", link: "probit" }), message);
    throwsInput(() => gee(modelFrame(data, "B ~ A + X1", { cluster: "cl" }), { family: "binomial", corstr: "exchangeable" }), message);
    throwsInput(() => glmm(modelFrame(data, "B ~ A + X1 + (1 | cl)")), message);
    throwsInput(() => mrs(data, "B ~ X1", { cluster: "cl", treatment: "A", working: "glmm", family: "binomial" }), message);
    const counts = /^the outcome 'K' is 0 in all 48 rows used: its log mean is -Infinity/;
    throwsInput(() => glm(modelFrame(data, "K ~ A + X1"), { family: "poisson" }), counts);
    throwsInput(() => glmm(modelFrame(data, "K ~ A + X1 + (1 | cl)"), { family: "poisson" }), counts);
  }
  // A constant non-zero count is informative: the Poisson variance is fixed by the mean.
  const fit = glm(modelFrame(trial({ K: Array(48).fill(3) }), "K ~ 1"), { family: "poisson" });
  assert.ok(Math.abs(fit.coefficients[0] - Math.log(3)) < 1e-10);
  assert.ok(fit.table[0].stdError > 0 && Number.isFinite(fit.table[0].stdError));
});

test("a finite value too large to square is refused up front, naming the column and row", () => {
  const big = (v: number, at = 5) => Array.from({ length: 48 }, (_, i) => (i === at ? v : 0.1 * i));
  for (const [model, fit] of Object.entries(GAUSSIAN)) {
    throwsInput(() => fit(trial({ Y: big(1e308) }), "Y ~ A + X1"), /^response 'Y' is 1e\+308 at data row 6: values beyond ±1e\+150 overflow/);
    throwsInput(() => fit(trial({ X1: big(-1e200) }), "Y ~ A + X1"), /^column 'X1' is -1e\+200 at data row 6/);
    // A transformation that overflows is named by its term.
    throwsInput(() => fit(trial({ X1: big(1e100, 9) }), "Y ~ A + I(X1^2)"), /^column 'I\(X1\^2\)' is 1e\+200 at data row 10/);
    assert.ok(model);
  }
  const data = trial({ Y: big(1e308), B: big(1e200).map((v) => (v > 1 ? 1e200 : 0)) });
  throwsInput(() => glmm(modelFrame(trial({ X1: big(1e200) }), "B ~ X1 + (1 | cl)")), /^column 'X1' is 1e\+200 at data row 6/);
  throwsInput(() => glm(modelFrame(trial({ X1: big(1e200) }), "K ~ X1"), { family: "poisson" }), /^column 'X1' is 1e\+200/);
  for (const working of ["lm", "lmm", "gee-exch"] as const) {
    throwsInput(() => mrs(data, "Y ~ X1", { cluster: "cl", treatment: "A", working }), /^response 'Y' is 1e\+308 at data row 6/);
  }
  // Frames built by hand, bypassing modelFrame, get the same check from the models.
  const frame = modelFrame(trial(), "Y ~ A + X1", { cluster: "cl" });
  const y = Float64Array.from(frame.y);
  y[3] = 1e300;
  const byHand: ModelFrame = { ...frame, y };
  throwsInput(() => glm(byHand, { family: "gaussian" }), /^response 'Y' is 1e\+300 at data row 4/);
  throwsInput(() => gee(byHand), /^response 'Y' is 1e\+300 at data row 4/);
  throwsInput(() => lm(byHand), /^response 'Y' is 1e\+300 at data row 4/);
});

test("IRLS names an overflow as such, never as a missing starting value or a singular design", () => {
  const n = 40;
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = 1;
    x[2 * i + 1] = i;
    y[i] = i % 3;
  }
  const gaussian = resolveFamily("gaussian");
  const poisson = resolveFamily("poisson");
  const with1 = (v: number) => Float64Array.from(y, (t, i) => (i === 4 ? v : t));
  throwsKind(ComputeError, () => glmFit(x, n, 2, with1(1e160), gaussian.family, gaussian.link), /deviance after the first step is not finite: row 1 .*too large: rescale/);
  throwsKind(ComputeError, () => glmFit(x, n, 2, with1(1e308), gaussian.family, gaussian.link), /XᵀWz overflowed at iteration 1: the outcome/);
  throwsKind(ComputeError, () => glmFit(x, n, 2, with1(1e308), poisson.family, poisson.link), /working response or weight of row 5 is not finite/);
  const xBig = Float64Array.from(x, (v, k) => (k === 9 ? 1e200 : v));
  throwsKind(ComputeError, () => glmFit(xBig, n, 2, y, gaussian.family, gaussian.link), /XᵀWX overflowed at iteration 1: the design/);
});

test("requireFiniteFit names the first non-finite estimate, covariance or scalar", () => {
  const terms = ["(Intercept)", "X1"];
  const ok = Float64Array.of(1, 2);
  const vcov = Float64Array.of(1, 0.1, 0.1, 2);
  requireFiniteFit("lmm", terms, ok, vcov, { "log-likelihood": -3 });
  throwsKind(ComputeError, () => requireFiniteFit("lmm", terms, Float64Array.of(1, NaN), vcov), /^lmm: the estimate of 'X1' is NaN: the fit overflowed/);
  throwsKind(ComputeError, () => requireFiniteFit("gee", terms, ok, Float64Array.of(1, 0, Infinity, 2)), /^gee: the covariance of 'X1' and '\(Intercept\)' is Infinity/);
  throwsKind(ComputeError, () => requireFiniteFit("glm", terms, ok, Float64Array.of(Infinity, 0, 0, 2)), /^glm: the variance of '\(Intercept\)' is Infinity/);
  throwsKind(ComputeError, () => requireFiniteFit("lmm", terms, ok, vcov, { "log-likelihood": -Infinity }), /^lmm: the log-likelihood is -Infinity/);
});
