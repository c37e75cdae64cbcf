/**
 * The page: choose a file, check the guessed roles and the options, run the
 * analysis in a worker with progress and Cancel, and read, download or
 * reproduce the results. Everything the library computes runs in workers;
 * this thread only handles the page.
 */
import { AnalysisForm } from "./analysis-form.ts";
import { analyzeCommandWords, shellLine } from "./analysis-options.ts";
import { setUpDesignTab } from "./design-tab.ts";
import { byId, chartWidth, download } from "./dom.ts";
import { figureHtml } from "./html.ts";
import { MissingnessTab } from "./missingness-tab.ts";
import type { AnalysisAnswer, FileData } from "./protocol.ts";
import { setUpTabs } from "./tabs.ts";
import { Cancelled, WorkerClient, WorkerFailure, workerUrl } from "./worker-client.ts";

declare const __WORKER_SOURCE__: string;

const url = workerUrl(__WORKER_SOURCE__);
/** Quick work (reading the file, charts, diagnostics, design); the analysis has its own worker, which Cancel terminates. */
const tools = new WorkerClient(url);
const runner = new WorkerClient(url);

const status = byId("status");
const step = byId("step");
const progress = byId<HTMLProgressElement>("progress");
const runButton = byId<HTMLButtonElement>("run");
const cancelButton = byId<HTMLButtonElement>("cancel");
const fileError = byId("file-error");
const runError = byId("run-error");

let file: FileData | null = null;
let fileCount = 0;
let last: { answer: AnalysisAnswer; commandLine: string } | null = null;

let chartRoles = "";
const form = new AnalysisForm(byId("role-fields"), byId("analysis-fields"), () => {
  form.validate();
  void updateChart();
});
const missingness = new MissingnessTab(form, tools, () => file);
setUpTabs(document.querySelector<HTMLElement>('[role="tablist"]')!);
setUpDesignTab(tools);

function setStatus(text: string): void {
  status.textContent = text;
}

async function openFile(chosen: File): Promise<void> {
  fileError.textContent = "";
  byId("preview").replaceChildren();
  byId("missing-chart").replaceChildren();
  byId("chart-message").textContent = "";
  byId("results").hidden = true;
  file = null;
  runButton.disabled = true;
  setStatus("reading the file");
  const data: FileData = { id: ++fileCount, name: chosen.name, bytes: await chosen.arrayBuffer() };
  try {
    const inspection = await tools.request({ kind: "inspect", file: data });
    if (data.id !== fileCount) return;
    file = data;
    byId("file-status").textContent = `${chosen.name}: ${inspection.nRows} rows, ${inspection.columns.length} columns (read in ${inspection.seconds.toFixed(2)} s).`;
    byId("preview").innerHTML = inspection.previewHtml;
    form.setColumns(inspection.columns, inspection.guess);
    form.validate();
    missingness.newFile(inspection.guess);
    runButton.disabled = false;
    setStatus("ready");
    await updateChart();
  } catch (e) {
    if (!(e instanceof WorkerFailure) || data.id !== fileCount) throw e;
    byId("file-status").textContent = `${chosen.name} could not be read.`;
    fileError.textContent = e.message;
    setStatus(`error: ${e.message}`);
  }
}

/** The missing share per cluster for the cluster, modifier and treatment chosen now. */
async function updateChart(): Promise<void> {
  const current = file;
  if (!current) return;
  const roles = { cluster: form.role("cluster"), variable: form.role("modifier"), treatment: form.role("treatment") };
  const key = JSON.stringify([current.id, roles]);
  if (key === chartRoles) return;
  chartRoles = key;
  const answer = await tools.request({ kind: "missing-chart", file: current, roles, width: chartWidth(byId("missing-chart")) });
  if (current !== file) return;
  byId("chart-message").textContent = answer.message;
  byId("missing-chart").innerHTML = answer.svg ? figureHtml(answer.svg) : "";
}

