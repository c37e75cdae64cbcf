/**
 * `--report FILE.html` on the command line: one self-contained file whose
 * embedded JSON is the `--format json` output byte for byte, with the charts
 * of its command; a reproduce box whose command line and library snippet give
 * that JSON again; output paths checked before the computation.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { analyzeCommand } from "../../src/cli/commands/analyze.ts";
import { commandLine, formatCommand, reproduceCommand, shellQuote } from "../../src/cli/reproduce.ts";
import { readCsv } from "../../src/data/csv.ts";
import { analyzeMissingModifier, type AnalyzeOptions } from "../../src/missing/analyze.ts";
import { ANALYZE_EXECUTION_OPTIONS, ANALYZE_LIBRARY_OPTIONS, analyzeLibraryOptions } from "../../src/report/html/analyze-methods.ts";
import { toJson } from "../../src/report/json.ts";
import { analysisReport } from "../../src/report/missing.ts";
import { provenanceOf, withProvenance } from "../../src/report/provenance.ts";
import { checkHtmlReport } from "../helpers/html-check.ts";
import { EXAMPLE, run } from "./run.ts";

const dir = mkdtempSync(join(tmpdir(), "crtkit-report-"));
const ANALYZE = ["analyze", EXAMPLE, "--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1 + A + Y",
  "--methods", "cca,mi,bmmi", "--burnin", "20", "--thin", "2", "--imputations", "3", "--chains", "2", "--seed", "5"];

/** The text of the <pre> after heading `label`, unescaped. */
function codeBlock(html: string, label: string): string {
  const match = new RegExp(`<h3>${label}</h3><pre><code>([\\s\\S]*?)</code></pre>`).exec(html);
  assert.ok(match, `no code block '${label}'`);
  return match[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** Words of a POSIX command line as formatCommand writes it: single quotes, line continuations. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.replace(/\\\n/g, " ").matchAll(/(?:'[^']*'|\\'|[^\s'\\])+/g)) {
    words.push(m[0].replace(/'([^']*)'|\\'/g, (_, quoted) => quoted ?? "'"));
  }
  return words;
}

