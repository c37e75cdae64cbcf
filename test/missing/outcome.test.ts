/**
 * The outcome side of the missing-modifier analysis against R
 * (fixtures/r/analyze-outcome.R): complete-case GEE fits of several outcome
 * models, families, links and standard errors on the example trial (and a
 * derived binary outcome), the HTE with its variance and the standardized ATE
 * with its delta-method variance on rd/rr/or; and that the default model
 * reproduces the previous analysis exactly.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { matrix } from "../../src/linalg/matrix.ts";
import { analyzeMissingModifier } from "../../src/missing/analyze.ts";
import { prepareModifierData } from "../../src/missing/data.ts";
import { fitOutcomeModel } from "../../src/missing/outcome.ts";
import type { OutcomeFamily, OutcomeSe } from "../../src/missing/outcome-model.ts";
import { singleFitEstimates } from "../../src/missing/result.ts";
import { gee } from "../../src/models/gee/index.ts";
import type { LinkName } from "../../src/models/family/link.ts";
import { closeRel, throwsInput } from "../helpers/assert.ts";

interface AteRef {
  scale: "rd" | "rr" | "or";
  estimate: number;
  variance: number;
}
interface CaseRef {
  name: string;
  formula: string;
  family: OutcomeFamily;
  link: LinkName;
  se: OutcomeSe;
  clusters: number[] | null;
  nObs: number;
  nClusters: number;
  terms: string[];
  hte: number;
  hteVariance: number;
  df: number | null;
  ate: AteRef[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/analyze-outcome.json", import.meta.url), "utf8")) as {
  ybin: number[];
  cluster: number[];
  cases: CaseRef[];
};

// GEE against geepack: 1e-6 relative (the project's GEE tolerance tier).
const TOL = 1e-6;
const csv = readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8").trim().split("\n");

/** The example trial with the fixture's binary outcome appended, optionally only some clusters. */
function trial(clusters: number[] | null = null): ReturnType<typeof readCsv> {
  const lines = csv.slice(1).map((line, i) => `${line},${fixture.ybin[i]}`);
  const keep = clusters === null ? lines : lines.filter((_, i) => clusters.includes(fixture.cluster[i]));
  return readCsv([`${csv[0]},Ybin`, ...keep].join("\n"));
}

const COLUMNS = { cluster: "cluster", treatment: "A", modifier: "M" };

test("the fixture's rows are the example trial's, in the same order", () => {
  const data = trial();
  assert.equal(data.nRows, fixture.ybin.length);
  const col = data.columns.get("cluster")!;
  assert.deepEqual(Array.from(col.values as Float64Array), fixture.cluster);
});

for (const ref of fixture.cases) {
  test(`complete-case ${ref.name} (${ref.formula}, ${ref.family} ${ref.link}, ${ref.se}) equals geeglm and R's standardization`, () => {
    const data = trial(ref.clusters);
    const outcome = ref.formula.split("~")[0].trim();
    for (const a of ref.ate) {
      const options = { formula: ref.formula, family: ref.family, link: ref.link, se: ref.se, ateScale: a.scale };
      const prepared = prepareModifierData(data, { ...COLUMNS, outcome }, [], options);
      assert.equal(prepared.outcomeModel.hteTerm, "A:M");
      assert.deepEqual(prepared.outcomeModel.completeCase!.columnNames, ref.terms.map((t) => t.replace(/\bMc\b/g, "M")));
      const fit = fitOutcomeModel(prepared, prepared.modifier, "exchangeable");
      assert.equal(fit.converged, true);
      assert.equal(fit.nClusters, ref.nClusters);
      closeRel(fit.hte, ref.hte, TOL, "hte");
      closeRel(fit.hteVariance, ref.hteVariance, TOL, "hte variance");
      closeRel(fit.ate, a.estimate, TOL, `ate (${a.scale})`);
      closeRel(fit.ateVariance, a.variance, TOL, `ate variance (${a.scale})`);

      // The reported estimates: t(C − p) with md/kc, normal otherwise; ratios for rr and or with the SE on the log scale.
      const cca = analyzeMissingModifier(data, { ...COLUMNS, outcome, imputation: [], methods: ["cca"], seed: 1, outcomeModel: options }).results[0];
      assert.equal(cca.hte.df, ref.df);
      assert.equal(cca.ate.df, ref.df);
      closeRel(cca.hte.stdError, Math.sqrt(ref.hteVariance), TOL, "hte SE");
      closeRel(cca.ate.stdError, Math.sqrt(a.variance), TOL, "ate SE (analysis scale)");
      closeRel(cca.ate.estimate, a.scale === "rd" ? a.estimate : Math.exp(a.estimate), TOL, `reported ate (${a.scale})`);
      assert.ok(cca.ate.confLow < cca.ate.estimate && cca.ate.estimate < cca.ate.confHigh);
      if (a.scale !== "rd") {
        const log = Math.log(cca.ate.estimate);
        closeRel(Math.log(cca.ate.confHigh) - log, log - Math.log(cca.ate.confLow), 1e-12, "symmetric on the log scale");
      }
    }
  });
}

