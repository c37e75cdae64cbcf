/**
 * The CSV reader bundled for a browser (csv-parse's browser build) gives the
 * Dataset, or the error, that Node's file reader gives for the same bytes.
 * The bundle runs here in Node: it is plain JavaScript.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Dataset } from "../../src/data/dataset.ts";
import { readCsv, readCsvFile } from "../../src/data/csv.ts";
import { readOutcome } from "../helpers/read-outcome.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: (Uint8Array | number[])[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

const INPUTS: Record<string, Uint8Array> = {
  plain: utf8("cluster,A,Y\n1,0,2.5\n1,0,NA\n2,1,.\n2,1,\n"),
  quotes: utf8('id,label,x\n1,"a, ""quoted"" b",3\n2,"multi\nline",4\n3,"",5\n'),
  crlf: utf8("a,b\r\n1,2\r\n3,NA\r\n\r\n5,6\r\n"),
  bom: utf8("\ufeffa,b\n1,2\n"),
  twoBoms: utf8("\ufeff\ufeffa,b\n1,2\n"),
  utf16le: bytes([0xff, 0xfe], Buffer.from("a,b\r\n1,NA\n2,Zürich\n", "utf16le")),
  spaces: utf8("a , b\n 1 ,  2.50 \n\t3,-4e2\n"),
  lateText: utf8("a,b,c\n1,x,1.50\n2.0,y,2\n1e1,z,NA\n007,w,later\n"),
  lateTextAfterMissing: utf8("a,b\nNA,1\n,2\nx,3\n"),
  noFinalNewline: utf8("a,b\n1,2\n3,4"),
  unicode: utf8("név,ville\n1,Zürich\n2,東京\n3,😀 smile\n"),
  invalidUtf8: bytes(utf8("a,b\n1,x"), [0xe2, 0x2c, 0xff], utf8("\n2,"), [0xc3], utf8("\n")),
  numbersOdd: utf8("a,b\n+1,.5\n-0,1.\n1E+3,Inf\n0x10,1e\n"),
  blankLines: utf8("\n\na,b\n\n1,2\n\n"),
  ragged: utf8("a,b\n1,2\n3\n"),
  duplicate: utf8("a,a\n1,2\n"),
  emptyName: utf8("a,,c\n1,2,3\n"),
  headerOnly: utf8("a,b\n"),
  empty: utf8(""),
  unclosedQuote: utf8('a,b\n1,"2\n3,4\n'),
  badClosingQuote: utf8('a,b\n1,"2"x\n'),
  semicolons: utf8("a;b\n1;2\n"),
};

/** A text longer than the reader's 2^18-character pieces, with surrogate pairs across them. */
function longText(): string {
  const rows = ["id,label,x"];
  for (let i = 0; i < 40000; i++) rows.push(`${i},${i % 7 === 0 ? '"😀, x"' : `g${i % 13}`},${i % 11 === 0 ? "NA" : (i * 0.1).toFixed(1)}`);
  return rows.join("\n") + "\n";
}

test("the browser bundle of the CSV reader reads bytes as Node's file reader does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crtkit-csv-browser-"));
  try {
    const result = await build({
      absWorkingDir: ROOT,
      stdin: { contents: 'export { readCsv, readCsvBytes } from "./src/data/csv-reader.ts";', resolveDir: ROOT, loader: "ts" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    assert.ok(Object.keys(result.metafile.inputs).some((p) => p.startsWith("node_modules/csv-parse/dist/esm/")), "bundled with csv-parse's browser build");
    const bundlePath = join(dir, "reader.mjs");
    writeFileSync(bundlePath, result.outputFiles[0].text);
    const browser = (await import(pathToFileURL(bundlePath).href)) as { readCsv: typeof readCsv; readCsvBytes: (b: Uint8Array, s?: string) => Dataset };

    const inputs = { ...INPUTS, long: utf8(longText()) };
    for (const [name, data] of Object.entries(inputs)) {
      const path = join(dir, `${name}.csv`);
      writeFileSync(path, data);
      const expected = readOutcome(() => readCsvFile(path));
      assert.deepStrictEqual(readOutcome(() => browser.readCsvBytes(data, `'${path}'`), true), expected, name);
      if (name !== "utf16le" && name !== "invalidUtf8") {
        const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(data);
        assert.deepStrictEqual(readOutcome(() => browser.readCsv(text, `'${path}'`), true), readOutcome(() => readCsv(text, `'${path}'`)), `${name} as text`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
