import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeXml, formatFixed, formatShort, formatValue, joinLimited, num, sanitizeId } from "../../src/report/charts/format.ts";
import { kernelDensity, renderChart, silvermanBandwidth, type ChartSpec } from "../../src/report/charts/index.ts";
import { bandScale, extent, linearScale, niceStep, niceTicks } from "../../src/report/charts/scale.ts";
import { fitText, textWidth } from "../../src/report/charts/text.ts";

const forest: ChartSpec = {
  kind: "forest",
  id: "f",
  title: "Forest",
  reference: 0,
  rows: [
    { label: "CCA", estimate: 0.41, low: 0.12, high: 0.7, highlight: true, panel: "HTE" },
    { label: "MI", estimate: 0.45, low: 0.2, high: 0.69, group: "model A", panel: "HTE" },
    { label: "MI", estimate: 1.1, low: 0.9, high: 1.3, group: "model A", panel: "ATE" },
  ],
  domain: [-1, 2],
};

const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);

test("nice steps are 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceStep(1, 5).step, 0.2);
  assert.equal(niceStep(10, 4).step, 2);
  assert.equal(niceStep(0.07, 5).step, 0.01);
  assert.equal(niceStep(12345, 5).step, 2000);
  assert.equal(niceStep(1, 1).step, 1);
  assert.equal(niceStep(50, 2).step, 20);
});

test("nice ticks are exact decimals and the domain encloses the data", () => {
  assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 0.3, 3).ticks, [0, 0.1, 0.2, 0.3]);
  const t = niceTicks(-0.37, 0.52, 5);
  assert.deepEqual(t.domain, [-0.4, 0.6]);
  assert.deepEqual(t.ticks, [-0.4, -0.2, 0, 0.2, 0.4, 0.6]);
  assert.equal(t.decimals, 1);
  assert.deepEqual(niceTicks(1, 200, 4, false).ticks, [50, 100, 150, 200]);
});

test("scales include zero and reference values, and pad a single value", () => {
  assert.deepEqual(extent([5]), [4.5, 5.5]);
  assert.deepEqual(extent([0]), [-1, 1]);
  assert.deepEqual(extent([NaN, Infinity]), [0, 1]);
  const s = linearScale([0.41, 0.7], [0, 100], { include: [0, 1] });
  assert.deepEqual(s.domain, [0, 1]);
  assert.equal(s.map(0.5), 50);
  const fixed = linearScale([5], [0, 10], { domain: [0, 2] });
  assert.deepEqual(fixed.domain, [0, 2]);
  const b = bandScale(4, [0, 100], 0, 0);
  assert.equal(b.bandwidth, 25);
  assert.equal(b.center(3), 87.5);
});

test("coordinates have at most two decimals, no trailing zeros and no negative zero", () => {
  assert.equal(num(1.5), "1.5");
  assert.equal(num(2), "2");
  assert.equal(num(100), "100");
  assert.equal(num(10.1049), "10.1");
  assert.equal(num(-0.001), "0");
  assert.equal(num(-3.14259), "-3.14");
  assert.throws(() => num(NaN), /not finite/);
});

test("labels use fixed decimals and a true minus sign", () => {
  assert.equal(formatFixed(-1.5, 2), "\u22121.50");
  assert.equal(formatFixed(-0.001, 2), "0.00");
  assert.equal(formatValue(0.25, 2, "percent"), "25%");
  assert.equal(formatValue(0.125, 3, "percent"), "12.5%");
  assert.equal(formatShort(0.41234), "0.412");
  assert.equal(formatShort(0.5), "0.5");
  assert.equal(formatShort(12345.6), "12346");
  assert.equal(formatShort(-0.0001234), "\u22120.000123");
});

test("text is escaped for content and attributes, forbidden characters dropped", () => {
  assert.equal(escapeXml(`a & b < c > d " e ' f`), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  assert.equal(escapeXml("x\u0001y"), "xy");
  const svg = renderChart({ kind: "bars", id: "x", title: `<script>&"'`, bars: [{ label: "</text>", value: 1 }] });
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("&lt;/text&gt;"));
});

