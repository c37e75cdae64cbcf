/**
 * The allocation-scheme file shared by `design randomize --schemes-out`,
 * `mrs --prob-schemes` and `permutation-test --schemes`: a CSV whose header
 * names the clusters and whose rows are allocations (1 = intervention).
 * Writing one is in src/report/schemes.ts.
 */
import { InputError } from "../core/errors.ts";
import { readCsv } from "../data/csv-reader.ts";

export interface SchemeFile {
  /** R × m 0/1 allocations, row-major. */
  readonly schemes: Uint8Array;
  readonly clusterIds: readonly string[];
}

/** Parses a scheme file's text; `source` names it in messages. */
export function parseSchemeFile(text: string, source: string): SchemeFile {
  const table = readCsv(text, source);
  const m = table.names.length;
  const schemes = new Uint8Array(table.nRows * m);
  table.names.forEach((name, i) => {
    const col = table.columns.get(name)!;
    for (let r = 0; r < table.nRows; r++) {
      const v = col.kind === "numeric" ? col.values[r] : NaN;
      if (v !== 0 && v !== 1) {
        throw new InputError(`${source} row ${r + 1}, cluster '${name}': value '${String(col.values[r])}' is not 0 or 1`);
      }
      schemes[r * m + i] = v;
    }
  });
  return { schemes, clusterIds: table.names };
}
