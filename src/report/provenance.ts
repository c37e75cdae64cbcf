/**
 * Provenance of a result: which crtkit produced it, from which input bytes,
 * with which seed. Every JSON result carries it (docs/cli.md, "Conventions");
 * nothing in it depends on time, host or worker count, so the same run gives
 * the same bytes anywhere. The time of a run belongs in an HTML report only.
 */
import { createHash } from "node:crypto";
import { crtkitVersion } from "../simulate/version.ts";
import type { JsonResult } from "./summary.ts";

export interface Provenance {
  readonly crtkitVersion: string;
  /** SHA-256 (hex) of the input bytes as read (file or standard input); null without input. */
  readonly inputSha256: string | null;
  /** The seed the run used; null for a deterministic command. */
  readonly seed: number | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function provenanceOf(input: Uint8Array | undefined, seed: number | null): Provenance {
  return provenanceFromHash(input === undefined ? null : sha256Hex(input), seed);
}

/** The same, from the input's SHA-256 computed elsewhere (e.g. while a file is read in chunks). */
export function provenanceFromHash(inputSha256: string | null, seed: number | null): Provenance {
  return { crtkitVersion: crtkitVersion(), inputSha256, seed };
}

/** The result with its provenance as the last field (after `diagnostics`). */
export function withProvenance(json: JsonResult, provenance: Provenance): JsonResult {
  return { ...json, provenance };
}