test("analyze --report: the JSON result embedded byte for byte, every chart of the report present", async () => {
  const path = join(dir, "analyze.html");
  const r = await run([...ANALYZE, "--format", "json", "--report", path]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(path, "utf8");
  const check = checkHtmlReport(html, [
    "analyze-cluster-sizes",
    "analyze-missing-by-cluster",
    "analyze-observed-imputed",
    "analyze-forest",
    "analyze-bmmi-1-trace-1",
    "analyze-bmmi-1-density-1",
  ]);
  assert.equal(check.resultJson, r.stdout);
  // The table output with --report embeds the same JSON a json run prints.
  const table = await run([...ANALYZE, "--report", join(dir, "analyze-table.html")]);
  assert.equal(checkHtmlReport(readFileSync(join(dir, "analyze-table.html"), "utf8")).resultJson, r.stdout);
  assert.match(table.stdout, /Treatment-effect heterogeneity/);
  // Provenance block: the time only here; the JSON's provenance has none.
  assert.match(html, /Report written<\/dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/dd>/);
  assert.match(html, new RegExp(`Node\\.js version</dt><dd>${process.version.replace(/\./g, "\\.")}</dd>`));
  assert.doesNotMatch(r.stdout, /\d{4}-\d\d-\d\dT\d\d:\d\d/);
});

test("analyze --report: the reproduce command and the library snippet give the embedded JSON again", async () => {
  const path = join(dir, "reproduce.html");
  const first = await run([...ANALYZE, "--quiet", "--report", path]);
  assert.equal(first.code, 0, first.stderr);
  const html = readFileSync(path, "utf8");
  const embedded = checkHtmlReport(html).resultJson;
  const words = shellWords(codeBlock(html, "Command line"));
  assert.deepEqual(words.slice(0, 2), ["crtkit", "analyze"]);
  assert.ok(!words.includes("--report") && !words.includes("--quiet"));
  const again = await run(words.slice(1));
  assert.equal(again.stdout, embedded);
  const snippet = codeBlock(html, "Library \\(TypeScript\\)");
  assert.match(snippet, /const result = analyzeMissingModifier\(data, \{/);
  // The snippet's options object, run through the library, gives the same result.
  const options = analyzeLibraryOptions(
    { command: "analyze", options: { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", imputation: ["M ~ X1 + A + Y"], methods: "cca,mi,bmmi", burnin: "20", thin: "2", imputations: "3", chains: "2", seed: "5" }, positionals: [] },
    undefined,
  );
  const bytes = readFileSync(EXAMPLE);
  const result = analyzeMissingModifier(readCsv(bytes.toString("utf8")), options as unknown as AnalyzeOptions);
  assert.equal(toJson(withProvenance(analysisReport(result).json, provenanceOf(bytes, 5))), embedded);
});

test("every analyze option reaches the library snippet, or only chooses where output goes", () => {
  for (const [name, spec] of Object.entries(analyzeCommand.options)) {
    const accounted = spec.output !== undefined || ANALYZE_LIBRARY_OPTIONS.includes(name) || ANALYZE_EXECUTION_OPTIONS.includes(name);
    assert.ok(accounted, `--${name} is missing from the library snippet (src/report/html/analyze-methods.ts)`);
  }
  assert.ok(ANALYZE_LIBRARY_OPTIONS.includes("level"));
});

test("mrs, design power (closed form and --simulate) and simulate summarize write their reports", async () => {
  const cases: [string[], string[]][] = [
    [["mrs", EXAMPLE, "--formula", "Y ~ X1 + cluster(N)", "--cluster", "cluster", "--treatment", "A"], ["mrs-effects"]],
    [["design", "power", "--delta", "0.5", "--sd", "1", "--cluster-size", "20", "--clusters-per-arm", "8", "--icc", "0.05"], ["design-power-curve"]],
    [["design", "power", "--outcome", "binary", "--p1", "0.3", "--p2", "0.2", "--cluster-size", "20", "--clusters-per-arm", "8", "--icc", "0.05", "--simulate", "--reps", "20", "--workers", "1"], ["design-power-curve"]],
  ];
  const sim = join(dir, "sim");
  const study = await run(["simulate", "--scenario", "toy", "--reps", "4", "--param", "bootstrapReps=5", "--workers", "1", "--out", sim, "--quiet"]);
  assert.equal(study.code, 0, study.stderr);
  cases.push([["simulate", "summarize", sim], ["simulate-bias", "simulate-coverage", "simulate-se", "simulate-rejection"]]);
  for (const [i, [args, charts]] of cases.entries()) {
    const path = join(dir, `report-${i}.html`);
    const r = await run([...args, "--format", "json", "--report", path]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(checkHtmlReport(readFileSync(path, "utf8"), charts).resultJson, r.stdout, args.join(" "));
  }
});

test("--report is checked before the computation, and refused by commands without a report", async () => {
  const missing = join(dir, "no-such-folder", "r.html");
  const r = await run([...ANALYZE, "--report", missing]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^crtkit: error: cannot write --report '.*r\.html': the folder '.*no-such-folder' does not exist/);
  assert.equal(r.stdout, "");
  assert.ok(!existsSync(missing));
  const glm = await run(["glm", EXAMPLE, "--formula", "Y ~ A", "--report", join(dir, "glm.html")]);
  assert.equal(glm.code, 2);
  assert.match(glm.stderr, /unknown option '--report'/);
});

test("command lines are quoted for a POSIX shell, one option a line", () => {
  assert.equal(shellQuote("M ~ X1*A*Y"), "'M ~ X1*A*Y'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote("examples/trial.csv"), "examples/trial.csv");
  assert.equal(formatCommand(["crtkit", "gee", "d.csv", "--formula", "Y ~ A"]), "crtkit gee d.csv \\\n  --formula 'Y ~ A'");
  assert.equal(commandLine(["icc", "-"]), "crtkit icc -");
  assert.deepEqual(shellWords(formatCommand(["a", "--b", "it's \"x\"", "--c", "-1"])), ["a", "--b", "it's \"x\"", "--c", "-1"]);
  // The seed is written out when defaulted; values starting with "-" as --name=value.
  const line = reproduceCommand(analyzeCommand, { cluster: "c", imputation: ["M ~ X1", "M ~ X2"], "prior-variance": "-1", trace: "t.csv", quiet: true }, ["d.csv"]);
  assert.equal(line, "crtkit analyze d.csv \\\n  --cluster c \\\n  --imputation 'M ~ X1' \\\n  --imputation 'M ~ X2' \\\n  --prior-variance=-1 \\\n  --seed 1 \\\n  --format json");
});
