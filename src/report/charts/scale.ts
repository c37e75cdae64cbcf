/**
 * Linear scales with "nice" 1-2-5 ticks, and band scales for categories.
 * Only IEEE basic arithmetic is used (no Math.log10 or Math.pow, whose last
 * bits may differ between JavaScript engines), so every engine computes the
 * same ticks.
 */

/** 10^exponent, exact for exponents ≥ 0 up to 22, one correctly rounded division below 0. */
function pow10(exponent: number): number {
  let p = 1;
  for (let i = 0; i < Math.abs(exponent); i++) p *= 10;
  return exponent >= 0 ? p : 1 / p;
}

export interface NiceStep {
  /** The step: 1, 2 or 5 times 10^exponent. */
  readonly step: number;
  readonly mantissa: 1 | 2 | 5;
  readonly exponent: number;
  /** Decimals needed to print multiples of the step exactly. */
  readonly decimals: number;
}

/** The 1-2-5 step nearest (on a log scale) to `span / count`, so there are roughly `count` intervals. */
export function niceStep(span: number, count: number): NiceStep {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return { step: 1, mantissa: 1, exponent: 0, decimals: 0 };
  let exponent = 0;
  while (raw >= pow10(exponent + 1)) exponent++;
  while (raw < pow10(exponent)) exponent--;
  const residual = raw / pow10(exponent);
  // Cut points are the geometric means √2, √10 and √50 of neighbouring steps.
  let mantissa: 1 | 2 | 5 = 1;
  if (residual >= 7.0710678) exponent++;
  else if (residual >= 3.1622777) mantissa = 5;
  else if (residual >= Math.SQRT2) mantissa = 2;
  return { step: multiple(1, mantissa, exponent), mantissa, exponent, decimals: Math.max(0, -exponent) };
}

/** i × mantissa × 10^exponent with one rounding, so 3 × 0.1 prints as 0.3. */
function multiple(i: number, mantissa: number, exponent: number): number {
  return exponent >= 0 ? i * mantissa * pow10(exponent) : (i * mantissa) / pow10(-exponent);
}

// Tolerance in step units, so that 0.30000000000000004 counts as a tick at 0.3.
const EPS = 1e-9;

export interface NiceTicks {
  readonly ticks: readonly number[];
  readonly domain: readonly [number, number];
  readonly decimals: number;
}

/** Ticks for [min, max]; with `extend` the domain grows to the enclosing ticks. */
export function niceTicks(min: number, max: number, count: number, extend = true): NiceTicks {
  const s = niceStep(max - min, count);
  const unit = s.mantissa * pow10(s.exponent);
  const first = extend ? Math.floor(min / unit + EPS) : Math.ceil(min / unit - EPS);
  const last = extend ? Math.ceil(max / unit - EPS) : Math.floor(max / unit + EPS);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(multiple(i, s.mantissa, s.exponent));
  const domain: [number, number] = extend ? [multiple(first, s.mantissa, s.exponent), multiple(last, s.mantissa, s.exponent)] : [min, max];
  return { ticks, domain, decimals: s.decimals };
}

export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly ticks: readonly number[];
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
  map(value: number): number;
}

export interface LinearScaleOptions {
  /** Values that must lie inside the domain (e.g. 0 for bars, a reference line). */
  readonly include?: readonly number[];
  /** Fixed domain instead of one computed from the values. */
  readonly domain?: readonly [number, number];
  /** Approximate number of tick intervals. */
  readonly tickCount?: number;
  /** Extend the domain to the enclosing ticks (default true). */
  readonly nice?: boolean;
}

/** The finite extent of the values plus `include`, widened when it is a single point. */
export function extent(values: readonly number[], include: readonly number[] = []): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of [...values, ...include]) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return [0, 1];
  if (min === max) {
    // A single value: pad by a tenth of its size (or 1 around zero) so it is not on the frame.
    const pad = min === 0 ? 1 : Math.abs(min) / 10;
    return [min - pad, max + pad];
  }
  return [min, max];
}

export function linearScale(values: readonly number[], range: readonly [number, number], options: LinearScaleOptions = {}): LinearScale {
  const count = options.tickCount ?? 5;
  let domain: readonly [number, number];
  let ticks: NiceTicks;
  if (options.domain && options.domain[1] > options.domain[0]) {
    domain = options.domain;
    ticks = niceTicks(domain[0], domain[1], count, false);
  } else {
    const [min, max] = extent(values, options.include);
    ticks = niceTicks(min, max, count, options.nice ?? true);
    domain = ticks.domain;
  }
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return {
    domain,
    range,
    ticks: ticks.ticks,
    decimals: ticks.decimals,
    map: (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0),
  };
}

/** About one tick interval per `spacing` px, at least two. */
export function tickCountFor(length: number, spacing: number): number {
  return Math.max(2, Math.floor(length / spacing));
}

export interface BandScale {
  readonly count: number;
  /** Distance between the starts of neighbouring bands. */
  readonly step: number;
  readonly bandwidth: number;
  start(index: number): number;
  center(index: number): number;
}

/** `count` equal bands across `range`, separated by `paddingInner` and inset by `paddingOuter` (fractions of a step). */
export function bandScale(count: number, range: readonly [number, number], paddingInner = 0.2, paddingOuter = 0.1): BandScale {
  const [r0, r1] = range;
  const step = (r1 - r0) / Math.max(1, count - paddingInner + 2 * paddingOuter);
  const bandwidth = step * (1 - paddingInner);
  const start = (index: number) => r0 + step * paddingOuter + index * step;
  return { count, step, bandwidth, start, center: (index) => start(index) + bandwidth / 2 };
}

/** The same domain and ticks mapped onto another pixel range (one scale shared by several panels). */
export function rescale(scale: LinearScale, range: readonly [number, number]): LinearScale {
  const [d0, d1] = scale.domain;
  const [r0, r1] = range;
  return { ...scale, range, map: (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0) };
}
