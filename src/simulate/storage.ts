/**
 * Files of a simulation study:
 *
 *   DIR/<scenario>/manifest.json                          what was run (scenario, seed, conditions, methods, reps, version)
 *   DIR/<scenario>/<conditionKey>/shard-I-of-N.jsonl      one JSON line per replicate × method × estimand
 *   DIR/<scenario>/<conditionKey>/shard-I-of-N.timing.jsonl  seconds per method call (kept apart: not reproducible)
 *
 * A replicate's lines are written together, after each other, and are the
 * same bytes whichever worker, shard or machine computed them. A reader takes
 * a replicate only when all its lines are present and well-formed; a partly
 * written end of a file (a killed job) is ignored, and cut off before the
 * same shard appends to the file again.
 *
 * Each result line ends with "check", a short SHA-256 of the rest of its
 * record. A record that no longer matches (changed by hand) is left out and
 * reported with its file and line; a resumed run recomputes it. Files of
 * crtkit versions before checksums have none: they are read unverified
 * (an info diagnostic says so).
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { threadId } from "node:worker_threads";
import { warning, info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { isSealed, sealRecords, unseal } from "./checksum.ts";
import { canonicalParameters } from "./conditions.ts";
import { ensureDirectory } from "./make-directory.ts";
import type { Condition, Manifest, MethodSpec, Parameters, ParamValue, ReplicateRow, Shard } from "./types.ts";

export const MANIFEST_FILE = "manifest.json";

/** Replicates per condition at most: a condition's shard files are read whole, and must stay well inside memory. */
export const MAX_REPLICATES = 100_000;

export function scenarioDirectory(outDir: string, scenario: string): string {
  return join(outDir, scenario);
}

export function conditionDirectory(outDir: string, scenario: string, key: string): string {
  return join(outDir, scenario, key);
}

export function shardFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.jsonl`;
}

export function timingFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.timing.jsonl`;
}

const SHARD_FILE = /^shard-(\d+)-of-(\d+)\.jsonl$/;
const TIMING_FILE = /^shard-(\d+)-of-(\d+)\.timing\.jsonl$/;

// ---------------------------------------------------------------------------
// Manifest

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Reads and checks DIR/<scenario>/manifest.json; an InputError names the file and the problem. */
export function readManifest(path: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InputError(`cannot read simulation manifest '${path}': ${(e as Error).message}`);
  }
  const bad = (what: string): never => {
    throw new InputError(`'${path}' is not a crtkit simulation manifest: ${what}`);
  };
  if (!isRecord(value) || value.format !== "crtkit-simulation") bad("field 'format' is not \"crtkit-simulation\"");
  const m = value as Record<string, unknown>;
  if (m.formatVersion !== 1) bad(`unsupported formatVersion ${JSON.stringify(m.formatVersion)} (this crtkit reads 1)`);
  if (typeof m.scenario !== "string") bad("no scenario name");
  if (!Number.isSafeInteger(m.seed)) bad("no integer seed");
  if (!Number.isSafeInteger(m.scenarioId)) bad("no integer scenarioId");
  if (!Number.isSafeInteger(m.reps) || (m.reps as number) < 0) bad("no replicate count 'reps'");
  if (!Array.isArray(m.estimands) || !m.estimands.every((e) => typeof e === "string")) bad("no list of estimands");
  if (!Array.isArray(m.methods) || !m.methods.every((s) => isRecord(s) && typeof s.method === "string" && typeof s.imputationModel === "string")) {
    bad("no list of methods");
  }
  if (!Array.isArray(m.gridParameters)) bad("no list of gridParameters");
  if (!Array.isArray(m.conditions)) bad("no list of conditions");
  for (const c of m.conditions as unknown[]) {
    if (!isRecord(c) || typeof c.key !== "string" || !isRecord(c.parameters) || !Number.isSafeInteger(c.streamId) || !isRecord(c.truth)) {
      bad("a condition lacks key, parameters, streamId or truth");
    }
    // A key names a sub-directory; one that could lead elsewhere is refused.
    const key = (c as { key: string }).key;
    if (key === "" || key === "." || key === ".." || /[/\\\0]/.test(key) || isAbsolute(key)) {
      throw new InputError(`'${path}': condition key '${key}' is not a plain directory name and could lead outside the simulation directory; refused`);
    }
  }
  const manifest = value as Manifest;
  // Older manifests may lack notes; give every condition a list.
  return {
    ...manifest,
    conditions: manifest.conditions.map((c) => ({ ...c, notes: Array.isArray(c.notes) ? c.notes : [] })),
  };
}

