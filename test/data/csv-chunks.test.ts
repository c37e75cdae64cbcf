import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import { InputError } from "../../src/core/errors.ts";
import { MISSING_CELLS, readCsv, readCsvChunks, readCsvFile } from "../../src/data/csv.ts";
import { columnFromCells, dataset, type Dataset } from "../../src/data/dataset.ts";
import { readOutcome } from "../helpers/read-outcome.ts";

/** The reader as it was: the whole text parsed to rows, then typed column by column. */
function wholeTextReader(text: string, source = "the data"): Dataset {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new InputError(`${source}: cannot read CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new InputError(`${source} is empty: no header row`);
  const header = records[0];
  if (records.length === 1) throw new InputError(`${source} has a header but no data rows`);
  header.forEach((name, j) => {
    if (name === "") throw new InputError(`${source}: header column ${j + 1} has no name`);
  });
  return dataset(header.map((name, j) => columnFromCells(name, records.slice(1).map((r) => (MISSING_CELLS.has(r[j]) ? null : r[j])))));
}

function pieces(bytes: Buffer, size: number): (emit: (chunk: Buffer) => void) => void {
  return (emit) => {
    // Copies, as a file reader hands over fresh buffers.
    for (let i = 0; i < bytes.length; i += size) emit(Buffer.from(bytes.subarray(i, i + size)));
  };
}

const TRICKY: Record<string, string> = {
  plain: "cluster,A,Y\n1,0,2.5\n1,0,NA\n2,1,.\n2,1,\n",
  quotes: 'id,label,x\n1,"a, ""quoted"" b",3\n2,"multi\nline",4\n3,"",5\n',
  crlf: "a,b\r\n1,2\r\n3,NA\r\n\r\n5,6\r\n",
  bom: "\ufeffa,b\n1,2\n",
  spaces: "a , b\n 1 ,  2.50 \n\t3,-4e2\n",
  missingOnly: "a,b\n,NA\n.,\n",
  lateText: "a,b,c\n1,x,1.50\n2.0,y,2\n1e1,z,NA\n007,w,later\n",
  lateTextAfterMissing: "a,b\nNA,1\n,2\nx,3\n",
  noFinalNewline: "a,b\n1,2\n3,4",
  utf8: "név,ville\n1,Zürich\n2,東京\n3,😀 smile\n",
  numbersOdd: "a,b\n+1,.5\n-0,1.\n1E+3,Inf\n0x10,1e\n",
  blankLines: "\n\na,b\n\n1,2\n\n",
  ragged: "a,b\n1,2\n3\n",
  raggedLong: "a,b\n1,2\n3,4,5\n",
  duplicate: "a,a\n1,2\n",
  emptyName: "a,,c\n1,2,3\n",
  headerOnly: "a,b\n",
  empty: "",
  bomOnly: "\ufeff",
  unclosedQuote: 'a,b\n1,"2\n3,4\n',
  badClosingQuote: 'a,b\n1,"2"x\n',
  emptyNameThenRagged: "a,\n1,2\n3\n",
};

test("the chunked reader equals the whole-text reader on tricky inputs, split at every byte", () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    const expected = readOutcome(() => wholeTextReader(text));
    assert.deepStrictEqual(readOutcome(() => readCsv(text)), expected, name);
    const bytes = Buffer.from(text);
    for (let size = 1; size <= bytes.length + 1; size++) {
      assert.deepStrictEqual(readOutcome(() => readCsvChunks(pieces(bytes, size))), expected, `${name}, pieces of ${size} bytes`);
    }
  }
});

test("readCsv keeps a surrogate pair whole when the text is split", () => {
  // Puts a 4-byte character across the reader's 2^18-character split.
  const rows = ["id,label"];
  let length = rows[0].length + 1;
  for (let i = 1; length < (1 << 18) + 100; i++) {
    const row = `${i},${i % 97 === 0 ? "x😀y" : "😀"}`;
    rows.push(row);
    length += row.length + 1;
  }
  const text = rows.join("\n") + "\n";
  for (const shift of [0, 1, 2, 3]) {
    const t = "x".repeat(shift) + text;
    assert.deepStrictEqual(readOutcome(() => readCsv(t)), readOutcome(() => wholeTextReader(t)), `shift ${shift}`);
  }
});

test("readCsvFile equals readCsv on the file's text, and a numeric column turning text late keeps its raw cells", () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-csv-"));
  try {
    const lines = ["id,x,late,label"];
    for (let i = 0; i < 300000; i++) {
      const late = i === 299999 ? "end" : i % 3 === 0 ? "1.50" : i % 3 === 1 ? "NA" : String(i);
      lines.push(`${i},${(i * 0.37).toFixed(3)},${late},"g ${i % 7}"`);
    }
    const text = lines.join("\r\n");
    const path = join(dir, "big.csv");
    writeFileSync(path, text);
    const fromFile = readOutcome(() => readCsvFile(path));
    assert.deepStrictEqual(fromFile, readOutcome(() => wholeTextReader(text, `'${path}'`)));
    assert.ok(!("error" in fromFile));
    const late = fromFile.columns[2];
    assert.equal(late.kind, "text");
    assert.deepStrictEqual(late.values.slice(0, 4), ["1.50", null, "2", "1.50"]);
    assert.equal(fromFile.columns[1].kind, "numeric");

    writeFileSync(path, "a,b\n1,2\n3\n");
    assert.deepStrictEqual(readOutcome(() => readCsvFile(path)), readOutcome(() => wholeTextReader("a,b\n1,2\n3\n", `'${path}'`)));
    // The file's bytes go to the parser undecoded, so its BOM detection also reads UTF-16LE.
    writeFileSync(path, Buffer.from("\ufeffa,b\n1,NA\n", "utf16le"));
    assert.deepStrictEqual(readOutcome(() => readCsvFile(path)), readOutcome(() => readCsv("a,b\n1,NA\n")));
    assert.throws(() => readCsvFile(join(dir, "missing.csv")), /cannot read data file '.*missing\.csv': ENOENT/);
    assert.throws(() => readCsvFile(dir), /cannot read data file '.*': EISDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
