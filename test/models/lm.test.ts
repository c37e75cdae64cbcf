import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ComputeError, InputError } from "../../src/core/errors.ts";
import { lm, lmCovariance, olsFit, type LmVcovType } from "../../src/models/lm/index.ts";
import { makeFrame } from "../helpers/frame.ts";

interface LmCase {
  name: string;
  terms: string[];
  X: number[][];
  y: number[];
  cluster: string[];
  weights?: number[];
  coefficients: number[];
  classical: { vcov: number[][]; sigma: number; dfResidual: number };
  vcov: Record<string, number[][]>;
  satterthwaiteDf: Record<string, number[]>;
  cr2: { statistic: number[]; pValue: number[]; confLow: number[]; confHigh: number[] };
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/lm.json", import.meta.url), "utf8")) as { cases: LmCase[] };
const types = ["CR0", "CR1", "CR1p", "CR1S", "CR2", "CR3"] as const;

// Everything here is a closed form (least squares, sandwich algebra, one small
// eigenproblem per cluster), so agreement with R is to rounding: 1e-8 relative.
const CLOSED_FORM = 1e-8;

function relClose(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= tol, `${what}: ${actual} vs R ${expected} (relative error ${err.toExponential(2)})`);
}

/** Compares a flat row-major variance matrix with R's entrywise, off-diagonals relative to √(V_ii V_jj) (they can be near 0). */
function vcovClose(actual: Float64Array, expected: number[][], tol: number, what: string): void {
  const p = expected.length;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const s = Math.sqrt(expected[i][i] * expected[j][j]);
      const err = Math.abs(actual[i * p + j] - expected[i][j]) / s;
      assert.ok(err <= tol, `${what}[${i},${j}]: ${actual[i * p + j]} vs R ${expected[i][j]} (error ${err.toExponential(2)} of scale)`);
    }
  }
}

function frameOf(c: LmCase) {
  return makeFrame(c.X, c.y, c.terms, c.cluster, c.weights);
}

for (const c of fixture.cases) {
  test(`lm matches R lm() and clubSandwich for "${c.name}"`, () => {
    const frame = frameOf(c);
    const classical = lm(frame, { vcov: "classical" });
    classical.coefficients.forEach((b, i) => relClose(b, c.coefficients[i], CLOSED_FORM, `coefficient ${c.terms[i]}`));
    relClose(classical.sigma, c.classical.sigma, CLOSED_FORM, "sigma");
    assert.equal(classical.dfResidual, c.classical.dfResidual);
    vcovClose(classical.vcov, c.classical.vcov, CLOSED_FORM, "classical vcov");
    classical.table.forEach((co) => assert.equal(co.df, c.classical.dfResidual));
    for (const type of types) {
      const fit = lm(frame, { vcov: type });
      assert.equal(fit.vcovType, type);
      assert.equal(fit.nClusters, new Set(c.cluster).size);
      vcovClose(fit.vcov, c.vcov[type], CLOSED_FORM, `${type} vcov`);
      fit.table.forEach((co, i) => relClose(co.df!, c.satterthwaiteDf[type][i], CLOSED_FORM, `${type} Satterthwaite df of ${co.term}`));
    }
    const cr2 = lm(frame, { vcov: "CR2" });
    cr2.table.forEach((co, i) => {
      relClose(co.statistic, c.cr2.statistic[i], CLOSED_FORM, `CR2 t of ${co.term}`);
      // p-values and quantiles pass through the t distribution code: same tier, relative.
      relClose(co.pValue, c.cr2.pValue[i], 1e-7, `CR2 p of ${co.term}`);
      relClose(co.confLow, c.cr2.confLow[i], CLOSED_FORM, `CR2 lower limit of ${co.term}`);
      relClose(co.confHigh, c.cr2.confHigh[i], CLOSED_FORM, `CR2 upper limit of ${co.term}`);
    });
  });
}

test("lm defaults to CR2 with Satterthwaite df when the frame has clusters, classical otherwise", () => {
  const c = fixture.cases[0];
  const clustered = lm(frameOf(c));
  assert.equal(clustered.vcovType, "CR2");
  assert.equal(clustered.dfMethod, "satterthwaite");
  assert.ok(clustered.diagnostics.some((d) => d.code === "lm-vcov"));
  const plain = lm(makeFrame(c.X, c.y, c.terms));
  assert.equal(plain.vcovType, "classical");
  assert.equal(plain.nClusters, null);
  assert.equal(plain.dfMethod, "residual");
});

test("naive df are clusters − 1 for every term", () => {
  const c = fixture.cases[1];
  const fit = lm(frameOf(c), { vcov: "CR1", df: "naive" });
  const m = new Set(c.cluster).size;
  fit.table.forEach((co) => assert.equal(co.df, m - 1));
  vcovClose(fit.vcov, c.vcov.CR1, CLOSED_FORM, "CR1 vcov");
});