function showResults(answer: AnalysisAnswer, commandLine: string, display: string): void {
  last = { answer, commandLine };
  byId("result-json").textContent = answer.resultJson;
  byId("report").innerHTML = answer.reportHtml;
  byId("cli-command").textContent = display;
  const timing = byId("timing");
  timing.textContent = `Computed in ${answer.seconds.toFixed(1)} s in this browser (the analysis itself ${answer.analysisSeconds.toFixed(1)} s).`;
  timing.dataset.analysisSeconds = String(answer.analysisSeconds);
  const warnings = byId("warnings");
  warnings.replaceChildren(
    ...answer.warnings.map((w) => {
      const li = document.createElement("li");
      li.textContent = `warning: ${w}`;
      return li;
    }),
  );
  byId("actions-status").textContent = "";
  byId("results").hidden = false;
}

async function run(): Promise<void> {
  runError.textContent = "";
  form.clearErrors();
  if (!file) {
    setStatus("error: choose a data file first");
    return;
  }
  if (!form.validate()) {
    setStatus("error: some options are not valid; see the messages under the fields");
    return;
  }
  const { values } = form.read();
  const words = analyzeCommandWords(file.name, values);
  const started = performance.now();
  let label = "starting";
  const tick = (): void => {
    step.textContent = `${label} (${((performance.now() - started) / 1000).toFixed(0)} s)`;
  };
  const timer = setInterval(tick, 500);
  runButton.disabled = true;
  cancelButton.disabled = false;
  // The previous results go: their worker may be stopped by Cancel.
  last = null;
  byId("results").hidden = true;
  progress.hidden = false;
  progress.value = 0;
  setStatus("running");
  tick();
  try {
    const answer = await runner.request({ kind: "analyze", file, values }, (fraction, text) => {
      progress.value = fraction;
      label = text;
      tick();
    });
    showResults(answer, shellLine(words), shellLine(words, true));
    step.textContent = answer.failed > 0 ? `${answer.failed} method(s) failed; their diagnostics say why.` : "";
    setStatus("done");
  } catch (e) {
    step.textContent = "";
    if (e instanceof Cancelled) {
      setStatus("cancelled");
    } else if (e instanceof WorkerFailure) {
      if (!form.showError(e.message)) runError.textContent = e.message;
      setStatus(`error: ${e.message}`);
    } else {
      throw e;
    }
  } finally {
    clearInterval(timer);
    progress.hidden = true;
    runButton.disabled = false;
    cancelButton.disabled = true;
  }
}

byId<HTMLInputElement>("data-file").addEventListener("change", (event) => {
  const chosen = (event.target as HTMLInputElement).files?.[0];
  if (chosen) void openFile(chosen);
});
const drop = byId("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  const chosen = event.dataTransfer?.files[0];
  if (chosen) void openFile(chosen);
});
runButton.addEventListener("click", () => void run());
cancelButton.addEventListener("click", () => runner.cancel());

const baseName = (): string => (file?.name ?? "data").replace(/\.[^.]*$/, "");
byId("download-json").addEventListener("click", () => last && download(`${baseName()}-analyze.json`, last.answer.resultJson, "application/json"));
byId("download-csv").addEventListener("click", () => last && download(`${baseName()}-analyze.csv`, last.answer.csv, "text/csv"));
byId("download-html").addEventListener("click", async () => {
  if (!last) return;
  const button = byId<HTMLButtonElement>("download-html");
  button.disabled = true;
  byId("actions-status").textContent = "Preparing the HTML report…";
  try {
    download(`${baseName()}-analyze-report.html`, await runner.request({ kind: "analysis-html" }), "text/html");
    byId("actions-status").textContent = "";
  } finally {
    button.disabled = false;
  }
});
byId("copy-cli").addEventListener("click", async () => {
  if (!last) return;
  const note = byId("actions-status");
  try {
    await navigator.clipboard.writeText(last.commandLine);
    note.textContent = "Copied the command line.";
  } catch {
    // No clipboard access (a browser setting): select the command for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(byId("cli-command"));
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    note.textContent = "The command is selected: press Ctrl+C (⌘C) to copy it.";
  }
});
runButton.disabled = true;
