/**
 * Checksums of stored result records: each line ends with "check", the first
 * 16 hex digits of the SHA-256 of the record's JSON without it, so a line
 * changed after it was written is noticed. The JSON of a parsed record is
 * re-serialized to check it, which gives back the written bytes because
 * crtkit wrote them with JSON.stringify.
 */
import { createHash } from "node:crypto";

const CHECK_FIELD = "check";
const SEALED_LINE = /,"check":"[0-9a-f]{16}"\}\n/;

function recordChecksum(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

/** Adds the checksum field to every line of JSON Lines `text` (each line a JSON object). */
export function sealRecords(text: string): string {
  return text.replace(/^(\{.*)\}$/gm, (line, head: string) => `${head},"${CHECK_FIELD}":"${recordChecksum(line)}"}`);
}

/** Whether a file's text was written with checksums (older files have none). */
export function isSealed(content: string): boolean {
  return SEALED_LINE.test(content);
}

/** Removes the checksum field of a parsed record; false when it is absent or does not match. */
export function unseal(record: Record<string, unknown>): boolean {
  const check = record[CHECK_FIELD];
  delete record[CHECK_FIELD];
  return typeof check === "string" && recordChecksum(JSON.stringify(record)) === check;
}
