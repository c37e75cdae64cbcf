import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ComputeError, InputError } from "../../src/core/errors.ts";
import { pt, qt } from "../../src/distributions/index.ts";
import type { ModelFrame } from "../../src/formula/types.ts";
import { resolveFamily } from "../../src/models/family/index.ts";
import { glm, glmFit } from "../../src/models/glm/index.ts";
import { gee, geeData, geeFit, geeVariance, resolveCorrelation, type GeeSe } from "../../src/models/gee/index.ts";

interface GeeDataset {
  columnNames: string[];
  X: number[][];
  cluster: number[];
  y: Record<string, number[]>;
  observed?: number[];
  weights?: number[];
  offset?: number[];
}
interface GeeRef {
  name: string;
  data: string;
  outcome: string;
  family: "gaussian" | "binomial" | "poisson";
  link: string;
  corstr: "independence" | "exchangeable" | "ar1";
  rows: number[] | null;
  weights: "none" | "observed" | "positive";
  offset: boolean;
  coefficients: number[];
  vcovRobust: number[][];
  vcovNaive: number[][];
  alpha: number | null;
  scale: number;
  error: number;
  nClusters: number;
  md?: number[][];
  kc?: number[][];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/gee.json", import.meta.url), "utf8")) as {
  datasets: Record<string, GeeDataset>;
  fits: GeeRef[];
};

/** A clustered ModelFrame built by hand from fixture rows (clusters are contiguous in the data). */
function frameOf(d: GeeDataset, outcome: string, rows?: number[]): ModelFrame {
  const keep = rows ?? d.cluster.map((_, i) => i);
  const p = d.columnNames.length;
  const data = new Float64Array(keep.length * p);
  keep.forEach((r, i) => data.set(d.X[r], i * p));
  const ids: string[] = [];
  const starts: number[] = [0];
  keep.forEach((r, i) => {
    const id = String(d.cluster[r]);
    if (ids.length > 0 && ids[ids.length - 1] !== id) starts.push(i);
    if (ids.length === 0 || ids[ids.length - 1] !== id) ids.push(id);
  });
  starts.push(keep.length);
  return {
    formula: "y ~ .",
    response: "y",
    y: Float64Array.from(keep.map((r) => d.y[outcome][r])),
    X: { rows: keep.length, cols: p, data },
    columnNames: d.columnNames,
    rows: Int32Array.from(keep),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [],
    diagnostics: [],
    clusters: { column: "cluster", ids, starts: Int32Array.from(starts) },
  };
}

function inputsOf(ref: GeeRef) {
  const d = fixture.datasets[ref.data];
  const rows = ref.rows ?? d.cluster.map((_, i) => i);
  const frame = frameOf(d, ref.outcome, rows);
  const weights =
    ref.weights === "none" ? undefined : Float64Array.from(rows.map((r) => (ref.weights === "observed" ? d.observed! : d.weights!)[r]));
  const offset = ref.offset ? Float64Array.from(rows.map((r) => d.offset![r])) : undefined;
  return { frame, weights, offset };
}

/** Max |a − b| / max|b| over a matrix (relative to its largest entry), and elementwise checks. */
function near(a: ArrayLike<number>, b: readonly number[], rel: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < b.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.max(Math.abs(b[i]), 1e-3 * scale), `${what}[${i}]: ${a[i]} vs R ${b[i]}`);
  }
}

const diag = (m: ArrayLike<number>, p: number): number[] => Array.from({ length: p }, (_, j) => Math.sqrt(m[j * p + j]));
const diagR = (m: number[][]): number[] => m.map((r, j) => Math.sqrt(r[j]));

// Tolerance: the fit replays geepack's iterations exactly (same start, same
// updates of β, φ and α, same stopping rule), so agreement is at rounding
// level (observed ≤ 2e-14). 1e-8 relative is far inside the 1e-6 tier for
// GEE against R and still leaves room for summation-order differences.
const REL = 1e-8;

