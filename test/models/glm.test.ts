import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { getFamily, getLink } from "../../src/models/family/index.ts";
import { glm, glmFit } from "../../src/models/glm/index.ts";

interface GlmData {
  columnNames: string[];
  X: number[][];
  y: number[];
  weights?: number[];
  offset?: number[];
}
interface GlmRef {
  name: string;
  data: string;
  family: "gaussian" | "binomial" | "poisson";
  link: string;
  weights: boolean;
  offset: boolean;
  subset: number[] | null;
  coefficients: number[];
  vcov: number[][];
  stdError: number[];
  statistic: number[];
  pValue: number[];
  dfResidual: number;
  dfNull: number;
  deviance: number;
  nullDeviance: number;
  aic: number;
  logLik: number;
  dispersion: number;
  iterations: number;
  converged: boolean;
  fitted: number[];
  warnings: string[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/glm.json", import.meta.url), "utf8")) as {
  datasets: Record<string, GlmData>;
  fits: GlmRef[];
};

/** A ModelFrame built by hand from fixture rows (the formula parser is not used here). */
function frameOf(d: GlmData, rows?: number[]): ModelFrame {
  const keep = rows ?? d.y.map((_, i) => i);
  const p = d.columnNames.length;
  const data = new Float64Array(keep.length * p);
  keep.forEach((r, i) => data.set(d.X[r], i * p));
  return {
    formula: "y ~ .",
    response: "y",
    y: Float64Array.from(keep.map((r) => d.y[r])),
    X: { rows: keep.length, cols: p, data },
    columnNames: d.columnNames,
    rows: Int32Array.from(keep),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [],
    diagnostics: [],
  };
}

function pick(values: number[] | undefined, rows: number[] | null): Float64Array | undefined {
  if (!values) return undefined;
  return Float64Array.from(rows ? rows.map((r) => values[r]) : values);
}

/** |a − b| ≤ rel·|b| + abs, elementwise. */
function near(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.abs(b[i]) + abs, `${what}[${i}]: ${a[i]} vs R ${b[i]}`);
  }
}

function fitOf(ref: GlmRef) {
  const d = fixture.datasets[ref.data];
  const frame = frameOf(d, ref.subset ?? undefined);
  return glm(frame, {
    family: ref.family,
    link: ref.link as "identity",
    weights: ref.weights ? pick(d.weights, ref.subset) : undefined,
    offset: ref.offset ? pick(d.offset, ref.subset) : undefined,
  });
}

// Tolerance tiers. IRLS follows glm.fit step for step (same start, same
// convergence test, same iteration count), so estimates agree with R at
// rounding level (observed ≤ 2e-13 relative); 1e-8 is well inside the 1e-6
// tier for IRLS against R. The small absolute floor covers entries that are
// 0 up to rounding.
const REL = 1e-8;
const ABS = 1e-10;

for (const ref of fixture.fits.filter((f) => f.converged)) {
  test(`glm ${ref.name} agrees with R's glm/summary.glm`, () => {
    const fit = fitOf(ref);
    const p = ref.coefficients.length;
    assert.equal(fit.converged, true);
    assert.equal(fit.iterations, ref.iterations, "IRLS iterations");
    near(fit.coefficients, ref.coefficients, REL, ABS, "coefficients");
    near(fit.vcov, ref.vcov.flat(), REL, ABS, "vcov");
    near(fit.table.map((c) => c.stdError), ref.stdError, REL, ABS, "std errors");
    near(fit.table.map((c) => c.statistic), ref.statistic, REL, ABS, "statistics");
    near(fit.table.map((c) => c.pValue), ref.pValue, 1e-5, 1e-12, "p-values");
    near([fit.deviance, fit.nullDeviance, fit.aic, fit.logLik, fit.dispersion], [ref.deviance, ref.nullDeviance, ref.aic, ref.logLik, ref.dispersion], REL, ABS, "deviance, null deviance, AIC, logLik, dispersion");
    assert.equal(fit.dfResidual, ref.dfResidual);
    assert.equal(fit.dfNull, ref.dfNull);
    near(fit.fitted, ref.fitted, REL, ABS, "fitted");
    const expectDf = ref.family === "gaussian" ? ref.dfResidual : null;
    for (const c of fit.table) assert.equal(c.df, expectDf);
    assert.equal(fit.table.length, p);
    assert.deepEqual(fit.diagnostics, []);
  });
}

test("glm flags complete separation as R does (not converged, fitted probabilities 0 or 1)", () => {
  const ref = fixture.fits.find((f) => f.name === "binomial-logit-separation")!;
  assert.deepEqual(ref.warnings, [
    "glm.fit: algorithm did not converge",
    "glm.fit: fitted probabilities numerically 0 or 1 occurred",
  ]);
  const fit = fitOf(ref);
  assert.equal(fit.converged, false);
  assert.equal(fit.iterations, 25);
  const codes = fit.diagnostics.map((d) => d.code);
  assert.ok(codes.includes("glm-not-converged"));
  assert.ok(codes.includes("glm-fitted-probabilities-0-1"));
  // Same path as R: the deviance (≈ 1e-8) and the diverging slope agree loosely.
  assert.ok(Math.abs(fit.deviance - ref.deviance) <= 1e-3 * ref.deviance);
  // The slope (~ 50) diverges along the same path; the intercept is 0 up to ~1e-9.
  near(fit.coefficients, ref.coefficients, 1e-3, 1e-6, "separated coefficients");
});

