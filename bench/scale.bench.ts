/**
 * One million rows (2,000 clusters × ~500, 9 columns, ≈ 32% of the modifier
 * missing) through the analyze path: the file read in chunks, then cca, mi
 * and mmi with M ~ X1 + A*Y. `scale.analyze` runs in this process;
 * `scale.cli` runs the built CLI in a fresh process and also prints its peak
 * RSS and CPU time to stderr (bench/scale-rss.ts prints them as JSON).
 * The data are generated once into the temp directory.
 */
import { readCsvFile } from "../src/data/csv.ts";
import { analyzeMissingModifier } from "../src/missing/analyze.ts";
import type { Benchmark } from "./harness.ts";
import { measureCli, scaleDataPath } from "./scale-rss.ts";

const UNIT = "crtkit analyze on 1M rows (2000 clusters × ~500): read the CSV file, cca + mi + mmi (15 imputations), M ~ X1 + A*Y";

export const benchmarks: Benchmark[] = [
  {
    name: "scale.analyze",
    unit: UNIT,
    minMs: 0,
    warmup: 0,
    setup: () => {
      const path = scaleDataPath();
      return () =>
        analyzeMissingModifier(readCsvFile(path), {
          cluster: "cluster",
          treatment: "A",
          modifier: "M",
          outcome: "Y",
          imputation: ["M ~ X1 + A*Y"],
          methods: ["cca", "mi", "mmi"],
          seed: 1,
        });
    },
  },
  {
    name: "scale.cli",
    unit: `${UNIT}; a fresh process running the built CLI (npm run build first)`,
    minMs: 0,
    warmup: 0,
    setup: () => {
      const path = scaleDataPath();
      return () => {
        const m = measureCli(path);
        process.stderr.write(`scale.cli: max RSS ${m.maxRssMB.toFixed(0)} MB, CPU ${(m.userCpuS + m.systemCpuS).toFixed(1)} s (user ${m.userCpuS.toFixed(1)}, system ${m.systemCpuS.toFixed(1)})\n`);
      };
    },
  },
];
