/**
 * Runs every benchmark in bench/*.bench.ts (or those whose name contains the
 * first argument) and prints one JSON object: { node, results: BenchResult[] }.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { runBenchmark, type Benchmark, type BenchResult } from "./harness.ts";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const results: BenchResult[] = [];
for (const file of readdirSync(here).filter((f) => f.endsWith(".bench.ts")).sort()) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] };
  for (const b of mod.benchmarks) {
    if (!b.name.includes(filter)) continue;
    process.stderr.write(`bench: ${b.name}\n`);
    results.push(await runBenchmark(b));
  }
}
process.stdout.write(JSON.stringify({ node: process.version, results }, null, 2) + "\n");
