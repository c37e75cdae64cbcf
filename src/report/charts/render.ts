/** One entry point for every chart kind: a spec in, an SVG string out. */
import { renderBars } from "./bars.ts";
import { renderDensity } from "./density.ts";
import { renderForest } from "./forest.ts";
import { renderLines } from "./lines.ts";
import { renderPointIntervals } from "./point-intervals.ts";
import type { ChartSpec } from "./types.ts";

/** Renders the chart as a standalone `<svg>` element (ending in a newline); pure and deterministic. */
export function renderChart(spec: ChartSpec): string {
  switch (spec.kind) {
    case "bars":
      return renderBars(spec);
    case "forest":
      return renderForest(spec);
    case "lines":
      return renderLines(spec);
    case "density":
      return renderDensity(spec);
    case "pointIntervals":
      return renderPointIntervals(spec);
    default: {
      // A kind missing above is a compile error here; specs from JSON may still hold anything.
      const unknown: never = spec;
      throw new Error(`unknown chart kind: ${String((unknown as { kind?: unknown }).kind)}`);
    }
  }
}
