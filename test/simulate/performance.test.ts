import assert from "node:assert/strict";
import { test } from "node:test";
import { performanceMeasures, summarize, type SummarizableRow } from "../../src/simulate/performance.ts";

// Closed forms: values computed by hand below; tolerance 1e-12 (only rounding differs).
const close = (actual: number | null, expected: number, what: string): void => {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
};

// A tiny sample of n = 4 replicates, truth θ = 2.
//   θ̂ = 1, 2, 3, 6          θ̄ = 12/4 = 3; deviations −2, −1, 0, 3; Σ(θ̂ − θ̄)² = 4 + 1 + 0 + 9 = 14
//   SE = 1, 1, 2, 2          V = 1, 1, 4, 4; V̄ = 10/4 = 2.5; Σ(V − V̄)² = 4 · 1.5² = 9, Var(V) = 9/3 = 3
//   CI = [0, 3], [1.5, 2.5], [2.5, 3.5], [2.9, 8]
//        covers θ = 2: yes, yes, no, no  → 2/4;  covers θ̄ = 3: yes (closed), no, yes, yes → 3/4
//   p  = 0.01, 0.05, 0.2, 0.001 → p ≤ 0.05: yes, yes (closed), no, yes → 3/4
//   θ̂ − θ = −1, 0, 1, 4; squares 1, 0, 1, 16; MSE = 18/4 = 4.5;
//        squares − MSE = −3.5, −4.5, −3.5, 11.5; their squares sum to 12.25 + 20.25 + 12.25 + 132.25 = 177
const sample = {
  estimates: [1, 2, 3, 6],
  stdErrors: [1, 1, 2, 2],
  confLow: [0, 1.5, 2.5, 2.9],
  confHigh: [3, 2.5, 3.5, 8],
  pValues: [0.01, 0.05, 0.2, 0.001],
};

test("performance measures and MCSEs follow Morris et al. (2019) Table 6 on a hand-computed sample", () => {
  const m = performanceMeasures(sample, 2, 0.05);
  const n = 4;
  close(m.bias, 1, "bias"); // θ̄ − θ = 3 − 2
  close(m.biasMcse, Math.sqrt(14 / (n * (n - 1))), "bias MCSE"); // √(14/12)
  close(m.empSe, Math.sqrt(14 / 3), "empirical SE"); // √(Σ(θ̂ − θ̄)²/(n − 1))
  close(m.empSeMcse, Math.sqrt(14 / 3) / Math.sqrt(2 * 3), "empirical SE MCSE"); // EmpSE/√(2(n − 1)) = √(7/9)
  close(m.empSeMcse, Math.sqrt(7 / 9), "empirical SE MCSE (simplified)");
  close(m.modelSe, Math.sqrt(2.5), "model SE"); // √V̄
  close(m.modelSeMcse, Math.sqrt(3 / (4 * n * 2.5)), "model SE MCSE"); // √(Var(V)/(4n·ModSE²)) = √(3/40)
  const ratio = Math.sqrt(2.5) / Math.sqrt(14 / 3); // = √(15/28)
  close(m.relErrorModelSe, 100 * (ratio - 1), "relative error of model SE");
  // 100·ratio·√(Var(V)/(4n·ModSE⁴) + 1/(2(n − 1))) = 100·√(15/28)·√(3/100 + 1/6)
  close(m.relErrorModelSeMcse, 100 * Math.sqrt(15 / 28) * Math.sqrt(3 / 100 + 1 / 6), "relative error MCSE");
  close(m.coverage, 0.5, "coverage");
  close(m.coverageMcse, 0.25, "coverage MCSE"); // √(0.5·0.5/4)
  close(m.biasElimCoverage, 0.75, "bias-eliminated coverage");
  close(m.biasElimCoverageMcse, Math.sqrt(3) / 8, "bias-eliminated coverage MCSE"); // √(0.75·0.25/4) = √3/8
  close(m.rejection, 0.75, "rejection");
  close(m.rejectionMcse, Math.sqrt(3) / 8, "rejection MCSE");
  close(m.mse, 4.5, "MSE");
  close(m.mseMcse, Math.sqrt(177 / 12), "MSE MCSE"); // √(177/(n(n − 1)))
});

test("MSE = bias² + (n − 1)/n · EmpSE² (an identity the formulas must satisfy)", () => {
  const m = performanceMeasures(sample, 2);
  close(m.mse, m.bias! ** 2 + (3 / 4) * m.empSe! ** 2, "MSE decomposition");
});

test("with one replicate the spread-based measures are null; with none everything is", () => {
  const one = performanceMeasures({ estimates: [1], stdErrors: [1], confLow: [0], confHigh: [2], pValues: [0.3] }, 0.5);
  assert.equal(one.bias, 0.5);
  assert.equal(one.biasMcse, null);
  assert.equal(one.empSe, null);
  assert.equal(one.empSeMcse, null);
  assert.equal(one.relErrorModelSe, null);
  assert.equal(one.mseMcse, null);
  assert.equal(one.coverage, 1);
  const none = performanceMeasures({ estimates: [], stdErrors: [], confLow: [], confHigh: [], pValues: [] }, 0);
  assert.ok(Object.values(none).every((v) => v === null));
});

function row(replicate: number, method: string, estimand: string, i: number, extra: Partial<SummarizableRow> = {}): SummarizableRow {
  return {
    replicate,
    method,
    imputationModel: "",
    estimand,
    estimate: sample.estimates[i],
    stdError: sample.stdErrors[i],
    confLow: sample.confLow[i],
    confHigh: sample.confHigh[i],
    pValue: sample.pValues[i],
    converged: true,
    ...extra,
  };
}

test("summarize groups by method × imputation model × estimand, sorts by replicate and excludes failed replicates", () => {
  // Method "a" holds the sample in shuffled replicate order plus two failures;
  // method "b" holds it in order. Both must give the hand-computed measures.
  const rows: SummarizableRow[] = [
    row(3, "a", "ate", 3),
    row(1, "b", "ate", 1),
    row(0, "a", "ate", 0),
    row(4, "a", "ate", 0, { estimate: null, stdError: null, confLow: null, confHigh: null, pValue: null, converged: false, error: "boom" }),
    row(2, "a", "ate", 2),
    row(5, "a", "ate", 1, { converged: false }),
    row(1, "a", "ate", 1),
    row(0, "b", "ate", 0),
    row(2, "b", "ate", 2),
    row(3, "b", "ate", 3),
  ];
  const out = summarize(rows, { ate: 2 });
  assert.deepEqual(
    out.map((r) => [r.method, r.estimand, r.nReps, r.nFailed]),
    [
      ["a", "ate", 4, 2],
      ["b", "ate", 4, 0],
    ],
  );
  const expected = performanceMeasures(sample, 2);
  for (const r of out) {
    for (const [k, v] of Object.entries(expected)) assert.equal(r[k as keyof typeof expected], v, `${r.method} ${k}`);
    assert.equal(r.truth, 2);
  }
  assert.throws(() => summarize(rows, { hte: 0 }), /no finite true value for estimand 'ate'/);
  assert.throws(() => summarize(rows, { ate: 2 }, { alpha: 1.5 }), /alpha/);
});
