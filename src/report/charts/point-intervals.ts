/**
 * Point-and-interval panels for simulation performance measures: one panel
 * per condition or measure, methods down the side, each estimate with a
 * ±MCSE bar (or a given interval), up to several series per method.
 */
import { xAxis, xAxisHeight } from "./axis.ts";
import { facetGrid, orderedKeys, panelTitle, headerHeight } from "./facet.ts";
import { formatShort } from "./format.ts";
import { chartWidth, describe, idMaker, noDataChart, svgDocument, titleHeight } from "./frame.ts";
import { legend, legendHeight, type LegendItem } from "./legend.ts";
import { interval, point, rule } from "./marks.ts";
import { bandScale, linearScale, rescale, tickCountFor } from "./scale.ts";
import { group, text } from "./svg.ts";
import { textWidth } from "./text.ts";
import { seriesColor, seriesShape, theme } from "./theme.ts";
import type { PointIntervalDatum, PointIntervalPanel, PointIntervalsSpec } from "./types.ts";

const MIN_PLOT_HEIGHT = 48;

const finiteDatum = (d: PointIntervalDatum) => Number.isFinite(d.estimate);

type Limits = readonly [number, number] | undefined;

/**
 * The bar's ends: the given interval, else estimate ± multiplier × MCSE
 * (cut at the measure's limits: a proportion's bar stays within [0, 1]),
 * else none.
 */
function bounds(d: PointIntervalDatum, multiplier: number, limits: Limits): [number, number] | undefined {
  if (Number.isFinite(d.low) && Number.isFinite(d.high)) return [d.low as number, d.high as number];
  if (d.mcse !== undefined && Number.isFinite(d.mcse)) {
    const low = d.estimate - multiplier * d.mcse;
    const high = d.estimate + multiplier * d.mcse;
    return limits === undefined ? [low, high] : [Math.max(limits[0], low), Math.min(limits[1], high)];
  }
  return undefined;
}

function panelValues(panel: PointIntervalPanel, multiplier: number, limits: Limits): number[] {
  return panel.points.filter(finiteDatum).flatMap((d) => [d.estimate, ...(bounds(d, multiplier, limits) ?? [])]);
}

function pointsDescription(spec: PointIntervalsSpec, multiplier: number, limits: Limits, skipped: number): string {
  const items = spec.panels.flatMap((panel) =>
    panel.points.filter(finiteDatum).map((d) => {
      const b = bounds(d, multiplier, limits);
      const spread =
        d.mcse !== undefined && Number.isFinite(d.mcse) && !(Number.isFinite(d.low) && Number.isFinite(d.high))
          ? ` ± ${formatShort(multiplier * d.mcse)}`
          : b
            ? ` [${formatShort(b[0])}, ${formatShort(b[1])}]`
            : "";
      return `${panel.title} ${d.method}${d.series ? ` ${d.series}` : ""} ${formatShort(d.estimate)}${spread}`;
    }),
  );
  const notes = skipped > 0 ? [`${skipped} non-finite estimate${skipped === 1 ? "" : "s"} not drawn`] : [];
  const bars = multiplier === 1 ? "±1 MCSE" : `±${formatShort(multiplier)} MCSE`;
  return describe(spec, `Estimates with ${bars} bars in ${spec.panels.length} panel${spec.panels.length === 1 ? "" : "s"}`, items, notes);
}

