/**
 * Building SVG markup as strings. Attributes are written in the order the
 * caller lists them, numbers through `num`, text through `escapeXml`, so the
 * same input always gives the same bytes.
 */
import { escapeXml, num } from "./format.ts";
import { fitText } from "./text.ts";
import { theme } from "./theme.ts";

export type AttrValue = string | number | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

function attrText(attrs: Attrs): string {
  let out = "";
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === "number" ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** One element; `content` is markup already (use `escapeXml` for plain text). */
export function el(tag: string, attrs: Attrs, content?: string): string {
  const open = `<${tag}${attrText(attrs)}`;
  return content === undefined || content === "" ? `${open}/>` : `${open}>${content}</${tag}>`;
}

/** Markup parts one per line, empty parts dropped. */
export function lines(parts: readonly string[]): string {
  return parts.filter((p) => p !== "").join("\n");
}

/** A group; empty groups vanish. */
export function group(attrs: Attrs, parts: readonly string[]): string {
  const body = lines(parts);
  return body === "" ? "" : el("g", attrs, `\n${body}\n`);
}

export interface TextOptions {
  readonly x: number;
  readonly y: number;
  readonly size?: number;
  readonly anchor?: "start" | "middle" | "end";
  readonly weight?: "bold";
  readonly fill?: string;
  /** Truncate to this width with "…"; the full text then goes in a <title> child. */
  readonly maxWidth?: number;
  /** Vertical alignment of `y`: the baseline, or the visual middle of the text. */
  readonly baseline?: "alphabetic" | "middle" | "hanging";
  readonly transform?: string;
  readonly italic?: boolean;
}

// Baseline offsets as fractions of the font size instead of dominant-baseline,
// which renderers treat differently (and some print paths ignore).
const BASELINE_SHIFT = { alphabetic: 0, middle: 0.35, hanging: 0.75 } as const;

/** A text label, truncated to `maxWidth` when given. */
export function text(content: string, options: TextOptions): string {
  const size = options.size ?? theme.fontSize;
  const fitted = options.maxWidth === undefined ? { text: content, truncated: false } : fitText(content, options.maxWidth, size);
  const body = fitted.truncated ? `${el("title", {}, escapeXml(content))}${escapeXml(fitted.text)}` : escapeXml(fitted.text);
  return el(
    "text",
    {
      x: options.x,
      y: options.y + BASELINE_SHIFT[options.baseline ?? "alphabetic"] * size,
      "font-size": size === theme.fontSize ? undefined : size,
      "font-weight": options.weight,
      "font-style": options.italic ? "italic" : undefined,
      "text-anchor": options.anchor === "start" || options.anchor === undefined ? undefined : options.anchor,
      fill: options.fill,
      transform: options.transform,
    },
    body === "" ? " " : body,
  );
}

/** The "d" of a polyline through the points. */
export function pathData(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${num(x)},${num(y)}`).join("");
}