test("ids are sanitized and stay distinct", () => {
  assert.equal(sanitizeId("forest-main"), "forest-main");
  assert.match(sanitizeId("1st chart"), /^c-1st-chart-[0-9a-z]+$/);
  assert.notEqual(sanitizeId("a b"), sanitizeId("a-b"));
  assert.notEqual(sanitizeId("a b"), sanitizeId("a.b"));
});

test("two charts with different ids share no id, and every id carries the prefix", () => {
  const a = renderChart({ ...forest, id: "first" });
  const b = renderChart({ ...forest, id: "second" });
  const idsA = ids(a);
  const idsB = ids(b);
  assert.ok(idsA.length >= 4, "title, desc and clip paths have ids");
  assert.ok(idsA.every((id) => id === "first" || id.startsWith("first-")));
  assert.ok(idsB.every((id) => id === "second" || id.startsWith("second-")));
  assert.deepEqual(idsA.filter((id) => idsB.includes(id)), []);
  assert.equal(new Set(idsA).size, idsA.length, "ids are unique within a chart");
  assert.match(a, /aria-labelledby="first-title first-desc"/);
  assert.match(a, /clip-path="url\(#first-clip-panel-0\)"/);
});

test("rendering is deterministic and survives a JSON round trip", () => {
  const once = renderChart(forest);
  assert.equal(renderChart(forest), once);
  assert.equal(renderChart(JSON.parse(JSON.stringify(forest)) as ChartSpec), once);
});

test("text widths come from the table, and long labels are cut with the full text in a <title>", () => {
  assert.ok(textWidth("WWW", 11) > textWidth("iii", 11));
  assert.equal(textWidth("", 11), 0);
  const fitted = fitText("a very long label indeed", 60, 11);
  assert.ok(fitted.truncated);
  assert.ok(fitted.text.endsWith("\u2026"));
  assert.ok(textWidth(fitted.text, 11) <= 60);
  assert.deepEqual(fitText("short", 100, 11), { text: "short", truncated: false });
  const label = "A label far too long to fit into the space a forest plot gives its row labels";
  const svg = renderChart({ kind: "forest", id: "t", title: "T", rows: [{ label, estimate: 1, low: 0, high: 2 }] });
  assert.ok(svg.includes(`<title>${label}</title>`));
});

test("descriptions summarize the data, are cut with a count, and report skipped values", () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ label: `method ${i}`, estimate: i / 10, low: i / 10 - 0.1, high: i / 10 + 0.1 }));
  const svg = renderChart({ kind: "forest", id: "d", title: "D", rows: [...rows, { label: "bad", estimate: NaN, low: 0, high: 1 }] });
  const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1] ?? "";
  assert.match(desc, /^Forest plot of 40 estimates: method 0 0.00 \[\u22120.10, 0.10\]; /);
  assert.match(desc, /… and \d+ more\. 1 estimate is not finite and not drawn\.$/);
  assert.ok(desc.length < 420);
  assert.equal(joinLimited(["a", "b", "c"], "; ", 100), "a; b; c");
  const own = renderChart({ kind: "bars", id: "o", title: "O", description: "Custom.", bars: [{ label: "a", value: 1 }] });
  assert.match(own, /<desc id="o-desc">Custom\.<\/desc>/);
});

test("empty or all non-finite data gives a small 'no data' chart for every kind", () => {
  const empty: ChartSpec[] = [
    { kind: "bars", id: "a", title: "A", bars: [{ label: "x", value: NaN }] },
    { kind: "forest", id: "b", title: "B", rows: [] },
    { kind: "lines", id: "c", title: "C", series: [{ name: "s", points: [] }] },
    { kind: "density", id: "d", title: "D", series: [] },
    { kind: "pointIntervals", id: "e", title: "E", panels: [{ title: "p", points: [] }] },
  ];
  for (const spec of empty) {
    const svg = renderChart(spec);
    assert.match(svg, />No data</, spec.kind);
    assert.match(svg, /no data to show/, spec.kind);
  }
});

