import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pool } from "../../src/inference/pool.ts";
import { closeRel, throwsInput } from "../helpers/assert.ts";

interface PoolCase {
  name: string;
  Q: number[];
  U: number[];
  level: number;
  m: number;
  dfcom?: number;
  qbar: number;
  ubar: number;
  b: number;
  t: number;
  df: number;
  r: number;
  lambda: number;
  fmi: number;
  statistic: number;
  pValue: number;
  confLow: number;
  confHigh: number;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/pool.json", import.meta.url), "utf8")) as {
  cases: PoolCase[];
  zeroBetween: PoolCase[];
};

// Rubin's rules are closed forms: agreement with mice to rounding.
const CLOSED_FORM = 1e-10;
// p-values and t quantiles go through the t distribution code.
const T_DIST = 1e-8;

function compare(p: ReturnType<typeof pool>, c: PoolCase, tol: number): void {
  assert.equal(p.m, c.m);
  closeRel(p.estimate, c.qbar, CLOSED_FORM, `${c.name}: qbar`);
  closeRel(p.within, c.ubar, CLOSED_FORM, `${c.name}: ubar`);
  closeRel(p.between, c.b, CLOSED_FORM, `${c.name}: b`);
  closeRel(p.total, c.t, CLOSED_FORM, `${c.name}: t`);
  closeRel(p.variance, c.t, CLOSED_FORM, `${c.name}: variance`);
  closeRel(p.riv, c.r, CLOSED_FORM, `${c.name}: r`);
  closeRel(p.lambda, c.lambda, CLOSED_FORM, `${c.name}: lambda`);
  closeRel(p.df, c.df, tol, `${c.name}: df`);
  closeRel(p.fmi, c.fmi, tol, `${c.name}: fmi`);
  closeRel(p.stdError, Math.sqrt(c.t), CLOSED_FORM, `${c.name}: se`);
  closeRel(p.statistic, c.statistic, CLOSED_FORM, `${c.name}: statistic`);
  closeRel(p.pValue, c.pValue, Math.max(tol, T_DIST), `${c.name}: p-value`);
  closeRel(p.confLow, c.confLow, Math.max(tol, T_DIST), `${c.name}: lower limit`);
  closeRel(p.confHigh, c.confHigh, Math.max(tol, T_DIST), `${c.name}: upper limit`);
}

const aboveFloor = fixture.cases.filter((c) => c.lambda >= 1e-4);
const belowFloor = fixture.cases.filter((c) => c.lambda < 1e-4);

test("pool equals mice::pool.scalar(Q, U, n = C, k = 2) (λ ≥ 1e-4, default options)", () => {
  assert.ok(aboveFloor.length >= 7);
  for (const c of aboveFloor) compare(pool(c.Q, c.U, { dfcom: c.dfcom, level: c.level }), c, CLOSED_FORM);
});

test("with lambdaFloor 1e-4 pool equals mice also when B is tiny (λ < 1e-4)", () => {
  assert.ok(belowFloor.length >= 2);
  for (const c of [...aboveFloor, ...belowFloor]) {
    compare(pool(c.Q, c.U, { dfcom: c.dfcom, level: c.level, lambdaFloor: 1e-4 }), c, CLOSED_FORM);
  }
});

test("tiny B without the floor: the exact formulas, within 1e-4 of mice's df when dfcom is given", () => {
  for (const c of belowFloor) {
    const p = pool(c.Q, c.U, { dfcom: c.dfcom });
    const m = c.m;
    assert.equal(p.dfRubin, (m - 1) / p.lambda ** 2);
    if (c.dfcom !== undefined) {
      const obs = ((c.dfcom * (c.dfcom + 1)) / (c.dfcom + 3)) * (1 - p.lambda);
      closeRel(p.dfObserved!, obs, 1e-14, `${c.name}: dfObserved`);
      closeRel(p.df, 1 / (1 / p.dfRubin + 1 / obs), 1e-14, `${c.name}: df`);
      closeRel(p.df, c.df, 1e-4, `${c.name}: df vs mice`);
    }
  }
});

