/**
 * The report of `crtkit design power`: power against the number of clusters
 * per arm, from half to twice the design's, by the library's closed form, for
 * the given ICC (and half and twice it, to show how much the assumption
 * matters), with the design marked and the 80% line. With --simulate, the
 * simulated power is marked beside the closed form it is compared with.
 */
import type { Diagnostic } from "../../core/diagnostics.ts";
import { power, type OutcomeSpec } from "../../design/power.ts";
import type { LineSeries, LinesSpec, MarkedPoint } from "../charts/types.ts";
import { diagnosticsSection, fmt, percent, warningSummary } from "./common.ts";
import { literal, snippet, type Literal } from "./snippet.ts";
import type { HtmlReport, HtmlSection } from "./types.ts";

/** `design power` JSON, closed form or `--simulate` (docs/cli.md, "Design"). */
export interface DesignPowerJson {
  readonly power: number | null;
  readonly powerTwoSided?: number | null;
  readonly powerMcse?: number | null;
  readonly closedFormPower?: number | null;
  readonly closedForm?: { readonly df: number | null; readonly formula: string; readonly designEffect?: number } | null;
  readonly method?: string;
  readonly reps?: number;
  readonly designEffect?: number | null;
  readonly df?: number | null;
  readonly inputs: {
    readonly outcome: { readonly type: string; readonly delta: number; readonly sd?: number; readonly p1?: number; readonly p2?: number };
    readonly clusterSize: number;
    readonly clustersPerArm: number;
    readonly icc: number;
    readonly cv: number;
    readonly alpha: number;
    readonly smallSample?: boolean;
  };
  readonly diagnostics: readonly Diagnostic[];
}

const TARGET = 0.8;
const MCSE_MULTIPLIER = 1.96;

function outcomeSpec(o: DesignPowerJson["inputs"]["outcome"]): OutcomeSpec {
  return o.type === "binary" ? { type: "binary", p1: o.p1 as number, p2: o.p2 as number } : { type: "continuous", delta: o.delta, sd: o.sd as number };
}

/** What the curve shows: one-tail power (closed form, as the JSON's `power`) or two-sided (as --simulate compares). */
interface Curve {
  readonly smallSample: boolean;
  readonly twoSided: boolean;
}

function curveOf(json: DesignPowerJson): Curve | undefined {
  // No effect to detect (a --simulate type I error run): power is α everywhere.
  if (json.inputs.outcome.delta === 0) return undefined;
  if (json.closedForm === undefined) return { smallSample: json.inputs.smallSample === true, twoSided: false };
  if (json.closedForm === null || json.closedForm.formula !== "power") return undefined;
  return { smallSample: json.closedForm.df !== null, twoSided: true };
}

function powerAt(json: DesignPowerJson, curve: Curve, k: number, icc: number): number {
  const i = json.inputs;
  const r = power({ outcome: outcomeSpec(i.outcome), clusterSize: i.clusterSize, clustersPerArm: k, icc, cv: i.cv, alpha: i.alpha, smallSample: curve.smallSample });
  return curve.twoSided ? r.powerTwoSided : r.power;
}

/** Clusters per arm on the curve: every whole number from k/2 to 2k (at least 2 with t quantiles). */
export function clusterRange(k: number, smallSample: boolean): number[] {
  const low = Math.max(smallSample ? 2 : 1, Math.floor(k / 2));
  return Array.from({ length: 2 * k - low + 1 }, (_, i) => low + i);
}

export function powerCurveSpec(json: DesignPowerJson): LinesSpec {
  const i = json.inputs;
  const curve = curveOf(json);
  const k = i.clustersPerArm;
  const iccs = [...new Set([i.icc, i.icc / 2, i.icc * 2])].filter((r) => r >= 0 && r < 1);
  const series: LineSeries[] = curve
    ? iccs.map((icc, n) => ({
        name: n === 0 ? `ICC ${icc} (design)` : `ICC ${icc}`,
        points: clusterRange(k, curve.smallSample).map((x) => ({ x, y: powerAt(json, curve, x, icc) })),
      }))
    : [];
  const marked: MarkedPoint[] = [];
  const simulated = json.powerMcse !== undefined && json.power !== null;
  if (simulated) {
    // The Monte Carlo interval as a vertical segment at the design, the estimate as the marked point.
    const p = json.power as number;
    const half = MCSE_MULTIPLIER * (json.powerMcse ?? 0);
    series.push({ name: `simulated (±${MCSE_MULTIPLIER} MCSE)`, points: [{ x: k, y: Math.max(0, p - half) }, { x: k, y: Math.min(1, p + half) }] });
    marked.push({ x: k, y: p, label: `simulated ${fmt(p)}` });
  } else if (curve && json.power !== null) {
    marked.push({ x: k, y: json.power, label: `design: ${k} per arm` });
  }
  return {
    kind: "lines",
    id: "design-power-curve",
    title: `Power by clusters per arm (cluster size ${i.clusterSize}, ${curve?.twoSided ? "two-sided" : "closed form"}, α = ${i.alpha})`,
    series,
    marked,
    references: [{ axis: "y", value: TARGET, label: "80% power" }],
    xLabel: "Clusters per arm",
    yLabel: "Power",
    yDomain: [0, 1],
    yFormat: "percent",
    markers: false,
  };
}

