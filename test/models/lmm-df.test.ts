import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { lmmSmallSample } from "../../src/models/lmm/small-sample.ts";
import { type MixedCase, mixedFrame, nearRel } from "../helpers/frame.ts";

/** lmerTest (Satterthwaite) and pbkrtest (Kenward–Roger) results written by fixtures/r/lmm-df.R. */
interface DfFit {
  fixef: number[];
  varBetween: number;
  satterthwaite: { df: number[]; stdError: number[] };
  kenwardRoger?: { df: number[]; vcov: number[][]; stdError: number[]; summaryDf: number[] };
}
interface DfCase extends MixedCase {
  name: string;
  fits: Record<"reml" | "ml", DfFit>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/lmm-df.json", import.meta.url), "utf8")) as { cases: DfCase[] };

// The df are closed forms given the variance estimates; lmerTest differentiates
// numerically (numDeriv), so agreement is limited by its step error, and both
// depend on where the optimizers stop. The contract asks for 1e-4 relative.
const TOL = 1e-4;

for (const c of fixture.cases) {
  for (const method of ["reml", "ml"] as const) {
    test(`lmm Satterthwaite df match lmerTest on ${c.name} (${method}, ${new Set(c.cluster).size} clusters)`, () => {
      const frame = mixedFrame(c, "Y");
      const fit = lmm(frame, { method });
      const ref = c.fits[method].satterthwaite;
      const s = lmmSmallSample(frame, fit, "satterthwaite");
      ref.df.forEach((d, j) => nearRel(s.df[j]!, d, TOL, `${c.name}/${method} df[${c.columnNames[j]}]`));
      const p = c.columnNames.length;
      ref.stdError.forEach((se, j) => nearRel(Math.sqrt(s.vcov[j * p + j]), se, TOL, `${c.name}/${method} se[${c.columnNames[j]}]`));
    });
  }
  test(`lmm Kenward–Roger df and adjusted covariance match pbkrtest on ${c.name}`, () => {
    const frame = mixedFrame(c, "Y");
    const fit = lmm(frame);
    const ref = c.fits.reml.kenwardRoger!;
    const kr = lmmSmallSample(frame, fit, "kenward-roger");
    const p = c.columnNames.length;
    ref.df.forEach((d, j) => nearRel(kr.df[j]!, d, TOL, `${c.name} KR df[${c.columnNames[j]}]`));
    ref.summaryDf.forEach((d, j) => nearRel(kr.df[j]!, d, TOL, `${c.name} KR summary df[${c.columnNames[j]}]`));
    ref.vcov.forEach((row, i) => row.forEach((v, j) => nearRel(kr.vcov[i * p + j], v, TOL, `${c.name} KR vcov[${i},${j}]`)));
    ref.stdError.forEach((se, j) => nearRel(Math.sqrt(kr.vcov[j * p + j]), se, TOL, `${c.name} KR se[${c.columnNames[j]}]`));
  });
}

test("at a boundary fit the df are those of least squares, with a diagnostic", () => {
  // The lme4 fixture case whose REML and ML fits are singular (θ = 0).
  const lmmFixture = JSON.parse(readFileSync(new URL("../fixtures/lmm.json", import.meta.url), "utf8")) as { cases: (MixedCase & { name: string })[] };
  const frame = mixedFrame(lmmFixture.cases.find((c) => c.name === "boundary")!, "Y");
  const fit = lmm(frame);
  assert.equal(fit.boundary, true);
  for (const method of ["satterthwaite", "kenward-roger"] as const) {
    const s = lmmSmallSample(frame, fit, method);
    for (const d of s.df) nearRel(d!, fit.nObs - frame.X.cols, 1e-12, `${method} df at the boundary`);
    assert.deepEqual(s.vcov, fit.vcov);
    assert.ok(s.diagnostics.some((d) => d.code === "df-boundary"));
  }
});

test("Kenward–Roger refuses an ML fit; 'none' keeps the normal reference", () => {
  const c = fixture.cases[0];
  const frame = mixedFrame(c, "Y");
  assert.throws(() => lmmSmallSample(frame, lmm(frame, { method: "ml" }), "kenward-roger"), InputError);
  const none = lmmSmallSample(frame, lmm(frame), "none");
  assert.ok(none.df.every((d) => d === null));
});
