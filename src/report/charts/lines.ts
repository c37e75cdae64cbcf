/**
 * x–y line charts: several series with optional interval bands and markers,
 * labelled points, reference lines, and small multiples by facet. Density
 * charts are drawn through the same code.
 */
import { tickLabel, xAxis, xAxisHeight, yAxis, yAxisWidth } from "./axis.ts";
import { facetGrid, headerHeight, orderedKeys, panelTitle, type Cell } from "./facet.ts";
import { formatShort } from "./format.ts";
import { chartWidth, clipRect, describe, idMaker, noDataChart, svgDocument, titleHeight, type Clip } from "./frame.ts";
import { legend, legendHeight, type LegendItem } from "./legend.ts";
import { band, linePath, point, rule } from "./marks.ts";
import { linearScale, rescale, tickCountFor, type LinearScale } from "./scale.ts";
import { group, text } from "./svg.ts";
import { textWidth } from "./text.ts";
import { seriesColor, seriesDash, seriesShape, theme } from "./theme.ts";
import type { AxisReference, LinePoint, LineSeries, LinesSpec, MarkedPoint } from "./types.ts";

/** What the density chart changes in a line chart. */
export interface XYVariant {
  readonly kind: "lines" | "density";
  /** y values every panel's scale must include (0 for densities). */
  readonly includeY?: readonly number[];
  /** Builds the description instead of the line-chart one. */
  readonly describe?: (skipped: number) => string;
}

const finitePoint = (p: LinePoint) => Number.isFinite(p.x) && Number.isFinite(p.y);
const hasBand = (p: LinePoint) => finitePoint(p) && Number.isFinite(p.low) && Number.isFinite(p.high);
const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function linesDescription(spec: LinesSpec, facets: readonly string[], skipped: number): string {
  const items = spec.series.flatMap((s) => {
    const pts = s.points.filter(finitePoint);
    if (pts.length === 0) return [];
    const first = pts[0];
    const last = pts[pts.length - 1];
    const where = facets.length > 1 && s.facet ? `${s.facet} ` : "";
    const span = pts.length === 1 ? `y ${formatShort(first.y)} at x ${formatShort(first.x)}` : `y ${formatShort(first.y)} at x ${formatShort(first.x)} to ${formatShort(last.y)} at x ${formatShort(last.x)}`;
    return [`${where}${s.name} ${span}`];
  });
  const marked = (spec.marked ?? []).filter((m) => finite(m.x) && finite(m.y)).map((m) => `${m.label} at x ${formatShort(m.x)}, y ${formatShort(m.y)}`);
  const refs = (spec.references ?? []).filter((r) => finite(r.value)).map((r) => `${r.label ?? "reference"} at ${r.axis ?? "y"} = ${formatShort(r.value)}`);
  const names = orderedKeys(spec.series.map((s) => s.name));
  const inPanels = facets.length > 1 ? ` in ${facets.length} panels` : "";
  const notes = skipped > 0 ? [`${skipped} point${skipped === 1 ? "" : "s"} with non-finite coordinates not drawn`] : [];
  return describe(spec, `Line chart of ${names.length} series${inPanels}`, [...marked, ...refs, ...items], notes);
}