for (const ref of fixture.fits) {
  test(`gee ${ref.name} agrees with geepack::geeglm`, () => {
    assert.equal(ref.error, 0, "geepack converged");
    const { frame, weights, offset } = inputsOf(ref);
    const fit = gee(frame, { family: ref.family, link: ref.link as "identity", corstr: ref.corstr, weights, offset });
    const p = ref.coefficients.length;
    assert.equal(fit.converged, true);
    assert.equal(fit.nClusters, ref.nClusters);
    near(fit.coefficients, ref.coefficients, REL, "coefficients");
    near(fit.vcov, ref.vcovRobust.flat(), REL, "robust vcov");
    near(fit.table.map((c) => c.stdError), diagR(ref.vcovRobust), REL, "robust SE");
    for (const c of fit.table) assert.equal(c.df, null);
    if (ref.alpha === null) assert.equal(fit.alpha, null);
    else near([fit.alpha!], [ref.alpha], REL, "alpha");
    near([fit.scale], [ref.scale], REL, "scale");

    const model = gee(frame, { family: ref.family, link: ref.link as "identity", corstr: ref.corstr, weights, offset, se: "model" });
    near(model.vcov, ref.vcovNaive.flat(), REL, "naive vcov");
    if (ref.md && ref.kc) {
      for (const se of ["md", "kc"] as const) {
        const corrected = gee(frame, { family: ref.family, link: ref.link as "identity", corstr: ref.corstr, weights, offset, se });
        near(corrected.vcov, (se === "md" ? ref.md : ref.kc).flat(), REL, `${se} vcov`);
        near(diag(corrected.vcov, p), diagR(se === "md" ? ref.md : ref.kc), REL, `${se} SE`);
        // Small-sample corrections come with a t(C − p) reference (Li & Redden 2015).
        for (const c of corrected.table) {
          assert.equal(c.df, ref.nClusters - p, `${se} df`);
          assert.equal(c.pValue, 2 * pt(-Math.abs(c.estimate / c.stdError), ref.nClusters - p));
          assert.equal(c.confHigh, c.estimate + qt(0.975, ref.nClusters - p) * c.stdError);
        }
      }
    }
  });
}

test("zero weights are a complete-case analysis: they equal geeglm on the observed rows", () => {
  for (const corstr of ["exchangeable", "ar1"] as const) {
    const ref = fixture.fits.find((f) => f.name === `crt20-gaussian-${corstr}-cca`)!;
    const d = fixture.datasets.crt20;
    const frame = frameOf(d, "gaussian");
    const observed = Float64Array.from(d.observed!);
    // Unobserved rows may carry anything, even missing values: they must not matter.
    const y = Float64Array.from(frame.y, (v, i) => (observed[i] === 0 ? NaN : v));
    const x = Float64Array.from(frame.X.data);
    for (let i = 0; i < observed.length; i++) if (observed[i] === 0) x[i * frame.X.cols + 2] = NaN;
    const fit = gee({ ...frame, y, X: { ...frame.X, data: x } }, { corstr, weights: observed });
    near(fit.coefficients, ref.coefficients, REL, `${corstr} coefficients`);
    near(fit.vcov, ref.vcovRobust.flat(), REL, `${corstr} robust vcov`);
    near([fit.alpha!, fit.scale], [ref.alpha!, ref.scale], REL, `${corstr} alpha, scale`);
    assert.equal(fit.nObs, ref.rows!.length);
    assert.ok(fit.diagnostics.some((x) => x.code === "gee-zero-weight-rows"));
  }
});

test("gee() is the composition of its stages: geeData → glmFit → geeFit → geeVariance", () => {
  const ref = fixture.fits.find((f) => f.name === "crt50-poisson-log-exchangeable-offset")!;
  const { frame, offset } = inputsOf(ref);
  const { family, link } = resolveFamily("poisson");
  const corr = resolveCorrelation("exchangeable");
  const data = geeData(frame, family, link, undefined, offset);
  const start = glmFit(data.x, data.n, data.p, data.y, family, link, { offset: data.offset });
  const fit = geeFit(data.x, data.n, data.p, data.y, data.starts, family, link, corr, { offset: data.offset, start: start.coefficients });
  const v = geeVariance(data.x, data.n, data.p, data.y, data.starts, family, link, corr, fit.coefficients, fit.alpha, fit.scale, { offset: data.offset });
  for (const se of ["robust", "model", "md", "kc"] as GeeSe[]) {
    const api = gee(frame, { family: "poisson", corstr: "exchangeable", offset, se });
    assert.deepEqual(Array.from(api.coefficients), Array.from(fit.coefficients));
    assert.deepEqual(Array.from(api.vcov), Array.from(v[se]!));
    assert.equal(api.alpha, fit.alpha);
    assert.equal(api.iterations, fit.iterations);
  }
});

