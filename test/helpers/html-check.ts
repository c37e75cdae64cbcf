/**
 * Checks an HTML report is self-contained and carries its result: exactly one
 * script (the embedded JSON), no reference to any other origin, the expected
 * charts present by id. Returns the embedded JSON text for byte comparison.
 */
import assert from "node:assert/strict";

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

export interface HtmlCheck {
  /** The text of the embedded result script, exactly as in the file. */
  readonly resultJson: string;
  /** Ids of every <svg> element. */
  readonly svgIds: readonly string[];
}

export function checkHtmlReport(html: string, expectedCharts: readonly string[] = []): HtmlCheck {
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  assert.match(html, /@page \{ size: A4;/);
  assert.match(html, /@media print/);

  // One script only: the JSON result (a script element ends at the first "</script", whatever its case).
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script/gi)];
  assert.equal(scripts.length, 1, `expected exactly one <script>, found ${scripts.length}`);
  assert.equal(scripts[0][1], ' type="application/json" id="crtkit-result"');
  assert.equal((html.match(/<script/gi) ?? []).length, 1, "a <script tag outside the JSON element");
  const resultJson = scripts[0][2];
  JSON.parse(resultJson);

  // No other origin: no http(s) URL but the SVG namespace, no protocol-relative or scheme links,
  // no url() but same-document references, no @import, no event handlers, no <link>/<img>/<iframe>.
  const outside = html.replace(resultJson, "");
  const urls = [...outside.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*/gi)].map((m) => m[0]).filter((u) => u !== SVG_NAMESPACE);
  assert.deepEqual(urls, [], "URLs in the report");
  for (const [, name, value] of outside.matchAll(/\s(href|src|srcset|action|xlink:href|poster|data)\s*=\s*"([^"]*)"/gi)) {
    assert.ok(name.toLowerCase() === "href" && value.startsWith("#"), `${name}="${value}" is not a link inside the document`);
  }
  for (const [, target] of outside.matchAll(/url\(\s*([^)]*)\)/gi)) assert.match(target, /^['"]?#/, `url(${target})`);
  assert.doesNotMatch(outside, /@import|<link\b|<img\b|<iframe\b|<object\b|<embed\b|\son[a-z]+\s*=/i);
  assert.doesNotMatch(outside.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ""), /["'(=\s]\/\/[^\s]/, "a protocol-relative reference");

  const svgIds = [...html.matchAll(/<svg\b[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of expectedCharts) assert.ok(svgIds.includes(id), `chart '${id}' missing; found ${svgIds.join(", ")}`);
  assert.equal(new Set(svgIds).size, svgIds.length, "chart ids repeat");
  return { resultJson, svgIds };
}
