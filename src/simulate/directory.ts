/**
 * Reading a finished (or partly finished) simulation directory: every
 * scenario's manifest and shard files, checked for missing, duplicated and
 * conflicting replicates, and summarized. The summary of the union of shard
 * files equals the summary of an unsharded run, bit for bit.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { MANIFEST_FILE, readConditionRows, readManifest } from "./storage.ts";
import { buildSummary } from "./summary.ts";
import type { Condition, Manifest, ReplicateRow, SummaryRow } from "./types.ts";

/** One condition as found on disk. */
export interface StoredCondition {
  readonly condition: Condition;
  /** Rows sorted by replicate (each replicate once). */
  readonly rows: readonly ReplicateRow[];
  readonly replicates: readonly number[];
  /** Replicates 0 … reps − 1 not found. */
  readonly missing: readonly number[];
}

export interface StoredStudy {
  readonly manifest: Manifest;
  /** Directory holding the manifest: DIR/<scenario>. */
  readonly directory: string;
  readonly conditions: readonly StoredCondition[];
}

/** The scenario directories under `dir` (or `dir` itself when it holds a manifest). */
function studyDirectories(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`simulation directory '${dir}' does not exist`);
  if (existsSync(join(dir, MANIFEST_FILE))) return [dir];
  const found = readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((d) => statSync(d).isDirectory() && existsSync(join(d, MANIFEST_FILE)));
  if (found.length === 0) throw new InputError(`no simulation found in '${dir}': neither it nor its sub-directories hold a ${MANIFEST_FILE}`);
  return found;
}

function formatList(xs: readonly number[], max = 10): string {
  return xs.length <= max ? xs.join(", ") : `${xs.slice(0, max).join(", ")}, … (${xs.length} in all)`;
}

/** Which shards of the shard counts used in `dir` the missing replicates belong to, e.g. "shard 2 of 3". */
function missingShards(dir: string, missing: readonly number[]): string {
  if (!existsSync(dir)) return "";
  const counts = new Set<number>();
  for (const name of readdirSync(dir)) {
    const m = /^shard-\d+-of-(\d+)\.jsonl$/.exec(name);
    if (m) counts.add(Number(m[1]));
  }
  const parts: string[] = [];
  for (const n of [...counts].sort((a, b) => a - b)) {
    if (n === 1) continue;
    const shards = [...new Set(missing.map((r) => (r % n) + 1))].sort((a, b) => a - b);
    if (shards.length < n) parts.push(`shard${shards.length > 1 ? "s" : ""} ${shards.join(", ")} of ${n}`);
  }
  return parts.length > 0 ? `; they belong to ${parts.join(" or ")}` : "";
}

/** Reads every study under `dir` (DIR or DIR/<scenario>), with diagnostics on what is missing or inconsistent. */
export function readSimulationDirectory(dir: string): { studies: StoredStudy[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const studies: StoredStudy[] = [];
  for (const sdir of studyDirectories(dir)) {
    const manifest = readManifest(join(sdir, MANIFEST_FILE));
    const conditions: StoredCondition[] = [];
    for (const c of manifest.conditions) {
      const label = `${manifest.scenario} ${c.key}`;
      // Beside the manifest, whatever the directory is called now.
      const cdir = join(sdir, c.key);
      const read = readConditionRows(cdir, manifest.methods, manifest.estimands, label);
      diagnostics.push(...read.diagnostics);
      const have = new Set(read.replicates);
      const missing: number[] = [];
      for (let r = 0; r < manifest.reps; r++) if (!have.has(r)) missing.push(r);
      if (missing.length > 0) {
        diagnostics.push(
          warning(
            "simulate-missing",
            `${label}: ${missing.length} of ${manifest.reps} replicates are missing (${formatList(missing)})${missingShards(cdir, missing)}; rerun with the same options to complete them`,
          ),
        );
      }
      const extra = read.replicates.filter((r) => r >= manifest.reps);
      if (extra.length > 0) {
        diagnostics.push(info("simulate-extra", `${label}: ${extra.length} replicate(s) numbered ${manifest.reps} or more are stored and included`));
      }
      conditions.push({ condition: c, rows: read.rows, replicates: read.replicates, missing });
    }
    studies.push({ manifest, directory: sdir, conditions });
  }
  return { studies, diagnostics };
}

export interface DirectorySummary {
  readonly summary: readonly SummaryRow[];
  /** One entry per scenario found. */
  readonly studies: readonly {
    readonly scenario: string;
    readonly seed: number;
    readonly reps: number;
    readonly crtkitVersion: string;
    readonly conditions: number;
    readonly replicatesFound: number;
    readonly replicatesMissing: number;
  }[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Summarizes every simulation stored under `dir` (all shard files together).
 *
 * @example
 * const { summary, diagnostics } = summarizeDirectory("sim");
 */
export function summarizeDirectory(dir: string, options: { alpha?: number } = {}): DirectorySummary {
  const alpha = options.alpha ?? 0.05;
  const { studies, diagnostics } = readSimulationDirectory(dir);
  const summary: SummaryRow[] = [];
  const overview: DirectorySummary["studies"][number][] = [];
  for (const s of studies) {
    const rows = new Map(s.conditions.map((c) => [c.condition.key, c.rows]));
    const built = buildSummary(s.manifest.scenario, s.manifest.gridParameters, s.manifest.conditions, rows, alpha);
    summary.push(...built.summary);
    diagnostics.push(...built.diagnostics);
    overview.push({
      scenario: s.manifest.scenario,
      seed: s.manifest.seed,
      reps: s.manifest.reps,
      crtkitVersion: s.manifest.crtkitVersion,
      conditions: s.conditions.length,
      replicatesFound: s.conditions.reduce((n, c) => n + c.replicates.length, 0),
      replicatesMissing: s.conditions.reduce((n, c) => n + c.missing.length, 0),
    });
  }
  return Object.freeze({ summary: Object.freeze(summary), studies: Object.freeze(overview), diagnostics: Object.freeze(diagnostics) });
}
