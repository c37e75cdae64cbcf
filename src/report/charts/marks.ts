/**
 * Marks in pixel coordinates: rectangles, lines, points, rules, intervals and
 * bands. Scales turn data into pixels before these are called.
 */
import { num } from "./format.ts";
import { el, pathData } from "./svg.ts";
import type { Shape } from "./theme.ts";

/** A rectangle from two corners in any order, so negative bars need no special case. */
export function rect(x0: number, y0: number, x1: number, y1: number, fill: string, stroke?: string): string {
  return el("rect", {
    x: Math.min(x0, x1),
    y: Math.min(y0, y1),
    width: Math.abs(x1 - x0),
    height: Math.abs(y1 - y0),
    fill,
    stroke,
    "stroke-width": stroke ? 0.75 : undefined,
  });
}

export interface StrokeStyle {
  readonly stroke: string;
  readonly width?: number;
  readonly dash?: string;
  readonly opacity?: number;
}

/** A line through the points; `null` entries break it into separate runs. */
export function linePath(points: readonly ([number, number] | null)[], style: StrokeStyle): string {
  const runs: [number, number][][] = [[]];
  for (const p of points) {
    if (p === null) runs.push([]);
    else runs[runs.length - 1].push(p);
  }
  const d = runs.filter((r) => r.length > 0).map(pathData).join("");
  if (d === "") return "";
  return el("path", {
    d,
    fill: "none",
    stroke: style.stroke,
    "stroke-width": style.width ?? 1.5,
    "stroke-dasharray": style.dash,
    "stroke-opacity": style.opacity,
    "stroke-linejoin": "round",
  });
}

export interface PointStyle {
  readonly shape?: Shape;
  readonly fill: string;
  readonly stroke?: string;
  /** Radius of the circle of equal visual weight, in px. */
  readonly size?: number;
}

/** A marker centred on (x, y); shapes let series differ without colour. */
export function point(x: number, y: number, style: PointStyle): string {
  const r = style.size ?? 3;
  const paint = { fill: style.fill, stroke: style.stroke, "stroke-width": style.stroke ? 1 : undefined };
  switch (style.shape ?? "circle") {
    case "circle":
      return el("circle", { cx: x, cy: y, r, ...paint });
    case "square":
      return el("rect", { x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, ...paint });
    case "triangle":
      return el("path", { d: `M${num(x)},${num(y - r * 1.2)}L${num(x + r * 1.1)},${num(y + r * 0.8)}L${num(x - r * 1.1)},${num(y + r * 0.8)}Z`, ...paint });
    case "diamond":
      return el("path", { d: `M${num(x)},${num(y - r * 1.3)}L${num(x + r * 1.1)},${num(y)}L${num(x)},${num(y + r * 1.3)}L${num(x - r * 1.1)},${num(y)}Z`, ...paint });
  }
}

/** A straight line segment (reference lines, gridlines). */
export function rule(x1: number, y1: number, x2: number, y2: number, style: StrokeStyle): string {
  return el("line", { x1, y1, x2, y2, stroke: style.stroke, "stroke-width": style.width, "stroke-dasharray": style.dash });
}

/**
 * An error bar from `from` to `to` at position `at`, with end caps of
 * half-length `cap`. Horizontal bars run along x (forest plots).
 */
export function interval(orientation: "horizontal" | "vertical", at: number, from: number, to: number, style: StrokeStyle, cap = 0): string {
  const d =
    orientation === "horizontal"
      ? `M${num(from)},${num(at)}L${num(to)},${num(at)}` + (cap > 0 ? `M${num(from)},${num(at - cap)}L${num(from)},${num(at + cap)}M${num(to)},${num(at - cap)}L${num(to)},${num(at + cap)}` : "")
      : `M${num(at)},${num(from)}L${num(at)},${num(to)}` + (cap > 0 ? `M${num(at - cap)},${num(from)}L${num(at + cap)},${num(from)}M${num(at - cap)},${num(to)}L${num(at + cap)},${num(to)}` : "");
  return el("path", { d, fill: "none", stroke: style.stroke, "stroke-width": style.width ?? 1.25, "stroke-dasharray": style.dash });
}

/** A filled band between an upper and a lower edge given at the same x positions. */
export function band(xs: readonly number[], upper: readonly number[], lower: readonly number[], fill: string, opacity = 0.2): string {
  if (xs.length < 2) return "";
  const top = xs.map((x, i) => [x, upper[i]] as [number, number]);
  const bottom = xs.map((x, i) => [x, lower[i]] as [number, number]).reverse();
  return el("path", { d: `${pathData([...top, ...bottom])}Z`, fill, "fill-opacity": opacity, stroke: "none" });
}
