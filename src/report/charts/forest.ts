/**
 * Forest plots: labelled estimates with intervals, one row per (group, label),
 * grouped under headers, with panels side by side (e.g. HTE and ATE) that
 * share the row labels.
 */
import { verticalLine, xAxis, xAxisHeight } from "./axis.ts";
import { orderedKeys } from "./facet.ts";
import { formatInterval, formatShort } from "./format.ts";
import { chartWidth, clipRect, describe, idMaker, noDataChart, svgDocument, titleHeight, type Clip } from "./frame.ts";
import { interval, point, rect } from "./marks.ts";
import { bandScale, linearScale, rescale, tickCountFor, type LinearScale } from "./scale.ts";
import { group, text } from "./svg.ts";
import { textWidth } from "./text.ts";
import { seriesColor, theme } from "./theme.ts";
import type { ForestRow, ForestSpec } from "./types.ts";

const INDENT = 10;
const PANEL_GAP = 18;
const NOT_ESTIMABLE = "not estimable";

/** A line of the plot: a group header, or a row keyed by group and label. */
type Line = { readonly header: string } | { readonly key: string; readonly label: string; readonly highlight: boolean };

const rowKey = (r: ForestRow) => `${r.group ?? ""}\u0000${r.label}`;

/** Header and row lines: groups in order of first appearance, rows within each likewise. */
function layoutLines(rows: readonly ForestRow[]): Line[] {
  const groups = orderedKeys(rows.map((r) => r.group ?? ""));
  const lines: Line[] = [];
  for (const g of groups) {
    if (g !== "") lines.push({ header: g });
    const inGroup = rows.filter((r) => (r.group ?? "") === g);
    for (const key of orderedKeys(inGroup.map(rowKey))) {
      const first = inGroup.filter((r) => rowKey(r) === key);
      lines.push({ key, label: first[0].label, highlight: first.some((r) => r.highlight === true) });
    }
  }
  return lines;
}

const finiteRow = (r: ForestRow) => Number.isFinite(r.estimate);

function forestDescription(spec: ForestSpec, rows: readonly ForestRow[], panels: readonly string[], digits: number): string {
  const shown = rows.filter(finiteRow);
  const items = shown.map((r) => {
    const name = [panels.length > 1 ? r.panel : undefined, r.group, r.label].filter((s) => s !== undefined && s !== "").join(" ");
    return `${name} ${formatInterval(r.estimate, r.low, r.high, digits)}${r.highlight ? " (reference)" : ""}`;
  });
  const inPanels = panels.length > 1 ? ` in ${panels.length} panels (${panels.join(", ")})` : "";
  const reference = spec.reference !== undefined && Number.isFinite(spec.reference) ? `, reference line at ${formatShort(spec.reference)}` : "";
  const skipped = rows.length - shown.length;
  const notes = skipped > 0 ? [`${skipped} estimate${skipped === 1 ? " is" : "s are"} not finite and not drawn`] : [];
  return describe(spec, `Forest plot of ${shown.length} estimate${shown.length === 1 ? "" : "s"}${inPanels}${reference}`, items, notes);
}

function panelScale(spec: ForestSpec, rows: readonly ForestRow[], range: readonly [number, number]): LinearScale {
  const values = rows.flatMap((r) => (finiteRow(r) ? [r.estimate, r.low, r.high] : []));
  const include = spec.reference !== undefined && Number.isFinite(spec.reference) ? [spec.reference] : [];
  return linearScale(values, range, { include, domain: spec.domain, tickCount: tickCountFor(range[1] - range[0], 60) });
}