export function renderLines(spec: LinesSpec, variant: XYVariant = { kind: "lines" }): string {
  const series = spec.series ?? [];
  const skipped = series.reduce((n, s) => n + s.points.filter((p) => !finitePoint(p)).length, 0);
  const facets = orderedKeys(series.map((s) => s.facet ?? ""), spec.facets);
  const description = variant.describe ? variant.describe(skipped) : linesDescription(spec, facets, skipped);
  if (!series.some((s) => s.points.some(finitePoint))) {
    return noDataChart(spec, variant.kind, variant.kind === "density" ? "Density plot" : "Line chart", skipped > 0 ? [`${skipped} non-finite points`] : []);
  }
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const pad = theme.padding;
  const names = orderedKeys(series.map((s) => s.name));
  const legendItems: LegendItem[] =
    names.length > 1
      ? names.map((name, i) => ({ label: name, color: seriesColor(i), swatch: "line", dash: seriesDash(i), shape: spec.markers ? seriesShape(i) : undefined }))
      : [];
  const legendTop = pad + titleHeight(spec);
  const top = legendTop + legendHeight(legendItems, width - 2 * pad) + 4;
  const plotHeight = spec.panelHeight ?? (facets.length > 1 ? 180 : 220);
  const columns = spec.columns ?? Math.min(2, facets.length);
  const inFacet = (facet: string) => series.filter((s) => (s.facet ?? "") === facet);
  const refs = (spec.references ?? []).filter((r) => finite(r.value));
  const yRefs = refs.filter((r) => (r.axis ?? "y") === "y").map((r) => r.value);
  const xRefs = refs.filter((r) => r.axis === "x").map((r) => r.value);
  const marked = (spec.marked ?? []).filter((m) => finite(m.x) && finite(m.y));

  const yValues = (list: readonly LineSeries[], facet?: string) => [
    ...list.flatMap((s) => s.points.filter(finitePoint).flatMap((p) => [p.y, ...(hasBand(p) ? [p.low as number, p.high as number] : [])])),
    ...marked.filter((m) => facet === undefined || (m.facet ?? "") === facet).map((m) => m.y),
  ];
  const yOptions = { include: [...yRefs, ...(variant.includeY ?? [])], domain: spec.yDomain, tickCount: tickCountFor(plotHeight, 40) };
  const yScales = facets.map((f) => linearScale(spec.independentY ? yValues(inFacet(f), f) : yValues(series), [plotHeight, 0], yOptions));
  const tickWidth = Math.max(...yScales.flatMap((s) => s.ticks.map((t) => textWidth(tickLabel(t, s, spec.yFormat), theme.fontSize))));
  const grid = facetGrid({
    count: facets.length,
    columns,
    left: pad,
    top,
    width: width - 2 * pad,
    plotHeight,
    insetLeft: yAxisWidth(tickWidth, spec.yLabel !== undefined),
    insetRight: 14,
    insetBottom: xAxisHeight(spec.xLabel !== undefined) + 4,
    header: headerHeight(facets.length, facets[0] !== ""),
  });
  const xValues = (list: readonly LineSeries[], facet?: string) => [
    ...list.flatMap((s) => s.points.filter(finitePoint).map((p) => p.x)),
    ...marked.filter((m) => facet === undefined || (m.facet ?? "") === facet).map((m) => m.x),
  ];
  const xOptions = { include: xRefs, nice: false, tickCount: tickCountFor(grid.cells[0].width, 70) };
  const xScales = facets.map((f) => linearScale(spec.independentX ? xValues(inFacet(f), f) : xValues(series), [0, grid.cells[0].width], xOptions));
  const defs: string[] = [];

  const panels = grid.cells.map((cell) => {
    const facet = facets[cell.index];
    const x = rescale(xScales[cell.index], [cell.x, cell.x + cell.width]);
    const y = rescale(yScales[cell.index], [cell.y + cell.height, cell.y]);
    const clip: Clip | undefined = spec.yDomain ? clipRect(ids, `panel-${cell.index}`, cell.x, cell.y, cell.width, cell.height) : undefined;
    if (clip) defs.push(clip.def);
    const lastRow = cell.index + columns >= facets.length;
    const xAxisParts = xAxis(x, { y: cell.y + cell.height, top: cell.y, title: lastRow ? spec.xLabel : undefined, format: spec.xFormat });
    const yAxisParts = yAxis(y, { x: cell.x, right: cell.x + cell.width, title: cell.column === 0 ? spec.yLabel : undefined, format: spec.yFormat }, tickWidth);
    const marks = inFacet(facet).map((s) => seriesMarks(s, names.indexOf(s.name), x, y, spec.markers === true));
    return group({ class: "panel" }, [
      facets.length > 1 || facet !== "" ? panelTitle(facet, cell) : "",
      xAxisParts.grid,
      yAxisParts.grid,
      group({ class: "marks", "clip-path": clip?.ref }, marks),
      referenceLines(refs, x, y, cell),
      markedPoints(marked.filter((m) => (m.facet ?? "") === facet || (facets.length === 1 && m.facet === undefined)), x, y, cell),
      xAxisParts.axis,
      yAxisParts.axis,
    ]);
  });

  const body = [legend(legendItems, pad, legendTop, width - 2 * pad), ...panels];
  return svgDocument(spec, ids, { kind: variant.kind, width, height: top + grid.height + pad, description, body, defs });
}

