import { parseNumber, type Column } from "./dataset.ts";

/** Block sizes double from 1024 values up to BLOCK, so small files stay small. */
const BLOCK = 1 << 16;

/**
 * Collects one column cell by cell and types it as `columnFromCells` would:
 * numbers go straight into Float64Array blocks while every cell is a number
 * (or missing); the first other cell turns the column into text. Fixed-size
 * blocks joined once at the end allocate about twice the column, where a
 * doubling array would allocate three times.
 *
 * A text column keeps the raw cells, but cells read as numbers before the
 * switch are gone by then; `needsRawCells` says so, and the caller reads
 * the column again (`restartAsText`). Text cells repeating earlier values share
 * one string, which keeps label columns small.
 */
export class ColumnBuilder {
  readonly name: string;
  length = 0;
  /** The column turned text after a number: its raw cells must be read again. */
  needsRawCells = false;
  private blocks: Float64Array[] = [];
  private block = new Float64Array(1024);
  private used = 0;
  private sawNumber = false;
  private texts: (string | null)[] | null = null;
  private readonly seen = new Map<string, string>();

  constructor(name: string) {
    this.name = name;
  }

  /** Appends a cell (null = missing). */
  push(cell: string | null): void {
    if (this.texts !== null) {
      this.texts.push(cell === null ? null : this.shared(cell));
      this.length++;
      return;
    }
    let x = NaN;
    if (cell !== null) {
      x = parseNumber(cell);
      if (Number.isNaN(x)) {
        this.toText(cell);
        return;
      }
      this.sawNumber = true;
    }
    if (this.used === this.block.length) {
      this.blocks.push(this.block);
      this.block = new Float64Array(Math.min(BLOCK, 2 * this.block.length));
      this.used = 0;
    }
    this.block[this.used++] = x;
    this.length++;
  }

  /** Empties a column that `needsRawCells`, to be filled again with every raw cell. */
  restartAsText(): void {
    this.texts = [];
    this.length = 0;
    this.needsRawCells = false;
  }

  column(): Column {
    if (this.texts !== null) return { name: this.name, kind: "text", values: this.texts };
    const values = new Float64Array(this.length);
    let offset = 0;
    for (const b of this.blocks) {
      values.set(b, offset);
      offset += b.length;
    }
    values.set(this.block.subarray(0, this.used), offset);
    return { name: this.name, kind: "numeric", values };
  }

  private toText(cell: string): void {
    this.needsRawCells = this.sawNumber;
    this.texts = new Array<string | null>(this.length).fill(null);
    this.texts.push(this.shared(cell));
    this.length++;
    this.blocks = [];
    this.block = new Float64Array(0);
  }

  // Bounded, so a column of unique values does not also fill a map.
  private shared(cell: string): string {
    const known = this.seen.get(cell);
    if (known !== undefined) return known;
    if (this.seen.size < 10000) this.seen.set(cell, cell);
    return cell;
  }
}
