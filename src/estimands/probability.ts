/**
 * Randomization probabilities π_i = P(A_i = 1) for model-robust
 * standardization (Li et al. 2025, §3.2): a constant, a column that is constant
 * within clusters, per-cluster values, or π = 1ᵀT/R from the R × m matrix T
 * of acceptable allocation schemes of a covariate-constrained randomization
 * (computed by src/design/randomize.ts).
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { numericColumn, type Dataset } from "../data/dataset.ts";
import { randomizationProbabilities, type ConstrainedRandomizationResult } from "../design/randomize.ts";

/**
 * Where π comes from.
 * - a number in (0, 1): the same probability for every cluster (0.5 under 1:1);
 * - `{ column }`: a data column, constant within each cluster;
 * - `{ byCluster }`: a value per cluster id;
 * - `{ schemes, clusterIds }`: the acceptable allocation schemes, one row per
 *   scheme and one 0/1 entry per cluster (1 = intervention), columns labelled
 *   by `clusterIds`; π = 1ᵀT/R;
 * - `{ randomization, clusterIds }`: a constrainedRandomization() result,
 *   whose `probabilities` are used; `clusterIds` names its clusters in the
 *   order of its covariate rows.
 *
 * @example
 * mrs(data, "Y ~ X1 + cluster(H1)", { cluster: "C", treatment: "A", probability: { column: "p" } });
 */
export type ProbabilitySpec =
  | number
  | { readonly column: string }
  | { readonly byCluster: ReadonlyMap<string, number> | Readonly<Record<string, number>> }
  | { readonly schemes: Uint8Array | readonly (readonly number[])[]; readonly clusterIds: readonly string[] }
  | { readonly randomization: ConstrainedRandomizationResult; readonly clusterIds: readonly string[] };

/** The cluster layout the probabilities are resolved against. */
export interface ClusterRows {
  /** Dataset row (0-based) of each analysis row, cluster by cluster. */
  readonly rows: Int32Array;
  /** Length m + 1. */
  readonly starts: Int32Array;
  readonly ids: readonly string[];
  readonly column: string;
}

/** π = 1ᵀT/R of an R × m 0/1 scheme matrix (rows = acceptable schemes), checked. */
export function probabilitiesFromSchemes(schemes: Uint8Array | readonly (readonly number[])[], m: number): Float64Array {
  let flat: Uint8Array;
  if (schemes instanceof Uint8Array) {
    if (m < 1 || schemes.length % m !== 0) {
      throw new InputError(`the scheme matrix has ${schemes.length} entries, not a multiple of ${m} clusters`);
    }
    flat = schemes;
  } else {
    flat = new Uint8Array(schemes.length * m);
    schemes.forEach((row, r) => {
      if (row.length !== m) throw new InputError(`allocation scheme ${r + 1} has ${row.length} entries, expected one per cluster (${m})`);
      row.forEach((v, i) => {
        if (v !== 0 && v !== 1) throw new InputError(`allocation scheme ${r + 1} has value ${v} for cluster ${i + 1}; entries must be 0 or 1`);
        flat[r * m + i] = v;
      });
    });
  }
  const nSchemes = flat.length / m;
  if (nSchemes === 0) throw new InputError("the scheme matrix has no rows (no acceptable allocation)");
  for (let k = 0; k < flat.length; k++) {
    if (flat[k] > 1) throw new InputError(`allocation scheme ${Math.floor(k / m) + 1} has value ${flat[k]}; entries must be 0 or 1`);
  }
  const all = new Uint32Array(nSchemes);
  for (let r = 0; r < nSchemes; r++) all[r] = r;
  return randomizationProbabilities(flat, m, all);
}

function lookup(map: ReadonlyMap<string, number> | Readonly<Record<string, number>>, id: string): number | undefined {
  if (map instanceof Map) return map.get(id);
  const rec = map as Readonly<Record<string, number>>;
  return Object.hasOwn(rec, id) ? rec[id] : undefined;
}

