/**
 * The design calculator: clusters per arm and power for the average
 * treatment effect (a mean or proportion difference) and for a
 * treatment-by-modifier interaction (Yang et al. 2020), from the library's
 * closed forms. Inputs are typed text; the library's messages name a bad one.
 */
import {
  atePower,
  ateSampleSize,
  formatCell,
  htePower,
  hteSampleSize,
  hteSampleSizeReport,
  power,
  powerReport,
  sampleSize,
  sampleSizeReport,
  type ModifierSpec,
  type OutcomeSpec,
  type Summary,
} from "crtkit/core";
import { summaryHtml } from "./html.ts";
import type { DesignRequest } from "./protocol.ts";

export interface DesignField {
  /** The input's id and data-testid (design-NAME); library messages name it by `param`. */
  readonly name: string;
  readonly label: string;
  readonly fallback: string;
  /** The argument name in the library's messages. */
  readonly param: string;
  readonly choices?: readonly string[];
  /** Shown only when the field `when[0]` has the value `when[1]`. */
  readonly when?: readonly [string, string];
}

export const ATE_FIELDS: readonly DesignField[] = [
  { name: "outcome", label: "Outcome", fallback: "continuous", param: "outcome", choices: ["continuous", "binary"] },
  { name: "delta", label: "Difference to detect (Δ)", fallback: "0.5", param: "delta", when: ["outcome", "continuous"] },
  { name: "sd", label: "Outcome SD", fallback: "1", param: "sd", when: ["outcome", "continuous"] },
  { name: "p1", label: "Intervention-arm proportion", fallback: "0.3", param: "p1", when: ["outcome", "binary"] },
  { name: "p2", label: "Control-arm proportion", fallback: "0.2", param: "p2", when: ["outcome", "binary"] },
  { name: "cluster-size", label: "Mean cluster size", fallback: "20", param: "clusterSize" },
  { name: "cv", label: "CV of cluster sizes", fallback: "0", param: "cv" },
  { name: "icc", label: "ICC", fallback: "0.05", param: "icc" },
  { name: "alpha", label: "Alpha (two-sided)", fallback: "0.05", param: "alpha" },
  { name: "power", label: "Target power", fallback: "0.8", param: "power" },
  { name: "clusters-per-arm", label: "Clusters per arm (for power)", fallback: "10", param: "clustersPerArm" },
];

export const HTE_FIELDS: readonly DesignField[] = [
  { name: "delta", label: "Interaction to detect (Δ)", fallback: "0.3", param: "delta" },
  { name: "sd", label: "Residual SD of the outcome", fallback: "1", param: "outcomeVariance" },
  { name: "cluster-size", label: "Cluster size", fallback: "20", param: "clusterSize" },
  { name: "icc", label: "Outcome ICC", fallback: "0.05", param: "outcomeIcc" },
  { name: "modifier", label: "Modifier", fallback: "binary", param: "modifier.type", choices: ["binary", "continuous"] },
  { name: "modifier-prevalence", label: "Modifier prevalence", fallback: "0.4", param: "modifier.prevalence", when: ["modifier", "binary"] },
  { name: "modifier-variance", label: "Modifier variance", fallback: "1", param: "modifier.variance", when: ["modifier", "continuous"] },
  { name: "modifier-icc", label: "Modifier ICC", fallback: "0.1", param: "modifier.icc" },
  { name: "attrition", label: "Attrition (share without outcome)", fallback: "0", param: "attrition.rate" },
  { name: "alpha", label: "Alpha (two-sided)", fallback: "0.05", param: "alpha" },
  { name: "power", label: "Target power", fallback: "0.8", param: "power" },
  { name: "clusters-per-arm", label: "Clusters per arm (for power)", fallback: "10", param: "clustersPerArm" },
];

type Values = DesignRequest["values"];

/** A typed number; an empty field takes its default, anything else that is not a number stays NaN for the library to name. */
function num(values: Values, fields: readonly DesignField[], name: string): number {
  const text = (values[name] ?? "").trim();
  const field = fields.find((f) => f.name === name)!;
  return Number(text === "" ? field.fallback : text);
}

