/**
 * The <svg> root every chart shares: size, accessible name and description,
 * the inline font, the visible title, and the "no data" placeholder.
 */
import { escapeXml, joinLimited, sanitizeId } from "./format.ts";
import { el, lines, text } from "./svg.ts";
import { theme } from "./theme.ts";
import type { ChartBase, ChartKind } from "./types.ts";

/** The longest generated description; longer ones end in "… and N more". */
const MAX_DESCRIPTION = 320;
const MIN_WIDTH = 240;

export function chartWidth(spec: ChartBase): number {
  const width = spec.width ?? theme.defaultWidth;
  return Number.isFinite(width) ? Math.max(MIN_WIDTH, Math.round(width)) : theme.defaultWidth;
}

/** Ids inside one chart: all start with the sanitized chart id. */
export interface IdMaker {
  readonly prefix: string;
  make(suffix: string): string;
}

export function idMaker(spec: ChartBase): IdMaker {
  const prefix = sanitizeId(spec.id);
  return { prefix, make: (suffix) => `${prefix}-${suffix}` };
}

/** Height of the visible title block (0 when hidden). */
export function titleHeight(spec: ChartBase): number {
  return spec.showTitle === false || spec.title === "" ? 0 : theme.titleSize + 12;
}

export function titleText(spec: ChartBase, width: number): string {
  if (titleHeight(spec) === 0) return "";
  return text(spec.title, {
    x: theme.padding,
    y: theme.padding,
    baseline: "hanging",
    size: theme.titleSize,
    weight: "bold",
    maxWidth: width - 2 * theme.padding,
  });
}

/**
 * The description: the spec's own, or `lead` followed by the data items
 * (cut to a sensible length), then notes such as skipped values.
 */
export function describe(spec: ChartBase, lead: string, items: readonly string[], notes: readonly string[] = []): string {
  if (spec.description !== undefined) return spec.description;
  const body = items.length > 0 ? `${lead}: ${joinLimited(items, "; ", MAX_DESCRIPTION - lead.length)}.` : `${lead}.`;
  return [body, ...notes.map((n) => `${n[0].toUpperCase()}${n.slice(1)}.`)].join(" ");
}

export interface Document {
  readonly kind: ChartKind;
  readonly width: number;
  readonly height: number;
  readonly description: string;
  readonly body: readonly string[];
  /** <defs> content (clip paths), already using prefixed ids. */
  readonly defs?: readonly string[];
}

export function svgDocument(spec: ChartBase, ids: IdMaker, doc: Document): string {
  const height = Math.ceil(doc.height);
  const defs = doc.defs && doc.defs.length > 0 ? el("defs", {}, lines(doc.defs)) : "";
  const content = lines([
    el("title", { id: ids.make("title") }, escapeXml(spec.title)),
    el("desc", { id: ids.make("desc") }, escapeXml(doc.description)),
    defs,
    titleText(spec, doc.width),
    ...doc.body,
  ]);
  return (
    el(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        id: ids.prefix,
        class: `crtkit-chart crtkit-${doc.kind}`,
        width: doc.width,
        height,
        viewBox: `0 0 ${doc.width} ${height}`,
        role: "img",
        "aria-labelledby": `${ids.make("title")} ${ids.make("desc")}`,
        "font-family": theme.fontFamily,
        "font-size": theme.fontSize,
        fill: theme.textColor,
      },
      `\n${content}\n`,
    ) + "\n"
  );
}

/** A small chart saying there is nothing to draw, instead of an error. */
export function noDataChart(spec: ChartBase, kind: ChartKind, what: string, notes: readonly string[] = []): string {
  const ids = idMaker(spec);
  const width = chartWidth(spec);
  const top = titleHeight(spec) + theme.padding;
  const boxHeight = 48;
  const body = [
    el("rect", { x: theme.padding, y: top, width: width - 2 * theme.padding, height: boxHeight, fill: "none", stroke: theme.gridColor }),
    text("No data", { x: width / 2, y: top + boxHeight / 2, baseline: "middle", anchor: "middle", fill: theme.mutedText, italic: true }),
  ];
  const description = describe(spec, `${what}: no data to show`, [], notes);
  return svgDocument(spec, ids, { kind, width, height: top + boxHeight + theme.padding, description, body });
}

export interface Clip {
  /** The <clipPath> element for <defs>. */
  readonly def: string;
  /** Value of a clip-path attribute that applies it. */
  readonly ref: string;
}

/** A rectangular clip path with a prefixed id, for marks that may leave a fixed domain. */
export function clipRect(ids: IdMaker, name: string, x: number, y: number, width: number, height: number): Clip {
  const id = ids.make(`clip-${name}`);
  return { def: el("clipPath", { id }, el("rect", { x, y, width, height })), ref: `url(#${id})` };
}
