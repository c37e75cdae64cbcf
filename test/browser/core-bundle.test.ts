/**
 * `crtkit/core` bundles for a browser as it is: no module of Node (node:fs,
 * worker_threads, os, crypto, …, with or without the node: prefix) is
 * reachable from src/core.ts. A failure names each such import and the file
 * that makes it.
 */
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILTINS = new Set(builtinModules);

/** Records every import of a Node module instead of failing the build at the first one. */
function nodeImports(found: string[]): Plugin {
  return {
    name: "node-imports",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const name = args.path.replace(/^node:/, "").split("/")[0];
        if (!args.path.startsWith("node:") && !BUILTINS.has(name)) return undefined;
        found.push(`${args.importer.replace(ROOT, "")} imports ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
}

test("src/core.ts bundles for the browser without any Node module", async () => {
  const found: string[] = [];
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/core.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [nodeImports(found)],
  });
  assert.deepEqual(found, [], `Node modules reachable from crtkit/core:\n${found.join("\n")}`);
  const inputs = Object.keys(result.metafile.inputs);
  // The package's browser field swaps csv-parse for its browser build.
  assert.ok(inputs.some((p) => p.startsWith("node_modules/csv-parse/dist/esm/")), inputs.filter((p) => p.includes("csv-parse")).join(", "));
  assert.ok(inputs.includes("src/missing/analyze.ts") && inputs.includes("src/report/charts/render.ts"));
});

test("crtkit is crtkit/core plus the Node-only parts", async () => {
  const core = await import("crtkit/core");
  const full = await import("crtkit");
  for (const name of Object.keys(core)) assert.equal((full as Record<string, unknown>)[name], (core as Record<string, unknown>)[name], name);
  for (const name of ["analyzeMissingModifier", "analysisReport", "diagnoseMissingness", "readCsv", "readCsvBytes", "renderChart", "toJson", "sampleSize", "htePower"]) {
    assert.equal(typeof (core as Record<string, unknown>)[name], "function", name);
  }
  for (const name of ["readCsvFile", "runSimulation"]) {
    assert.equal(name in core, false, name);
    assert.equal(typeof (full as Record<string, unknown>)[name], "function", name);
  }
});
