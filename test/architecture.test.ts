/**
 * Layering: no import cycle between source files, and none between the
 * top-level folders of src/ (a folder cycle means two concerns cannot be
 * understood, tested or moved apart). Reads the sources directly; relative
 * `import`/`export … from` specifiers only, `import type` included.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

// A statement that starts a line: `import …`, `import type …`, `export … from`,
// spanning lines until its specifier; also bare `import "./x.ts"`.
const STATEMENT = /^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.[^"']*)["']|^\s*import\s*["'](\.[^"']*)["']/gm;

function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const targets: string[] = [];
  for (const match of text.matchAll(STATEMENT)) {
    const specifier = match[1] ?? match[2];
    if (specifier !== undefined) targets.push(resolve(dirname(file), specifier));
  }
  return targets;
}

type Graph = Map<string, Set<string>>;

/** One cycle per strongly connected component with more than one node (or a self-loop). */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set<string>();
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.add(member);
    } while (member !== node);
    if (component.size > 1 || graph.get(node)?.has(node)) found.push(cyclePath(graph, node, component));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** A concrete path start → … → start inside one component (breadth-first, so it is short). */
function cyclePath(graph: Graph, start: string, component: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

const files = sourceFiles(SRC);
const fileGraph: Graph = new Map(files.map((file) => [relative(SRC, file), new Set<string>()]));
for (const file of files) {
  for (const target of relativeImports(file)) fileGraph.get(relative(SRC, file))!.add(relative(SRC, target));
}

/** Top-level folder of a src-relative path; files directly in src/ stand for themselves. */
const folderOf = (path: string): string => path.split(sep)[0]!;

const folderGraph: Graph = new Map();
for (const [from, targets] of fileGraph) {
  const edges = folderGraph.get(folderOf(from)) ?? new Set<string>();
  folderGraph.set(folderOf(from), edges);
  for (const to of targets) if (folderOf(to) !== folderOf(from)) edges.add(folderOf(to));
}

const describe = (found: string[][]): string => found.map((cycle) => cycle.join(" → ")).join("\n");

test("the import parser sees the sources and their relative imports", () => {
  assert.ok(files.length > 50, `only ${files.length} source files found under ${SRC}`);
  const edges = [...fileGraph.values()].reduce((sum, targets) => sum + targets.size, 0);
  assert.ok(edges > files.length, `only ${edges} import edges found`);
  for (const targets of fileGraph.values()) {
    for (const target of targets) assert.ok(fileGraph.has(target), `import of a missing file: ${target}`);
  }
});

test("no import cycle between source files", () => {
  const found = cycles(fileGraph);
  assert.equal(found.length, 0, `import cycles between files:\n${describe(found)}`);
});

test("no import cycle between top-level folders of src/", () => {
  const found = cycles(folderGraph);
  assert.equal(found.length, 0, `import cycles between folders:\n${describe(found)}`);
});
