/**
 * Small multiples: panels laid out in a grid of equal cells, each cell a
 * header line with the panel title above a plot area. Axes are the caller's.
 */
import { text } from "./svg.ts";
import { theme } from "./theme.ts";

export interface Cell {
  readonly index: number;
  readonly row: number;
  readonly column: number;
  /** Plot area in px. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GridOptions {
  readonly count: number;
  readonly columns: number;
  /** Left edge and top of the grid. */
  readonly left: number;
  readonly top: number;
  /** Total width of the grid. */
  readonly width: number;
  readonly plotHeight: number;
  /** Space left of each plot area (y tick labels), right of it, and below it (x axis). */
  readonly insetLeft: number;
  readonly insetRight: number;
  readonly insetBottom: number;
  /** Space above each plot area for the panel title (0 for none). */
  readonly header: number;
  readonly gapY?: number;
}

export interface Grid {
  readonly cells: readonly Cell[];
  /** Total height of the grid. */
  readonly height: number;
}

export function facetGrid(options: GridOptions): Grid {
  const columns = Math.max(1, Math.min(options.columns, options.count));
  const rows = Math.ceil(options.count / columns);
  const cellWidth = options.width / columns;
  const gapY = options.gapY ?? 10;
  const cellHeight = options.header + options.plotHeight + options.insetBottom;
  const cells: Cell[] = [];
  for (let index = 0; index < options.count; index++) {
    const row = Math.floor(index / columns);
    const column = index % columns;
    cells.push({
      index,
      row,
      column,
      x: options.left + column * cellWidth + options.insetLeft,
      y: options.top + row * (cellHeight + gapY) + options.header,
      width: Math.max(10, cellWidth - options.insetLeft - options.insetRight),
      height: options.plotHeight,
    });
  }
  return { cells, height: rows * cellHeight + (rows - 1) * gapY };
}

/** Header space for panel titles when there is more than one panel. */
export function headerHeight(panelCount: number, titled: boolean): number {
  return panelCount > 1 || titled ? theme.fontSize + 10 : 0;
}

/** The panel title, left-aligned above the plot area. */
export function panelTitle(title: string, cell: Cell): string {
  return text(title, { x: cell.x, y: cell.y - 7, weight: "bold", maxWidth: cell.width });
}

/** Distinct values: those named in `order` first (if present), then the rest in order of first appearance. */
export function orderedKeys(values: readonly string[], order?: readonly string[]): string[] {
  const seen = [...new Set(values)];
  if (!order) return seen;
  const used = new Set(seen);
  const first = order.filter((k) => used.has(k));
  return [...new Set([...first, ...seen])];
}
