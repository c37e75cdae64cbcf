/**
 * Bar charts: one value per category, horizontal or vertical, coloured by a
 * group or stacked in two parts, with an optional reference line.
 */
import { xAxis, xAxisHeight, yAxis, yAxisWidth, tickLabel } from "./axis.ts";
import { orderedKeys } from "./facet.ts";
import { formatValue, num } from "./format.ts";
import { chartWidth, clipRect, describe, idMaker, noDataChart, svgDocument, titleHeight, type Clip } from "./frame.ts";
import { legend, legendHeight, type LegendItem } from "./legend.ts";
import { rect, rule } from "./marks.ts";
import { bandScale, linearScale, tickCountFor, type LinearScale } from "./scale.ts";
import { group, text } from "./svg.ts";
import { textWidth } from "./text.ts";
import { seriesColor, theme } from "./theme.ts";
import type { BarDatum, BarsSpec } from "./types.ts";

const NO_GROUP = "(no group)";
const VERTICAL_PLOT_HEIGHT = 240;
const MAX_ROTATED_LABEL = 110;

interface Prepared {
  readonly bars: readonly BarDatum[];
  readonly total: (bar: BarDatum) => number;
  readonly color: (bar: BarDatum) => string;
  readonly legendItems: readonly LegendItem[];
  readonly include: readonly number[];
}

function prepare(spec: BarsSpec, bars: readonly BarDatum[]): Prepared {
  const stacked = spec.stack !== undefined;
  const total = (b: BarDatum) => b.value + (stacked ? (b.secondary ?? 0) : 0);
  const sorted = [...bars];
  if (spec.sort === "ascending") sorted.sort((a, b) => total(a) - total(b));
  if (spec.sort === "descending") sorted.sort((a, b) => total(b) - total(a));
  const groups = stacked ? [] : orderedKeys(bars.filter((b) => b.group !== undefined).map((b) => b.group ?? NO_GROUP), spec.groups);
  const hasUngrouped = groups.length > 0 && bars.some((b) => b.group === undefined);
  if (hasUngrouped) groups.push(NO_GROUP);
  const color = (b: BarDatum) => seriesColor(groups.length > 0 ? groups.indexOf(b.group ?? NO_GROUP) : 0);
  const legendItems: LegendItem[] = spec.stack
    ? [
        { label: spec.stack.primary, color: seriesColor(0), swatch: "rect" },
        { label: spec.stack.secondary, color: seriesColor(1), swatch: "rect" },
      ]
    : groups.map((g, i) => ({ label: g, color: seriesColor(i), swatch: "rect" }));
  const include = [0, ...(spec.reference && Number.isFinite(spec.reference.value) ? [spec.reference.value] : [])];
  return { bars: sorted, total, color, legendItems, include };
}

function barDescription(spec: BarsSpec, p: Prepared, skipped: number): string {
  const format = spec.valueFormat ?? "number";
  const decimals = 2;
  const items = p.bars.map((b) => {
    const value = spec.stack
      ? `${spec.stack.primary} ${formatValue(b.value, decimals, format)}, ${spec.stack.secondary} ${formatValue(b.secondary ?? 0, decimals, format)}`
      : formatValue(b.value, decimals, format);
    return `${b.label} ${value}${b.group !== undefined && !spec.stack ? ` (${b.group})` : ""}`;
  });
  const of = spec.valueLabel ? ` (${spec.valueLabel})` : "";
  const order = spec.sort === "ascending" ? ", smallest first" : spec.sort === "descending" ? ", largest first" : "";
  const notes = skipped > 0 ? [`${skipped} bar${skipped === 1 ? "" : "s"} with a non-finite value not drawn`] : [];
  return describe(spec, `Bar chart of ${p.bars.length} bar${p.bars.length === 1 ? "" : "s"}${of}${order}`, items, notes);
}

