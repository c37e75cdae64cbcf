/**
 * Number and text formatting for SVG output. Everything here is exact and
 * engine-independent: `toFixed` is fully specified by ECMAScript, so the same
 * number gives the same characters in Node and in every browser.
 */

/** The minus sign used in visible labels (a hyphen looks too short next to digits). */
export const MINUS = "\u2212";

/** A coordinate or length: at most `decimals` decimals, trailing zeros trimmed, never "-0". */
export function num(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) throw new Error(`chart coordinate is not finite: ${value}`);
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  return trimmed === "-0" ? "0" : trimmed;
}

/** How values are shown on axes and in labels. */
export type ValueFormat = "number" | "percent";

/** A value for people with a fixed number of decimals and a true minus sign. */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "\u221e" : `${MINUS}\u221e`;
  const text = value.toFixed(Math.max(0, Math.min(20, decimals)));
  // "-0.00" rounds to zero: show it without a sign.
  if (/^-[0.]*$/.test(text)) return text.slice(1);
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

/** A value in the chosen format: percent multiplies by 100 and appends "%". */
export function formatValue(value: number, decimals: number, format: ValueFormat = "number"): string {
  if (format === "percent") {
    return Number.isFinite(value) ? `${formatFixed(value * 100, decimals - 2)}%` : formatFixed(value, 0);
  }
  return formatFixed(value, decimals);
}

/** A value in a sentence: three significant digits, whole numbers from 1000 on. */
export function formatShort(value: number): string {
  if (!Number.isFinite(value)) return formatFixed(value, 0);
  if (Math.abs(value) >= 1000) return formatFixed(value, 0);
  const text = value.toPrecision(3);
  const trimmed = text.includes("e") ? value.toFixed(6) : text;
  return formatFixed(Number(trimmed), trimmed.includes(".") ? trimmed.replace(/0+$/, "").split(".")[1].length : 0);
}

/** An estimate with its interval, e.g. "0.41 [0.12, 0.70]". */
export function formatInterval(estimate: number, low: number, high: number, decimals: number, format: ValueFormat = "number"): string {
  const f = (v: number) => formatValue(v, decimals, format);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return f(estimate);
  return `${f(estimate)} [${f(low)}, ${f(high)}]`;
}

/** Characters XML forbids even when escaped (C0 controls other than tab, newline, return). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const FORBIDDEN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text for element content and attribute values alike. */
export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** 32-bit FNV-1a of the UTF-16 code units, in base 36: short and stable. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * The chart id as an XML id prefix: letters, digits, "-" and "_", starting
 * with a letter. When characters had to be replaced a hash of the original is
 * appended, so "a b" and "a-b" still give different prefixes.
 */
export function sanitizeId(id: string): string {
  let clean = id.replace(/[^A-Za-z0-9_-]/g, "-");
  if (!/^[A-Za-z]/.test(clean)) clean = `c-${clean}`;
  return clean === id ? clean : `${clean}-${shortHash(id)}`;
}

/** Joins sentence parts into at most `maxLength` characters, ending in "…" and a count when cut. */
export function joinLimited(parts: readonly string[], separator: string, maxLength: number): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const next = out === "" ? parts[i] : out + separator + parts[i];
    const rest = parts.length - i - 1;
    const tail = rest > 0 ? `${separator}… and ${rest} more` : "";
    if (next.length + tail.length > maxLength && out !== "") {
      return `${out}${separator}… and ${parts.length - i} more`;
    }
    out = next;
  }
  return out;
}
