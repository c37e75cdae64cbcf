/**
 * Text width estimated from a fixed table of sans-serif advance widths (in em),
 * so layout never depends on the fonts of the machine that renders. The values
 * approximate common UI sans-serif fonts and lean slightly wide, so that
 * estimated space is rarely too small.
 */

const WIDTH_CLASSES: readonly (readonly [string, number])[] = [
  [" ijl.,:;'!|`\u2009", 0.28],
  ["ftrI()[]{}-/\\\"*", 0.36],
  ["ckszvxyJ", 0.52],
  ["abdeghnopqu0123456789$_#?\u2013\u03b4\u03bc\u03c3\u03b1\u03b2\u03c4\u03c1", 0.57],
  ["+=<>~^\u2212\u00b1\u00d7", 0.6],
  ["LFTZ", 0.63],
  ["ABEKPSVXY&", 0.68],
  ["CDHNRUw", 0.74],
  ["GOQ", 0.79],
  ["mM%", 0.86],
  ["W@\u2014\u2026", 1.0],
];

const WIDTHS = new Map<string, number>();
for (const [chars, width] of WIDTH_CLASSES) for (const ch of chars) WIDTHS.set(ch, width);

/** Advance width of one character in em; unknown characters count as wide-ish, CJK as full width. */
function charWidth(ch: string): number {
  const known = WIDTHS.get(ch);
  if (known !== undefined) return known;
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x2e80 ? 1.0 : 0.62;
}

/** Estimated width in px of `text` set at `fontSize` px. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch);
  return em * fontSize;
}

export interface FittedText {
  readonly text: string;
  /** True when characters were dropped and "…" appended. */
  readonly truncated: boolean;
}

/** Shortens `text` with a trailing "…" until its estimated width fits `maxWidth`. */
export function fitText(text: string, maxWidth: number, fontSize: number): FittedText {
  if (textWidth(text, fontSize) <= maxWidth) return { text, truncated: false };
  const chars = Array.from(text);
  const budget = maxWidth - textWidth("\u2026", fontSize);
  let width = 0;
  let kept = 0;
  while (kept < chars.length && width + charWidth(chars[kept]) * fontSize <= budget) {
    width += charWidth(chars[kept]) * fontSize;
    kept++;
  }
  return { text: chars.slice(0, kept).join("").trimEnd() + "\u2026", truncated: true };
}
