/**
 * Delete-one-cluster refits (models/{gee,lmm,glmm}/refit.ts) against each
 * model's own full fit on the data without that cluster.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelFrame } from "../../src/formula/types.ts";
import { gee } from "../../src/models/gee/index.ts";
import { GeeSumsSolver } from "../../src/models/gee/refit.ts";
import { glmm, glmmObjective } from "../../src/models/glmm/index.ts";
import { glmmHessianFactor, refitGlmm } from "../../src/models/glmm/refit.ts";
import { lmm } from "../../src/models/lmm/index.ts";
import { RemlSumsSolver } from "../../src/models/lmm/refit.ts";
import { addBeta0, clusterSums, SumsView } from "../../src/models/shared/cluster-sums.ts";
import { createRng } from "../../src/random/rng.ts";
import { makeFrame, near } from "../helpers/frame.ts";

const COLUMNS = ["(Intercept)", "A", "x"];

interface Trial {
  readonly x: number[][];
  readonly y: number[];
  readonly cluster: number[];
}

/** A random-intercept trial: 14 clusters of 3–9 rows, cluster-level A, individual x; y Gaussian or 0/1. */
function trial(seed: number, binary: boolean): Trial {
  const rng = createRng(seed);
  const out: Trial = { x: [], y: [], cluster: [] };
  for (let c = 0; c < 14; c++) {
    const size = 3 + Math.floor(rng.uniform() * 7);
    const a = c % 2;
    const b = 0.7 * rng.normal();
    for (let r = 0; r < size; r++) {
      const x = rng.normal();
      const eta = (binary ? -0.3 : 1) + 0.5 * a + 0.4 * x + b;
      out.x.push([1, a, x]);
      out.y.push(binary ? (rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0) : eta + rng.normal());
      out.cluster.push(c);
    }
  }
  return out;
}

function frameOf(t: Trial, without = -1, randomIntercept = false): ModelFrame {
  const keep = t.cluster.map((c) => c !== without);
  return makeFrame(
    t.x.filter((_, i) => keep[i]),
    t.y.filter((_, i) => keep[i]),
    COLUMNS,
    t.cluster.filter((_, i) => keep[i]),
    undefined,
    { randomIntercept },
  );
}

function sumsOf(frame: ModelFrame) {
  const sums = clusterSums(frame.X.data, frame.X.rows, frame.X.cols, frame.y, frame.clusters!.starts);
  return { sums, view: new SumsView(sums) };
}

const continuous = trial(11, false);
const CLUSTERS = [0, 5, 13];

test("GEE on cluster sums without cluster g equals gee() on the data without g (closed-form algebra, same iterations)", () => {
  const { sums, view } = sumsOf(frameOf(continuous));
  const solver = new GeeSumsSolver(sums.p);
  for (const corstr of ["independence", "exchangeable"] as const) {
    for (const g of CLUSTERS) {
      view.select(g);
      const r = solver.fit(view, corstr === "exchangeable");
      const beta = addBeta0(sums, r.delta, new Float64Array(sums.p));
      const ref = gee(frameOf(continuous, g), { corstr });
      assert.equal(r.converged, true);
      // 1e-10: the same iterations in a different order of summation.
      beta.forEach((b, j) => near(b, ref.coefficients[j], 1e-10, `${corstr} without ${g}: beta[${j}]`));
      near(r.scale, ref.scale, 1e-10, `${corstr} without ${g}: scale`);
      if (corstr === "exchangeable") near(r.parameter, ref.alpha!, 1e-10, `without ${g}: alpha`);
    }
  }
});

test("REML on cluster sums without cluster g equals lmm() on the data without g", () => {
  const full = lmm(frameOf(continuous, -1, true), { method: "reml" });
  const { sums, view } = sumsOf(frameOf(continuous));
  const solver = new RemlSumsSolver(sums.p);
  for (const g of CLUSTERS) {
    view.select(g);
    const r = solver.fit(view, full.theta);
    const ref = lmm(frameOf(continuous, g, true), { method: "reml" });
    assert.equal(r.converged, true);
    assert.ok(ref.theta > 0, "an interior optimum, so θ is optimizer-dependent");
    // ~1e-6: two 1-D optimizations of the same criterion, each to a relative tolerance of about 1e-8.
    near(r.parameter, ref.theta, 1e-6, `without ${g}: theta`);
    const beta = addBeta0(sums, r.delta, new Float64Array(sums.p));
    beta.forEach((b, j) => near(b, ref.coefficients[j], 1e-6, `without ${g}: beta[${j}]`));
    // The criterion at the optimum is lme4's REML criterion of the reduced data.
    near(solver.criterion(view, ref.theta), ref.criterion, 1e-10, `without ${g}: REML criterion`);
  }
});

test("warm-started GLMM refit without cluster g equals glmm() on the data without g", () => {
  const binary = trial(9, true);
  const fullFrame = frameOf(binary, -1, true);
  const full = glmm(fullFrame, { family: "binomial", nagq: 1 });
  assert.ok(full.theta > 0);
  const chol = glmmHessianFactor(glmmObjective(fullFrame, { family: "binomial", nagq: 1 }), full.theta, full.coefficients);
  assert.ok(chol !== null);
  const secant = { curvature: 0 };
  let warm = 0;
  for (const g of CLUSTERS) {
    const frame = frameOf(binary, g, true);
    const r = refitGlmm(glmmObjective(frame, { family: "binomial", nagq: 1 }), full.theta, full.coefficients, chol, secant);
    const ref = glmm(frame, { family: "binomial", nagq: 1 });
    assert.equal(r.converged, true);
    if (!r.fallback) warm++;
    // ~1e-5: different optimizers of the same Laplace deviance (secant in θ with chord Newton in β vs the full optimizer).
    near(r.theta, ref.theta, 1e-5, `without ${g}: theta`);
    r.beta.forEach((b, j) => near(b, ref.coefficients[j], 1e-5, `without ${g}: beta[${j}]`));
  }
  assert.ok(warm > 0, "at least one refit took the warm-started path");
});
