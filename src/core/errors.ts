/**
 * Two kinds of failure, kept apart so the CLI can choose its exit code:
 * bad input (the caller can fix it; exit 2) and a failure while computing
 * (exit 1). Messages always name the column, row, cluster or value at fault.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}

export class ComputeError extends Error {
  override readonly name = "ComputeError";
}

/** Throws an InputError with `message` unless `condition` holds. */
export function require(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InputError(typeof message === "string" ? message : message());
}
