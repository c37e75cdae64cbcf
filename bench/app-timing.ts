/**
 * The example analysis (examples/trial.csv, 5 methods, M ~ (X1 + X2 + X3)*A*Y,
 * seed 1) timed in the browser app's worker (headless chromium) and in Node:
 * analyzeMissingModifier alone in both, runs alternating between the two so
 * that a busy machine slows both alike, after one warm-up run each. Prints JSON.
 *
 *   npm run app && node --conditions=source --import tsx bench/app-timing.ts [runs]
 */
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { APP_FILE } from "../app/build.ts";
import { readCsvFile } from "../src/data/csv.ts";
import { analyzeMissingModifier } from "../src/missing/analyze.ts";

const EXAMPLE = new URL("../examples/trial.csv", import.meta.url).pathname;
const OPTIONS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", imputation: ["M ~ (X1 + X2 + X3)*A*Y"], seed: 1 } as const;
const runs = Number(process.argv[2] ?? 5);

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One analysis in the page's worker: the seconds the worker measured. */
async function inBrowser(page: Page): Promise<number> {
  await page.click('[data-testid="run"]');
  await page.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: 600_000 });
  const seconds = Number(await page.locator('[data-testid="timing"]').getAttribute("data-analysis-seconds"));
  await page.locator('[data-testid="status"]').evaluate((el) => (el.textContent = ""));
  return seconds;
}

const data = readCsvFile(EXAMPLE);
function inNode(): number {
  const start = performance.now();
  analyzeMissingModifier(data, OPTIONS);
  return (performance.now() - start) / 1000;
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const node: number[] = [];
const page: number[] = [];
try {
  const p = await browser.newPage();
  await p.goto(pathToFileURL(APP_FILE).href);
  await p.setInputFiles('[data-testid="data-file"]', EXAMPLE);
  await p.locator('[data-testid="status"]', { hasText: /^ready$/ }).waitFor();
  await p.fill('[data-testid="imputation"]', OPTIONS.imputation[0]);
  inNode();
  await inBrowser(p);
  for (let i = 0; i < runs; i++) {
    node.push(inNode());
    page.push(await inBrowser(p));
  }
} finally {
  await browser.close();
}
process.stdout.write(
  JSON.stringify({ node: process.version, runs, nodeSeconds: node, browserSeconds: page, nodeMedian: median(node), browserMedian: median(page), ratio: median(page) / median(node) }, null, 2) + "\n",
);