/** The bar (or its two stacked parts) between value-axis pixels, across the band [b0, b1]. */
function barMarks(bar: BarDatum, spec: BarsSpec, scale: LinearScale, b0: number, b1: number, horizontal: boolean, color: string): string {
  const zero = scale.map(0);
  const end = scale.map(bar.value);
  const part = (v0: number, v1: number, fill: string) => (horizontal ? rect(v0, b0, v1, b1, fill) : rect(b0, v0, b1, v1, fill));
  if (!spec.stack) return part(zero, end, color);
  return part(zero, end, seriesColor(0)) + part(end, scale.map(bar.value + (bar.secondary ?? 0)), seriesColor(1));
}

function referenceLine(spec: BarsSpec, scale: LinearScale, from: number, to: number, horizontal: boolean): string {
  const ref = spec.reference;
  if (!ref || !Number.isFinite(ref.value)) return "";
  const at = scale.map(ref.value);
  const style = { stroke: theme.referenceColor, dash: "4 3", width: 1.25 };
  const line = horizontal ? rule(at, from, at, to, style) : rule(from, at, to, at, style);
  const label = ref.label
    ? horizontal
      ? text(ref.label, { x: at, y: from - 4, anchor: "middle", fill: theme.mutedText })
      : text(ref.label, { x: to, y: at - 4, anchor: "end", fill: theme.mutedText })
    : "";
  return group({ class: "reference" }, [line, label]);
}

/** The line bars grow from, when zero is inside the domain. */
function zeroLine(scale: LinearScale, from: number, to: number, horizontal: boolean): string {
  if (scale.domain[0] > 0 || scale.domain[1] < 0) return "";
  const at = scale.map(0);
  return horizontal ? rule(at, from, at, to, { stroke: theme.axisColor }) : rule(from, at, to, at, { stroke: theme.axisColor });
}

export function renderBars(spec: BarsSpec): string {
  const stacked = spec.stack !== undefined;
  const all = spec.bars ?? [];
  const drawable = all.filter((b) => Number.isFinite(b.value) && (!stacked || Number.isFinite(b.secondary ?? 0)));
  const skipped = all.length - drawable.length;
  if (drawable.length === 0) {
    return noDataChart(spec, "bars", "Bar chart", skipped > 0 ? [`${skipped} bar${skipped === 1 ? "" : "s"} with a non-finite value not drawn`] : []);
  }
  const p = prepare(spec, drawable);
  const description = barDescription(spec, p, skipped);
  return spec.orientation === "vertical" ? vertical(spec, p, description) : horizontal(spec, p, description);
}

function horizontal(spec: BarsSpec, p: Prepared, description: string): string {
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const pad = theme.padding;
  const legendTop = pad + titleHeight(spec);
  const legendH = legendHeight(p.legendItems, width - 2 * pad);
  const top = legendTop + legendH + (spec.reference?.label ? 16 : 4);
  const titleSpace = spec.categoryLabel ? theme.axisTitleSize + 8 : 0;
  const labelWidth = Math.min(width * 0.35, Math.max(...p.bars.map((b) => textWidth(b.label, theme.fontSize))));
  const x0 = pad + titleSpace + labelWidth + 6;
  const x1 = width - pad - 14;
  const plotHeight = p.bars.length * theme.rowHeight;
  const y1 = top + plotHeight;
  const scale = linearScale(p.bars.map(p.total), [x0, x1], { include: p.include, domain: spec.domain, tickCount: tickCountFor(x1 - x0, 70) });
  const bands = bandScale(p.bars.length, [top, y1], 0.25, 0.1);
  const axis = xAxis(scale, { y: y1, top, title: spec.valueLabel, format: spec.valueFormat });
  const clip: Clip | undefined = spec.domain ? clipRect(ids, "plot", x0, top, x1 - x0, plotHeight) : undefined;
  const labels = p.bars.map((b, i) => text(b.label, { x: x0 - 6, y: bands.center(i), baseline: "middle", anchor: "end", maxWidth: labelWidth }));
  const marks = p.bars.map((b, i) => barMarks(b, spec, scale, bands.start(i), bands.start(i) + bands.bandwidth, true, p.color(b)));
  const categoryTitle = spec.categoryLabel
    ? text(spec.categoryLabel, {
        x: pad,
        y: (top + y1) / 2,
        anchor: "middle",
        baseline: "hanging",
        size: theme.axisTitleSize,
        maxWidth: plotHeight,
        transform: `rotate(-90 ${num(pad)} ${num((top + y1) / 2)})`,
      })
    : "";
  const body = [
    legend(p.legendItems, pad, legendTop, width - 2 * pad),
    axis.grid,
    group({ class: "marks", "clip-path": clip?.ref }, marks),
    zeroLine(scale, top, y1, true),
    group({ class: "labels" }, labels),
    categoryTitle,
    axis.axis,
    referenceLine(spec, scale, top, y1, true),
  ];
  const height = y1 + xAxisHeight(spec.valueLabel !== undefined) + pad;
  return svgDocument(spec, ids, { kind: "bars", width, height, description, body, defs: clip ? [clip.def] : [] });
}

