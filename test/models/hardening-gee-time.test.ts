/**
 * AR(1) working correlation ordered by a time column (geepack's `waves`):
 * agreement with geepack::geese on shuffled rows with time gaps, invariance
 * to the row order, the dense-matrix definition α^|t_j − t_k| for the O(n)
 * kernels, and the refusal of times that define no order.
 * Tolerances: 1e-6 relative against geepack (GEE tier), 1e-10 for identities.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { datasetFromRecord } from "../../src/data/dataset.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { invertSymmetric } from "../../src/linalg/index.ts";
import { ar1, gee, type GeeResult } from "../../src/models/gee/index.ts";
import { createRng } from "../../src/random/index.ts";

interface TimeCase {
  readonly name: string;
  readonly family: "gaussian" | "binomial";
  readonly data: Readonly<Record<"cluster" | "T" | "A" | "X" | "Y", readonly number[]>>;
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  readonly robustSe: readonly number[];
  readonly alpha: number;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/gee-time.json", import.meta.url), "utf8")) as { cases: TimeCase[] };

function near(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

type Columns = Record<string, number[]>;

function fitAr1(columns: Columns, family: "gaussian" | "binomial", time?: string): GeeResult {
  const frame = modelFrame(datasetFromRecord(columns), "Y ~ A + X", { cluster: "cluster", ...(time ? { time } : {}) });
  return gee(frame, { family, corstr: "ar1" });
}

/** The rows of `columns` in the order `perm`. */
function permute(columns: Columns, perm: readonly number[]): Columns {
  return Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, perm.map((i) => v[i])]));
}

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

function sameFit(a: GeeResult, b: GeeResult, what: string): void {
  near(a.alpha!, b.alpha!, 1e-10, `${what} alpha`);
  a.table.forEach((c, j) => {
    near(c.estimate, b.table[j].estimate, 1e-10, `${what} ${c.term}`);
    near(c.stdError, b.table[j].stdError, 1e-10, `${what} SE ${c.term}`);
  });
}

for (const c of fixture.cases) {
  test(`gee ar1 with time matches geepack::geese(waves = T) on case ${c.name} (rows shuffled within clusters, time gaps)`, () => {
    const columns = Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, [...v]])) as Columns;
    const fit = fitAr1(columns, c.family, "T");
    assert.deepEqual(fit.terms, c.terms);
    near(fit.alpha!, c.alpha, 1e-6, "alpha");
    fit.table.forEach((row, j) => {
      near(row.estimate, c.coefficients[j], 1e-6, `coefficient ${row.term}`);
      near(row.stdError, c.robustSe[j], 1e-6, `robust SE ${row.term}`);
    });
    assert.equal(fit.timeOrder, "by column 'T'");
    assert.ok(fit.diagnostics.some((d) => d.code === "gee-ar1-order" && d.message.includes("'T'")));
    // Any row order gives the same fit: the time column sets the lags.
    sameFit(fitAr1(permute(columns, shuffled(columns.Y.length, 5)), c.family, "T"), fit, "globally shuffled");
  });
}

test("with consecutive times, the fit on shuffled rows with time equals the fit on rows pre-sorted by time", () => {
  const c = fixture.cases[0];
  const n = c.data.Y.length;
  // Replace the times by their rank within cluster (gaps of 1), keep the shuffled row order.
  const rank = c.data.T.map((t, i) => c.data.T.filter((u, j) => c.data.cluster[j] === c.data.cluster[i] && u < t).length + 1);
  const columns: Columns = { ...(Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, [...v]])) as Columns), T: rank };
  const sortedPerm = Array.from({ length: n }, (_, i) => i).sort((i, j) => columns.cluster[i] - columns.cluster[j] || rank[i] - rank[j]);
  const byRows = fitAr1(permute(columns, sortedPerm), "gaussian");
  assert.equal(byRows.timeOrder, "row order within cluster");
  assert.ok(byRows.diagnostics.some((d) => d.code === "gee-ar1-order" && d.message.includes("row order within cluster")));
  for (const seed of [1, 2, 3]) sameFit(fitAr1(permute(columns, shuffled(n, seed)), "gaussian", "T"), byRows, `seed ${seed}`);
  // Without time the shuffled rows give another (wrong) fit: the order matters.
  const wrong = fitAr1(permute(columns, shuffled(n, 1)), "gaussian");
  assert.ok(Math.abs(wrong.alpha! - byRows.alpha!) > 1e-3);
});

