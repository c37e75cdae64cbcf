/**
 * First guesses of the analysis roles from the columns' names and values,
 * for the user to check: the cluster is a complete column with repeated
 * values within which some 0/1 column is constant (that column is then the
 * treatment), the modifier a partly missing (preferably 0/1) column, the
 * outcome a numeric column named like one. The imputation model's
 * covariates are the other complete numeric columns that vary within clusters.
 */
import type { Column, Dataset } from "crtkit/core";
import { cellKey } from "../../src/data/dataset.ts";
import { deparseName } from "../../src/formula/ast.ts";
import type { ColumnInfo, Guess } from "./protocol.ts";

const NAME_HINTS = {
  cluster: /^(cluster|clust|cl|site|school|village|practice|clinic|hospital|ward|community|centre|center|psu)(_?id)?$|cluster/i,
  treatment: /^(a|arm|treat|treated|treatment|trt|tx|intervention|z|allocation|randomi[sz]ed)$|treat/i,
  modifier: /^(m|mod|modifier|em|effect_?modifier)$|modifier/i,
  outcome: /^(y|outcome|response|resp|score|result)$|outcome/i,
  id: /^(id|row|pid|subject|participant|record)(_?id)?$/i,
};

export function describeColumns(data: Dataset): ColumnInfo[] {
  return data.names.map((name) => {
    const col = data.columns.get(name)!;
    let nMissing = 0;
    let binary = col.kind === "numeric";
    for (let i = 0; i < data.nRows; i++) {
      if (col.kind === "numeric") {
        const v = col.values[i];
        if (Number.isNaN(v)) nMissing++;
        else if (v !== 0 && v !== 1) binary = false;
      } else if (col.values[i] === null) nMissing++;
    }
    return { name, kind: col.kind, nMissing, binary: binary && nMissing < data.nRows };
  });
}

/** Cluster number of each row, or null when a cell is missing. */
function groups(col: Column, n: number): { of: Int32Array; count: number } | null {
  const index = new Map<string, number>();
  const of = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = cellKey(col, i);
    if (key === null) return null;
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
    }
    of[i] = g;
  }
  return { of, count: index.size };
}

/** Whether the observed cells of `col` take one value within each group. */
function constantWithin(col: Column, g: { of: Int32Array; count: number }, n: number): boolean {
  const seen: (string | undefined)[] = new Array(g.count);
  for (let i = 0; i < n; i++) {
    const key = cellKey(col, i);
    if (key === null) continue;
    const first = seen[g.of[i]];
    if (first === undefined) seen[g.of[i]] = key;
    else if (first !== key) return false;
  }
  return true;
}

/** The highest-scoring name (first on ties), or "" when there is none. */
function best(scores: readonly (readonly [string, number])[]): string {
  let name = "";
  let top = -Infinity;
  for (const [n, s] of scores) {
    if (s > top) {
      name = n;
      top = s;
    }
  }
  return name;
}

export function guessRoles(data: Dataset, info: readonly ColumnInfo[]): Guess {
  const n = data.nRows;
  const col = (name: string): Column => data.columns.get(name)!;
  const both = (c: ColumnInfo): boolean => {
    const v = col(c.name).values as Float64Array;
    return v.includes(0) && v.includes(1);
  };
  const binaryComplete = info.filter((c) => c.binary && c.nMissing === 0 && both(c));

  // Cluster: repeated values, no missing cell; a 0/1 column constant within it makes it likely.
  const grouping = new Map<string, { of: Int32Array; count: number }>();
  const clusterScores: [string, number][] = [];
  for (const c of info) {
    if (c.nMissing > 0 || c.binary) continue;
    const g = groups(col(c.name), n);
    if (g === null || g.count < 2 || g.count > n / 2) continue;
    grouping.set(c.name, g);
    const arm = binaryComplete.some((t) => constantWithin(col(t.name), g, n));
    clusterScores.push([c.name, (NAME_HINTS.cluster.test(c.name) ? 20 : 0) + (arm ? 10 : 0) + g.count / n]);
  }
  const cluster = best(clusterScores);
  const g = grouping.get(cluster);

  const treatment = best(
    binaryComplete
      .filter((c) => c.name !== cluster && g !== undefined && constantWithin(col(c.name), g, n))
      .map((c) => [c.name, NAME_HINTS.treatment.test(c.name) ? 1 : 0] as const),
  );
  const taken = new Set([cluster, treatment]);

  const modifier = best(
    info
      .filter((c) => !taken.has(c.name) && c.kind === "numeric")
      .map((c) => [c.name, (c.nMissing > 0 && c.nMissing < n ? 20 : 0) + (c.binary ? 10 : 0) + (NAME_HINTS.modifier.test(c.name) ? 15 : 0) + c.nMissing / n] as const),
  );
  taken.add(modifier);

  const varying = (c: ColumnInfo): boolean => g === undefined || !constantWithin(col(c.name), g, n);
  const outcome = best(
    info
      .filter((c) => !taken.has(c.name) && c.kind === "numeric" && !NAME_HINTS.id.test(c.name))
      .map((c, k) => [c.name, (NAME_HINTS.outcome.test(c.name) ? 20 : 0) + (c.binary ? 0 : 5) + (varying(c) ? 5 : 0) + (c.nMissing === 0 ? 2 : 0) + k / info.length] as const),
  );
  taken.add(outcome);

  const covariates = info
    .filter((c) => !taken.has(c.name) && c.kind === "numeric" && c.nMissing === 0 && !NAME_HINTS.id.test(c.name) && varying(c))
    .map((c) => c.name);
  return {
    cluster,
    treatment,
    modifier,
    outcome,
    imputation: imputationModel(modifier, covariates, treatment, outcome),
    covariates: [...covariates, outcome].filter(Boolean).join(","),
  };
}

/** M ~ (X1 + X2)*A*Y: the covariates, with every interaction of treatment and outcome. */
function imputationModel(modifier: string, covariates: readonly string[], treatment: string, outcome: string): string {
  if (modifier === "" || treatment === "" || outcome === "") return "";
  const x = covariates.map(deparseName);
  const left = x.length === 0 ? "" : x.length === 1 ? `${x[0]}*` : `(${x.join(" + ")})*`;
  return `${deparseName(modifier)} ~ ${left}${deparseName(treatment)}*${deparseName(outcome)}`;
}
