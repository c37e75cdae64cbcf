/**
 * Builds the browser app: one self-contained HTML file, app/dist/crtkit.html,
 * with its styles and script inline. The analysis worker is bundled first
 * (IIFE) and carried in the page's script as a string, from which the page
 * starts it through a Blob URL: a module or file-based worker is refused
 * under file://. The Content-Security-Policy admits only that inline
 * script (by its hash), the blob: worker and inline styles, and no
 * connection at all.
 *
 *   npm run app            # build and print the file's size
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const APP = dirname(fileURLToPath(import.meta.url));
export const APP_FILE = join(APP, "dist", "crtkit.html");

/** Bundles one entry of app/src as a minified browser IIFE. */
async function bundle(entry: string, define: Record<string, string>): Promise<string> {
  const result = await build({
    absWorkingDir: join(APP, ".."),
    entryPoints: [join(APP, "src", entry)],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    conditions: ["source"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    define,
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

/**
 * Script text safe inside a <script> element: "</script" would end it and
 * "<!--" change how the HTML parser reads it. Minified code has them only
 * inside strings, regular expressions and template literals, where "\x3C"
 * and "<\/" mean the same characters.
 */
function inlineSafe(text: string, what: string): string {
  const safe = text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "\\x3C!--");
  const bad = /<\/script|<!--/i.exec(safe);
  if (bad) throw new Error(`${what} contains '${bad[0]}' at ${bad.index}; it cannot be inlined`);
  return safe;
}

export interface BuiltApp {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export async function buildApp(path = APP_FILE): Promise<BuiltApp> {
  const version = (JSON.parse(readFileSync(join(APP, "..", "package.json"), "utf8")) as { version: string }).version;
  const worker = await bundle("worker.ts", { __CRTKIT_VERSION__: JSON.stringify(version) });
  const script = inlineSafe(
    (await bundle("main.ts", { __WORKER_SOURCE__: JSON.stringify(worker), __CRTKIT_VERSION__: JSON.stringify(version) })).trim(),
    "the page script",
  );
  const hash = createHash("sha256").update(script).digest("base64");
  // 'unsafe-inline' is for browsers without CSP hashes; the others run only the script of this hash.
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}' 'unsafe-inline' blob:`,
    "worker-src blob:",
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
  const page = readFileSync(join(APP, "src", "page.html"), "utf8")
    .replace("%CSP%", () => csp)
    .replaceAll("%VERSION%", () => version)
    .replace("/*%STYLE%*/", () => readFileSync(join(APP, "src", "style.css"), "utf8").trim())
    .replace("/*%SCRIPT%*/", () => script);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, page);
  const bytes = Buffer.byteLength(page);
  return { path, bytes, gzipBytes: gzipSync(page, { level: 9 }).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildApp();
  const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`${built.path}: ${kib(built.bytes)} (${kib(built.gzipBytes)} gzipped)`);
}
