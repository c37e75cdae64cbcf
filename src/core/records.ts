/** One row of a coefficient table (docs/cli.md: `Coefficient`). `df` is null for a normal reference. */
export interface Coefficient {
  readonly term: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly statistic: number;
  readonly df: number | null;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
}

/** A single estimate with its inference (docs/cli.md: `Estimate`). */
export interface Estimate {
  readonly estimate: number;
  readonly stdError: number;
  readonly df: number | null;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
}
