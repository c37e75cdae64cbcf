/**
 * Axes for linear scales: gridlines (returned separately so they can go
 * behind the marks), the axis line, ticks, tick labels and an axis title.
 */
import { formatValue, num, type ValueFormat } from "./format.ts";
import type { LinearScale } from "./scale.ts";
import { el, group, text } from "./svg.ts";
import { theme } from "./theme.ts";

const TICK = 4;
const LABEL_GAP = 3;

/** Vertical space a bottom axis needs below its baseline. */
export function xAxisHeight(withTitle: boolean): number {
  return TICK + LABEL_GAP + theme.fontSize + (withTitle ? theme.axisTitleSize + 8 : 0) + 2;
}

export interface AxisParts {
  readonly grid: string;
  readonly axis: string;
}

export interface XAxisOptions {
  /** Pixel y of the axis line (bottom of the plot area). */
  readonly y: number;
  /** Pixel y where gridlines start (top of the plot area). */
  readonly top: number;
  readonly format?: ValueFormat;
  readonly title?: string;
  readonly grid?: boolean;
  readonly labels?: boolean;
}

export function tickLabel(value: number, scale: LinearScale, format: ValueFormat = "number"): string {
  return formatValue(value, scale.decimals, format);
}

export function xAxis(scale: LinearScale, options: XAxisOptions): AxisParts {
  const [x0, x1] = scale.range;
  const grid = options.grid === false ? [] : scale.ticks.map((t) => verticalLine(scale.map(t), options.top, options.y, theme.gridColor));
  const ticks = scale.ticks.map((t) => {
    const x = scale.map(t);
    const mark = verticalLine(x, options.y, options.y + TICK, theme.axisColor);
    if (options.labels === false) return mark;
    return mark + text(tickLabel(t, scale, options.format), { x, y: options.y + TICK + LABEL_GAP, baseline: "hanging", anchor: "middle", fill: theme.mutedText });
  });
  const title = options.title
    ? text(options.title, {
        x: (x0 + x1) / 2,
        y: options.y + TICK + LABEL_GAP + theme.fontSize + 6,
        baseline: "hanging",
        anchor: "middle",
        size: theme.axisTitleSize,
        maxWidth: Math.abs(x1 - x0),
      })
    : "";
  return {
    grid: group({ class: "grid" }, grid),
    axis: group({ class: "axis x" }, [el("line", { x1: x0, y1: options.y, x2: x1, y2: options.y, stroke: theme.axisColor }), ...ticks, title]),
  };
}

export interface YAxisOptions {
  /** Pixel x of the axis line (left edge of the plot area). */
  readonly x: number;
  /** Pixel x where gridlines end (right edge of the plot area). */
  readonly right: number;
  readonly format?: ValueFormat;
  readonly title?: string;
  readonly grid?: boolean;
  readonly labels?: boolean;
}

/** Horizontal space a left axis with these tick labels needs, title included. */
export function yAxisWidth(labelWidth: number, withTitle: boolean): number {
  return labelWidth + TICK + LABEL_GAP + (withTitle ? theme.axisTitleSize + 8 : 0) + 2;
}

export function yAxis(scale: LinearScale, options: YAxisOptions, labelWidth: number): AxisParts {
  const [y0, y1] = scale.range;
  const grid = options.grid === false ? [] : scale.ticks.map((t) => horizontalLine(options.x, options.right, scale.map(t), theme.gridColor));
  const ticks = scale.ticks.map((t) => {
    const y = scale.map(t);
    const mark = horizontalLine(options.x - TICK, options.x, y, theme.axisColor);
    if (options.labels === false) return mark;
    return mark + text(tickLabel(t, scale, options.format), { x: options.x - TICK - LABEL_GAP, y, baseline: "middle", anchor: "end", fill: theme.mutedText });
  });
  let title = "";
  if (options.title) {
    const tx = options.x - TICK - LABEL_GAP - labelWidth - 6;
    const ty = (y0 + y1) / 2;
    title = text(options.title, {
      x: tx,
      y: ty,
      anchor: "middle",
      size: theme.axisTitleSize,
      maxWidth: Math.abs(y1 - y0),
      transform: `rotate(-90 ${num(tx)} ${num(ty)})`,
    });
  }
  return {
    grid: group({ class: "grid" }, grid),
    axis: group({ class: "axis y" }, [el("line", { x1: options.x, y1: y0, x2: options.x, y2: y1, stroke: theme.axisColor }), ...ticks, title]),
  };
}

export function verticalLine(x: number, y1: number, y2: number, stroke: string, dash?: string): string {
  return el("line", { x1: x, y1, x2: x, y2, stroke, "stroke-dasharray": dash });
}

export function horizontalLine(x1: number, x2: number, y: number, stroke: string, dash?: string): string {
  return el("line", { x1, y1: y, x2, y2: y, stroke, "stroke-dasharray": dash });
}
