/** The warning and error diagnostics of a result, wherever they sit in its JSON, for stderr. */
import { nestedDiagnostics } from "../report/nested-diagnostics.ts";

/** Messages of every warning/error diagnostic in `json` (top-level and nested `diagnostics` arrays), once each, in order. */
export function warningMessages(json: unknown): string[] {
  const serious = nestedDiagnostics(json).filter(({ diagnostic: d }) => d.severity === "warning" || d.severity === "error");
  return [...new Set(serious.map(({ diagnostic }) => diagnostic.message))];
}
