/**
 * The complete trial of an impose-missingness study. The CSV text travels in
 * the scenario parameters (`data`, with its SHA-256 in `dataSha256`), so
 * worker threads, resumed runs and shards on other machines rebuild the same
 * data set from the manifest alone, and the random streams depend on the
 * file's content, not on where it lies.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../core/errors.ts";
import { clusterIndex } from "../../data/clusters.ts";
import { readCsv } from "../../data/csv.ts";
import { cellKey, numericColumn, type Dataset } from "../../data/dataset.ts";
import { prepareModifierData, type ModifierColumns } from "../../missing/data.ts";
import { stringParameter } from "../conditions.ts";
import { MANIFEST_FILE, readManifest } from "../storage.ts";
import type { ParamValue, Parameters } from "../types.ts";

/** The columns of the complete trial and their roles. */
export interface TrialRoles extends ModifierColumns {
  /** At most two covariates of the MAR missingness models, in order (X₁, X₂). */
  readonly covariates: readonly string[];
}

export interface CompleteTrial {
  readonly data: Dataset;
  readonly roles: TrialRoles;
  /** Cluster (0-based, in order of first appearance) of each row. */
  readonly clusterOfRow: Int32Array;
  readonly nClusters: number;
}

/** The option that names each role, for messages. */
const ROLE_OPTIONS: Readonly<Record<keyof ModifierColumns, string>> = {
  cluster: "--cluster",
  treatment: "--treatment",
  modifier: "--modifier",
  outcome: "--outcome",
};

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Rows (1-based, the first few) where a column is missing, e.g. "rows 4, 9, 12, …". */
function missingRows(rows: readonly number[]): string {
  const shown = rows.slice(0, 5).map((r) => r + 1).join(", ");
  return `row${rows.length > 1 ? "s" : ""} ${shown}${rows.length > 5 ? ", …" : ""}`;
}

/** Checks that every role names a column without missing values; the covariates are numeric. */
function checkCompleteTrial(data: Dataset, roles: TrialRoles, source: string): CompleteTrial {
  const named: [string, string][] = [
    ...(Object.keys(ROLE_OPTIONS) as (keyof ModifierColumns)[]).map((k): [string, string] => [roles[k], ROLE_OPTIONS[k]]),
    ...roles.covariates.map((c): [string, string] => [c, "--covariates"]),
  ];
  for (const [name, option] of named) {
    if (name === "") throw new InputError(`${option} needs a column name`);
    if (!data.columns.has(name)) throw new InputError(`${source} has no column '${name}' (${option}); its columns are: ${data.names.join(", ")}`);
  }
  if (roles.covariates.length > 2) {
    throw new InputError(`--covariates takes at most two columns (the missingness models' X1 and X2); got ${roles.covariates.join(", ")}`);
  }
  const seen = new Set<string>();
  for (const [name, option] of named) {
    if (seen.has(name)) throw new InputError(`column '${name}' is named twice (again by ${option}); each role needs its own column`);
    seen.add(name);
  }
  for (const [name, option] of named) {
    const col = data.columns.get(name)!;
    const missing: number[] = [];
    for (let i = 0; i < data.nRows; i++) if (cellKey(col, i) === null) missing.push(i);
    if (missing.length === 0) continue;
    const what = option === "--modifier" ? `modifier '${name}'` : `column '${name}' (${option})`;
    throw new InputError(
      `${what} has ${missing.length} missing value${missing.length > 1 ? "s" : ""} in ${source} (${missingRows(missing)}); impose-missingness needs a complete trial, in which it imposes the missingness itself`,
    );
  }
  numericColumn(data, roles.outcome);
  for (const c of roles.covariates) numericColumn(data, c);
  // The analysis's own checks: 0/1 cluster-level treatment, 0/1 modifier.
  const prepared = prepareModifierData(data, roles, []);
  if (prepared.modifierType === "categorical") {
    // Its rows score one estimate per estimand; a categorical modifier has k − 1 contrasts and a joint test.
    throw new InputError(
      `modifier '${roles.modifier}' is categorical (levels ${prepared.levels!.join(", ")}): impose-missingness scores a binary or continuous modifier; analyse the trial with crtkit analyze`,
    );
  }
  const index = clusterIndex(Array.from({ length: data.nRows }, (_, i) => cellKey(data.columns.get(roles.cluster)!, i)), roles.cluster);
  const clusterOfRow = new Int32Array(data.nRows);
  for (let c = 0; c < index.ids.length; c++) for (let k = index.starts[c]; k < index.starts[c + 1]; k++) clusterOfRow[index.order[k]] = c;
  return { data, roles, clusterOfRow, nClusters: index.ids.length };
}

