/**
 * Peak memory and CPU time of `crtkit analyze` on the scale data (≈ 1M rows),
 * measured in a fresh process running the built CLI (run `npm run build`
 * first). Prints JSON: data, maxRssMB, userCpuS, systemCpuS, wallS.
 *
 * usage: node --conditions=source --import tsx bench/scale-rss.ts [clusters] [meanSize]
 */
import { spawnSync } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeScaleCsv } from "./make-scale-data.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const SCALE_ANALYSIS = ["--cluster", "cluster", "--treatment", "A", "--modifier", "M", "--outcome", "Y", "--imputation", "M ~ X1 + A*Y", "--methods", "cca,mi,mmi", "--seed", "1"];

/** The scale CSV in the temp directory, written once per size (it is deterministic). */
export function scaleDataPath(clusters = 2000, meanClusterSize = 500): string {
  const path = join(tmpdir(), `crtkit-scale-${clusters}x${meanClusterSize}.csv`);
  if (!existsSync(path)) {
    // Written under another name first, so a concurrent reader never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeScaleCsv(partial, clusters, meanClusterSize);
    renameSync(partial, path);
  }
  return path;
}

export interface CliMeasurement {
  readonly maxRssMB: number;
  readonly userCpuS: number;
  readonly systemCpuS: number;
  readonly wallS: number;
}

// Runs inside the child: its own resource usage, reported on fd 3 at exit.
const REPORT = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => writeSync(3, JSON.stringify(process.resourceUsage())));',
)}`;

/** Runs the built CLI's analyze on `path` and returns the child's peak RSS and CPU time. */
export function measureCli(path: string): CliMeasurement {
  const bin = join(root, "bin", "crtkit.js");
  if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("run `npm run build` first: the CLI runs from dist/");
  const start = process.hrtime.bigint();
  const out = spawnSync(process.execPath, ["--import", REPORT, bin, "analyze", path, ...SCALE_ANALYSIS, "--quiet"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  if (out.status !== 0) throw new Error(`crtkit analyze failed (${out.status}): ${out.stderr}`);
  const usage = JSON.parse(out.output[3] as string) as NodeJS.ResourceUsage;
  return { maxRssMB: usage.maxRSS / 1024, userCpuS: usage.userCPUTime / 1e6, systemCpuS: usage.systemCPUTime / 1e6, wallS };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [clusters, size] = process.argv.slice(2).map(Number);
  const path = scaleDataPath(clusters || undefined, size || undefined);
  process.stdout.write(JSON.stringify({ node: process.version, data: path, ...measureCli(path) }, null, 2) + "\n");
}
