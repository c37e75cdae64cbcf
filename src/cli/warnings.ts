/** The warning and error diagnostics of a result, wherever they sit in its JSON, for stderr. */

function isDiagnostic(x: unknown): x is { severity: string; message: string } {
  return typeof x === "object" && x !== null && typeof (x as { message?: unknown }).message === "string" && typeof (x as { severity?: unknown }).severity === "string";
}

/** Messages of every warning/error diagnostic in `json` (top-level and nested `diagnostics` arrays), once each, in order. */
export function warningMessages(json: unknown): string[] {
  const seen = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    if (typeof x !== "object" || x === null) return;
    for (const [key, value] of Object.entries(x)) {
      if (key === "diagnostics" && Array.isArray(value)) {
        for (const d of value) if (isDiagnostic(d) && (d.severity === "warning" || d.severity === "error")) seen.add(d.message);
      } else {
        visit(value);
      }
    }
  };
  visit(json);
  return [...seen];
}
