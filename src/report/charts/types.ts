/**
 * Chart specifications: plain JSON-serializable data, one interface per chart
 * kind, told apart by `kind`. `renderChart` turns any of them into SVG.
 */
import type { ValueFormat } from "./format.ts";

export interface ChartBase {
  /** Prefix of every id inside the SVG; give each chart on a page its own. */
  readonly id: string;
  /** Shown above the chart and read out as the accessible name. */
  readonly title: string;
  /** Replaces the one-sentence description generated from the data. */
  readonly description?: string;
  /** Width in px (default 640); the height follows from the content. */
  readonly width?: number;
  /** Draw the title inside the chart (default true); it is always in <title>. */
  readonly showTitle?: boolean;
}

/** A reference line at `value` on the value axis, e.g. 0 for bias or 0.8 for power. */
export interface ReferenceLine {
  readonly value: number;
  readonly label?: string;
}

export interface BarDatum {
  readonly label: string;
  readonly value: number;
  /** Colours the bar; one legend entry per group (e.g. the arm). */
  readonly group?: string;
  /** Second part stacked on `value` when the spec has `stack`. */
  readonly secondary?: number;
}

export interface BarsSpec extends ChartBase {
  readonly kind: "bars";
  readonly bars: readonly BarDatum[];
  /** "horizontal" (default): categories down the side, bars grow to the right. */
  readonly orientation?: "horizontal" | "vertical";
  /** Order by the bar total; "none" (default) keeps the data order. */
  readonly sort?: "none" | "ascending" | "descending";
  /** Group order (colours and legend), so that several charts colour the same groups alike; default: order of first appearance. */
  readonly groups?: readonly string[];
  /** Stack `secondary` on `value`; the names label the two parts. */
  readonly stack?: { readonly primary: string; readonly secondary: string };
  readonly valueLabel?: string;
  readonly categoryLabel?: string;
  readonly valueFormat?: ValueFormat;
  readonly reference?: ReferenceLine;
  /** Fixed value-axis domain, e.g. [0, 1] for proportions. */
  readonly domain?: readonly [number, number];
}

export interface ForestRow {
  readonly label: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Rows with the same group are listed under one header (e.g. the imputation model). */
  readonly group?: string;
  /** Panel (column) of the row, e.g. "HTE" or "ATE"; rows match across panels by group and label. */
  readonly panel?: string;
  /** Marks the row everything is compared with (e.g. complete-case analysis). */
  readonly highlight?: boolean;
}

export interface ForestSpec extends ChartBase {
  readonly kind: "forest";
  readonly rows: readonly ForestRow[];
  /** Panel order; defaults to the order of first appearance. */
  readonly panels?: readonly string[];
  /** Vertical line of no effect, e.g. 0 for differences or 1 for ratios. */
  readonly reference?: number;
  readonly xLabel?: string;
  /** Decimals of the printed estimates (default 2). */
  readonly digits?: number;
  /** Print "estimate [low, high]" beside each panel (default true). */
  readonly showEstimates?: boolean;
  /** One x scale for all panels (default: one per panel). */
  readonly sharedScale?: boolean;
  /** Fixed x domain; marks outside it are clipped. */
  readonly domain?: readonly [number, number];
}

export interface LinePoint {
  readonly x: number;
  readonly y: number;
  /** Interval drawn as a band around the line. */
  readonly low?: number;
  readonly high?: number;
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly LinePoint[];
  /** Panel of the series; series with the same name share colour across panels. */
  readonly facet?: string;
}

/** A labelled point, e.g. the tipping point of a sensitivity analysis. */
export interface MarkedPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly facet?: string;
}

export interface AxisReference extends ReferenceLine {
  /** "y" (default) draws a horizontal line, "x" a vertical one. */
  readonly axis?: "x" | "y";
}

export interface LinesSpec extends ChartBase {
  readonly kind: "lines";
  readonly series: readonly LineSeries[];
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Draw a marker at every point (default false). */
  readonly markers?: boolean;
  readonly marked?: readonly MarkedPoint[];
  readonly references?: readonly AxisReference[];
  /** Panel order; defaults to the order of first appearance. */
  readonly facets?: readonly string[];
  /** Panels per row (default: up to 2). */
  readonly columns?: number;
  /** One y scale per panel instead of a shared one. */
  readonly independentY?: boolean;
  /** One x scale per panel instead of a shared one (e.g. a different parameter in each panel). */
  readonly independentX?: boolean;
  readonly xFormat?: ValueFormat;
  readonly yFormat?: ValueFormat;
  readonly yDomain?: readonly [number, number];
  /** Height of each panel's plot area in px (default 220, or 180 when faceted). */
  readonly panelHeight?: number;
}

export interface DensitySeries {
  readonly name: string;
  readonly values: readonly number[];
  readonly facet?: string;
}

export interface DensitySpec extends ChartBase {
  readonly kind: "density";
  readonly series: readonly DensitySeries[];
  /** Kernel bandwidth for every series (default: Silverman's rule per series). */
  readonly bandwidth?: number;
  /** Grid points per curve (default 128). */
  readonly points?: number;
  readonly xLabel?: string;
  readonly references?: readonly ReferenceLine[];
  readonly facets?: readonly string[];
  readonly columns?: number;
  readonly panelHeight?: number;
  /** One x (value) scale per panel, e.g. one parameter per panel. */
  readonly independentX?: boolean;
  /** One density scale per panel. */
  readonly independentY?: boolean;
}

export interface PointIntervalDatum {
  readonly method: string;
  readonly estimate: number;
  /** Monte Carlo standard error: the bar spans estimate ± multiplier × mcse. */
  readonly mcse?: number;
  /** Explicit interval; used instead of mcse when both ends are given. */
  readonly low?: number;
  readonly high?: number;
  /** Second series per method (e.g. "empirical SE" vs "model SE"), shown in a legend. */
  readonly series?: string;
}

export interface PointIntervalPanel {
  readonly title: string;
  readonly points: readonly PointIntervalDatum[];
  /** Reference value of this panel, e.g. 0 for bias or 0.95 for coverage. */
  readonly reference?: number;
}

export interface PointIntervalsSpec extends ChartBase {
  readonly kind: "pointIntervals";
  readonly panels: readonly PointIntervalPanel[];
  readonly valueLabel?: string;
  /** Panels per row (default: up to 3). */
  readonly columns?: number;
  /** One value scale for all panels (default: one per panel). */
  readonly sharedScale?: boolean;
  /** Half-width of the bars in MCSE units (default 1). */
  readonly mcseMultiplier?: number;
  /** The values the measure can take (a proportion: [0, 1]); ±MCSE bars are cut at them. */
  readonly limits?: readonly [number, number];
  readonly valueFormat?: ValueFormat;
}

export type ChartSpec = BarsSpec | ForestSpec | LinesSpec | DensitySpec | PointIntervalsSpec;
export type ChartKind = ChartSpec["kind"];