function vertical(spec: BarsSpec, p: Prepared, description: string): string {
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const pad = theme.padding;
  const legendTop = pad + titleHeight(spec);
  const top = legendTop + legendHeight(p.legendItems, width - 2 * pad) + 8;
  const y1 = top + VERTICAL_PLOT_HEIGHT;
  const scale = linearScale(p.bars.map(p.total), [y1, top], { include: p.include, domain: spec.domain, tickCount: tickCountFor(VERTICAL_PLOT_HEIGHT, 40) });
  const tickWidth = Math.max(...scale.ticks.map((t) => textWidth(tickLabel(t, scale, spec.valueFormat), theme.fontSize)));
  const x0 = pad + yAxisWidth(tickWidth, spec.valueLabel !== undefined);
  const x1 = width - pad;
  const bands = bandScale(p.bars.length, [x0, x1], 0.2, 0.1);
  const widest = Math.max(...p.bars.map((b) => textWidth(b.label, theme.fontSize)));
  const rotate = widest > bands.step - 4;
  const labelArea = rotate ? Math.min(widest, MAX_ROTATED_LABEL) + 8 : theme.fontSize + 8;
  const labels = p.bars.map((b, i) => {
    const cx = bands.center(i);
    if (!rotate) return text(b.label, { x: cx, y: y1 + 5, baseline: "hanging", anchor: "middle" });
    const y = y1 + 6;
    return text(b.label, { x: cx, y, baseline: "middle", anchor: "end", maxWidth: MAX_ROTATED_LABEL, transform: `rotate(-90 ${num(cx)} ${num(y)})` });
  });
  const axis = yAxis(scale, { x: x0, right: x1, title: spec.valueLabel, format: spec.valueFormat }, tickWidth);
  const clip: Clip | undefined = spec.domain ? clipRect(ids, "plot", x0, top, x1 - x0, VERTICAL_PLOT_HEIGHT) : undefined;
  const marks = p.bars.map((b, i) => barMarks(b, spec, scale, bands.start(i), bands.start(i) + bands.bandwidth, false, p.color(b)));
  const categoryTitle = spec.categoryLabel
    ? text(spec.categoryLabel, { x: (x0 + x1) / 2, y: y1 + labelArea + 4, baseline: "hanging", anchor: "middle", size: theme.axisTitleSize })
    : "";
  const body = [
    legend(p.legendItems, pad, legendTop, width - 2 * pad),
    axis.grid,
    group({ class: "marks", "clip-path": clip?.ref }, marks),
    zeroLine(scale, x0, x1, false),
    axis.axis,
    group({ class: "labels" }, labels),
    categoryTitle,
    referenceLine(spec, scale, x0, x1, false),
  ];
  const height = y1 + labelArea + (spec.categoryLabel ? theme.axisTitleSize + 8 : 0) + pad;
  return svgDocument(spec, ids, { kind: "bars", width, height, description, body, defs: clip ? [clip.def] : [] });
}
