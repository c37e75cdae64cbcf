/**
 * The analysis worker: reads the chosen file with the library's CSV reader
 * and runs the library on it, away from the page's thread, so the page stays
 * responsive and Cancel can terminate it. Answers are plain data and HTML.
 */
import "./use-node-math.ts";
import { analysisReport, analyzeHtml, analyzeMissingModifier, readCsvBytes, renderCsv, renderHtmlDocument, toJson, type Dataset } from "crtkit/core";
import { warningMessages } from "../../src/cli/warnings.ts";
import { failed } from "../../src/missing/methods.ts";
import { analyzeCommandWords, analyzeOptions, shellLine } from "./analysis-options.ts";
import { designAnswer } from "./design.ts";
import { escapeHtml, tableBox } from "./html.ts";
import { missingChart, missingnessAnswer } from "./missingness.ts";
import { CRTKIT_VERSION, sha256Hex, withProvenance } from "./provenance.ts";
import type { AnalysisAnswer, Answers, FileData, Inspection, Reply, Request } from "./protocol.ts";
import { renderReport } from "./report.ts";
import { describeColumns, guessRoles } from "./roles.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ id: number; request: Request }>) => void) | null;
  postMessage(message: Reply): void;
}
const scope = self as unknown as WorkerScope;

/** The last file read (and its hash), kept while the same file is analysed again. */
let cached: { id: number; data: Dataset; sha256?: Promise<string> } | null = null;

function datasetOf(file: FileData): Dataset {
  if (cached?.id !== file.id) {
    cached = null;
    cached = { id: file.id, data: readCsvBytes(new Uint8Array(file.bytes), `'${file.name}'`) };
  }
  return cached.data;
}

function sha256Of(file: FileData): Promise<string> {
  datasetOf(file);
  cached!.sha256 ??= sha256Hex(file.bytes);
  return cached!.sha256;
}

/** Builds the HTML report of the last analysis this worker ran. */
let lastHtml: (() => string) | null = null;

const PREVIEW_ROWS = 8;

function inspect(file: FileData): Inspection {
  const start = performance.now();
  const data = datasetOf(file);
  const columns = describeColumns(data);
  const head = columns
    .map((c) => `<th scope="col"><span class="name">${escapeHtml(c.name)}</span><span class="type">${c.binary ? "0/1" : c.kind}${c.nMissing > 0 ? `, ${c.nMissing} missing` : ""}</span></th>`)
    .join("");
  const rows: string[] = [];
  for (let i = 0; i < Math.min(PREVIEW_ROWS, data.nRows); i++) {
    const cells = data.names.map((name) => {
      const col = data.columns.get(name)!;
      const v = col.values[i];
      const text = v === null || (typeof v === "number" && Number.isNaN(v)) ? "NA" : String(v);
      return `<td${col.kind === "numeric" ? ' class="num"' : ""}>${escapeHtml(text)}</td>`;
    });
    rows.push(`<tr>${cells.join("")}</tr>`);
  }
  const caption = `The first ${Math.min(PREVIEW_ROWS, data.nRows)} of ${data.nRows} rows, with each column's type`;
  const previewHtml = tableBox(`<thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody>`, caption, "preview");
  return { nRows: data.nRows, columns, previewHtml, guess: guessRoles(data, columns), seconds: (performance.now() - start) / 1000 };
}

/** The analysis steps in the library's order: cca, then each other method under each imputation model. */
function stepLabels(methods: readonly string[], models: readonly string[]): string[] {
  return [...(methods.includes("cca") ? ["cca"] : []), ...models.flatMap((m) => methods.filter((x) => x !== "cca").map((x) => `${x} ${m}`))];
}

async function analyze(file: FileData, request: Extract<Request, { kind: "analyze" }>, progress: (fraction: number, label: string) => void): Promise<AnalysisAnswer> {
  const start = performance.now();
  lastHtml = null;
  progress(0, "reading the file");
  const data = datasetOf(file);
  const options = analyzeOptions(request.values);
  const steps = stepLabels(options.methods ?? [], options.imputation);
  let done = 0;
  progress(0, `preparing the data; then ${steps[0] ?? "the analysis"}`);
  const analysisStart = performance.now();
  const result = analyzeMissingModifier(data, {
    ...options,
    onProgress: (fraction, label) => {
      done++;
      progress(fraction, done < steps.length ? `finished ${label}; running ${steps[done]}` : `finished ${label}`);
    },
  });
  const analysisSeconds = (performance.now() - analysisStart) / 1000;
  const report = analysisReport(result);
  const inputSha256 = await sha256Of(file);
  const resultJson = toJson(withProvenance(report.json, inputSha256, options.seed));
  // The file `crtkit analyze … --report FILE.html` writes, from the same builder, when asked for.
  lastHtml = () => {
    const command = shellLine(analyzeCommandWords(file.name, request.values), true);
    const content = analyzeHtml(JSON.parse(resultJson), result.traces, { command: "analyze", options: request.values, dataPath: file.name, data, positionals: [] });
    return renderHtmlDocument(content, {
      resultJson,
      commandLine: command,
      reproduceCommand: command,
      crtkitVersion: CRTKIT_VERSION,
      nodeVersion: "none: computed by the crtkit browser app",
      inputSha256,
      seed: options.seed,
      time: new Date().toISOString(),
    });
  };
  return {
    resultJson,
    csv: renderCsv(report.summary),
    reportHtml: renderReport(resultJson, report.summary, { fileName: file.name }),
    warnings: warningMessages(report.json),
    failed: result.results.filter(failed).length,
    seconds: (performance.now() - start) / 1000,
    analysisSeconds,
  };
}

async function answer(request: Request, progress: (fraction: number, label: string) => void): Promise<Answers[Request["kind"]]> {
  switch (request.kind) {
    case "inspect":
      return inspect(request.file);
    case "missing-chart":
      return missingChart(datasetOf(request.file), request.roles, request.width);
    case "analyze":
      return analyze(request.file, request, progress);
    case "missingness": {
      const start = performance.now();
      const out = missingnessAnswer(datasetOf(request.file), request.values, request.file.name, request.width, await sha256Of(request.file));
      return { ...out, seconds: (performance.now() - start) / 1000 };
    }
    case "design":
      return { html: designAnswer(request.input) };
    case "analysis-html":
      if (lastHtml === null) throw new Error("no analysis has run in this worker");
      return lastHtml();
  }
}

scope.onmessage = async (event) => {
  const { id, request } = event.data;
  try {
    const value = await answer(request, (fraction, label) => scope.postMessage({ id, type: "progress", fraction, label }));
    scope.postMessage({ id, type: "result", value });
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
    scope.postMessage({ id, type: "error", error });
  }
};
