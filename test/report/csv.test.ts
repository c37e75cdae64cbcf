/** CSV output: broom's column names whatever the level, and formula-injection escaping of text cells. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readCsv } from "../../src/data/csv.ts";
import { constrainedRandomization } from "../../src/design/randomize.ts";
import { modelFrame } from "../../src/formula/index.ts";
import { gee } from "../../src/models/gee/index.ts";
import { glm } from "../../src/models/glm/index.ts";
import { lm } from "../../src/models/lm/index.ts";
import { createRng } from "../../src/random/index.ts";
import { csvField, renderCsv } from "../../src/report/csv.ts";
import { randomizationReport } from "../../src/report/design.ts";
import { geeReport, glmReport, lmReport } from "../../src/report/models.ts";
import { renderText } from "../../src/report/text.ts";

const BROOM = "term,estimate,std.error,statistic,df,p.value,conf.low,conf.high";
const trial = readCsv(readFileSync(new URL("../../examples/trial.csv", import.meta.url), "utf8"), "trial.csv");

test("coefficient CSVs use broom's names at every level; the level is a fact of the summary", () => {
  for (const level of [0.9, 0.95, 0.99]) {
    const reports = [
      glmReport(glm(modelFrame(trial, "Y ~ A + X1"), { family: "gaussian", level })),
      geeReport(gee(modelFrame(trial, "Y ~ A + X1", { cluster: "cluster" }), { level })),
      lmReport(lm(modelFrame(trial, "Y ~ A + X1", { cluster: "cluster" }), { level })),
    ];
    for (const r of reports) {
      assert.equal(renderCsv(r.summary).split("\n")[0], BROOM);
      assert.match(renderText(r.summary), new RegExp(`Confidence level: +${level * 100}%`));
      assert.doesNotMatch(renderText(r.summary), /low \d/);
    }
  }
});

test("the text table leaves out a df column that z tests leave empty; CSV keeps it", () => {
  const r = geeReport(gee(modelFrame(trial, "Y ~ A", { cluster: "cluster" })));
  assert.doesNotMatch(renderText(r.summary), /\bdf\b/);
  assert.match(renderCsv(r.summary), /^term,estimate,std\.error,statistic,df,/);
  assert.match(renderCsv(r.summary).split("\n")[1], /^\(Intercept\),[^,]+,[^,]+,[^,]+,NA,/);
});

test("text cells that a spreadsheet would run as a formula are quoted behind a single quote", () => {
  assert.equal(csvField("=HYPERLINK(\"http://x\")"), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField("+1"), `"'+1"`);
  assert.equal(csvField("-2+3"), `"'-2+3"`);
  assert.equal(csvField("@SUM(A1)"), `"'@SUM(A1)"`);
  assert.equal(csvField("\tx"), `"'\tx"`);
  assert.equal(csvField("\rx"), `"'\rx"`);
  // Harmless text, and numbers, are left as they are.
  assert.equal(csvField("factor(site)2"), "factor(site)2");
  assert.equal(csvField("a,b"), `"a,b"`);
  assert.equal(csvField(-0.5), "-0.5");
  assert.equal(csvField(-1e-12), "-1e-12");
  assert.equal(csvField(null), "NA");
  assert.equal(csvField(NaN), "NA");
});

test("cluster ids from the data are escaped in CSV output, numbers are not", () => {
  const ids = ["=cmd|' /C calc'!A0", "-5", "@x", "+y", "plain", "6"];
  const covariates = ids.map((_, c) => [c % 3, (c * 7) % 5]);
  const r = constrainedRandomization({ covariates, treated: 3, metric: "l2", threshold: { quantile: 0.5 }, rng: createRng(1), clusterLabels: ids });
  const lines = renderCsv(randomizationReport(r, ids, 1).summary).trim().split("\n");
  assert.equal(lines[0], "cluster,treated,probability");
  assert.deepEqual(
    lines.slice(1).map((l) => l.slice(0, l.lastIndexOf(",", l.lastIndexOf(",") - 1))),
    [`"'=cmd|' /C calc'!A0"`, `"'-5"`, `"'@x"`, `"'+y"`, "plain", "6"],
  );
  for (const l of lines.slice(1)) assert.match(l, /,[01],(0|1|0\.\d+)$/);
});

test("headers and key cells are escaped, negative estimates are not", () => {
  const csv = renderCsv({
    title: "t",
    facts: [],
    tables: [{ columns: ["term", "=estimate"], rows: [["-x", -0.5], ["y", -2]] }],
    diagnostics: [],
  });
  assert.equal(csv, `term,"'=estimate"\n"'-x",-0.5\ny,-2\n`);
});
