/** Writes the allocation-scheme file that src/design/scheme-file.ts reads. */
import { csvField } from "./csv.ts";

/** The CSV text of `rows` of an R × m scheme matrix (all rows when omitted); cluster ids escaped as every CSV cell. */
export function formatSchemeFile(schemes: Uint8Array, clusterIds: readonly string[], rows?: ArrayLike<number>): string {
  const m = clusterIds.length;
  const lines = [clusterIds.map(csvField).join(",")];
  const count = rows === undefined ? schemes.length / m : rows.length;
  for (let k = 0; k < count; k++) {
    const r = rows === undefined ? k : rows[k];
    lines.push(Array.from(schemes.subarray(r * m, (r + 1) * m)).join(","));
  }
  return lines.join("\n") + "\n";
}