test("glm with zero prior weights equals the fit on the rows with positive weight", () => {
  const ref = fixture.fits.find((f) => f.name === "gaussian-identity-subset")!;
  const d = fixture.datasets[ref.data];
  const weights = new Float64Array(d.y.length).fill(1);
  const kept = new Set(ref.subset!);
  d.y.forEach((_, i) => {
    if (!kept.has(i)) weights[i] = 0;
  });
  const fit = glm(frameOf(d), { family: "gaussian", weights });
  near(fit.coefficients, ref.coefficients, REL, ABS, "coefficients");
  near(fit.vcov, ref.vcov.flat(), REL, ABS, "vcov");
  near([fit.aic, fit.logLik, fit.deviance, fit.nullDeviance], [ref.aic, ref.logLik, ref.deviance, ref.nullDeviance], REL, ABS, "aic, logLik, deviance");
  assert.equal(fit.nObs, ref.subset!.length);
  assert.equal(fit.dfResidual, ref.dfResidual);
});

test("glmFit (kernel) gives the same fit as glm() and is reusable with raw arrays", () => {
  const ref = fixture.fits.find((f) => f.name === "binomial-logit-weighted")!;
  const d = fixture.datasets[ref.data];
  const frame = frameOf(d);
  const w = Float64Array.from(d.weights!);
  const k = glmFit(frame.X.data, frame.X.rows, frame.X.cols, frame.y, getFamily("binomial"), getLink("logit"), { weights: w });
  const api = glm(frame, { family: "binomial", weights: w });
  assert.deepEqual(Array.from(k.coefficients), Array.from(api.coefficients));
  near(k.coefficients, ref.coefficients, REL, ABS, "kernel coefficients");
  // Starting from the solution converges at once to the same point.
  const again = glmFit(frame.X.data, frame.X.rows, frame.X.cols, frame.y, getFamily("binomial"), getLink("logit"), { weights: w, start: k.coefficients });
  near(again.coefficients, k.coefficients, 1e-9, 1e-12, "restarted");
  assert.ok(again.iterations <= 2);
});

test("glm results are frozen plain objects", () => {
  const fit = fitOf(fixture.fits[0]);
  assert.ok(Object.isFrozen(fit));
  assert.ok(Object.isFrozen(fit.table));
  assert.throws(() => {
    (fit as { deviance: number }).deviance = 0;
  }, TypeError);
});

test("glm refuses a rank-deficient design, naming the dependent column", () => {
  const d = fixture.datasets["gauss"];
  const frame = frameOf(d);
  const p = frame.X.cols;
  const n = frame.X.rows;
  const data = new Float64Array(n * (p + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) data[i * (p + 1) + j] = frame.X.data[i * p + j];
    data[i * (p + 1) + p] = 2 * frame.X.data[i * p + 1] - frame.X.data[i * p + 2]; // x3 = 2·x1 − x2
  }
  const bad: ModelFrame = { ...frame, X: { rows: n, cols: p + 1, data }, columnNames: [...frame.columnNames, "X3"] };
  assert.throws(() => glm(bad, { family: "gaussian" }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match((e as Error).message, /singular design: column 'X3' is a linear combination of earlier columns/);
    return true;
  });
});

test("glm input errors name the value at fault", () => {
  const d = fixture.datasets["bin"];
  const frame = frameOf(d);
  const y = Float64Array.from(frame.y);
  y[4] = 2;
  assert.throws(() => glm({ ...frame, y }, { family: "binomial" }), /response 'y' row 5 is 2: binomial responses must be 0\/1/);
  y[4] = NaN;
  assert.throws(() => glm({ ...frame, y }, { family: "binomial" }), /response 'y' row 5 is NaN/);
  assert.throws(() => glm(frame, { family: "binomial", link: "identity" }), /link 'identity' is not available for family 'binomial'; use one of: logit, probit, cloglog, log/);
  assert.throws(() => glm(frame, { family: "gamma" as "gaussian" }), /unknown family 'gamma'/);
  const w = new Float64Array(frame.y.length).fill(1);
  w[2] = -1;
  assert.throws(() => glm(frame, { family: "binomial", weights: w }), /weight at row 3 is -1/);
  const x = Float64Array.from(frame.X.data);
  x[3 * frame.X.cols + 1] = Infinity;
  assert.throws(() => glm({ ...frame, X: { ...frame.X, data: x } }, { family: "binomial" }), /column 'z1' row 4 is Infinity/);
  const pos = frameOf(fixture.datasets["gauss"]);
  assert.throws(() => glm(pos, { family: "gaussian", link: "log" }), (e: unknown) => e instanceof InputError && /cannot find valid starting values/.test((e as Error).message));
  const yc = Float64Array.from(frame.y);
  yc[0] = -1;
  assert.throws(() => glm({ ...frame, y: yc }, { family: "poisson" }), /poisson responses must be non-negative/);
});

test("poisson with non-integer counts fits but reports the likelihood as undefined", () => {
  const d = fixture.datasets["pois"];
  const frame = frameOf(d);
  const y = Float64Array.from(frame.y, (v, i) => (i === 0 ? v + 0.5 : v));
  const fit = glm({ ...frame, y }, { family: "poisson" });
  assert.equal(fit.converged, true);
  assert.equal(fit.logLik, -Infinity);
  assert.ok(fit.diagnostics.some((x) => x.code === "glm-non-integer-counts"));
});