test("composing olsFit and lmCovariance by hand gives lm's result", () => {
  for (const c of fixture.cases) {
    const frame = frameOf(c);
    const fit = olsFit(frame);
    const cov = lmCovariance(frame, fit, { vcov: "CR2" });
    const whole = lm(frame, { vcov: "CR2" });
    assert.deepEqual(whole.coefficients, fit.coefficients);
    assert.deepEqual(whole.table.map((co) => co.df), cov.df);
    assert.deepEqual(whole.vcov, cov.vcov);
  }
});

test("options.weights overrides frame weights and matches the weighted fixture", () => {
  const c = fixture.cases.find((k) => k.weights)!;
  const frame = makeFrame(c.X, c.y, c.terms, c.cluster);
  const fit = lm(frame, { vcov: "CR2", weights: c.weights });
  assert.equal(fit.weighted, true);
  vcovClose(fit.vcov, c.vcov.CR2, CLOSED_FORM, "weighted CR2 vcov");
  // A common rescaling of the weights changes nothing.
  const scaled = lm(frame, { vcov: "CR2", weights: c.weights!.map((w) => 7 * w) });
  vcovClose(scaled.vcov, c.vcov.CR2, CLOSED_FORM, "rescaled weights CR2 vcov");
  scaled.table.forEach((co, i) => relClose(co.df!, c.satterthwaiteDf.CR2[i], CLOSED_FORM, "rescaled df"));
});

test("the result is a frozen plain object", () => {
  const fit = lm(frameOf(fixture.cases[0]));
  assert.ok(Object.isFrozen(fit));
  assert.ok(Object.isFrozen(fit.table));
  assert.ok(Object.isFrozen(fit.table[0]));
  assert.doesNotThrow(() => JSON.stringify(fit));
});

test("a dependent column is an InputError naming it", () => {
  const c = fixture.cases[0];
  const x = c.X.map((row) => [...row, 2 * row[1] - row[2]]);
  assert.throws(
    () => lm(makeFrame(x, c.y, [...c.terms, "X3"], c.cluster)),
    (e: unknown) =>
      e instanceof InputError && e.message === "singular design: column 'X3' is a linear combination of earlier columns",
  );
});

test("bad input is refused with a message naming the value", () => {
  const c = fixture.cases[0];
  const frame = frameOf(c);
  const noClusters = makeFrame(c.X, c.y, c.terms);
  assert.throws(() => lm(noClusters, { vcov: "CR2" }), /vcov 'CR2' needs clusters/);
  assert.throws(() => lm(frame, { vcov: "HC3" as LmVcovType }), (e: unknown) => e instanceof InputError && /'HC3'/.test((e as Error).message));
  const one = makeFrame(c.X, c.y, c.terms, c.cluster.map(() => "all"));
  assert.throws(() => lm(one, { vcov: "CR1" }), /at least 2 clusters; column 'cluster' has 1/);
  const w = c.y.map(() => 1);
  w[4] = -2;
  assert.throws(() => lm(frame, { weights: w }), /weight at row 5 is -2; weights must be finite and non-negative/);
  const x = c.X.map((row) => [...row]);
  x[6][2] = NaN;
  assert.throws(() => lm(makeFrame(x, c.y, c.terms, c.cluster)), /column 'X1' row 7 is NaN; it must be a finite number/);
  const y = [...c.y];
  y[0] = Infinity;
  assert.throws(() => lm(makeFrame(c.X, y, c.terms, c.cluster)), /response 'Y' row 1 is Infinity; it must be a finite number/);
  assert.throws(() => lm(makeFrame(c.X.slice(0, 3), c.y.slice(0, 3), c.terms)), /more rows than coefficients: 3 rows, 3 coefficients/);
  assert.throws(() => lm(frame, { level: 95 }), /confidence level 95/);
});

test("CR3 refuses a cluster without which the design is singular", () => {
  // Column D is non-zero only in the first cluster: dropping that cluster leaves it unidentified.
  const c = fixture.cases[0];
  const first = c.cluster[0];
  const x = c.X.map((row, r) => [...row, c.cluster[r] === first ? row[2] : 0]);
  const frame = makeFrame(x, c.y, [...c.terms, "D"], c.cluster);
  assert.throws(() => lm(frame, { vcov: "CR3" }), (e: unknown) => e instanceof ComputeError && e.message.includes(`cluster '${first}'`));
  // CR2 copes through the pseudo-inverse and says so.
  const cr2 = lm(frame, { vcov: "CR2" });
  assert.ok(cr2.diagnostics.some((d) => d.code === "cr2-singular-adjustment" && d.message.includes(`'${first}'`)));
  assert.ok(cr2.table.every((co) => Number.isFinite(co.stdError)));
});