/** Writes the manifest through a temporary file and a rename, so a reader never sees half a file. */
export function writeManifest(dir: string, manifest: Manifest): void {
  ensureDirectory(dir);
  const tmp = join(dir, `.${MANIFEST_FILE}.${process.pid}.${threadId}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + "\n");
  renameSync(tmp, join(dir, MANIFEST_FILE));
}

/** `params` without the parameters absent from `stored` that sit at their default. */
function withoutNewDefaults(params: Parameters, stored: Parameters, defaults: Parameters): Parameters {
  const kept: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    const addedAtDefault = !(name in stored) && name in defaults && defaults[name] === value;
    if (!addedAtDefault) kept[name] = value;
  }
  return kept;
}

const sameMethods = (a: readonly MethodSpec[], b: readonly MethodSpec[]): boolean =>
  a.length === b.length && a.every((s, i) => s.method === b[i].method && s.imputationModel === b[i].imputationModel);

const methodList = (m: readonly MethodSpec[]): string => m.map((s) => (s.imputationModel ? `${s.method} [${s.imputationModel}]` : s.method)).join(", ");

/**
 * Combines the manifest already in a directory with the one of a new run:
 * the run must be the same study (scenario, seed, methods, estimands, and the
 * same parameters under each condition key); new conditions are added and
 * `reps` becomes the larger of the two. A parameter the stored condition lacks
 * but this run sets at the scenario's default (`defaults`) was added to the
 * scenario after the directory was written and changes nothing, so the
 * condition still matches.
 */
export function mergeManifest(
  existing: Manifest | undefined,
  next: Manifest,
  where: string,
  defaults: Parameters = {},
): { manifest: Manifest; diagnostics: Diagnostic[] } {
  if (!existing) return { manifest: next, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const refuse = (what: string): never => {
    throw new InputError(`${where} already holds a different simulation: ${what}; use another output directory`);
  };
  if (existing.scenario !== next.scenario) refuse(`scenario '${existing.scenario}', this run '${next.scenario}'`);
  if (existing.seed !== next.seed) refuse(`seed ${existing.seed}, this run seed ${next.seed}`);
  if (existing.scenarioId !== next.scenarioId) refuse(`scenario id ${existing.scenarioId}, this run ${next.scenarioId}`);
  if (!sameMethods(existing.methods, next.methods)) refuse(`methods ${methodList(existing.methods)}; this run: ${methodList(next.methods)}`);
  if (existing.estimands.join("\u0000") !== next.estimands.join("\u0000")) {
    refuse(`estimands ${existing.estimands.join(", ")}; this run: ${next.estimands.join(", ")}`);
  }
  if (existing.crtkitVersion !== next.crtkitVersion) {
    diagnostics.push(warning("simulate-version", `${where} was started by crtkit ${existing.crtkitVersion}; this run is crtkit ${next.crtkitVersion}`));
  }
  const conditions: Condition[] = [...existing.conditions];
  for (const c of next.conditions) {
    const old = existing.conditions.find((x) => x.key === c.key);
    if (!old) {
      conditions.push(c);
      continue;
    }
    if (canonicalParameters(old.parameters) !== canonicalParameters(withoutNewDefaults(c.parameters, old.parameters, defaults)) || old.streamId !== c.streamId) {
      refuse(`condition ${c.key} with parameters ${canonicalParameters(old.parameters)}; this run: ${canonicalParameters(c.parameters)}`);
    }
    for (const e of next.estimands) {
      if (old.truth[e] !== c.truth[e]) {
        diagnostics.push(
          warning("simulate-truth-changed", `condition ${c.key}: the stored true ${e} is ${old.truth[e]}, this crtkit computes ${c.truth[e]}; the stored value is kept`),
        );
      }
    }
  }
  const gridParameters = [...existing.gridParameters, ...next.gridParameters.filter((p) => !existing.gridParameters.includes(p))];
  return {
    manifest: { ...existing, reps: Math.max(existing.reps, next.reps), gridParameters, conditions },
    diagnostics,
  };
}

// ---------------------------------------------------------------------------
// Result files

/** A condition's rows as read from its directory. */
export interface ConditionRows {
  /** Rows sorted by replicate; within a replicate, in method then estimand order. */
  readonly rows: ReplicateRow[];
  /** The replicates present (sorted). */
  readonly replicates: number[];
  /** Replicates found complete in more than one place with the same content. */
  readonly duplicated: number[];
  /** Replicates found with different content in different places (the first file's copy is used). */
  readonly conflicting: number[];
  readonly diagnostics: Diagnostic[];
}

interface Group {
  readonly replicate: number;
  readonly text: string;
  readonly rows: Omit<ReplicateRow, "seconds">[];
  /** Byte offset just after the group's last line. */
  readonly end: number;
  readonly valid: boolean;
  /** One line per method × estimand (the group was written whole, not cut short). */
  readonly complete: boolean;
  /** Line numbers (in the file, from 1) whose record does not match its checksum. */
  readonly tampered: readonly number[];
  readonly problem?: string;
}

const isNumOrNull = (x: unknown): boolean => x === null || (typeof x === "number" && Number.isFinite(x));

/** Checks one parsed line; returns a problem or undefined. */
function lineProblem(x: unknown, spec: MethodSpec, estimand: string): string | undefined {
  if (!isRecord(x)) return "not a JSON object";
  if (!Number.isSafeInteger(x.replicate) || (x.replicate as number) < 0) return "no replicate number";
  if (x.method !== spec.method || x.imputationModel !== spec.imputationModel || x.estimand !== estimand) {
    return `expected method '${spec.method}', imputation model '${spec.imputationModel}', estimand '${estimand}' here, found '${String(x.method)}', '${String(x.imputationModel)}', '${String(x.estimand)}'`;
  }
  for (const k of ["estimate", "stdError", "df", "confLow", "confHigh", "pValue"]) if (!isNumOrNull(x[k])) return `field '${k}' is not a number or null`;
  if (typeof x.converged !== "boolean") return "field 'converged' is not true or false";
  if (x.error !== undefined && typeof x.error !== "string") return "field 'error' is not a string";
  return undefined;
}

/**
 * Splits a shard file into replicate groups. A group is valid when it has
 * exactly one line per method × estimand, in order, all well-formed and (in a
 * file written with checksums) matching their checksums. A last line without
 * its newline (an interrupted write) is not part of any group.
 */
function parseShardFile(
  content: string,
  methods: readonly MethodSpec[],
  estimands: readonly string[],
): { groups: Group[]; partialTail: boolean; sealed: boolean } {
  const expected = methods.length * estimands.length;
  const sealed = isSealed(content);
  const groups: Group[] = [];
  let pos = 0;
  let bytePos = 0;
  let lineNo = 0;
  let current: { replicate: number; lines: string[]; parsed: unknown[]; tampered: number[]; problem?: string } | undefined;
  const close = (end: number): void => {
    if (!current) return;
    const complete = current.problem === undefined && current.lines.length === expected;
    let problem = current.problem;
    if (problem === undefined && !complete) problem = `${current.lines.length} of ${expected} lines`;
    if (problem === undefined) {
      for (let i = 0; i < current.parsed.length; i++) {
        const p = lineProblem(current.parsed[i], methods[Math.floor(i / estimands.length)], estimands[i % estimands.length]);
        if (p !== undefined) {
          problem = `line ${i + 1} of the replicate: ${p}`;
          break;
        }
      }
    }
    if (problem === undefined && current.tampered.length > 0) problem = "a record does not match its checksum";
    groups.push({
      replicate: current.replicate,
      text: current.lines.join("\n") + "\n",
      rows: problem === undefined ? (current.parsed as Omit<ReplicateRow, "seconds">[]) : [],
      end,
      valid: problem === undefined,
      complete,
      tampered: current.tampered,
      problem,
    });
    current = undefined;
  };
  for (;;) {
    const nl = content.indexOf("\n", pos);
    if (nl < 0) break;
    const text = content.slice(pos, nl);
    const lineEnd = bytePos + Buffer.byteLength(text, "utf8") + 1;
    pos = nl + 1;
    lineNo++;
    if (text.trim() === "") {
      bytePos = lineEnd;
      continue;
    }
    let parsed: unknown;
    let problem: string | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      problem = "a line is not valid JSON";
    }
    const replicate = isRecord(parsed) && Number.isSafeInteger(parsed.replicate) ? (parsed.replicate as number) : -1;
    if (!current || replicate !== current.replicate || problem !== undefined || current.problem !== undefined) {
      // A malformed line ends the current group and starts a (bad) group of its own.
      close(bytePos);
      current = { replicate, lines: [], parsed: [], tampered: [] };
    }
    if (isRecord(parsed) && !unseal(parsed) && sealed) current.tampered.push(lineNo);
    current.lines.push(text);
    current.parsed.push(parsed);
    if (problem !== undefined) current.problem = problem;
    bytePos = lineEnd;
  }
  close(bytePos);
  return { groups, partialTail: pos < content.length && content.slice(pos).trim() !== "", sealed };
}

function shardFiles(dir: string, pattern: RegExp): { name: string; index: number; count: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => {
      const m = pattern.exec(name);
      return m ? { name, index: Number(m[1]), count: Number(m[2]) } : undefined;
    })
    .filter((x): x is { name: string; index: number; count: number } => x !== undefined)
    .sort((a, b) => a.count - b.count || a.index - b.index);
}

function formatList(xs: readonly number[], max = 10): string {
  return xs.length <= max ? xs.join(", ") : `${xs.slice(0, max).join(", ")}, … (${xs.length} in all)`;
}

/**
 * A record changed after it was written: an error when its replicate is
 * therefore left out, a warning when an intact copy (e.g. recomputed on
 * resume) stands in for it.
 */
function tamperedDiagnostic(label: string, t: { file: string; lines: readonly number[]; replicate: number }, replaced: boolean): Diagnostic {
  const where = `${label}: ${t.file} line${t.lines.length > 1 ? "s" : ""} ${formatList(t.lines)} do${t.lines.length > 1 ? "" : "es"} not match ${t.lines.length > 1 ? "their checksums" : "its checksum"} (changed after crtkit wrote ${t.lines.length > 1 ? "them" : "it"})`;
  const rep = t.replicate >= 0 ? `replicate ${t.replicate}` : "the replicate";
  if (replaced) return warning("simulate-checksum", `${where}; ignored, an intact copy of ${rep} is used`);
  return {
    code: "simulate-checksum",
    severity: "error",
    message: `${where}; ${rep} is left out; rerun the simulation with the same options to recompute it`,
  };
}

/** Reads every shard file of a condition directory. `label` names the condition in diagnostics. */
export function readConditionRows(
  dir: string,
  methods: readonly MethodSpec[],
  estimands: readonly string[],
  label: string,
): ConditionRows {
  const diagnostics: Diagnostic[] = [];
  const chosen = new Map<number, Group>();
  const duplicated = new Set<number>();
  const conflicting = new Set<number>();
  const tampered: { file: string; lines: readonly number[]; replicate: number }[] = [];
  for (const f of shardFiles(dir, SHARD_FILE)) {
    const path = join(dir, f.name);
    const { groups, partialTail, sealed } = parseShardFile(readFileSync(path, "utf8"), methods, estimands);
    if (partialTail) diagnostics.push(info("simulate-partial-line", `${label}: ignored an unfinished last line in ${f.name} (an interrupted run)`));
    if (!sealed && groups.length > 0) {
      diagnostics.push(info("simulate-unverified", `${label}: ${f.name} has no record checksums (written by an older crtkit); its records are read unverified`));
    }
    for (const g of groups) if (g.tampered.length > 0) tampered.push({ file: f.name, lines: g.tampered, replicate: g.replicate });
    const bad = groups.filter((g) => !g.valid && g.tampered.length === 0);
    if (bad.length > 0) {
      const reps = bad.map((g) => g.replicate).filter((r) => r >= 0);
      diagnostics.push(
        warning(
          "simulate-bad-replicate",
          `${label}: ignored ${bad.length} incomplete or malformed replicate record(s) in ${f.name}${reps.length ? ` (replicates ${formatList(reps)})` : ""}: ${bad[0].problem}`,
        ),
      );
    }
    for (const g of groups) {
      if (!g.valid) continue;
      const first = chosen.get(g.replicate);
      if (!first) chosen.set(g.replicate, g);
      else if (first.text === g.text) duplicated.add(g.replicate);
      else conflicting.add(g.replicate);
    }
  }
  for (const t of tampered) diagnostics.push(tamperedDiagnostic(label, t, chosen.has(t.replicate)));
  const seconds = readTimings(dir);
  const replicates = [...chosen.keys()].sort((a, b) => a - b);
  const rows: ReplicateRow[] = [];
  for (const r of replicates) {
    const g = chosen.get(r)!;
    const t = seconds.get(r);
    g.rows.forEach((row, i) => {
      const s = t?.[Math.floor(i / estimands.length)];
      rows.push({ ...row, seconds: typeof s === "number" && Number.isFinite(s) ? s : null });
    });
  }
  const dup = [...duplicated].sort((a, b) => a - b);
  const con = [...conflicting].sort((a, b) => a - b);
  if (dup.length > 0) {
    diagnostics.push(info("simulate-duplicate", `${label}: replicate(s) ${formatList(dup)} are stored more than once with identical results; each is counted once`));
  }
  if (con.length > 0) {
    diagnostics.push({
      code: "simulate-conflict",
      severity: "error",
      message: `${label}: replicate(s) ${formatList(con)} are stored more than once with different results (different seeds or crtkit versions?); the first copy is used`,
    });
  }
  return { rows, replicates, duplicated: dup, conflicting: con, diagnostics };
}

/** Seconds per method call by replicate, from the timing files (the last record wins). */
function readTimings(dir: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const f of shardFiles(dir, TIMING_FILE)) {
    for (const text of readFileSync(join(dir, f.name), "utf8").split("\n")) {
      if (text.trim() === "") continue;
      try {
        const x: unknown = JSON.parse(text);
        if (isRecord(x) && Number.isSafeInteger(x.replicate) && Array.isArray(x.seconds)) out.set(x.replicate as number, x.seconds as number[]);
      } catch {
        // an unfinished timing line: timings are informative only
      }
    }
  }
  return out;
}

/**
 * Opens this shard's result and timing files for appending, first cutting off
 * anything after the last complete replicate (left by an interrupted run).
 */
export function openShardFiles(
  dir: string,
  shard: Shard,
  methods: readonly MethodSpec[],
  estimands: readonly string[],
): { results: number; timings: number; truncatedBytes: number } {
  ensureDirectory(dir);
  const path = join(dir, shardFileName(shard));
  let truncatedBytes = 0;
  if (existsSync(path)) {
    const content = readFileSync(path, "utf8");
    const { groups } = parseShardFile(content, methods, estimands);
    let keep = 0;
    // Keep whole replicates, including any changed by hand (reported when read); cut only an unfinished end.
    for (const g of groups) if (g.valid || (g.complete && g.tampered.length > 0)) keep = g.end;
    const size = Buffer.byteLength(content, "utf8");
    if (keep < size) {
      truncateSync(path, keep);
      truncatedBytes = size - keep;
    }
  }
  const timingPath = join(dir, timingFileName(shard));
  if (existsSync(timingPath)) {
    const content = readFileSync(timingPath, "utf8");
    const end = content.lastIndexOf("\n") + 1;
    if (end < content.length) truncateSync(timingPath, Buffer.byteLength(content.slice(0, end), "utf8"));
  }
  return { results: openSync(path, "a"), timings: openSync(timingPath, "a"), truncatedBytes };
}

/** Appends a replicate's lines, sealed with their checksums. */
export function appendRecords(fd: number, text: string): void {
  appendText(fd, sealRecords(text));
}

/** Appends `text` to an open file, looping until every byte is written. */
export function appendText(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

export function closeFile(fd: number): void {
  closeSync(fd);
}
