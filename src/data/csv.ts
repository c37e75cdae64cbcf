/**
 * CSV files read in chunks from disk (Node); the reader itself, shared with
 * browsers, is csv-reader.ts.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../core/errors.ts";
import { readCsvChunks } from "./csv-reader.ts";
import type { Dataset } from "./dataset.ts";

export { MISSING_CELLS, readCsv, readCsvBytes, readCsvChunks, type Chunks } from "./csv-reader.ts";

/** Bytes read from the file at a time. */
const CHUNK = 1 << 18;

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
