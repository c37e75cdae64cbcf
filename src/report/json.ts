/**
 * JSON output: exactly one object; non-finite numbers become null and each
 * one is explained by a diagnostic appended to the top-level `diagnostics`.
 * The text is safe to embed verbatim in an HTML <script> element (see
 * scriptSafe), so an HTML report can carry the very bytes `--format json` prints.
 */
import type { Diagnostic } from "../core/diagnostics.ts";

export function toJson(result: object): string {
  const nonFinite: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === "number") {
      if (Number.isFinite(value)) return value;
      nonFinite.push(`${path} (${Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf"})`);
      return null;
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number>, (v, i) => walk(v, `${path}[${i}]`));
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = walk(v, path ? `${path}.${k}` : k);
      }
      return out;
    }
    return value;
  };
  const clean = walk(result, "") as Record<string, unknown>;
  const diagnostics = [...((clean.diagnostics as Diagnostic[] | undefined) ?? [])];
  if (nonFinite.length > 0) {
    diagnostics.push({
      code: "non-finite",
      severity: "warning",
      message: `not finite, written as null: ${nonFinite.join(", ")}`,
    });
  }
  clean.diagnostics = diagnostics;
  return scriptSafe(JSON.stringify(clean, null, 2)) + "\n";
}

/**
 * JSON text that cannot end or confuse an HTML <script> element: "</script"
 * becomes "<\/script" and "<!--" becomes "\u003c!--". Both occur only inside
 * strings (JSON has no "<" elsewhere) and are valid escapes there, so the
 * parsed value is unchanged.
 */
export function scriptSafe(json: string): string {
  return json.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "\\u003c!--");
}