export function renderForest(spec: ForestSpec): string {
  const rows = spec.rows ?? [];
  const digits = spec.digits ?? 2;
  const panels = orderedKeys(rows.map((r) => r.panel ?? ""), spec.panels);
  if (!rows.some(finiteRow)) return noDataChart(spec, "forest", "Forest plot");
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const pad = theme.padding;
  const lines = layoutLines(rows);
  const grouped = lines.some((l) => "header" in l);
  const indent = grouped ? INDENT : 0;
  const labelWidth = Math.min(
    width * 0.3,
    Math.max(...lines.map((l) => ("header" in l ? textWidth(l.header, theme.fontSize) * 1.08 : indent + textWidth(l.label, theme.fontSize)))),
  );
  const showEstimates = spec.showEstimates !== false;
  const estimateWidth = showEstimates
    ? Math.max(textWidth(NOT_ESTIMABLE, theme.fontSize), ...rows.map((r) => textWidth(formatInterval(r.estimate, r.low, r.high, digits), theme.fontSize))) + 8
    : 0;
  const titled = panels.some((p) => p !== "");
  const top = pad + titleHeight(spec) + (titled ? theme.fontSize + 10 : 4);
  const plotHeight = lines.length * theme.rowHeight;
  const y1 = top + plotHeight;
  const bands = bandScale(lines.length, [top, y1], 0, 0);
  const left = pad + labelWidth + 10;
  const panelWidth = (width - pad - left - (panels.length - 1) * PANEL_GAP) / panels.length;

  const ranges = panels.map((_, i) => {
    const x0 = left + i * (panelWidth + PANEL_GAP);
    return [x0, x0 + panelWidth - estimateWidth - 6] as const;
  });
  const shared = spec.sharedScale ? panelScale(spec, rows, ranges[0]) : undefined;
  const defs: string[] = [];
  const body: string[] = [];

  // Row shading and labels span the whole width.
  const labels = lines.map((l, i) => {
    const y = bands.center(i);
    if ("header" in l) return text(l.header, { x: pad, y, baseline: "middle", weight: "bold", maxWidth: labelWidth });
    const shade = l.highlight ? rect(pad - 4, bands.start(i), width - pad + 4, bands.start(i) + bands.step, theme.highlightFill) : "";
    return shade + text(l.label, { x: pad + indent, y, baseline: "middle", weight: l.highlight ? "bold" : undefined, maxWidth: labelWidth - indent });
  });
  body.push(group({ class: "labels" }, labels));

  panels.forEach((panel, p) => {
    const range = ranges[p];
    const inPanel = rows.filter((r) => (r.panel ?? "") === panel);
    const scale = shared ? rescale(shared, range) : panelScale(spec, inPanel, range);
    const axis = xAxis(scale, { y: y1, top, title: spec.xLabel });
    const clip: Clip | undefined = spec.domain ? clipRect(ids, `panel-${p}`, range[0], top, range[1] - range[0], plotHeight) : undefined;
    if (clip) defs.push(clip.def);
    const marks: string[] = [];
    const estimates: string[] = [];
    lines.forEach((l, i) => {
      if ("header" in l) return;
      const row = inPanel.find((r) => rowKey(r) === l.key);
      if (!row) return;
      const y = bands.center(i);
      const ok = finiteRow(row);
      if (ok) marks.push(rowMarks(row, scale, y, l.highlight));
      if (showEstimates) {
        const label = ok ? formatInterval(row.estimate, row.low, row.high, digits) : NOT_ESTIMABLE;
        estimates.push(text(label, { x: range[1] + 6, y, baseline: "middle", fill: ok ? undefined : theme.mutedText, italic: !ok }));
      }
    });
    const reference =
      spec.reference !== undefined && Number.isFinite(spec.reference) && spec.reference >= scale.domain[0] && spec.reference <= scale.domain[1]
        ? verticalLine(scale.map(spec.reference), top, y1, theme.referenceColor, "4 3")
        : "";
    body.push(
      group({ class: "panel" }, [
        panel !== "" ? text(panel, { x: range[0], y: top - 7, weight: "bold", maxWidth: panelWidth }) : "",
        axis.grid,
        reference,
        group({ class: "marks", "clip-path": clip?.ref }, marks),
        group({ class: "estimates" }, estimates),
        axis.axis,
      ]),
    );
  });

  const height = y1 + xAxisHeight(spec.xLabel !== undefined) + pad;
  return svgDocument(spec, ids, { kind: "forest", width, height, description: forestDescription(spec, rows, panels, digits), body, defs });
}

/** Interval and point of one row; the highlighted row is black with a diamond, the others blue squares. */
function rowMarks(row: ForestRow, scale: LinearScale, y: number, highlight: boolean): string {
  const color = highlight ? theme.textColor : seriesColor(0);
  const bar = Number.isFinite(row.low) && Number.isFinite(row.high) ? interval("horizontal", y, scale.map(row.low), scale.map(row.high), { stroke: color, width: highlight ? 1.75 : 1.25 }, 3) : "";
  return bar + point(scale.map(row.estimate), y, { shape: highlight ? "diamond" : "square", fill: color, size: highlight ? 4 : 3.5 });
}
