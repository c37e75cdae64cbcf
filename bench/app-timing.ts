/**
 * The example analysis (examples/trial.csv, 5 methods, M ~ (X1 + X2 + X3)*A*Y,
 * seed 1) timed in the browser app's worker (headless chromium) and in Node,
 * analyzeMissingModifier alone in both, after one warm-up run. Prints JSON.
 *
 *   npm run app && node --conditions=source --import tsx bench/app-timing.ts [runs]
 */
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { APP_FILE } from "../app/build.ts";
import { readCsvFile } from "../src/data/csv.ts";
import { analyzeMissingModifier } from "../src/missing/analyze.ts";

const EXAMPLE = new URL("../examples/trial.csv", import.meta.url).pathname;
const OPTIONS = { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", imputation: ["M ~ (X1 + X2 + X3)*A*Y"], seed: 1 } as const;
const runs = Number(process.argv[2] ?? 5);

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function browserSeconds(): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(APP_FILE).href);
    await page.setInputFiles('[data-testid="data-file"]', EXAMPLE);
    await page.locator('[data-testid="status"]', { hasText: /^ready$/ }).waitFor();
    await page.fill('[data-testid="imputation"]', OPTIONS.imputation[0]);
    const seconds: number[] = [];
    for (let i = 0; i <= runs; i++) {
      await page.click('[data-testid="run"]');
      await page.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: 600_000 });
      const s = Number(await page.locator('[data-testid="timing"]').getAttribute("data-analysis-seconds"));
      if (i > 0) seconds.push(s);
      await page.locator('[data-testid="status"]', { hasText: /^done$/ }).evaluate((el) => (el.textContent = ""));
    }
    return seconds;
  } finally {
    await browser.close();
  }
}

function nodeSeconds(): number[] {
  const data = readCsvFile(EXAMPLE);
  const seconds: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    analyzeMissingModifier(data, OPTIONS);
    if (i > 0) seconds.push((performance.now() - start) / 1000);
  }
  return seconds;
}

const node = nodeSeconds();
const browser = await browserSeconds();
process.stdout.write(
  JSON.stringify({ node: process.version, runs, nodeSeconds: node, browserSeconds: browser, nodeMedian: median(node), browserMedian: median(browser), ratio: median(browser) / median(node) }, null, 2) + "\n",
);
