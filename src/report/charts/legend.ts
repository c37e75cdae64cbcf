/**
 * A horizontal legend that wraps onto more rows when it is wider than the
 * chart. Swatches repeat the series' colour, dash and marker, so the legend
 * still works in greyscale.
 */
import { linePath, point, rect } from "./marks.ts";
import { group, text } from "./svg.ts";
import { textWidth } from "./text.ts";
import { theme, type Shape } from "./theme.ts";

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** "rect" for bars, "line" for lines (with an optional marker), "point" for markers alone. */
  readonly swatch: "rect" | "line" | "point";
  readonly dash?: string;
  readonly shape?: Shape;
}

const SWATCH = 18;
const GAP = 5;
const ITEM_GAP = 14;
const ROW = 16;
const MAX_LABEL = 160;

interface Placed {
  readonly item: LegendItem;
  readonly x: number;
  readonly row: number;
}

function place(items: readonly LegendItem[], maxWidth: number): Placed[] {
  const placed: Placed[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const width = SWATCH + GAP + Math.min(MAX_LABEL, textWidth(item.label, theme.fontSize));
    if (x > 0 && x + width > maxWidth) {
      row++;
      x = 0;
    }
    placed.push({ item, x, row });
    x += width + ITEM_GAP;
  }
  return placed;
}

/** Height the legend takes (0 without items), including space below it. */
export function legendHeight(items: readonly LegendItem[], maxWidth: number): number {
  if (items.length === 0) return 0;
  const rows = place(items, maxWidth).reduce((m, p) => Math.max(m, p.row), 0) + 1;
  return rows * ROW + 6;
}

function swatch(item: LegendItem, x: number, cy: number): string {
  if (item.swatch === "rect") return rect(x + 4, cy - 5, x + 14, cy + 5, item.color);
  const marker = item.shape ? point(x + SWATCH / 2, cy, { shape: item.shape, fill: item.color }) : "";
  if (item.swatch === "point") return marker;
  return linePath([[x, cy], [x + SWATCH, cy]], { stroke: item.color, dash: item.dash, width: 2 }) + marker;
}

/** The legend with its top-left corner at (x, y). */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): string {
  const parts = place(items, maxWidth).map(({ item, x: dx, row }) => {
    const cy = y + row * ROW + ROW / 2;
    return swatch(item, x + dx, cy) + text(item.label, { x: x + dx + SWATCH + GAP, y: cy, baseline: "middle", maxWidth: MAX_LABEL });
  });
  return group({ class: "legend" }, parts);
}
