/**
 * Writes a large missing-modifier trial as CSV for the scale benchmark:
 * scenario 2 of the simulation study (three covariates), by default 2,000
 * clusters of mean size 500 (≈ 1M rows), with a row id and a text site label
 * (8 columns). Deterministic for a given seed. Continuous values are written
 * with 4 decimals, as an export from a statistics package would be.
 *
 * usage: node --conditions=source --import tsx bench/make-scale-data.ts OUT [clusters] [meanSize] [seed]
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRng } from "../src/random/index.ts";
import { MISSING_MODIFIER_DEFAULTS, simulateMissingModifierTrial } from "../src/simulate/scenarios/missing-modifier.ts";

export interface ScaleData {
  readonly rows: number;
  readonly clusters: number;
}

/** Writes the CSV to `path` in blocks of rows (the text is never held whole). */
export function writeScaleCsv(path: string, clusters = 2000, meanClusterSize = 500, seed = 2024): ScaleData {
  const t = simulateMissingModifierTrial(
    { ...MISSING_MODIFIER_DEFAULTS, scenario: 2, clusters, meanClusterSize },
    createRng(seed),
  );
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "id,cluster,site,A,M,Y,X1,X2,X3\n");
    const n = t.Y.length;
    const f = (x: number): string => x.toFixed(4);
    let block: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = t.cluster[i];
      const m = Number.isNaN(t.M[i]) ? "NA" : String(t.M[i]);
      block.push(`${i + 1},${c},site${c % 20},${t.A[i]},${m},${f(t.Y[i])},${f(t.X[0][i])},${f(t.X[1][i])},${f(t.X[2][i])}`);
      if (block.length === 10000 || i === n - 1) {
        writeSync(fd, block.join("\n") + "\n");
        block = [];
      }
    }
    return { rows: n, clusters };
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, clusters, size, seed] = process.argv.slice(2);
  if (!out) {
    process.stderr.write("usage: make-scale-data.ts OUT [clusters] [meanSize] [seed]\n");
    process.exit(2);
  }
  const info = writeScaleCsv(out, clusters ? Number(clusters) : undefined, size ? Number(size) : undefined, seed ? Number(seed) : undefined);
  process.stdout.write(JSON.stringify({ path: out, ...info }) + "\n");
}
