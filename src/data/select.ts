/** Row subsets of a dataset (e.g. one arm of a trial), keeping every column's type. */
import { dataset, type Column, type Dataset } from "./dataset.ts";

/**
 * The dataset made of `rows` (0-based, in the order given).
 *
 * @example
 * const control = selectRows(data, Int32Array.of(0, 1, 5));
 */
export function selectRows(data: Dataset, rows: Int32Array): Dataset {
  const columns: Column[] = data.names.map((name) => {
    const col = data.columns.get(name)!;
    if (col.kind === "numeric") return { name, kind: "numeric", values: Float64Array.from(rows, (r) => col.values[r]) };
    return { name, kind: "text", values: Array.from(rows, (r) => col.values[r]) };
  });
  return dataset(columns);
}