function curveSection(json: DesignPowerJson, spec: LinesSpec): HtmlSection {
  const design = spec.series[0];
  const reach = design?.points.find((p) => p.y >= TARGET);
  const note = design
    ? reach
      ? `At ICC ${json.inputs.icc} the curve first reaches ${percent(TARGET)} at ${reach.x} clusters per arm.`
      : `At ICC ${json.inputs.icc} the curve stays below ${percent(TARGET)} up to ${2 * json.inputs.clustersPerArm} clusters per arm.`
    : "No closed form applies to this analysis method, so only the simulated power is shown.";
  return {
    id: "power-curve",
    title: "Power curve",
    blocks: [
      { kind: "paragraph", text: `${note} The other two lines show the same design at half and twice the ICC: how much the power depends on that assumption.` },
      {
        kind: "chart",
        spec,
        caption: json.powerMcse === undefined
          ? "Closed-form power at every whole number of clusters per arm; the marked point is the design; the dashed horizontal line is 80% power."
          : `Closed-form two-sided power at every whole number of clusters per arm; at the design, the simulated power with a ±${MCSE_MULTIPLIER} MCSE bar; the dashed horizontal line is 80% power.`,
      },
    ],
  };
}

function designSection(json: DesignPowerJson): HtmlSection {
  const i = json.inputs;
  const o = i.outcome;
  return {
    id: "design",
    title: "Design",
    blocks: [
      {
        kind: "facts",
        facts: [
          ["Outcome", o.type === "binary" ? `binary, p1 = ${o.p1}, p2 = ${o.p2} (difference ${fmt(o.delta)})` : `continuous, Δ = ${o.delta}, SD = ${o.sd}`],
          ["Clusters per arm", i.clustersPerArm],
          ["Cluster size", i.clusterSize],
          ["CV of cluster sizes", i.cv],
          ["ICC", i.icc],
          ["α (two-sided)", i.alpha],
          ["Design effect", json.designEffect ?? json.closedForm?.designEffect ?? null],
          ["Reference distribution", (json.closedForm?.df ?? json.df) ? `t with ${json.closedForm?.df ?? json.df} df` : "normal"],
          ...(json.method ? [["Simulated analysis", `${json.method}, ${json.reps} replicates`] as [string, string]] : []),
        ],
      },
      {
        kind: "paragraph",
        text:
          "Closed-form power of the difference in arm means (Rutterford et al. 2015): Var(Δ̂) = V·DEFF/(k·n) for k clusters of mean size n per arm, " +
          "V = 2σ² for means or p1(1 − p1) + p2(1 − p2) for proportions, and the design effect DEFF = 1 + ((1 + CV²)·n − 1)·ICC (Eldridge et al. 2006).",
      },
      { kind: "heading", text: "References" },
      {
        kind: "references",
        items: [
          "Eldridge SM, Ashby D, Kerry S. Sample size for cluster randomized trials: effect of coefficient of variation of cluster size and analysis method. International Journal of Epidemiology 35(5):1292–1300, 2006.",
          "Rutterford C, Copas A, Eldridge S. Methods for sample size determination in cluster randomized trials. International Journal of Epidemiology 44(3):1051–1067, 2015.",
        ],
      },
    ],
  };
}

function powerSnippet(json: DesignPowerJson): string {
  const i = json.inputs;
  const input: Record<string, Literal> = {
    outcome: { ...outcomeSpec(i.outcome) },
    clusterSize: i.clusterSize,
    clustersPerArm: i.clustersPerArm,
    icc: i.icc,
    cv: i.cv,
    alpha: i.alpha,
    smallSample: i.smallSample === true,
  };
  return snippet(["power"], `const result = power(${literal(input)});`);
}

export function designPowerHtml(resultJson: unknown): HtmlReport {
  const json = resultJson as DesignPowerJson;
  const spec = powerCurveSpec(json);
  const simulated = json.powerMcse !== undefined;
  return {
    title: `Power of a two-arm cluster-randomized trial, ${json.inputs.clustersPerArm} clusters per arm`,
    question: `What power does the design have to detect a difference of ${fmt(json.inputs.outcome.delta)}, and how does it change with the number of clusters?`,
    headline: [
      [simulated ? "Simulated power" : "Power", simulated ? `${fmt(json.power)} (MCSE ${fmt(json.powerMcse)})` : fmt(json.power)],
      ...(simulated ? [["Closed-form power (two-sided)", fmt(json.closedFormPower)] as [string, string]] : [["Two-sided power", fmt(json.powerTwoSided)] as [string, string]]),
      ["Design", `${json.inputs.clustersPerArm} clusters per arm of ${json.inputs.clusterSize}, ICC ${json.inputs.icc}`],
      ["Warnings", warningSummary(json)],
    ],
    sections: [curveSection(json, spec), designSection(json), diagnosticsSection(json)],
    ...(simulated ? {} : { librarySnippet: powerSnippet(json) }),
  };
}
