/**
 * Fonts, sizes and colours shared by every chart. The palette is Okabe–Ito,
 * ordered so that neighbouring series also differ in lightness when printed in
 * greyscale; series additionally differ by dash pattern and marker shape.
 */

export const theme = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  /** Tick labels, category labels, legend entries. */
  fontSize: 11,
  titleSize: 14,
  axisTitleSize: 11,
  textColor: "#222222",
  mutedText: "#555555",
  axisColor: "#666666",
  gridColor: "#e3e3e3",
  referenceColor: "#444444",
  highlightFill: "#f0f0f0",
  defaultWidth: 640,
  /** Outer padding around the whole chart. */
  padding: 8,
  /** Row height of forest plots and horizontal bars. */
  rowHeight: 20,
} as const;

/** Okabe–Ito colours: blue, orange, bluish green, vermillion, reddish purple, sky blue, black, yellow. */
export const palette: readonly string[] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

export function seriesColor(index: number): string {
  return palette[index % palette.length];
}

/** Dash patterns per series: solid, dashed, dotted, dash-dot, long dash. */
const DASHES: readonly (string | undefined)[] = [undefined, "6 3", "2 2", "6 2 2 2", "10 3"];

export function seriesDash(index: number): string | undefined {
  return DASHES[index % DASHES.length];
}

export type Shape = "circle" | "square" | "triangle" | "diamond";
const SHAPES: readonly Shape[] = ["circle", "square", "triangle", "diamond"];

export function seriesShape(index: number): Shape {
  return SHAPES[index % SHAPES.length];
}
