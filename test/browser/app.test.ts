/**
 * The browser app in a real browser (Debian's chromium, headless, through
 * playwright-core), opened from disk as users open it: the example trial
 * uploaded and analysed gives the command line's JSON byte for byte; the
 * page asks for nothing but file:, data: and blob: URLs and logs no error;
 * a run can be cancelled; bad files and options are explained where they
 * concern; a 100,000-row file is analysed (timed). Screenshots go to
 * test-artifacts/ for people to look at.
 *
 *   npm run test:browser
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildApp } from "../../app/build.ts";
import { writeScaleCsv } from "../../bench/make-scale-data.ts";
import { EXAMPLE, run } from "../cli/run.ts";

const CHROMIUM = "/usr/bin/chromium";
const CONTINUOUS = fileURLToPath(new URL("../../examples/trial-continuous.csv", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the browser app test`;

/** A page of the app, with every request, page error and console error it causes. */
async function openApp(browser: Browser, url: string, width = 1200): Promise<{ page: Page; problems: () => string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) problems.push(`request ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()} ${m.text()}`);
  });
  await page.goto(url);
  return { page, problems: () => problems };
}

const status = (page: Page): Promise<string> => page.locator('[data-testid="status"]').innerText();

async function waitForText(page: Page, testId: string, pattern: RegExp, timeout: number): Promise<string> {
  const element = page.locator(`[data-testid="${testId}"]`);
  await page.locator(`[data-testid="${testId}"]`, { hasText: pattern }).waitFor({ state: "attached", timeout });
  return element.innerText();
}

const waitForStatus = (page: Page, pattern: RegExp, timeout: number): Promise<string> => waitForText(page, "status", pattern, timeout);

async function upload(page: Page, path: string): Promise<string> {
  await page.setInputFiles('[data-testid="data-file"]', path);
  return waitForStatus(page, /^(ready|error)/, 60_000);
}

/** The words of a POSIX shell command made of plain and single-quoted words, lines joined by backslash-newlines. */
function shellWords(command: string): string[] {
  const line = command.replace(/\\\n/g, " ");
  const words: string[] = [];
  for (const m of line.matchAll(/(?:'(?:[^']*)'|\\'|[^\s'\\]+)+/g)) {
    words.push(m[0].replace(/'([^']*)'|\\(')/g, (_, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? ""));
  }
  return words;
}

