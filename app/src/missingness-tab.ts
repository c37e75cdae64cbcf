/** The missingness tab: `crtkit missingness` for the file and roles chosen on the analysis tab. */
import type { AnalysisForm } from "./analysis-form.ts";
import { byId, chartWidth, download, field, inputText } from "./dom.ts";
import type { FileData, Guess } from "./protocol.ts";
import { WorkerFailure, type WorkerClient } from "./worker-client.ts";

export class MissingnessTab {
  private readonly covariates = field({
    id: "missingness-covariates",
    testId: "missingness-covariates",
    label: "Covariates of the indicator model",
    help: "comma-separated terms of R ~ covariates + (1 | cluster), e.g. X1,Y,factor(site)",
    value: "",
    kind: "text",
    wide: true,
  });
  private readonly level = field({ id: "missingness-level", testId: "missingness-level", label: "Confidence level", value: "0.95", kind: "number" });
  private readonly status = byId("missingness-status");
  private readonly report = byId("missingness-report");
  private readonly button = byId<HTMLButtonElement>("missingness-run");
  private readonly download = byId<HTMLButtonElement>("missingness-download");
  private resultJson = "";

  constructor(
    private readonly form: AnalysisForm,
    private readonly worker: WorkerClient,
    private readonly file: () => FileData | null,
  ) {
    byId("missingness-fields").append(this.covariates.root, this.level.root);
    this.button.addEventListener("click", () => void this.run());
    this.download.addEventListener("click", () => download(`${(this.file()?.name ?? "data").replace(/\.[^.]*$/, "")}-missingness.json`, this.resultJson, "application/json"));
  }

  newFile(guess: Guess): void {
    this.covariates.control.value = guess.covariates;
    this.report.replaceChildren();
    this.download.disabled = true;
    this.status.textContent = "ready";
  }

  private async run(): Promise<void> {
    const file = this.file();
    if (!file) {
      this.status.textContent = "error: choose a data file on the Analysis tab first";
      return;
    }
    const values = {
      cluster: this.form.role("cluster"),
      variable: this.form.role("modifier"),
      treatment: this.form.role("treatment"),
      covariates: this.covariates.control.value.trim(),
      level: inputText(this.level.control)?.trim() || "0.95",
    };
    this.covariates.setError("");
    this.level.setError("");
    this.status.textContent = "running";
    this.button.disabled = true;
    this.download.disabled = true;
    try {
      const answer = await this.worker.request({ kind: "missingness", file, values, width: chartWidth(this.report) });
      this.report.innerHTML = answer.reportHtml;
      this.resultJson = answer.resultJson;
      this.download.disabled = false;
      this.status.textContent = "done";
    } catch (e) {
      if (!(e instanceof WorkerFailure)) throw e;
      this.status.textContent = `error: ${e.message}`;
      if (/covariate/i.test(e.message)) this.covariates.setError(e.message);
      else if (/--level|level/.test(e.message)) this.level.setError(e.message);
    } finally {
      this.button.disabled = false;
    }
  }
}