export function renderPointIntervals(spec: PointIntervalsSpec): string {
  const panels = spec.panels ?? [];
  const multiplier = spec.mcseMultiplier ?? 1;
  const limits = spec.limits;
  const all = panels.flatMap((p) => p.points);
  const skipped = all.filter((d) => !finiteDatum(d)).length;
  if (!all.some(finiteDatum)) return noDataChart(spec, "pointIntervals", "Performance measures", skipped > 0 ? [`${skipped} non-finite estimates`] : []);
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const pad = theme.padding;
  const methods = orderedKeys(all.map((d) => d.method));
  const seriesNames = orderedKeys(all.filter((d) => d.series !== undefined).map((d) => d.series as string));
  const seriesIndex = (d: PointIntervalDatum) => (d.series === undefined ? 0 : seriesNames.indexOf(d.series));
  const legendItems: LegendItem[] = seriesNames.map((name, i) => ({ label: name, color: seriesColor(i), swatch: "point", shape: seriesShape(i) }));
  const legendTop = pad + titleHeight(spec);
  const top = legendTop + legendHeight(legendItems, width - 2 * pad) + 4;
  const columns = spec.columns ?? Math.min(3, panels.length);
  const cellWidth = (width - 2 * pad) / Math.max(1, Math.min(columns, panels.length));
  const labelWidth = Math.min(cellWidth * 0.4, Math.max(...methods.map((m) => textWidth(m, theme.fontSize))));
  const plotHeight = Math.max(MIN_PLOT_HEIGHT, methods.length * theme.rowHeight * Math.max(1, seriesNames.length * 0.75));
  const grid = facetGrid({
    count: panels.length,
    columns,
    left: pad,
    top,
    width: width - 2 * pad,
    plotHeight,
    insetLeft: labelWidth + 8,
    insetRight: 16,
    insetBottom: xAxisHeight(spec.valueLabel !== undefined) + 4,
    header: headerHeight(panels.length, true),
  });
  const tickCount = tickCountFor(grid.cells[0].width, 55);
  const sharedValues = spec.sharedScale ? panels.flatMap((p) => [...panelValues(p, multiplier, limits), ...(Number.isFinite(p.reference) ? [p.reference as number] : [])]) : [];
  const shared = spec.sharedScale ? linearScale(sharedValues, [0, grid.cells[0].width], { tickCount }) : undefined;

  const rendered = grid.cells.map((cell) => {
    const panel = panels[cell.index];
    const reference = panel.reference !== undefined && Number.isFinite(panel.reference) ? panel.reference : undefined;
    const range = [cell.x, cell.x + cell.width] as const;
    const scale = shared
      ? rescale(shared, range)
      : linearScale(panelValues(panel, multiplier, limits), range, { include: reference === undefined ? [] : [reference], tickCount });
    const bands = bandScale(methods.length, [cell.y, cell.y + cell.height], 0.2, 0.1);
    const dodge = seriesNames.length > 1 ? Math.min(7, bands.bandwidth / seriesNames.length) : 0;
    const lastRow = cell.index + columns >= panels.length;
    const axis = xAxis(scale, { y: cell.y + cell.height, top: cell.y, title: lastRow ? spec.valueLabel : undefined, format: spec.valueFormat });
    const labels = methods.map((m, i) => text(m, { x: cell.x - 6, y: bands.center(i), baseline: "middle", anchor: "end", maxWidth: labelWidth }));
    const marks = panel.points.filter(finiteDatum).map((d) => {
      const s = seriesIndex(d);
      const y = bands.center(methods.indexOf(d.method)) + (s - (seriesNames.length - 1) / 2) * dodge;
      const color = seriesColor(s);
      const b = bounds(d, multiplier, limits);
      const bar = b ? interval("horizontal", y, scale.map(b[0]), scale.map(b[1]), { stroke: color, width: 1.5 }, 2.5) : "";
      return bar + point(scale.map(d.estimate), y, { shape: seriesShape(s), fill: color, size: 3 });
    });
    const refLine = reference !== undefined ? rule(scale.map(reference), cell.y, scale.map(reference), cell.y + cell.height, { stroke: theme.referenceColor, dash: "4 3", width: 1.25 }) : "";
    return group({ class: "panel" }, [panelTitle(panel.title, cell), axis.grid, refLine, group({ class: "labels" }, labels), group({ class: "marks" }, marks), axis.axis]);
  });

  const body = [legend(legendItems, pad, legendTop, width - 2 * pad), ...rendered];
  const height = top + grid.height + pad;
  return svgDocument(spec, ids, { kind: "pointIntervals", width, height, description: pointsDescription(spec, multiplier, limits, skipped), body });
}
