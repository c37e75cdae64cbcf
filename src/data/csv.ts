import { closeSync, openSync, readSync } from "node:fs";
import { Parser, type Options } from "csv-parse";
import { InputError } from "../core/errors.ts";
import { ColumnBuilder } from "./column-builder.ts";
import { dataset, type Dataset } from "./dataset.ts";

/** Cells read as missing: empty, `NA` and `.` (R and SAS conventions). */
export const MISSING_CELLS: ReadonlySet<string> = new Set(["", "NA", "."]);

const CSV_OPTIONS: Options = { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false };

/** Characters (readCsv) or bytes (readCsvFile) handed to the parser at a time. */
const CHUNK = 1 << 18;

/** Calls `emit` with successive pieces of the input; may be called again to reread it. */
export type Chunks = (emit: (chunk: Buffer) => void) => void;

/**
 * Parses CSV text with a header row into a typed Dataset.
 *
 * @example
 * const data = readCsv("cluster,A,Y\n1,0,2.5\n1,0,NA\n");
 */
export function readCsv(text: string, source = "the data"): Dataset {
  return readCsvChunks((emit) => {
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + CHUNK, text.length);
      // Keep a surrogate pair in one piece so it encodes as one character.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      emit(Buffer.from(text.slice(start, end)));
      start = end;
    }
  }, source);
}

/**
 * Reads a CSV file into a typed Dataset, as readCsv on its UTF-8 text would,
 * in chunks: the whole text is never held in memory. The bytes go to the
 * parser undecoded, so a UTF-16LE file with a BOM is read too.
 *
 * @example
 * const data = readCsvFile("trial.csv");
 */
export function readCsvFile(path: string, source = `'${path}'`): Dataset {
  const fail = (e: unknown): never => {
    throw new InputError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  };
  return readCsvChunks((emit) => {
    let fd: number | undefined;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      fail(e);
    }
    try {
      for (;;) {
        // A fresh buffer each time: the parser may keep a view of the previous chunk's tail.
        const buffer = Buffer.allocUnsafe(CHUNK);
        let bytes = 0;
        try {
          bytes = readSync(fd!, buffer, 0, CHUNK, null);
        } catch (e) {
          fail(e);
        }
        if (bytes === 0) break;
        emit(buffer.subarray(0, bytes));
      }
    } finally {
      closeSync(fd!);
    }
  }, source);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Runs the parser over `chunks`, handing each record to `onRecord`, without
 * keeping the records. A write to csv-parse's stream is parsed synchronously
 * and its records are taken out at once with read(); its first error is
 * recorded in `errored`, so it is thrown before more is read.
 */
function parseChunks(chunks: Chunks, onRecord: (record: string[]) => void, source: string): void {
  const parser = new Parser(CSV_OPTIONS);
  parser.on("error", () => {}); // read from `errored` below
  const drain = (): void => {
    if (parser.errored) throw new InputError(`${source}: cannot read CSV: ${parser.errored.message}`);
    for (let record = parser.read() as string[] | null; record !== null; record = parser.read() as string[] | null) {
      onRecord(record);
    }
  };
  chunks((chunk) => {
    parser.write(chunk);
    drain();
  });
  parser.end();
  drain();
}

/** readCsv over the bytes `chunks` gives (split anywhere, even inside a character). */
export function readCsvChunks(chunks: Chunks, source = "the data"): Dataset {
  let header: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  parseChunks(
    chunks,
    (record) => {
      if (header === null) {
        checkDelimiter(record, source);
        header = record;
        builders = record.map((name) => new ColumnBuilder(name));
        return;
      }
      for (let j = 0; j < builders.length; j++) builders[j].push(MISSING_CELLS.has(record[j]) ? null : record[j]);
    },
    source,
  );
  if (header === null) throw new InputError(`${source} is empty: no header row`);
  if (builders[0].length === 0) throw new InputError(`${source} has a header but no data rows`);
  (header as string[]).forEach((name, j) => {
    if (name === "") throw new InputError(`${source}: header column ${j + 1} has no name`);
  });
  // A column that turned text after numeric cells needs its raw cells: read them again.
  const reread = builders.filter((b) => b.needsRawCells);
  if (reread.length > 0) {
    const at = reread.map((b) => builders.indexOf(b));
    for (const b of reread) b.restartAsText();
    let first = true;
    parseChunks(
      chunks,
      (record) => {
        if (first) first = false;
        else for (let k = 0; k < at.length; k++) reread[k].push(MISSING_CELLS.has(record[at[k]]) ? null : record[at[k]]);
      },
      source,
    );
  }
  return dataset(builders.map((b) => b.column()));
}

/**
 * A header read as one column that holds semicolons or tabs is a file with
 * another delimiter: say so rather than fail later on a missing column.
 */
function checkDelimiter(header: readonly string[], source: string): void {
  if (header.length !== 1) return;
  const found = header[0].includes(";") ? "semicolons" : header[0].includes("\t") ? "tabs" : undefined;
  if (found) {
    throw new InputError(
      `${source}: the header '${header[0].trim()}' reads as a single column separated by ${found}; crtkit reads comma-separated files, so save the file as CSV with commas`,
    );
  }
}