test("independence GEE with a gaussian family gives the least-squares coefficients", () => {
  const d = fixture.datasets.crt20;
  const frame = frameOf(d, "gaussian");
  const g = gee(frame, { corstr: "independence" });
  const l = glm(frame, { family: "gaussian" });
  near(g.coefficients, Array.from(l.coefficients), 1e-10, "coefficients");
  // Model-based GEE variance = OLS variance with divisor N instead of N − p.
  const m = gee(frame, { corstr: "independence", se: "model" });
  const n = frame.y.length;
  const p = frame.X.cols;
  near(m.vcov, Array.from(l.vcov, (v) => (v * (n - p)) / n), 1e-10, "model vcov");
});

test("gee reports clusters of size 1, non-convergence and a frozen result", () => {
  const ref = fixture.fits.find((f) => f.name === "crt50-gaussian-exchangeable")!;
  const { frame } = inputsOf(ref);
  const fit = gee(frame, { corstr: "exchangeable" });
  const single = fit.diagnostics.find((x) => x.code === "gee-cluster-size-1");
  assert.ok(single);
  assert.match(single.message, /2 of 50 clusters have a single row \('3', '17'\)/);
  assert.ok(Object.isFrozen(fit));
  const short = gee(frame, { corstr: "exchangeable", maxIter: 1 });
  assert.equal(short.converged, false);
  assert.equal(short.iterations, 1);
  assert.ok(short.diagnostics.some((x) => x.code === "gee-not-converged" && x.severity === "warning"));
});

test("exchangeable alpha outside the positive-definite range is a ComputeError naming alpha", () => {
  // Pairs (d, −d) in clusters of 2 drive alpha towards −1, below the bound −1/2 set by the cluster of 3.
  const y = Float64Array.from([1, -1, 2, -2, 1, -1, 0.5, -0.5, 0.01, 0, -0.01]);
  const n = y.length;
  const frame: ModelFrame = {
    formula: "y ~ 1",
    response: "y",
    y,
    X: { rows: n, cols: 1, data: new Float64Array(n).fill(1) },
    columnNames: ["(Intercept)"],
    rows: Int32Array.from({ length: n }, (_, i) => i),
    droppedRows: new Int32Array(0),
    nDropped: 0,
    randomTerms: [],
    diagnostics: [],
    clusters: { column: "site", ids: ["a", "b", "c", "d", "e"], starts: Int32Array.from([0, 2, 4, 6, 8, 11]) },
  };
  assert.throws(
    () => gee(frame, { corstr: "exchangeable" }),
    (e: unknown) =>
      e instanceof ComputeError &&
      /exchangeable correlation estimate alpha = -0\.7\d+ at iteration 1 is outside \(-0\.5000, 1\)/.test((e as Error).message),
  );
  assert.equal(gee(frame, { corstr: "independence" }).converged, true);
});

test("gee input errors name what is wrong", () => {
  const d = fixture.datasets.crt20;
  const frame = frameOf(d, "gaussian");
  const { clusters: _ignored, ...unclustered } = frame;
  assert.throws(() => gee(unclustered as ModelFrame, {}), (e: unknown) => e instanceof InputError && /gee needs clusters/.test((e as Error).message));
  assert.throws(() => gee(frame, { corstr: "unstructured" as "ar1" }), /unknown corstr 'unstructured'; use one of: independence, exchangeable, ar1/);
  assert.throws(() => gee(frame, { se: "jack" as "md" }), /unknown se 'jack'; use one of: robust, model, md, kc/);
  const one: ModelFrame = { ...frame, clusters: { column: "cluster", ids: ["all"], starts: Int32Array.from([0, frame.y.length]) } };
  assert.throws(() => gee(one, {}), /gee needs at least 2 clusters; column 'cluster' has 1/);
  const w = new Float64Array(frame.y.length).fill(1);
  w[7] = NaN;
  assert.throws(() => gee(frame, { weights: w }), /weight at row 8 is NaN/);
  const y = Float64Array.from(frame.y);
  y[3] = Infinity;
  assert.throws(() => gee({ ...frame, y }, {}), /response 'y' row 4 is Infinity/);
  assert.throws(() => gee(frame, { family: "binomial" }), /binomial responses must be 0\/1/);
});

test("md/kc with no more clusters than coefficients leave no t df: refused, naming the counts", () => {
  const d = fixture.datasets.crt20;
  const rows = d.cluster.map((c, i) => (c <= 5 ? i : -1)).filter((i) => i >= 0);
  const frame = frameOf(d, "gaussian", rows);
  assert.equal(gee(frame, { se: "robust" }).table[0].df, null);
  for (const se of ["md", "kc"] as const) {
    assert.throws(() => gee(frame, { se }), (e: unknown) => e instanceof InputError && /--se (md|kc) uses t with C − p df: 5 clusters for 5 coefficients/.test(e.message));
  }
});
