/** SHA-256 of a file read in chunks, so a large data file is never held whole. */
import { closeSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import { InputError } from "../core/errors.ts";

const CHUNK = 1 << 20;

export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InputError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let bytes = readSync(fd, buffer, 0, CHUNK, null); bytes > 0; bytes = readSync(fd, buffer, 0, CHUNK, null)) {
      hash.update(buffer.subarray(0, bytes));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
