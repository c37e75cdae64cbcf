/** Summary tables of a simulation: performance rows labelled with their scenario and condition. */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { isUsable, summarize } from "./performance.ts";
import type { Condition, ParamValue, ReplicateRow, SummaryRow } from "./types.ts";

/** Parameters shown in summary rows: clusters and beta3 when the scenario has them, then grid and varying parameters. */
export function displayParameters(gridParameters: readonly string[], conditions: readonly Condition[]): string[] {
  const keys: string[] = [];
  for (const c of conditions) for (const k of Object.keys(c.parameters)) if (!keys.includes(k)) keys.push(k);
  const varies = (k: string): boolean => conditions.some((c) => c.parameters[k] !== conditions[0].parameters[k]);
  const first = ["clusters", "beta3"].filter((k) => keys.includes(k));
  return [...first, ...keys.filter((k) => !first.includes(k) && (gridParameters.includes(k) || varies(k)))];
}

/**
 * Summary rows of every condition (in manifest order), plus diagnostics on
 * failed replicates and on the conditions' notes.
 */
export function buildSummary(
  scenario: string,
  gridParameters: readonly string[],
  conditions: readonly Condition[],
  rowsByCondition: ReadonlyMap<string, readonly ReplicateRow[]>,
  alpha: number,
): { summary: SummaryRow[]; diagnostics: Diagnostic[] } {
  const shown = displayParameters(gridParameters, conditions);
  const summary: SummaryRow[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of conditions) {
    const rows = rowsByCondition.get(c.key) ?? [];
    const labels: Record<string, ParamValue | null> = {};
    for (const k of shown) labels[k] = c.parameters[k] ?? null;
    for (const p of summarize(rows, c.truth, { alpha, reference: c.reference })) {
      summary.push(Object.freeze({ scenario, ...labels, ...p }) as SummaryRow);
    }
    for (const n of c.notes) diagnostics.push({ ...n, message: `condition ${c.key}: ${n.message}` });
    diagnostics.push(...failureDiagnostics(c.key, rows));
  }
  return { summary, diagnostics };
}

/** One warning per method spec that failed on some replicate, with the first error message. */
function failureDiagnostics(key: string, rows: readonly ReplicateRow[]): Diagnostic[] {
  const failed = new Map<string, { reps: Set<number>; all: Set<number>; first?: ReplicateRow }>();
  for (const r of rows) {
    const id = r.imputationModel ? `${r.method} [${r.imputationModel}]` : r.method;
    let f = failed.get(id);
    if (!f) {
      f = { reps: new Set(), all: new Set() };
      failed.set(id, f);
    }
    f.all.add(r.replicate);
    if (!isUsable(r)) {
      f.reps.add(r.replicate);
      if (!f.first || r.replicate < f.first.replicate) f.first = r;
    }
  }
  const out: Diagnostic[] = [];
  for (const [id, f] of failed) {
    if (f.reps.size === 0) continue;
    const first = f.first!;
    const why = first.error ?? (first.converged ? "non-finite result" : "did not converge");
    out.push(
      warning(
        "simulate-method-failed",
        `condition ${key}: method ${id} failed in ${f.reps.size} of ${f.all.size} replicates (excluded from its performance measures; first, replicate ${first.replicate}, estimand ${first.estimand}: ${why})`,
      ),
    );
  }
  return out;
}
