/** Every diagnostic in a result, wherever it sits: the top-level `diagnostics` and those nested in its parts. */
import type { Diagnostic } from "../core/diagnostics.ts";

function isDiagnostic(x: unknown): x is Diagnostic {
  return typeof x === "object" && x !== null && typeof (x as { message?: unknown }).message === "string" && typeof (x as { severity?: unknown }).severity === "string";
}

/** The diagnostics of `json` in document order, with the path of the object that holds each ("" for the top level). */
export function nestedDiagnostics(json: unknown): { readonly path: string; readonly diagnostic: Diagnostic }[] {
  const found: { path: string; diagnostic: Diagnostic }[] = [];
  const visit = (x: unknown, path: string): void => {
    if (Array.isArray(x)) {
      x.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    if (typeof x !== "object" || x === null) return;
    for (const [key, value] of Object.entries(x)) {
      if (key === "diagnostics" && Array.isArray(value)) {
        for (const d of value) if (isDiagnostic(d)) found.push({ path, diagnostic: d });
      } else {
        visit(value, path ? `${path}.${key}` : key);
      }
    }
  };
  visit(json, "");
  return found;
}