/** Band, line and markers of one series; non-finite points break the line. */
function seriesMarks(s: LineSeries, index: number, x: LinearScale, y: LinearScale, markers: boolean): string {
  const color = seriesColor(index);
  const bands: string[] = [];
  let run: LinePoint[] = [];
  const flush = () => {
    bands.push(band(run.map((p) => x.map(p.x)), run.map((p) => y.map(p.high as number)), run.map((p) => y.map(p.low as number)), color, 0.18));
    run = [];
  };
  for (const p of s.points) {
    if (hasBand(p)) run.push(p);
    else flush();
  }
  flush();
  const line = linePath(s.points.map((p) => (finitePoint(p) ? [x.map(p.x), y.map(p.y)] : null)), { stroke: color, dash: seriesDash(index), width: 1.75 });
  // Without markers a point with no finite neighbour would be invisible, so it gets one anyway.
  const isolated = (i: number) => !finitePoint(s.points[i - 1] ?? { x: NaN, y: NaN }) && !finitePoint(s.points[i + 1] ?? { x: NaN, y: NaN });
  const dots = s.points
    .filter((p, i) => finitePoint(p) && (markers || isolated(i)))
    .map((p) => point(x.map(p.x), y.map(p.y), { shape: seriesShape(index), fill: color, size: 2.5 }));
  return group({ class: "series" }, [...bands, line, ...dots]);
}

function referenceLines(refs: readonly AxisReference[], x: LinearScale, y: LinearScale, cell: Cell): string {
  const style = { stroke: theme.referenceColor, dash: "4 3", width: 1.25 };
  const parts = refs.map((r) => {
    if (r.axis === "x") {
      const at = x.map(r.value);
      const label = r.label ? text(r.label, { x: at + 3, y: cell.y + 2, baseline: "hanging", fill: theme.mutedText, maxWidth: cell.x + cell.width - at - 3 }) : "";
      return rule(at, cell.y, at, cell.y + cell.height, style) + label;
    }
    const at = y.map(r.value);
    // Left end: the curves these charts show (power, sensitivity) rarely meet the reference there.
    const label = r.label ? text(r.label, { x: cell.x + 3, y: at - 3, fill: theme.mutedText, maxWidth: cell.width / 2 }) : "";
    return rule(cell.x, at, cell.x + cell.width, at, style) + label;
  });
  return group({ class: "reference" }, parts);
}

/** Labelled points: a ring, and the label on whichever side has room. */
function markedPoints(points: readonly MarkedPoint[], x: LinearScale, y: LinearScale, cell: Cell): string {
  const parts = points.map((m) => {
    const px = x.map(m.x);
    const py = y.map(m.y);
    const right = px + 6 + textWidth(m.label, theme.fontSize) <= cell.x + cell.width;
    const above = py - 8 - theme.fontSize >= cell.y;
    return (
      point(px, py, { fill: "#ffffff", stroke: theme.textColor, size: 4.5 }) +
      text(m.label, { x: right ? px + 6 : px - 6, y: above ? py - 8 : py + 8, baseline: above ? "alphabetic" : "hanging", anchor: right ? "start" : "end", weight: "bold", maxWidth: cell.width - 12 })
    );
  });
  return group({ class: "marked" }, parts);
}
