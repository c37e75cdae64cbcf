/** Creating an output directory safely. */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../core/errors.ts";

/**
 * Creates directory `path` and any missing parents, one level at a time (a
 * recursive mkdir never returns on some special file systems, e.g. /proc).
 * `what` names the path in errors, e.g. "--out".
 */
export function ensureDirectory(path: string, what = "the output directory"): void {
  const missing: string[] = [];
  let p = resolve(path);
  while (!existsSync(p)) {
    missing.unshift(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) throw new InputError(`${what} '${path}': '${p}' is not a directory`);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && statSync(d).isDirectory()) continue;
      throw new InputError(`${what} '${path}': cannot create the directory '${d}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
}