function choice(values: Values, fields: readonly DesignField[], name: string): string {
  return values[name] || fields.find((f) => f.name === name)!.fallback;
}

/** Power and the quantities behind it, as a summary (the library has no report of its own for HTE power). */
function hteSummary(title: string, r: ReturnType<typeof htePower>): Summary {
  return {
    title,
    facts: [
      ["Clusters per arm", r.inputs.clustersPerArm],
      ["Power (two-sided)", r.powerTwoSided],
    ],
    tables: [
      {
        columns: ["quantity", "value"],
        rows: [
          ["power", r.power],
          ["powerTwoSided", r.powerTwoSided],
          ["standardError", r.standardError],
          ["noncentrality", r.noncentrality],
          ["criticalValue", r.criticalValue],
          ["designEffect", r.designEffect],
        ],
      },
    ],
    diagnostics: r.diagnostics,
  };
}

function ateAnswer(values: Values): string {
  const f = ATE_FIELDS;
  const type = choice(values, f, "outcome");
  const outcome: OutcomeSpec =
    type === "binary" ? { type, p1: num(values, f, "p1"), p2: num(values, f, "p2") } : { type: "continuous", delta: num(values, f, "delta"), sd: num(values, f, "sd") };
  const common = { outcome, clusterSize: num(values, f, "cluster-size"), icc: num(values, f, "icc"), cv: num(values, f, "cv"), alpha: num(values, f, "alpha") };
  const size = sampleSizeReport(sampleSize({ ...common, power: num(values, f, "power") }));
  const pow = powerReport(power({ ...common, clustersPerArm: num(values, f, "clusters-per-arm") }));
  return columns(summaryHtml(size.summary), summaryHtml(pow.summary));
}

/** Results side by side where the page is wide enough. */
function columns(...parts: string[]): string {
  return `<div class="result-columns">${parts.map((p) => `<div>${p}</div>`).join("")}</div>`;
}

function hteAnswer(values: Values): string {
  const f = HTE_FIELDS;
  const icc = num(values, f, "modifier-icc");
  const modifier: ModifierSpec =
    choice(values, f, "modifier") === "continuous"
      ? { type: "continuous", variance: num(values, f, "modifier-variance"), icc }
      : { type: "binary", prevalence: num(values, f, "modifier-prevalence"), icc };
  const sd = num(values, f, "sd");
  const rate = num(values, f, "attrition");
  const common = {
    outcomeVariance: sd * sd,
    outcomeIcc: num(values, f, "icc"),
    clusterSize: num(values, f, "cluster-size"),
    ...(rate !== 0 ? { attrition: { rate } } : {}),
    alpha: num(values, f, "alpha"),
  };
  const delta = num(values, f, "delta");
  const k = num(values, f, "clusters-per-arm");
  const size = hteSampleSizeReport(hteSampleSize({ ...common, delta, modifier, power: num(values, f, "power") }));
  const pow = hteSummary(`Power for the interaction Δ = ${formatCell(delta)} with ${formatCell(k)} clusters per arm`, htePower({ ...common, delta, modifier, clustersPerArm: k }));
  const ate = ateSampleSize({ ...common, delta, power: num(values, f, "power") });
  const atePow = atePower({ ...common, delta, clustersPerArm: k });
  const ateSummary: Summary = {
    title: `For comparison: an average treatment effect of the same size (${formatCell(delta)}) in this design`,
    facts: [
      ["Clusters per arm needed", ate.clustersPerArm],
      [`Power with ${formatCell(k)} clusters per arm`, atePow.powerTwoSided],
    ],
    tables: [],
    diagnostics: [...ate.diagnostics, ...atePow.diagnostics],
  };
  return columns(summaryHtml(size.summary), summaryHtml(pow) + summaryHtml(ateSummary));
}

export function designAnswer(request: DesignRequest): string {
  return request.calculator === "ate" ? ateAnswer(request.values) : hteAnswer(request.values);
}
