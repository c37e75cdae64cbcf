/** The crtkit version, read once from package.json (two levels above src/simulate and dist/simulate). */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function crtkitVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
      cached = typeof pkg.version === "string" ? pkg.version : "unknown";
    } catch {
      cached = "unknown";
    }
  }
  return cached;
}