test("AR(1) kernels with time gaps equal the dense working correlation alpha^|t_j − t_k|", () => {
  const rng = createRng(21);
  for (const times of [[1, 2, 3], [1, 3, 4, 8], [2, 5, 6, 7, 11, 12]]) {
    const n = times.length;
    const start = 2;
    const gaps = new Float64Array(start + n).fill(1);
    for (let j = 1; j < n; j++) gaps[start + j] = times[j] - times[j - 1];
    for (const rho of [0, 0.35, 0.8, -0.5]) {
      const r = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] = i === j ? 1 : rho ** Math.abs(times[i] - times[j]);
      const rinv = invertSymmetric(r, n);
      const k = 2;
      const block = Float64Array.from({ length: n * k }, () => rng.normal());
      const raw = Float64Array.from(block);
      ar1.whiten(block, n, k, rho, gaps, start);
      for (let a = 0; a < k; a++) {
        let direct = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) direct += raw[i * k + a] * rinv[i * n + j] * raw[j * k + a];
        let white = 0;
        for (let i = 0; i < n; i++) white += block[i * k + a] ** 2;
        near(white, direct, 1e-10, `whiten t=${times} rho=${rho}`);
      }
      const e = Float64Array.from({ length: start + n }, () => rng.normal());
      const w = Float64Array.from({ length: start + n }, () => 0.5 + rng.uniform());
      const acc = new Float64Array(2);
      ar1.alphaSums(e, w, start, n, rho, acc, gaps);
      let score = 0;
      let information = 0;
      for (let j = 0; j < n; j++) {
        for (let l = j + 1; l < n; l++) {
          const d = times[l] - times[j];
          const ww = w[start + j] * w[start + l];
          const drho = d * rho ** (d - 1);
          score += ww * drho * (e[start + j] * e[start + l] - rho ** d);
          information += ww * drho * drho;
        }
      }
      near(acc[0], score, 1e-10, `score t=${times} rho=${rho}`);
      near(acc[1], information, 1e-10, `information t=${times} rho=${rho}`);
    }
  }
});

test("times that define no order are refused, naming the cluster and data rows", () => {
  const base: Columns = {
    cluster: [1, 1, 1, 2, 2, 2, 3, 3, 3],
    T: [1, 2, 3, 1, 2, 3, 1, 2, 3],
    A: [0, 0, 0, 1, 1, 1, 0, 0, 0],
    X: [0.1, 0.5, -0.3, 1.2, 0.4, -0.8, 0.9, -1.1, 0.2],
    Y: [1.2, 0.7, 1.9, 2.4, 1.1, 0.3, 1.5, 0.2, 1.0],
  };
  const throwsInput = (T: (number | null)[], message: RegExp): void => {
    const data = datasetFromRecord({ ...base, T });
    assert.throws(() => gee(modelFrame(data, "Y ~ A + X", { cluster: "cluster", time: "T" }), { corstr: "ar1" }), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match((e as Error).message, message);
      return true;
    });
  };
  throwsInput([1, 2, 3, 1, 3, 3, 1, 2, 3], /^time column 'T' has the value 3 twice in cluster '2' of 'cluster' \(data rows 5 and 6\)/);
  throwsInput([1, 2, 3, 1, 2, 3, 1, null, 3], /^time column 'T' is missing at data row 8 \(cluster '3' of 'cluster'\)/);
  throwsInput([1, 2.5, 3, 1, 2, 3, 1, 2, 3], /^time column 'T' is 2\.5 at data row 2 \(cluster '1' of 'cluster'\); AR\(1\) lags need whole-number times/);
  // Gaps of 2 everywhere: alpha cannot leave 0, which is said.
  const fit = gee(modelFrame(datasetFromRecord({ ...base, T: base.T.map((t) => 2 * t) }), "Y ~ A + X", { cluster: "cluster", time: "T" }), { corstr: "ar1" });
  assert.equal(fit.alpha, 0);
  assert.ok(fit.diagnostics.some((d) => d.code === "gee-alpha-not-estimated" && d.severity === "warning" && d.message.includes("'T'")));
});
