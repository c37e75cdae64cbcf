/**
 * Gaussian kernel density estimates and the density chart (e.g. a posterior
 * per chain). The arithmetic avoids Math.exp and Math.pow, whose last bits may
 * differ between JavaScript engines, so curves are identical everywhere.
 */
import { describe } from "./frame.ts";
import { formatShort } from "./format.ts";
import { orderedKeys } from "./facet.ts";
import { renderLines } from "./lines.ts";
import type { DensitySpec, LineSeries } from "./types.ts";

const LN2 = Math.LN2;
const SQRT_2PI = 2.5066282746310002;

/** e^(−t) for t ≥ 0 from basic arithmetic: t = k·ln2 + r, then a Taylor series in r. */
function expNeg(t: number): number {
  if (t > 700) return 0;
  const k = Math.round(t / LN2);
  const r = t - k * LN2;
  // |r| ≤ ln2 / 2, so 18 terms leave an error far below double precision.
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= 18; i++) {
    term *= -r / i;
    sum += term;
  }
  for (let i = 0; i < k; i++) sum *= 0.5;
  return sum;
}

/** n^(1/5) by Newton's method from above, which decreases monotonically to the root. */
function fifthRoot(n: number): number {
  let y = Math.max(1, n);
  for (let i = 0; i < 500; i++) {
    const next = (4 * y + n / (y * y * y * y)) / 5;
    if (!(next < y)) break;
    y = next;
  }
  return y;
}

/** Quantile by linear interpolation between order statistics (sorted input). */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Silverman's rule of thumb, 0.9 · min(sd, IQR / 1.34) · n^(−1/5), falling
 * back to the sd, then to a tenth of |value| (or 1) when the spread is zero.
 */
export function silvermanBandwidth(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return 1;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1)) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  const iqr = (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 1.34;
  const spread = Math.min(sd, iqr) > 0 ? Math.min(sd, iqr) : sd > 0 ? sd : Math.abs(mean) > 0 ? Math.abs(mean) / 10 : 1;
  return (0.9 * spread) / fifthRoot(n);
}

export interface KernelDensityOptions {
  /** Kernel standard deviation (default: Silverman's rule). */
  readonly bandwidth?: number;
  /** Grid points (default 128, at least 2). */
  readonly points?: number;
}

export interface KernelDensity {
  /** Evenly spaced grid from min − 3h to max + 3h. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly bandwidth: number;
  /** Finite values used. */
  readonly n: number;
}

/** Gaussian kernel density of the finite values on a fixed grid; empty without values. */
export function kernelDensity(values: readonly number[], options: KernelDensityOptions = {}): KernelDensity {
  const data = values.filter((v) => Number.isFinite(v));
  const n = data.length;
  const h = options.bandwidth !== undefined && options.bandwidth > 0 && Number.isFinite(options.bandwidth) ? options.bandwidth : silvermanBandwidth(data);
  if (n === 0) return { x: [], y: [], bandwidth: h, n };
  const count = Math.max(2, Math.floor(options.points ?? 128));
  const min = data.reduce((a, b) => Math.min(a, b), Infinity);
  const max = data.reduce((a, b) => Math.max(a, b), -Infinity);
  const lo = min - 3 * h;
  const step = (max + 3 * h - lo) / (count - 1);
  const x: number[] = [];
  const y: number[] = [];
  const scale = 1 / (n * h * SQRT_2PI);
  for (let i = 0; i < count; i++) {
    const at = lo + i * step;
    let sum = 0;
    for (const v of data) {
      const u = (at - v) / h;
      sum += expNeg(0.5 * u * u);
    }
    x.push(at);
    y.push(sum * scale);
  }
  return { x, y, bandwidth: h, n };
}

export function renderDensity(spec: DensitySpec): string {
  const input = spec.series ?? [];
  const curves = input.map((s) => ({ series: s, kde: kernelDensity(s.values, { bandwidth: spec.bandwidth, points: spec.points }) }));
  const skipped = input.reduce((n, s) => n + s.values.filter((v) => !Number.isFinite(v)).length, 0);
  const series: LineSeries[] = curves.map(({ series: s, kde }) => ({
    name: s.name,
    facet: s.facet,
    points: kde.x.map((x, i) => ({ x, y: kde.y[i] })),
  }));
  const facets = orderedKeys(input.map((s) => s.facet ?? ""), spec.facets);
  const describeDensity = () => {
    const items = curves
      .filter((c) => c.kde.n > 0)
      .map(({ series: s, kde }) => {
        const mode = kde.x[kde.y.indexOf(Math.max(...kde.y))];
        const where = facets.length > 1 && s.facet ? `${s.facet} ` : "";
        return `${where}${s.name} n = ${kde.n}, mode ${formatShort(mode)}`;
      });
    const refs = (spec.references ?? []).filter((r) => Number.isFinite(r.value)).map((r) => `${r.label ?? "reference"} at ${formatShort(r.value)}`);
    const notes = skipped > 0 ? [`${skipped} non-finite value${skipped === 1 ? "" : "s"} left out`] : [];
    const names = orderedKeys(input.map((s) => s.name));
    return describe(spec, `Density plot of ${names.length} series${facets.length > 1 ? ` in ${facets.length} panels` : ""}`, [...refs, ...items], notes);
  };
  return renderLines(
    {
      id: spec.id,
      title: spec.title,
      description: spec.description,
      width: spec.width,
      showTitle: spec.showTitle,
      kind: "lines",
      series,
      xLabel: spec.xLabel,
      yLabel: "Density",
      references: (spec.references ?? []).map((r) => ({ ...r, axis: "x" as const })),
      facets: spec.facets,
      columns: spec.columns,
      panelHeight: spec.panelHeight,
      independentX: spec.independentX,
      independentY: spec.independentY,
    },
    { kind: "density", includeY: [0], describe: describeDensity },
  );
}
