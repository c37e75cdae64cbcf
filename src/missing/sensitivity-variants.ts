/**
 * The data and model variants of a sensitivity analysis beyond the δ grid:
 * clusters with much missingness left out, other priors on the B-MMI
 * random-intercept variance (Gamma on τ, half-normal on the SD), and imputation stratified by a cluster-level
 * column. Each is checked here, naming the bad value.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { checkPositive } from "../core/check.ts";
import { InputError } from "../core/errors.ts";
import { cellKey, getColumn, numericColumn, type Dataset } from "../data/dataset.ts";
import { selectRows } from "../data/select.ts";
import type { ModifierColumns } from "./data.ts";
import type { TauPrior } from "./tau-prior.ts";

/** A prior on the random-intercept variance as written, e.g. "gamma(1,1)" (on τ) or "half-normal(1)" (on the SD). */
export type LabelledTauPrior = TauPrior & { readonly label: string };

/** Parses "gamma(a,b)" (shape a, rate b on τ, both positive) or "half-normal(s)" (scale s > 0 on the SD). */
export function parseTauPrior(text: string): LabelledTauPrior {
  const gammaMatch = /^\s*gamma\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*$/i.exec(text);
  if (gammaMatch !== null) {
    const shape = checkPositive(Number(gammaMatch[1]), `tau prior '${text}' shape`);
    const rate = checkPositive(Number(gammaMatch[2]), `tau prior '${text}' rate`);
    return { label: `gamma(${shape},${rate})`, shape, rate };
  }
  const halfNormal = /^\s*half-?normal\s*\(\s*([^,()]+?)\s*\)\s*$/i.exec(text);
  if (halfNormal !== null) {
    const scale = checkPositive(Number(halfNormal[1]), `tau prior '${text}' scale`);
    return { label: `half-normal(${scale})`, halfNormal: scale };
  }
  throw new InputError(`unknown tau prior '${text}': write gamma(shape,rate) for the precision, e.g. gamma(1,1), or half-normal(scale) for the SD, e.g. half-normal(1)`);
}

/** The dataset without the clusters whose modifier is missing in more than `threshold` of their rows. */
export function excludeHighMissingness(
  data: Dataset,
  columns: ModifierColumns,
  threshold: number,
): { data: Dataset; nClusters: number; nRows: number; diagnostic: Diagnostic } {
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError(`--exclude-missing-above must be a proportion between 0 and 1, got ${threshold}`);
  const cluster = getColumn(data, columns.cluster);
  const m = numericColumn(data, columns.modifier);
  const a = numericColumn(data, columns.treatment);
  const counts = new Map<string, { n: number; missing: number; arm: number }>();
  for (let i = 0; i < data.nRows; i++) {
    const key = cellKey(cluster, i);
    if (key === null) continue;
    const c = counts.get(key) ?? { n: 0, missing: 0, arm: NaN };
    c.n++;
    if (Number.isNaN(m[i])) c.missing++;
    if (Number.isNaN(c.arm)) c.arm = a[i];
    counts.set(key, c);
  }
  const kept = new Set([...counts].filter(([, c]) => c.missing / c.n <= threshold).map(([k]) => k));
  const perArm = [0, 1].map((arm) => [...kept].filter((k) => counts.get(k)!.arm === arm).length);
  if (perArm[0] < 2 || perArm[1] < 2) {
    throw new InputError(
      `--exclude-missing-above ${threshold} leaves ${perArm[1]} treated and ${perArm[0]} control clusters: at least 2 per arm are needed; use a larger threshold`,
    );
  }
  const rows: number[] = [];
  for (let i = 0; i < data.nRows; i++) {
    const key = cellKey(cluster, i);
    if (key !== null && kept.has(key)) rows.push(i);
  }
  const diagnostic = info(
    "exclude-clusters",
    `excluding clusters with more than ${threshold * 100}% of '${columns.modifier}' missing keeps ${kept.size} of ${counts.size} clusters and ${rows.length} of ${data.nRows} rows`,
  );
  return { data: selectRows(data, Int32Array.from(rows)), nClusters: kept.size, nRows: rows.length, diagnostic };
}

/** Refuses a stratifying column that is not constant within every cluster. */
export function checkClusterLevel(data: Dataset, clusterName: string, column: string): void {
  const cluster = getColumn(data, clusterName);
  const col = getColumn(data, column);
  const seen = new Map<string, string | null>();
  for (let i = 0; i < data.nRows; i++) {
    const key = cellKey(cluster, i);
    if (key === null) continue;
    const v = cellKey(col, i);
    if (!seen.has(key)) seen.set(key, v);
    else if (seen.get(key) !== v) {
      throw new InputError(`--stratify-by column '${column}' varies within cluster '${key}' (row ${i + 1}): stratify by a cluster-level column`);
    }
  }
}

/**
 * An imputation model stratified by `column`: every term interacted with
 * factor(column), so each stratum has its own coefficients.
 */
export function stratifiedFormula(formula: string, column: string): string {
  const tilde = formula.indexOf("~");
  const lhs = formula.slice(0, tilde).trim();
  const rhs = formula.slice(tilde + 1).trim();
  return rhs === "1" ? `${lhs} ~ factor(${column})` : `${lhs} ~ (${rhs})*factor(${column})`;
}

export function stratifyDiagnostic(column: string): Diagnostic {
  return info(
    "stratified-imputation",
    `stratified imputation: each imputation model fully interacted with factor(${column}), so every stratum of '${column}' has its own coefficients; ` +
      "the multilevel models share the random-intercept (and residual) variance across strata",
  );
}
