import { parse } from "csv-parse/sync";
import { InputError } from "../core/errors.ts";
import { columnFromCells, dataset, type Dataset } from "./dataset.ts";

/** Cells read as missing: empty, `NA` and `.` (R and SAS conventions). */
export const MISSING_CELLS: ReadonlySet<string> = new Set(["", "NA", "."]);

/**
 * Parses CSV text with a header row into a typed Dataset.
 *
 * @example
 * const data = readCsv("cluster,A,Y\n1,0,2.5\n1,0,NA\n");
 */
export function readCsv(text: string, source = "the data"): Dataset {
  checkDelimiter(text, source);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new InputError(`${source}: cannot read CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new InputError(`${source} is empty: no header row`);
  const header = records[0];
  if (records.length === 1) throw new InputError(`${source} has a header but no data rows`);
  header.forEach((name, j) => {
    if (name === "") throw new InputError(`${source}: header column ${j + 1} has no name`);
  });
  const columns = header.map((name, j) =>
    columnFromCells(
      name,
      records.slice(1).map((r) => (MISSING_CELLS.has(r[j]) ? null : r[j])),
    ),
  );
  return dataset(columns);
}

/** A header with no comma but a semicolon or tab is another delimiter: say so rather than fail later on a missing column. */
function checkDelimiter(text: string, source: string): void {
  const header = /^[\uFEFF\s]*([^\r\n]*)/.exec(text)?.[1] ?? "";
  if (header.includes(",")) return;
  const found = header.includes(";") ? "semicolons" : header.includes("\t") ? "tabs" : undefined;
  if (found) {
    throw new InputError(
      `${source}: the header '${header.trim()}' reads as a single column separated by ${found}; crtkit reads comma-separated files, so save the file as CSV with commas`,
    );
  }
}
