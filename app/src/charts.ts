/** Chart specifications of the app's figures, drawn by the library's chart module. */
import { renderChart, type BarsSpec, type ForestRow } from "crtkit/core";
import type { ClusterCount } from "../../src/missingness/counts.ts";

/** More clusters than this are cut to those with the most missing, so the chart stays readable. */
const MAX_BARS = 60;

export const METHOD_LABELS: Readonly<Record<string, string>> = {
  cca: "Complete cases (CCA)",
  si: "Single imputation (SI)",
  mi: "Multiple imputation (MI)",
  mmi: "Multilevel MI (MMI)",
  bmmi: "Bayesian multilevel MI (B-MMI)",
  indicator: "Missing indicator",
};

/** The share missing per cluster, largest first, coloured by arm. */
export function missingBarsSvg(counts: readonly ClusterCount[], variable: string, treatment: string | null, width: number, id = "missing-by-cluster"): string {
  const shown = counts.slice(0, MAX_BARS);
  const cut = counts.length > shown.length ? ` (the ${shown.length} of ${counts.length} clusters with most missing)` : "";
  const spec: BarsSpec = {
    kind: "bars",
    id,
    width,
    title: `Missing '${variable}' by cluster${cut}`,
    bars: shown.map((c) => ({
      label: c.cluster,
      value: c.propMissing,
      ...(treatment !== null && c.arm !== null ? { group: `${treatment} = ${c.arm}` } : {}),
    })),
    sort: "descending",
    valueFormat: "percent",
    valueLabel: "share of rows with the value missing",
    categoryLabel: "cluster",
    domain: [0, 1],
  };
  return renderChart(spec);
}

interface Interval {
  readonly estimate: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
}

interface MethodEstimates {
  readonly method: string;
  readonly imputationModel: string | null;
  readonly hte: Interval;
  /** A categorical modifier: one contrast per non-reference level. */
  readonly hteTerms?: readonly (Interval & { readonly term: string })[];
  readonly ate: Interval;
}

/** HTE and ATE with their intervals, a panel each (a categorical modifier: one per contrast), methods grouped by imputation model, complete cases highlighted. */
export function forestSvg(results: readonly MethodEstimates[], level: number): string {
  const rows: ForestRow[] = results.flatMap((r) =>
    [
      ...(r.hteTerms ? r.hteTerms.map((t) => ({ e: t as Interval, panel: `HTE (${t.term})` })) : [{ e: r.hte, panel: "HTE (treatment × modifier)" }]),
      { e: r.ate, panel: "ATE" },
    ].map(({ e, panel }) => ({
      label: METHOD_LABELS[r.method] ?? r.method,
      // null (a failed method) is skipped by the chart and counted in its description.
      estimate: e.estimate ?? NaN,
      low: e.confLow ?? NaN,
      high: e.confHigh ?? NaN,
      panel,
      ...(r.imputationModel === null ? { highlight: true } : { group: r.imputationModel }),
    })),
  );
  return renderChart({
    kind: "forest",
    id: "effects",
    title: `Treatment effects by method, ${Math.round(level * 1000) / 10}% intervals`,
    rows,
    reference: 0,
    digits: 2,
  });
}
