/**
 * CSV reading without Node's file system, so the same reader runs in Node
 * and in browsers: text (readCsv), the bytes of a whole file (readCsvBytes)
 * or successive pieces of them (readCsvChunks). csv-parse's stream parser
 * takes text and Node Buffers; its browser build (whose Buffer is internal)
 * takes text only, so readCsvBytes hands over its bytes as Latin-1 text,
 * which the parser turns back into the very same bytes.
 */
import { Parser, type Options } from "csv-parse";
import { InputError } from "../core/errors.ts";
import { ColumnBuilder } from "./column-builder.ts";
import { dataset, type Dataset } from "./dataset.ts";

/** Cells read as missing: empty, `NA` and `.` (R and SAS conventions). */
export const MISSING_CELLS: ReadonlySet<string> = new Set(["", "NA", "."]);

const CSV_OPTIONS: Options = { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false };

/** Characters (readCsv) or bytes (readCsvBytes) handed to the parser at a time. */
const CHUNK = 1 << 18;

/**
 * Calls `emit` with successive pieces of the input, text or (in Node only)
 * bytes; text marked "latin1" stands for its character codes as bytes. May
 * be called again to reread the input.
 */
export type Chunks = (emit: (chunk: Uint8Array | string, encoding?: "latin1") => void) => void;

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
      emit(text.slice(start, end));
      start = end;
    }
  }, source);
}

/**
 * The Dataset of a file's bytes, the one readCsvFile gives for that file
 * (UTF-8, or UTF-16LE after its byte-order mark): the parser sees the same
 * bytes, in Node and in a browser.
 *
 * @example
 * const data = readCsvBytes(new Uint8Array(await file.arrayBuffer()), `'${file.name}'`);
 */
export function readCsvBytes(bytes: Uint8Array, source = "the data"): Dataset {
  return readCsvChunks((emit) => {
    for (let start = 0; start < bytes.length; start += CHUNK) emit(latin1(bytes.subarray(start, start + CHUNK)), "latin1");
  }, source);
}

/** The bytes as the characters of the same codes (TextDecoder's "latin1" is windows-1252, which differs at 0x80–0x9f). */
function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode(...bytes.subarray(i, i + 8192)));
  return parts.join("");
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Runs the parser over `chunks`, handing each record to `onRecord`, without
 * keeping the records. A write to csv-parse's stream is parsed synchronously
 * and its records are taken out at once with read(). Its first error is in
 * `errored` in Node (the event comes later) and in the event at once in the
 * browser build; it is thrown before more is read.
 */
function parseChunks(chunks: Chunks, onRecord: (record: string[]) => void, source: string): void {
  const parser = new Parser(CSV_OPTIONS);
  let failure: Error | null = null;
  parser.on("error", (e: Error) => {
    failure ??= e;
  });
  const drain = (): void => {
    const error = parser.errored ?? failure;
    if (error) throw new InputError(`${source}: cannot read CSV: ${error.message}`);
    for (let record = parser.read() as string[] | null; record !== null; record = parser.read() as string[] | null) {
      onRecord(record);
    }
  };
  let empty = true;
  chunks((chunk, encoding) => {
    if (chunk.length === 0) return;
    empty = false;
    if (encoding === undefined) parser.write(chunk);
    else parser.write(chunk, encoding);
    drain();
  });
  // Without input there are no records; and the browser build fails ending a
  // parser that got none (it listens with a `destroy` its streams lack).
  if (empty) return;
  parser.end();
  drain();
}

/** readCsv over the pieces `chunks` gives (bytes may be split anywhere, even inside a character). */
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