test("the default model Y ~ A*M gives exactly the GEE of Y ~ A*Mc: hte = A:Mc, ate = the A coefficient", () => {
  const data = trial();
  const prepared = prepareModifierData(data, { ...COLUMNS, outcome: "Y" }, []);
  for (const m of [prepared.modifier, Float64Array.from(prepared.modifier, (v, r) => (Number.isNaN(v) ? r % 2 : v))]) {
    // The previous implementation's design, built by hand: 1, A, Mc, A·Mc; left-out rows weight 0.
    const n = prepared.n;
    let sum = 0;
    let used = 0;
    for (let r = 0; r < n; r++) if (!Number.isNaN(m[r])) (sum += m[r]), used++;
    const x = new Float64Array(n * 4);
    const w = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      if (Number.isNaN(m[r])) continue;
      const mc = m[r] - sum / used;
      x.set([1, prepared.treatment[r], mc, prepared.treatment[r] * mc], r * 4);
      w[r] = 1;
    }
    const direct = gee(
      {
        formula: "Y ~ A*Mc",
        response: "Y",
        y: prepared.outcome,
        X: matrix(n, 4, x),
        columnNames: ["(Intercept)", "A", "Mc", "A:Mc"],
        rows: prepared.rows,
        droppedRows: new Int32Array(0),
        nDropped: 0,
        clusters: { column: "cluster", ids: prepared.clusterIds, starts: prepared.starts },
        randomTerms: [],
        diagnostics: [],
      },
      { family: "gaussian", corstr: "exchangeable", weights: used === n ? undefined : w },
    );
    const fit = fitOutcomeModel(prepared, m, "exchangeable");
    assert.equal(fit.hte, direct.coefficients[3]);
    assert.equal(fit.hteVariance, direct.vcov[15]);
    assert.equal(fit.ate, direct.coefficients[1]);
    assert.equal(fit.ateVariance, direct.vcov[5]);
    assert.deepEqual(fit.diagnostics, direct.diagnostics);
    const est = singleFitEstimates(fit, 0.95);
    const { term: _a, ...ateCoefficient } = direct.table[1];
    const { term: _h, ...hteCoefficient } = direct.table[3];
    assert.deepEqual(est.ate, ateCoefficient);
    assert.deepEqual(est.hte, hteCoefficient);
  }
});

test("--outcome-model equal to the default gives byte-identical results", () => {
  const data = trial();
  const quick = { ...COLUMNS, outcome: "Y", imputation: ["M ~ X1*A*Y"], seed: 5, imputations: 4, burnin: 20, thin: 2 };
  const a = analyzeMissingModifier(data, quick);
  const b = analyzeMissingModifier(data, { ...quick, outcomeModel: { formula: "Y ~ A*M", family: "gaussian", link: "identity", se: "robust", ateScale: "rd", poolingDf: "barnard-rubin" } });
  assert.equal(JSON.stringify(b.results), JSON.stringify(a.results));
});

test("outcome models without the interaction, with the modifier transformed, or random effects are refused, naming the formula", () => {
  const data = trial();
  const prep = (formula: string, extra: object = {}) => () => prepareModifierData(data, { ...COLUMNS, outcome: "Y" }, [], { formula, ...extra });
  throwsInput(prep("Y ~ A + M + X1"), "outcome model 'Y ~ A + M + X1' has no treatment-by-modifier interaction 'A:M', e.g. 'Y ~ A*M + X1'");
  throwsInput(prep("Y ~ A*X1 + M"), /outcome model 'Y ~ A\*X1 \+ M' has no treatment-by-modifier interaction 'A:M'/);
  throwsInput(prep("Y ~ A*M + I(M^2)"), /outcome model 'Y ~ A\*M \+ I\(M\^2\)': the modifier 'M' must enter as a plain variable .* not as 'I\(M\^2\)'/);
  throwsInput(prep("Y ~ A*M + (1 | cluster)"), /outcome model 'Y ~ A\*M \+ \(1 \| cluster\)' is a GEE mean model: leave out/);
  throwsInput(prep("X1 ~ A*M"), /outcome model 'X1 ~ A\*M' must have the outcome 'Y' as its response/);
  throwsInput(prep("Y ~ A*M", { ateScale: "or" }), /ATE scale 'or' needs a binary outcome \(family binomial\)/);
  throwsInput(prep("Y ~ A*M", { family: "binomial" }), /outcome 'Y' must be 0 or 1 for the binomial family; row 1 has -0\.208321/);
  throwsInput(prep("Y ~ A*M", { family: "binomial", link: "inverse" }), /link 'inverse' is not available for family 'binomial'/);
  throwsInput(prep("Y ~ A*M", { se: "jack" }), /unknown outcome se 'jack'; use one of: robust, md, kc/);
});

test("a missing outcome-model covariate drops the row for every method, and says so", () => {
  const lines = csv.map((l, i) => (i === 3 || i === 10 ? l.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, "$1NA") : l));
  const data = readCsv(lines.join("\n"));
  const r = analyzeMissingModifier(data, { ...COLUMNS, outcome: "Y", imputation: ["M ~ X2*A*Y"], methods: ["cca", "mi"], imputations: 3, seed: 1, outcomeModel: { formula: "Y ~ A*M + X1" } });
  assert.equal(r.data.nDropped, 2);
  assert.equal(r.data.nObs, fixture.ybin.length - 2);
  assert.ok(r.diagnostics.some((d) => d.code === "dropped-rows" && /'X1' in 2 rows/.test(d.message)));
  assert.ok(r.diagnostics.some((d) => d.code === "outcome-covariate-missing" && /'X1' \(2 rows\) is not imputed/.test(d.message)));
});
