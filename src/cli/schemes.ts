/** Reading an allocation-scheme file named on the command line. */
import { readFileSync } from "node:fs";
import { InputError } from "../core/errors.ts";
import { parseSchemeFile, type SchemeFile } from "../design/scheme-file.ts";

export function readSchemes(path: string): SchemeFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read allocation scheme file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseSchemeFile(text, `allocation scheme file '${path}'`);
}