/** The command line the page shows, run in this process with the file's path for its name. */
async function cliJson(page: Page, path: string): Promise<string> {
  const words = shellWords(await page.locator('[data-testid="cli-command"]').innerText());
  assert.deepEqual(words.slice(0, 2), ["crtkit", "analyze"]);
  const r = await run([words[1], path, ...words.slice(3), "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

test("the browser app", { skip, timeout: 15 * 60_000 }, async (t) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const built = await buildApp();
  const url = pathToFileURL(built.path).href;
  t.diagnostic(`app: ${built.bytes} bytes, ${built.gzipBytes} gzipped`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const dir = mkdtempSync(join(tmpdir(), "crtkit-app-"));
  try {
    await t.test("the example analysis gives the command line's JSON; charts, downloads and the CLI command", async () => {
      const { page, problems } = await openApp(browser, url);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.match(csp!, /default-src 'none'/);
      assert.match(csp!, /connect-src 'none'/);
      assert.equal(await upload(page, EXAMPLE), "ready");
      await page.locator('[data-testid="missing-chart"] svg').waitFor();
      await page.selectOption('[data-testid="role-cluster"]', "cluster");
      await page.selectOption('[data-testid="role-treatment"]', "A");
      await page.selectOption('[data-testid="role-modifier"]', "M");
      await page.selectOption('[data-testid="role-outcome"]', "Y");
      await page.fill('[data-testid="imputation"]', "M ~ (X1 + X2 + X3)*A*Y");
      await page.fill('[data-testid="methods"]', "cca,si,mi,mmi,bmmi");
      await page.fill('[data-testid="seed"]', "1");
      await shot(page, "app-data");
      const started = Date.now();
      await page.click('[data-testid="run"]');
      assert.equal(await waitForStatus(page, /^(done|error)/, 300_000), "done");
      const seconds = (Date.now() - started) / 1000;
      const resultJson = await page.locator('[data-testid="result-json"]').textContent();
      const worker = await page.locator('[data-testid="timing"]').innerText();
      t.diagnostic(`example, 5 methods: ${seconds.toFixed(1)} s in the page (${worker})`);

      // The command as the README gives it, and the command the page offers to copy.
      const cliStart = performance.now();
      const cli = await run(["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ (X1 + X2 + X3)*A*Y", "--seed", "1", "--format", "json", "--quiet"]);
      t.diagnostic(`example, 5 methods: ${((performance.now() - cliStart) / 1000).toFixed(1)} s with the command line in Node`);
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(resultJson, cli.stdout);
      assert.equal(resultJson, await cliJson(page, EXAMPLE));

      const report = page.locator('[data-testid="report"]');
      assert.equal(await report.locator("svg.crtkit-chart").count(), 1);
      assert.match((await report.locator("svg.crtkit-chart desc").textContent())!, /HTE/);
      assert.ok((await report.locator("table").count()) >= 2);
      for (const method of ["cca", "si", "mi", "mmi", "bmmi"]) assert.ok((await report.locator("td", { hasText: new RegExp(`^${method}$`) }).count()) >= 2, method);

      const [json] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="download-json"]')]);
      assert.equal(readFileSync((await json.path())!, "utf8"), resultJson);
      const [csv] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="download-csv"]')]);
      const csvCli = await run(["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ (X1 + X2 + X3)*A*Y", "--seed", "1", "--format", "csv", "--quiet"]);
      assert.equal(readFileSync((await csv.path())!, "utf8"), csvCli.stdout);
      const [html] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="download-html"]')]);
      const htmlText = readFileSync((await html.path())!, "utf8");
      // The report --report writes, carrying the same JSON.
      assert.ok(htmlText.includes(`<script type="application/json" id="crtkit-result">${resultJson}</script>`));
      assert.match(htmlText, /<svg[^>]* class="crtkit-chart /);
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.click('[data-testid="copy-cli"]');
      await page.locator("#actions-status", { hasText: /./ }).waitFor();
      const copied = await page.evaluate("navigator.clipboard.readText()") as string;
      const shown = await page.locator('[data-testid="cli-command"]').innerText();
      assert.ok(!copied.includes("\n") && shown.includes("\\\n"), "one line copied, one option per line shown");
      assert.deepEqual(shellWords(copied), shellWords(shown));
      await shot(page, "app-results");
      await report.screenshot({ path: join(ARTIFACTS, "app-report.png") });
      assert.deepEqual(problems(), []);
    });

    await t.test("Cancel stops a run at once; the next run works", async () => {
      const { page, problems } = await openApp(browser, url);
      await upload(page, EXAMPLE);
      await page.fill('[data-testid="methods"]', "bmmi");
      await page.fill('[data-testid="burnin"]', "1000000");
      await page.click('[data-testid="run"]');
      await waitForStatus(page, /^running/, 10_000);
      await page.locator('[data-testid="step"]', { hasText: /running bmmi|preparing/ }).waitFor();
      const step = await page.locator('[data-testid="step"]').innerText();
      await page.waitForTimeout(1000);
      const clicked = Date.now();
      await page.click('[data-testid="cancel"]');
      assert.equal(await waitForStatus(page, /^cancelled$/, 2000), "cancelled");
      t.diagnostic(`cancelled ${Date.now() - clicked} ms after the click, during "${step}"`);
      assert.equal(await page.locator('[data-testid="cancel"]').isDisabled(), true);
      await page.fill('[data-testid="methods"]', "cca");
      await page.fill('[data-testid="burnin"]', "");
      await page.click('[data-testid="run"]');
      assert.equal(await waitForStatus(page, /^(done|error)/, 60_000), "done");
      assert.deepEqual(problems(), []);
    });

    await t.test("bad files and bad options are explained where they concern", async () => {
      const { page, problems } = await openApp(browser, url);
      const semicolons = join(dir, "semicolons.csv");
      writeFileSync(semicolons, "cluster;A;M;Y\n1;0;1;2.5\n");
      assert.match(await upload(page, semicolons), /^error: 'semicolons\.csv': the header .* separated by semicolons/);
      assert.match(await page.locator('[data-testid="file-error"]').innerText(), /save the file as CSV with commas/);
      assert.equal(await page.locator('[data-testid="run"]').isDisabled(), true);
      const ragged = join(dir, "ragged.csv");
      writeFileSync(ragged, "a,b\n1,2\n3\n");
      assert.match(await upload(page, ragged), /^error: 'ragged\.csv': cannot read CSV: Invalid Record Length: expect 2, got 1 on line 3/);
      await shot(page, "app-bad-file");

      await upload(page, EXAMPLE);
      await page.fill('[data-testid="seed"]', "1.5");
      assert.match(await page.locator('[data-testid="error-seed"]').innerText(), /^--seed must be written as decimal digits/);
      await page.click('[data-testid="run"]');
      assert.match(await status(page), /^error: some options are not valid/);
      await page.fill('[data-testid="seed"]', "7");
      assert.equal(await page.locator('[data-testid="error-seed"]').innerText(), "");
      await page.fill('[data-testid="imputation"]', "M ~ X9 + A*Y");
      await page.click('[data-testid="run"]');
      const message = await waitForStatus(page, /^(done|error)/, 60_000);
      const cli = await run(["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X9 + A*Y"]);
      assert.equal(cli.code, 2);
      assert.equal(`crtkit: ${message}\n`, cli.stderr);
      assert.equal(await page.locator('[data-testid="error-imputation"]').innerText(), message.replace(/^error: /, ""));
      await shot(page, "app-bad-option");
      assert.deepEqual(problems(), []);
    });

    await t.test("the outcome-model options reach the library as the command line's do", async () => {
      const { page, problems } = await openApp(browser, url);
      await upload(page, EXAMPLE);
      const options = { methods: "cca,mi,mmi", imputations: "5", "outcome-model": "Y ~ A*M + X1 + X2", seed: "11" };
      for (const [name, value] of Object.entries(options)) await page.fill(`[data-testid="${name}"]`, value);
      for (const [name, value] of Object.entries({ corstr: "independence", se: "kc", "pooling-df": "rubin" })) await page.selectOption(`[data-testid="${name}"]`, value);
      await page.click('[data-testid="run"]');
      assert.equal(await waitForStatus(page, /^(done|error)/, 120_000), "done");
      const resultJson = (await page.locator('[data-testid="result-json"]').textContent())!;
      assert.equal(resultJson, await cliJson(page, EXAMPLE));
      const settings = JSON.parse(resultJson).settings;
      assert.deepEqual([settings.outcomeModel, settings.se, settings.poolingDf, settings.corstr], ["Y ~ A*M + X1 + X2", "kc", "rubin", "independence"]);
      assert.deepEqual(problems(), []);
    });

    await t.test("a continuous modifier: roles guessed, the command line's JSON", async () => {
      const { page, problems } = await openApp(browser, url);
      assert.equal(await upload(page, CONTINUOUS), "ready");
      const roles = await Promise.all(["cluster", "treatment", "modifier", "outcome"].map((r) => page.inputValue(`[data-testid="role-${r}"]`)));
      assert.deepEqual(roles, ["cluster", "A", "M", "Y"]);
      assert.equal(await page.inputValue('[data-testid="imputation"]'), "M ~ (X1 + X2)*A*Y");
      const options = { methods: "cca,mi,bmmi", imputations: "5", burnin: "200", thin: "20", seed: "3" };
      for (const [name, value] of Object.entries(options)) await page.fill(`[data-testid="${name}"]`, value);
      await page.selectOption('[data-testid="modifier-type"]', "continuous");
      await page.click('[data-testid="run"]');
      assert.equal(await waitForStatus(page, /^(done|error)/, 120_000), "done");
      const resultJson = (await page.locator('[data-testid="result-json"]').textContent())!;
      assert.equal(resultJson, await cliJson(page, CONTINUOUS));
      assert.match(await page.locator('[data-testid="cli-command"]').innerText(), /--modifier-type continuous/);
      assert.deepEqual(problems(), []);
    });

    await t.test("the page reads at 320 px wide and is keyboard operable", async () => {
      const { page, problems } = await openApp(browser, url, 320);
      await upload(page, EXAMPLE);
      await page.fill('[data-testid="methods"]', "cca,si");
      await page.focus('[data-testid="run"]');
      await page.keyboard.press("Enter");
      assert.equal(await waitForStatus(page, /^(done|error)/, 60_000), "done");
      const overflow = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than 320 px`);
      await shot(page, "app-320px");
      await page.focus("#tab-analysis");
      await page.keyboard.press("ArrowRight");
      assert.equal(await page.locator("#panel-missingness").isVisible(), true);
      await page.keyboard.press("Tab");
      await page.click('[data-testid="missingness-run"]');
      assert.equal(await waitForText(page, "missingness-status", /^(done|error)/, 120_000), "done");
      assert.ok((await page.locator('[data-testid="missingness-report"] svg.crtkit-chart').count()) === 1);
      await shot(page, "app-320px-missingness");
      await page.keyboard.press("ArrowRight");
      await page.focus("#tab-design");
      await page.keyboard.press("Enter");
      assert.equal(await page.locator("#panel-design").isVisible(), true);
      await page.locator('[data-testid="design-ate"] table').first().waitFor();
      await page.locator('[data-testid="design-hte"] table').first().waitFor();
      await shot(page, "app-320px-design");
      const unlabelled = await page.locator("input, select").evaluateAll((els) => els.filter((e) => (e as unknown as { labels: ArrayLike<unknown> }).labels.length === 0).map((e) => e.id));
      assert.deepEqual(unlabelled, [], "controls without a label");
      assert.deepEqual(problems(), []);
    });

    await t.test("100,000 rows", async () => {
      const path = join(dir, "big.csv");
      const info = writeScaleCsv(path, 200, 500, 2024);
      const { page, problems } = await openApp(browser, url);
      const loaded = Date.now();
      assert.equal(await upload(page, path), "ready");
      t.diagnostic(`${info.rows} rows read and previewed in ${((Date.now() - loaded) / 1000).toFixed(1)} s`);
      const options = { imputation: "M ~ X1 + A*Y", methods: "cca,si,mi,mmi,bmmi", burnin: "200", thin: "20", imputations: "5" };
      for (const [name, value] of Object.entries(options)) await page.fill(`[data-testid="${name}"]`, value);
      // Gaps between timer ticks show whether the page thread is ever blocked.
      await page.evaluate(() => {
        const w = globalThis as unknown as { maxGap: number };
        w.maxGap = 0;
        let last = performance.now();
        setInterval(() => {
          const now = performance.now();
          w.maxGap = Math.max(w.maxGap, now - last);
          last = now;
        }, 50);
      });
      const started = Date.now();
      await page.click('[data-testid="run"]');
      assert.equal(await waitForStatus(page, /^(done|error)/, 600_000), "done");
      const seconds = (Date.now() - started) / 1000;
      const maxGap = await page.evaluate(() => (globalThis as unknown as { maxGap: number }).maxGap);
      const cliStart = performance.now();
      const cli = await cliJson(page, path);
      t.diagnostic(`${info.rows} rows, 5 methods (burn-in 200, thin 20, 5 imputations): ${seconds.toFixed(1)} s in the page, ${((performance.now() - cliStart) / 1000).toFixed(1)} s with the command line; longest pause of the page thread ${maxGap.toFixed(0)} ms`);
      assert.equal(await page.locator('[data-testid="result-json"]').textContent(), cli);
      assert.ok(maxGap < 2000, `the page thread was blocked for ${maxGap} ms`);
      await shot(page, "app-100k");
      assert.deepEqual(problems(), []);
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