function byLabel(values: ArrayLike<number>, labels: readonly string[], layout: ClusterRows, what: string): Float64Array {
  if (labels.length !== values.length) {
    throw new InputError(`${what}: ${labels.length} cluster ids for ${values.length} clusters`);
  }
  const position = new Map<string, number>();
  labels.forEach((id, i) => {
    if (position.has(id)) throw new InputError(`${what}: cluster id '${id}' appears more than once`);
    position.set(id, i);
  });
  const out = new Float64Array(layout.ids.length);
  layout.ids.forEach((id, c) => {
    const i = position.get(id);
    if (i === undefined) throw new InputError(`${what} has no entry for cluster '${id}' of column '${layout.column}'`);
    out[c] = values[i];
  });
  return out;
}

/**
 * The probability of each analysis cluster (in `layout.ids` order), checked
 * to lie strictly between 0 and 1. Throws an InputError naming the cluster,
 * column or value at fault.
 */
export function resolveProbabilities(
  spec: ProbabilitySpec | undefined,
  data: Dataset,
  layout: ClusterRows,
): { readonly probabilities: Float64Array; readonly source: string; readonly diagnostics: readonly Diagnostic[] } {
  const m = layout.ids.length;
  const diagnostics: Diagnostic[] = [];
  let probabilities: Float64Array;
  let source: string;
  if (spec === undefined || typeof spec === "number") {
    const p = spec ?? 0.5;
    if (!(p > 0 && p < 1)) throw new InputError(`the randomization probability must be strictly between 0 and 1; got ${p}`);
    probabilities = new Float64Array(m).fill(p);
    source = `constant ${p}`;
  } else if ("column" in spec) {
    const values = numericColumn(data, spec.column);
    probabilities = new Float64Array(m);
    for (let c = 0; c < m; c++) {
      const first = layout.rows[layout.starts[c]];
      const v = values[first];
      for (let k = layout.starts[c] + 1; k < layout.starts[c + 1]; k++) {
        const row = layout.rows[k];
        if (values[row] !== v) {
          throw new InputError(
            `probability column '${spec.column}' varies within cluster '${layout.ids[c]}' of column '${layout.column}': ` +
              `${v} at row ${first + 1}, ${values[row]} at row ${row + 1}`,
          );
        }
      }
      probabilities[c] = v;
    }
    source = `column '${spec.column}'`;
  } else if ("byCluster" in spec) {
    probabilities = new Float64Array(m);
    layout.ids.forEach((id, c) => {
      const v = lookup(spec.byCluster, id);
      if (v === undefined) throw new InputError(`no randomization probability given for cluster '${id}' of column '${layout.column}'`);
      probabilities[c] = v;
    });
    source = "per-cluster values";
  } else if ("schemes" in spec) {
    const ids = spec.clusterIds;
    const pi = probabilitiesFromSchemes(spec.schemes, ids.length);
    probabilities = byLabel(pi, ids, layout, "the allocation scheme matrix");
    const nSchemes = (spec.schemes instanceof Uint8Array ? spec.schemes.length / ids.length : spec.schemes.length);
    source = `${nSchemes} acceptable allocation schemes (pi = 1'T/R)`;
    if (ids.length > m) {
      diagnostics.push(info("mrs-scheme-clusters-unused", `the scheme matrix has ${ids.length - m} clusters with no analysis rows`));
    }
  } else if ("randomization" in spec) {
    const r = spec.randomization;
    probabilities = byLabel(r.probabilities, spec.clusterIds, layout, "the constrained randomization");
    source = `constrained randomization (${r.acceptable.length} acceptable schemes)`;
  } else {
    throw new InputError("unknown randomization probability specification");
  }
  for (let c = 0; c < m; c++) {
    const p = probabilities[c];
    if (!(p > 0 && p < 1)) {
      throw new InputError(
        `randomization probability ${p} for cluster '${layout.ids[c]}' (${source}) is not strictly between 0 and 1; ` +
          `a cluster that is always or never treated cannot be standardized`,
      );
    }
  }
  return { probabilities, source, diagnostics };
}
