/**
 * The `provenance` field of every JSON result, made as the command line makes
 * it (src/report/provenance.ts, which needs Node's crypto): the crtkit
 * version, the SHA-256 of the input bytes, the seed. The hash comes from the
 * browser's Web Crypto here.
 */
import type { JsonResult } from "crtkit/core";
import type { Provenance } from "../../src/report/provenance.ts";

declare const __CRTKIT_VERSION__: string;

/** The version of package.json, written in at build time. */
export const CRTKIT_VERSION = __CRTKIT_VERSION__;

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The result with its provenance as the last field (after `diagnostics`), as the command line writes it. */
export function withProvenance(json: JsonResult, inputSha256: string | null, seed: number | null): JsonResult {
  const provenance: Provenance = { crtkitVersion: CRTKIT_VERSION, inputSha256, seed };
  return { ...json, provenance };
}
