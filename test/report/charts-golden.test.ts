/**
 * Golden tests: every spec in test/fixtures/charts/*.json renders exactly to
 * the .svg beside it. UPDATE_GOLDEN=1 rewrites the .svg files instead.
 * Each golden, and every edge-case chart below, is also checked for
 * well-formed XML and self-containment.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { renderChart, type ChartSpec } from "../../src/report/charts/index.ts";

const dir = new URL("../fixtures/charts/", import.meta.url);
const update = process.env.UPDATE_GOLDEN === "1";
const specs = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** Balanced tags, known entities only, quoted attributes: enough to catch broken markup. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    assert.ok(!between.includes("<") && !between.includes(">"), `stray markup before offset ${m.index}: ${between.slice(0, 60)}`);
    const [, closing, name, , selfClosing] = m;
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}> at ${m.index}`);
    else if (!selfClosing) stack.push(name);
    last = tag.lastIndex;
  }
  assert.equal(svg.slice(last).trim(), "", "text after the root element");
  assert.deepEqual(stack, [], "unclosed elements");
  assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;|#39;)/, "unknown entity or raw &");
}

/** No request to anywhere: the only URL is the SVG namespace, the only url() a local id. */
function assertSelfContained(svg: string): void {
  const withoutNamespace = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "");
  assert.doesNotMatch(withoutNamespace, /https?:|href|@import/i);
  const prefix = /<svg[^>]* id="([^"]+)"/.exec(svg)?.[1];
  assert.ok(prefix, "root id");
  for (const m of svg.matchAll(/url\(([^)]*)\)/g)) {
    assert.ok(m[1].startsWith(`#${prefix}-`), `url(${m[1]}) is not a prefixed local id`);
    assert.ok(svg.includes(` id="${m[1].slice(1)}"`), `url(${m[1]}) points to no element`);
  }
}

test("golden fixtures exist for every chart kind", () => {
  const kinds = new Set(specs.map((f) => (JSON.parse(readFileSync(new URL(f, dir), "utf8")) as ChartSpec).kind));
  assert.deepEqual([...kinds].sort(), ["bars", "density", "forest", "lines", "pointIntervals"]);
});

for (const file of specs) {
  test(`golden: ${file}`, () => {
    const spec = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as ChartSpec;
    const svg = renderChart(spec);
    const golden = new URL(file.replace(/\.json$/, ".svg"), dir);
    if (update) writeFileSync(golden, svg);
    assert.ok(existsSync(golden), `missing ${golden.pathname}; run with UPDATE_GOLDEN=1`);
    assert.equal(svg, readFileSync(golden, "utf8"));
    assertWellFormed(svg);
    assertSelfContained(svg);
  });
}

/** Edge cases: nothing to draw, only non-finite values, a single value, negatives, hostile text. */
const edgeCases: ChartSpec[] = [
  { kind: "bars", id: "e1", title: "empty bars", bars: [] },
  { kind: "bars", id: "e2", title: "only NaN", bars: [{ label: "a", value: NaN }] },
  { kind: "bars", id: "e3", title: "single", bars: [{ label: "only", value: 0.4 }], orientation: "vertical" },
  { kind: "bars", id: "e4", title: "negative", bars: [{ label: "a", value: -2 }, { label: "b", value: 3, group: "g" }], reference: { value: -1, label: "ref" } },
  { kind: "forest", id: "e5", title: "empty forest", rows: [] },
  { kind: "forest", id: "e6", title: "one row", rows: [{ label: "x", estimate: 1, low: NaN, high: NaN }], reference: 1, domain: [0, 2] },
  { kind: "lines", id: "e7", title: "empty lines", series: [] },
  { kind: "lines", id: "e8", title: "one point", series: [{ name: "s", points: [{ x: 1, y: 1 }, { x: NaN, y: 2 }] }], yDomain: [0, 2] },
  { kind: "density", id: "e9", title: "empty density", series: [{ name: "s", values: [] }] },
  { kind: "density", id: "e10", title: "constant", series: [{ name: "s", values: [2, 2, 2] }] },
  { kind: "pointIntervals", id: "e11", title: "empty panels", panels: [] },
  { kind: "pointIntervals", id: "e12", title: 'a <b> & "c"', panels: [{ title: "</g>", points: [{ method: "&amp;", estimate: 0.1 }] }] },
];

for (const spec of edgeCases) {
  test(`edge case renders well-formed, self-contained SVG: ${spec.kind} ${spec.title}`, () => {
    const svg = renderChart(spec);
    assertWellFormed(svg);
    assertSelfContained(svg);
  });
}