test("negative bars extend left of zero", () => {
  const svg = renderChart({ kind: "bars", id: "n", title: "N", bars: [{ label: "a", value: -2 }, { label: "b", value: 3 }] });
  const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(rects.length, 2);
  assert.ok(Math.abs(rects[0][0] + rects[0][1] - rects[1][0]) < 0.02, "the negative bar ends where the positive one starts");
});

test("a proportion's ±MCSE bars stop at 0 and 1, and so does its axis", () => {
  const spec: ChartSpec = {
    kind: "pointIntervals",
    id: "p",
    title: "Coverage",
    mcseMultiplier: 1.96,
    panels: [{ title: "C = 20", points: [{ method: "a", estimate: 0.004, mcse: 0.004 }, { method: "b", estimate: 0.992, mcse: 0.006 }] }],
  };
  const labels = (svg: string) => [...svg.matchAll(/>(−?\d+(?:\.\d+)?)<\/text>/g)].map((m) => Number(m[1].replace("−", "-")));
  const free = labels(renderChart(spec));
  assert.ok(Math.min(...free) < 0 && Math.max(...free) > 1, "without limits the bars reach past 0 and 1");
  const bounded = labels(renderChart({ ...spec, limits: [0, 1] }));
  assert.ok(bounded.length > 2);
  assert.ok(Math.min(...bounded) >= 0 && Math.max(...bounded) <= 1, `axis labels ${bounded.join(", ")}`);
});

test("the width option scales the chart and the height follows the rows", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `r${i}`, estimate: i, low: i - 1, high: i + 1 }));
  const small = renderChart({ kind: "forest", id: "w", title: "W", width: 400, rows: rows(3) });
  const large = renderChart({ kind: "forest", id: "w", title: "W", width: 400, rows: rows(13) });
  const size = (svg: string) => /width="(\d+)" height="(\d+)"/.exec(svg)?.slice(1).map(Number) ?? [];
  assert.equal(size(small)[0], 400);
  assert.equal(size(large)[1] - size(small)[1], 200);
  assert.match(small, /viewBox="0 0 400 \d+"/);
});

test("kernel density: Silverman's bandwidth, a fixed grid, and area one", () => {
  const values = Array.from({ length: 101 }, (_, i) => Math.sin(i) + i / 50);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const sorted = [...values].sort((a, b) => a - b);
  const iqr = sorted[75] - sorted[25];
  assert.ok(Math.abs(silvermanBandwidth(values) - 0.9 * Math.min(sd, iqr / 1.34) * n ** -0.2) < 1e-12);
  const kde = kernelDensity(values, { points: 256 });
  assert.equal(kde.x.length, 256);
  assert.ok(Math.abs(kde.x[0] - (sorted[0] - 3 * kde.bandwidth)) < 1e-12);
  assert.ok(Math.abs(kde.x[255] - (sorted[n - 1] + 3 * kde.bandwidth)) < 1e-9);
  let area = 0;
  for (let i = 1; i < kde.x.length; i++) area += ((kde.y[i] + kde.y[i - 1]) / 2) * (kde.x[i] - kde.x[i - 1]);
  assert.ok(Math.abs(area - 1) < 0.01, `area ${area}`);
  const single = kernelDensity([0, NaN], { bandwidth: 0.5, points: 3 });
  assert.equal(single.n, 1);
  assert.ok(Math.abs(single.y[1] - 1 / (0.5 * Math.sqrt(2 * Math.PI))) < 1e-15);
  assert.ok(Math.abs(single.y[0] - Math.exp(-4.5) / (0.5 * Math.sqrt(2 * Math.PI))) < 1e-15);
  assert.deepEqual(kernelDensity([]).x, []);
  assert.ok(silvermanBandwidth([3, 3, 3]) > 0, "constant data still gets a bandwidth");
});
