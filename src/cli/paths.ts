/**
 * Output paths are checked before a command computes anything, so a typo in
 * --out never costs a long computation's result.
 */
import { closeSync, existsSync, openSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../core/errors.ts";
import { ensureDirectory } from "../simulate/make-directory.ts";

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { EACCES: "permission denied", EPERM: "not permitted", EROFS: "read-only file system", ENOENT: "cannot be created there" };
  return code ? (words[code] ?? code) : (e as Error).message;
}

/** Checks that `path` can be written as a file (creating nothing that stays behind). */
export function checkOutputFile(path: string, option: string): void {
  const label = `--${option} '${path}'`;
  if (path === "") throw new InputError(`--${option} needs a file name`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new InputError(`${label} is a directory; give a file name`);
    try {
      closeSync(openSync(path, "r+"));
    } catch (e) {
      throw new InputError(`cannot write ${label}: ${reason(e)}`);
    }
    return;
  }
  const parent = dirname(resolve(path));
  if (!existsSync(parent)) throw new InputError(`cannot write ${label}: the folder '${dirname(path)}' does not exist`);
  if (!statSync(parent).isDirectory()) throw new InputError(`cannot write ${label}: '${dirname(path)}' is not a folder`);
  try {
    closeSync(openSync(path, "wx"));
  } catch (e) {
    throw new InputError(`cannot write ${label}: ${reason(e)}`);
  }
  unlinkSync(path);
}

/** Creates the output directory `path` if needed and checks that files can be created in it. */
export function prepareOutputDirectory(path: string, option: string): void {
  if (path === "") throw new InputError(`--${option} needs a directory name`);
  ensureDirectory(path, `--${option}`);
  const probe = join(path, `.crtkit-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    throw new InputError(`cannot write in --${option} directory '${path}': ${reason(e)}`);
  }
}