/**
 * The scenario parameters that carry a complete trial: its text, SHA-256 and
 * column roles. Refuses a file that is not UTF-8, lacks a named column, or
 * has a missing value in a named column (the modifier above all).
 *
 * @example
 * completeTrialParameters(readFileSync("trial-complete.csv"), { cluster: "cluster", treatment: "A", modifier: "M", outcome: "Y", covariates: ["X1", "X2"] }, "'trial-complete.csv'")
 */
export function completeTrialParameters(bytes: Uint8Array, roles: TrialRoles, source: string): Record<string, ParamValue> {
  let text: string;
  try {
    // The byte-order mark is kept, so the text's UTF-8 bytes are the file's bytes.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError(`${source} is not UTF-8 text; save it as a UTF-8 CSV file`);
  }
  checkCompleteTrial(readCsv(text, source), roles, source);
  return {
    data: text,
    dataSha256: sha256Hex(bytes),
    cluster: roles.cluster,
    treatment: roles.treatment,
    modifier: roles.modifier,
    outcome: roles.outcome,
    covariates: roles.covariates.join(","),
  };
}

/** The roles recorded in a parameter set. */
export function trialRoles(p: Parameters): TrialRoles {
  const covariates = stringParameter(p, "covariates");
  return {
    cluster: stringParameter(p, "cluster"),
    treatment: stringParameter(p, "treatment"),
    modifier: stringParameter(p, "modifier"),
    outcome: stringParameter(p, "outcome"),
    covariates: covariates.trim() === "" ? [] : covariates.split(",").map((c) => c.trim()),
  };
}

// A few parsed trials (a study's conditions share one), keyed by content and roles.
const trials = new Map<string, CompleteTrial>();

/** The complete trial of a parameter set, parsed once per process; its text must match its SHA-256. */
export function completeTrialFromParameters(p: Parameters): CompleteTrial {
  const text = stringParameter(p, "data");
  const sha = stringParameter(p, "dataSha256");
  const roles = trialRoles(p);
  const key = JSON.stringify([sha, roles]);
  const hit = trials.get(key);
  if (hit) return hit;
  if (text === "") throw new InputError("impose-missingness needs the complete trial: give --data FILE.csv");
  if (sha256Hex(text) !== sha) throw new InputError(`parameter 'data' does not match its SHA-256 'dataSha256' (${sha}); the parameters were changed`);
  const trial = checkCompleteTrial(readCsv(text, "the complete trial"), roles, "the complete trial");
  if (trials.size >= 4) trials.delete(trials.keys().next().value!);
  trials.set(key, trial);
  return trial;
}

/**
 * Refuses to add to (or summarize) a study directory made from another file:
 * `dir` is the output directory or the scenario directory inside it. Returns
 * whether `dir` holds a study of `scenario` (made from this file).
 */
export function checkStudyDataFile(dir: string, scenario: string, sha: string, source: string): boolean {
  const candidates = [join(dir, MANIFEST_FILE), join(dir, scenario, MANIFEST_FILE)];
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) return false;
  const manifest = readManifest(path);
  if (manifest.scenario !== scenario) return false;
  for (const c of manifest.conditions) {
    const stored = c.parameters.dataSha256;
    if (stored !== sha) {
      throw new InputError(
        `'${dir}' holds a study of a different data file: its condition ${c.key} was made from a file with SHA-256 ${String(stored)}, ${source} has SHA-256 ${sha}; use another output directory or the original file`,
      );
    }
  }
  return true;
}
