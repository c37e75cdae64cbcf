import assert from "node:assert/strict";
import { InputError } from "../../src/core/errors.ts";
import type { Dataset } from "../../src/data/dataset.ts";

/** What a CSV read gave, as plain data to compare: the columns, or the message of its input error. */
export type ReadOutcome = { error: string } | { names: readonly string[]; nRows: number; columns: { kind: string; values: unknown[] }[] };

/**
 * Runs `read` and returns its outcome. An error must be an InputError; with
 * `bundled`, the reader comes from a bundle with its own InputError class, so
 * the error is recognised by its class's name.
 */
export function readOutcome(read: () => Dataset, bundled = false): ReadOutcome {
  try {
    const d = read();
    return {
      names: d.names,
      nRows: d.nRows,
      columns: d.names.map((n) => {
        const c = d.columns.get(n)!;
        return { kind: c.kind, values: Array.from(c.values as ArrayLike<unknown>) };
      }),
    };
  } catch (e) {
    assert.ok(bundled ? e instanceof Error && e.name === new InputError("").name : e instanceof InputError, String(e));
    return { error: (e as Error).message };
  }
}
