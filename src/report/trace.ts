/**
 * The B-MMI chains as CSV (`analyze --trace FILE.csv`), one row per draw,
 * ready for R (`read.csv`, then coda or posterior):
 *
 *   chain,iteration,warmup,(Intercept),X1,…,tau[,sigma]
 *
 * `chain` counts from 1, `iteration` from 1 within the chain (burn-in
 * included), `warmup` is 1 for burn-in iterations and 0 after; then one
 * column per imputation-model term, named as the terms are, the
 * random-intercept precision `tau` (absent for a cluster-level modifier,
 * whose sampler has no random intercept) and, for a continuous modifier,
 * the residual SD `sigma`. With several imputation models a first column
 * `imputationModel` tells them apart and the parameter columns are the union
 * of their names (NA where a model has no such term); with the chains of both
 * B-MMI and smc a first column `method` does.
 */
import type { ChainTrace } from "../missing/bmmi.ts";
import { csvField } from "./csv.ts";

export function traceCsv(traces: readonly ChainTrace[]): string {
  const models = [...new Set(traces.map((t) => t.imputationModel))];
  const several = models.length > 1;
  const methods = new Set(traces.map((t) => t.method ?? "bmmi")).size > 1;
  // Terms first, then the variance parameters, matched by name within each group (a term may be called "tau").
  const terms = union(traces.map((t) => t.parameterNames.slice(0, t.nTerms)));
  const extras = union(traces.map((t) => t.parameterNames.slice(t.nTerms)));
  const header = [...(methods ? ["method"] : []), ...(several ? ["imputationModel"] : []), "chain", "iteration", "warmup", ...terms, ...extras];
  const lines = [header.map(csvField).join(",")];
  for (const t of traces) {
    const q = t.parameterNames.length;
    const own = (name: string, from: number, to: number): number => {
      const j = t.parameterNames.slice(from, to).indexOf(name);
      return j < 0 ? -1 : from + j;
    };
    const column = [...terms.map((name) => own(name, 0, t.nTerms)), ...extras.map((name) => own(name, t.nTerms, q))];
    const model = [...(methods ? [csvField(t.method ?? "bmmi")] : []), ...(several ? [csvField(t.imputationModel)] : [])];
    for (let it = 0; it < t.iterations; it++) {
      const values = column.map((j) => (j < 0 ? "NA" : csvField(t.draws[it * q + j])));
      lines.push([...model, t.chain + 1, it + 1, it < t.burnin ? 1 : 0, ...values].join(","));
    }
  }
  return lines.join("\n") + "\n";
}

/** Names in order of first appearance. */
function union(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const list of lists) for (const name of list) if (!out.includes(name)) out.push(name);
  return out;
}