test("Rubin's df equals (D − 1)(1 + 1/r)², and Barnard–Rubin's is the harmonic combination", () => {
  const c = aboveFloor[0];
  const p = pool(c.Q, c.U, { dfcom: c.dfcom });
  closeRel(p.dfRubin, (c.m - 1) * (1 + 1 / p.riv) ** 2, 1e-13, "Rubin df");
  closeRel(p.lambda, p.riv / (1 + p.riv), 1e-14, "lambda");
  closeRel(1 / p.df, 1 / p.dfRubin + 1 / p.dfObserved!, 1e-13, "adjusted df");
  const rubinOnly = pool(c.Q, c.U);
  assert.equal(rubinOnly.df, rubinOnly.dfRubin);
  assert.equal(rubinOnly.dfObserved, undefined);
  assert.equal(pool(c.Q, c.U, { dfcom: Infinity }).df, rubinOnly.df);
});

test("B = 0: no NaN; df = ν_obs(λ = 0) with dfcom, Infinity (normal) without", () => {
  for (const c of fixture.zeroBetween) {
    const p = pool(c.Q, c.U, { dfcom: c.dfcom });
    assert.equal(p.between, 0);
    assert.equal(p.riv, 0);
    assert.equal(p.lambda, 0);
    assert.equal(p.dfRubin, Infinity);
    closeRel(p.total, c.t, CLOSED_FORM, "t");
    assert.ok(p.diagnostics.some((d) => d.code === "pool-zero-between"));
    if (c.dfcom !== undefined) {
      const obs = (c.dfcom * (c.dfcom + 1)) / (c.dfcom + 3);
      assert.equal(p.df, obs);
      // mice floors λ at 1e-4, so its df is a hair smaller.
      closeRel(p.df, c.df, 2e-4, "df vs mice");
      closeRel(pool(c.Q, c.U, { dfcom: c.dfcom, lambdaFloor: 1e-4 }).df, c.df, CLOSED_FORM, "floored df vs mice");
    } else {
      assert.equal(p.df, Infinity);
      assert.equal(p.fmi, 0);
      // Normal reference: 1.959964 standard errors.
      closeRel(p.confHigh - p.estimate, 1.959963984540054 * p.stdError, 1e-12, "normal interval");
    }
    for (const v of Object.values(p)) if (typeof v === "number") assert.ok(!Number.isNaN(v));
  }
});

test("the form printed in Blette et al. (2023) (B divided by the pooled estimate) would break near 0; pool uses Ū", () => {
  const c = aboveFloor.find((k) => k.name.includes("near 0"))!;
  const p = pool(c.Q, c.U, { dfcom: c.dfcom });
  const typoR = ((1 + 1 / c.m) * p.between) / p.estimate; // what the paper prints
  const typoDf = (c.m - 1) * (1 + 1 / typoR) ** 2;
  assert.ok(Math.abs(typoDf - p.dfRubin) / p.dfRubin > 0.5 || !Number.isFinite(typoDf) || typoR < 0);
  closeRel(p.df, c.df, CLOSED_FORM, "df");
});

test("the result is frozen and carries an Estimate", () => {
  const c = aboveFloor[0];
  const p = pool(c.Q, c.U, { dfcom: c.dfcom });
  assert.ok(Object.isFrozen(p));
  for (const key of ["estimate", "stdError", "df", "statistic", "pValue", "confLow", "confHigh"]) assert.ok(key in p);
  assert.equal(p.level, 0.95);
});

test("bad input is refused with a message naming the value", () => {
  throwsInput(() => pool([1], [0.1]), /at least 2 completed data sets; got 1/);
  assert.throws(() => pool([1, 2], [0.1]), /2 estimates, 1 variances/);
  assert.throws(() => pool([1, NaN], [0.1, 0.1]), /estimate 2 of 2 is NaN/);
  assert.throws(() => pool([1, 2], [0.1, -1]), /variance 2 of 2 is -1, not a positive finite number/);
  assert.throws(() => pool([1, 2], [0.1, 0]), /variance 2 of 2 is 0/);
  assert.throws(() => pool([1, 2], [0.1, 0.2], { dfcom: 0 }), /dfcom\) 0 is not positive/);
  assert.throws(() => pool([1, 2], [0.1, 0.2], { level: 1.5 }), /confidence level 1.5/);
  assert.throws(() => pool([1, 2], [0.1, 0.2], { lambdaFloor: -1 }), /lambdaFloor -1/);
});
