/** SVG charts for reports: declarative specs rendered to deterministic, self-contained SVG. */
export { renderChart } from "./render.ts";
export { kernelDensity, silvermanBandwidth, type KernelDensity, type KernelDensityOptions } from "./density.ts";
export type {
  AxisReference,
  BarDatum,
  BarsSpec,
  ChartBase,
  ChartKind,
  ChartSpec,
  DensitySeries,
  DensitySpec,
  ForestRow,
  ForestSpec,
  LinePoint,
  LineSeries,
  LinesSpec,
  MarkedPoint,
  PointIntervalDatum,
  PointIntervalPanel,
  PointIntervalsSpec,
  ReferenceLine,
} from "./types.ts";
export type { ValueFormat } from "./format.ts";
