/**
 * Every HTML report in a real browser (Debian's chromium, headless, through
 * playwright-core): loaded from disk, it logs no console error and throws no
 * page error, requests nothing but file: and data: URLs, shows its charts,
 * reads without JavaScript, and carries its JSON result. Full-page
 * screenshots go to test-artifacts/ for people to look at; with
 * REPORT_PDF=1 each report is also printed to an A4 PDF there.
 *
 *   npm run test:browser
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { renderHtmlDocument } from "../../src/report/html/document.ts";
import { missingnessHtml } from "../../src/report/html/missingness.ts";
import { sensitivityHtml } from "../../src/report/html/sensitivity.ts";
import { toJson } from "../../src/report/json.ts";
import { EXAMPLE, run } from "../cli/run.ts";
import { MISSINGNESS_CONTEXT, MISSINGNESS_JSON, SENSITIVITY_JSON } from "../report/html-inputs.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

interface Case {
  readonly name: string;
  readonly charts: readonly string[];
  /** Writes the report to `path`; returns the JSON it must embed. */
  readonly write: (path: string) => Promise<string>;
}

/** A report written by the command line, with its --format json output. */
function command(name: string, args: readonly string[], charts: readonly string[]): Case {
  return {
    name,
    charts,
    write: async (path) => {
      const r = await run([...args, "--format", "json", "--quiet", "--report", path]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

/** A report of a command other engineers are adding, from a hand-made result of the contract's shape. */
function builder(name: string, json: object, build: () => ReturnType<typeof missingnessHtml>, charts: readonly string[]): Case {
  return {
    name,
    charts,
    write: async (path) => {
      const resultJson = toJson(json);
      const shell = { resultJson, commandLine: `crtkit ${name}`, reproduceCommand: `crtkit ${name} --format json`, crtkitVersion: "0.1.0", nodeVersion: process.version, inputSha256: null, seed: null, time: new Date().toISOString() };
      writeFileSync(path, renderHtmlDocument(build(), shell));
      return resultJson;
    },
  };
}

const SIM_DIR = join(mkdtempSync(join(tmpdir(), "crtkit-browser-")), "simulation");

const CASES: readonly Case[] = [
  command(
    "analyze",
    ["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1 + A + Y", "--imputation", "M ~ (X1 + X2 + X3)*A*Y",
      "--burnin", "200", "--thin", "20", "--imputations", "5", "--chains", "2", "--seed", "1"],
    ["analyze-cluster-sizes", "analyze-missing-by-cluster", "analyze-observed-imputed", "analyze-forest", "analyze-bmmi-1-trace-1", "analyze-bmmi-1-density-1", "analyze-bmmi-2-trace-3", "analyze-bmmi-2-density-3"],
  ),
  command("mrs", ["mrs", EXAMPLE, "--formula", "Y ~ X1 + X2 + cluster(region + N)", "--cluster", "cluster", "--treatment", "A", "--working", "gee-exch"], ["mrs-effects"]),
  command("design-power", ["design", "power", "--outcome", "binary", "--p1", "0.3", "--p2", "0.2", "--cluster-size", "50", "--clusters-per-arm", "12", "--icc", "0.02"], ["design-power-curve"]),
  command(
    "design-power-simulated",
    ["design", "power", "--delta", "0.5", "--sd", "1", "--cluster-size", "20", "--clusters-per-arm", "10", "--icc", "0.05", "--simulate", "--reps", "100", "--method", "gee-md", "--workers", "1"],
    ["design-power-curve"],
  ),
  command("simulate-summarize", ["simulate", "summarize", SIM_DIR], ["simulate-bias", "simulate-coverage", "simulate-se", "simulate-rejection"]),
  builder("missingness", MISSINGNESS_JSON, () => missingnessHtml(MISSINGNESS_JSON, MISSINGNESS_CONTEXT), ["missingness-by-cluster"]),
  builder("sensitivity", SENSITIVITY_JSON, () => sensitivityHtml(SENSITIVITY_JSON), ["sensitivity-delta", "sensitivity-other"]),
];

async function checkInBrowser(browser: Browser, c: Case, path: string, resultJson: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!/^(file|data):/.test(r.url())) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${path}`, { waitUntil: "load" });
  for (const id of c.charts) {
    const box = await page.locator(`svg#${id}`).boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `${c.name}: chart ${id} is not drawn (${JSON.stringify(box)})`);
  }
  const embedded = await page.locator("script#crtkit-result").textContent();
  assert.equal(embedded, resultJson, `${c.name}: the embedded JSON differs from --format json`);
  assert.equal(await page.locator("script").count(), 1);
  await page.screenshot({ path: join(ARTIFACTS, `${c.name}.png`), fullPage: true });
  if (process.env.REPORT_PDF) await page.pdf({ path: join(ARTIFACTS, `${c.name}.pdf`), format: "A4" });
  await page.close();
  assert.deepEqual(problems, [], c.name);

  // Without JavaScript the report reads the same: text and charts are in the markup.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto(`file://${path}`);
  assert.ok((await still.locator("h1").innerText()).length > 0);
  assert.ok(await still.locator(`svg#${c.charts[0]}`).isVisible());
  await context.close();
}

test("every report in headless chromium: no errors, no network, charts drawn, screenshots in test-artifacts/", async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium); the browser check of the reports is skipped`);
    return;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const study = await run(["simulate", "--scenario", "missing-modifier-1", "--clusters", "20", "--reps", "10", "--methods", "cca,mi", "--imputation-models", "M ~ X1+A+Y;M ~ X1*A*Y", "--workers", "1", "--out", SIM_DIR, "--quiet"]);
  assert.equal(study.code, 0, study.stderr);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    for (const c of CASES) {
      const path = join(ARTIFACTS, `${c.name}.html`);
      const resultJson = await c.write(path);
      assert.ok(readFileSync(path, "utf8").includes(resultJson));
      await checkInBrowser(browser, c, path, resultJson);
    }
  } finally {
    await browser.close();
  }
});
