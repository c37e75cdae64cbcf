/**
 * The B-MMI (and smc) convergence section: trace plots of every
 * imputation-model parameter (and the random-intercept precision τ; for smc
 * also the substantive model's parameters) per chain, their
 * post-burn-in densities per chain, and the split-R̂ / ESS table with the
 * thresholds marked. The chains come from the library result (the same draws
 * `--trace` writes); the JSON result keeps only their summary.
 */
import type { ChainTrace } from "../../missing/bmmi.ts";
import type { DensitySpec, LinesSpec } from "../charts/types.ts";
import type { AnalyzeResultJson } from "./analyze-json.ts";
import type { Block, HtmlCell, HtmlSection } from "./types.ts";

/** R̂ above this is marked (Vehtari et al. 2021); the library warns above 1.05. */
export const RHAT_THRESHOLD = 1.01;
/** An ESS below this is marked, as the library warns. */
export const ESS_THRESHOLD = 100;
/** Parameters per trace or density chart, so that each chart fits on a printed page. */
const PANELS_PER_CHART = 6;
/** Points drawn per chain in a trace plot; more would be finer than the pixels. */
const TRACE_POINTS = 500;

interface Parameter {
  readonly name: string;
  /** Draws of every chain, all iterations (burn-in included). */
  readonly chains: readonly Float64Array[];
}

/** Every traced parameter (imputation-model terms, then τ, then σ for a continuous modifier), per chain. */
function parameters(traces: readonly ChainTrace[]): Parameter[] {
  const names = traces[0].parameterNames;
  const k = names.length;
  return names.map((name, j) => ({
    name,
    chains: traces.map((t) => Float64Array.from({ length: t.iterations }, (_, it) => t.draws[it * k + j])),
  }));
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Chart specs of one imputation model's chains: trace and density charts, part by part. */
export function chainCharts(traces: readonly ChainTrace[], burnin: number, id: string): { traces: LinesSpec[]; densities: DensitySpec[]; step: number } {
  const iterations = traces[0].iterations;
  const step = Math.max(1, Math.ceil(iterations / TRACE_POINTS));
  const parts = chunks(parameters(traces), PANELS_PER_CHART);
  const suffix = (k: number) => (parts.length > 1 ? ` (${k + 1} of ${parts.length})` : "");
  const model = traces[0].imputationModel;
  return {
    step,
    traces: parts.map((part, k) => ({
      kind: "lines",
      id: `${id}-trace-${k + 1}`,
      title: `Trace: ${model}${suffix(k)}`,
      series: part.flatMap((p) =>
        p.chains.map((draws, c) => ({
          name: `chain ${c + 1}`,
          facet: p.name,
          points: Array.from({ length: Math.ceil(draws.length / step) }, (_, i) => ({ x: i * step + 1, y: draws[i * step] })),
        })),
      ),
      references: [{ axis: "x", value: burnin, label: "end of burn-in" }],
      columns: 2,
      independentY: true,
      panelHeight: 110,
      xLabel: "Iteration",
    })),
    densities: parts.map((part, k) => ({
      kind: "density",
      id: `${id}-density-${k + 1}`,
      title: `Posterior density after burn-in: ${model}${suffix(k)}`,
      series: part.flatMap((p) => p.chains.map((draws, c) => ({ name: `chain ${c + 1}`, facet: p.name, values: Array.from(draws.subarray(burnin)) }))),
      columns: 2,
      independentX: true,
      independentY: true,
      panelHeight: 110,
    })),
  };
}

function convergenceTable(result: AnalyzeResultJson): Block {
  const rows: HtmlCell[][] = [];
  const flagged: [number, number][] = [];
  for (const p of result.convergence?.parameters ?? []) {
    const r = rows.length;
    if (p.rhat === null || p.rhat > RHAT_THRESHOLD) flagged.push([r, 2]);
    if (p.ess === null || p.ess < ESS_THRESHOLD) flagged.push([r, 1]);
    const ok = p.rhat !== null && p.rhat <= RHAT_THRESHOLD && p.ess !== null && p.ess >= ESS_THRESHOLD;
    // Four decimals: at two, an R̂ of 1.0104 would read "1.01" and look wrongly marked.
    rows.push([p.name, p.ess === null ? null : Math.round(p.ess), p.rhat === null ? null : p.rhat.toFixed(4), ok ? "yes" : "no"]);
  }
  return {
    kind: "table",
    table: {
      caption: `Split-R̂ and effective sample size after burn-in (marked: R̂ > ${RHAT_THRESHOLD}, ESS < ${ESS_THRESHOLD})`,
      columns: ["parameter", "ESS", "split-R̂", `R̂ ≤ ${RHAT_THRESHOLD} and ESS ≥ ${ESS_THRESHOLD}`],
      rows,
      flagged,
    },
  };
}

/**
 * One subsection per B-MMI or smc result: its R̂/ESS table and, when the
 * chains are at hand, trace and density plots. `burnin` and `thin` are the run's settings.
 */
export function chainsSection(results: readonly AnalyzeResultJson[], traces: readonly ChainTrace[], burnin: number, thin: number): HtmlSection | undefined {
  const chained = results.filter((r) => (r.method === "bmmi" || r.method === "smc") && r.imputationModel !== null);
  if (chained.length === 0) return undefined;
  const withSmc = chained.some((r) => r.method === "smc");
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text:
        `Each chain ran ${burnin} burn-in iterations, then handed a completed data set to the outcome analysis every ${thin}th iteration. ` +
        `Convergence is judged on all post-burn-in draws: split-R̂ (Gelman et al. 2013) should be at most ${RHAT_THRESHOLD} (Vehtari et al. 2021) and the effective sample size at least ${ESS_THRESHOLD}. ` +
        "With one chain, split-R̂ compares its two halves; several chains (--chains) make the check stronger.",
    },
  ];
  const counts = { bmmi: 0, smc: 0 };
  for (const result of chained) {
    const method = result.method as "bmmi" | "smc";
    const m = counts[method]++;
    const own = traces.filter((t) => (t.method ?? "bmmi") === method && t.imputationModel === result.imputationModel);
    const heading = method === "smc" ? `smc: modifier model ${result.imputationModel}` : `Imputation model ${result.imputationModel}`;
    blocks.push({ kind: "heading", text: heading }, convergenceTable(result));
    if (own.length === 0) continue;
    const charts = chainCharts(own, burnin, `analyze-${method}-${m + 1}`);
    const every = charts.step > 1 ? ` Every ${charts.step}th iteration is drawn.` : "";
    charts.traces.forEach((trace, k) => {
      blocks.push(
        { kind: "chart", spec: trace, caption: `Draws per iteration, one line per chain; the dashed line ends the burn-in.${every}` },
        { kind: "chart", spec: charts.densities[k], caption: "Kernel density of the post-burn-in draws, one curve per chain: the chains should agree." },
      );
    });
  }
  return { id: "bmmi-convergence", title: withSmc ? "B-MMI and smc convergence" : "B-MMI convergence", blocks };
}
