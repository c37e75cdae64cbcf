/** `crtkit simulate` (run a study, possibly one shard of it) and `crtkit simulate summarize DIR`. */
import { readFileSync } from "node:fs";
import { InputError } from "../../core/errors.ts";
import { simulateSummaryHtml } from "../../report/html/simulate.ts";
import { simulationDirectoryReport, simulationRunReport } from "../../report/simulate.ts";
import { applicationImputationModel, checkImputationModels } from "../../simulate/scenarios/impose-missingness.ts";
import { checkStudyDataFile, completeTrialParameters, sha256Hex } from "../../simulate/scenarios/impose-missingness-data.ts";
import { paperImputationModels } from "../../simulate/scenarios/missing-modifier-study.ts";
import {
  getScenario,
  listScenarios,
  parseParameterOptions,
  runSimulation,
  summarizeDirectory,
} from "../../simulate/index.ts";
import { MAX_REPLICATES } from "../../simulate/storage.ts";
import { MAX_WORKERS, numberOption, optionalString, requiredString, type Command, type OptionValues } from "../command.ts";
import { REPORT_OPTION } from "./shared.ts";

function parameterTexts(options: OptionValues): Record<string, string> {
  const texts: Record<string, string> = {};
  const clusters = optionalString(options, "clusters");
  const beta3 = optionalString(options, "beta3");
  if (clusters !== undefined) texts.clusters = clusters;
  if (beta3 !== undefined) texts.beta3 = beta3;
  const substantive = optionalString(options, "substantive");
  if (substantive !== undefined) texts.substantive = substantive;
  const params = options.param;
  for (const p of Array.isArray(params) ? params : typeof params === "string" ? [params] : []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new InputError(`--param must look like name=value (or name=v1,v2 for a grid); got '${p}'`);
    texts[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  return texts;
}

/** `--grid` runs its own scenarios with their own imputation models. */
const withoutGrid = { when: (v: OptionValues) => v.grid === undefined, otherwise: "does not apply with --grid" };

const IMPOSE = "impose-missingness";
const imposing = { when: (v: OptionValues) => optionalString(v, "scenario") === IMPOSE, otherwise: `applies only to --scenario ${IMPOSE}` };

function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read --data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * The parameters of an impose-missingness study from its options: the
 * complete trial (text, SHA-256, roles), the mechanisms and missing shares
 * (comma lists make a grid), and the imputation models (default: the
 * paper's application model). The output directory must hold no study of
 * another file.
 */
function imposeMissingnessRun(options: OptionValues, outDir: string | undefined, models: string[] | undefined) {
  const scenario = getScenario(IMPOSE);
  const role = (name: string): string => optionalString(options, name) ?? (scenario.defaults[name] as string);
  const path = requiredString(options, "data");
  const roles = {
    cluster: role("cluster"),
    treatment: role("treatment"),
    modifier: role("modifier"),
    outcome: role("outcome"),
    covariates: (optionalString(options, "covariates") ?? "").split(",").map((c) => c.trim()).filter(Boolean),
  };
  const source = `--data '${path}'`;
  const trial = completeTrialParameters(readDataFile(path), roles, source);
  if (outDir !== undefined) checkStudyDataFile(outDir, IMPOSE, String(trial.dataSha256), source);
  const texts = parameterTexts(options);
  const missing = optionalString(options, "missing");
  if (missing !== undefined) texts.missing = missing;
  const { parameters, grid } = parseParameterOptions(scenario, texts);
  const mechanisms = optionalString(options, "mechanism")?.split(",").map((m) => m.trim());
  if (mechanisms?.length === 1) parameters.mechanism = mechanisms[0];
  else if (mechanisms !== undefined) grid.mechanism = mechanisms;
  const imputationModels = models ?? [applicationImputationModel(roles)];
  checkImputationModels({ ...scenario.defaults, ...trial }, imputationModels);
  return { parameters: { ...parameters, ...trial }, grid, imputationModels };
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "run a simulation study (all of it, or one shard) with performance measures and Monte Carlo SEs",
  usage:
    '--scenario NAME [--clusters 50] [--beta3 0] [--param name=value] [--reps 1000] [--methods …] [--imputation-models "M ~ X1+A+Y;M ~ X1*A*Y"] [--workers N] [--shard I/N] [--out DIR] [--seed S] | --grid paper-missing-modifier' +
    " | --scenario impose-missingness --data FILE.csv --cluster C --treatment A --modifier M --outcome Y [--covariates X1,X2] --mechanism mcar|mar|mar-cluster [--missing 0.2] [--reps 500] …",
  example: "crtkit simulate --scenario missing-modifier-1 --clusters 50 --beta3 0 --reps 200 --out sim --seed 1",
  takesData: false,
  options: {
    scenario: { type: "string", valueName: "NAME", appliesWhen: withoutGrid, help: `scenario: ${listScenarios().map((s) => s.name).join(", ")}` },
    grid: { type: "string", valueName: "NAME", help: "a named design: paper-missing-modifier (both scenarios, all conditions and imputation models)" },
    clusters: { type: "string", valueName: "K", help: "number of clusters (comma list for a grid)" },
    beta3: { type: "string", valueName: "B", help: "treatment-by-modifier interaction (comma list for a grid)" },
    substantive: {
      type: "string",
      valueName: "MODEL",
      help: "smc's substantive model in the missing-modifier scenarios, e.g. \"Y ~ A*M + (1 | cluster)\" (; between models for a grid)",
      default: "the scenario's data-generating outcome model",
    },
    param: { type: "string", multiple: true, valueName: "NAME=VALUE", help: "any scenario parameter, name=value or name=v1,v2" },
    reps: { type: "string", valueName: "N", help: `replicates per condition (at most ${MAX_REPLICATES})`, default: "1000; impose-missingness 500" },
    methods: { type: "string", valueName: "LIST", help: "comma-separated methods", default: "the scenario's default methods (smc when named)" },
    "imputation-models": { type: "string", valueName: "MODELS", appliesWhen: withoutGrid, help: "imputation models separated by ;", default: "the scenario's" },
    workers: { type: "string", valueName: "N", help: `worker threads (at most ${MAX_WORKERS})`, default: "available cores" },
    shard: { type: "string", valueName: "I/N", help: "run shard I of N (replicates with r mod N = I − 1)" },
    out: { type: "string", valueName: "DIR", output: "dir", help: "output directory (resumable; shards write here)" },
    seed: { type: "string", valueName: "N", help: "random seed", default: "1" },
    data: { type: "string", valueName: "FILE", appliesWhen: imposing, help: "the complete trial (CSV, modifier fully observed) in which impose-missingness makes modifier values missing" },
    cluster: { type: "string", valueName: "COL", appliesWhen: imposing, help: "cluster column of --data", default: "cluster" },
    treatment: { type: "string", valueName: "COL", appliesWhen: imposing, help: "cluster-level 0/1 treatment column of --data", default: "A" },
    modifier: { type: "string", valueName: "COL", appliesWhen: imposing, help: "0/1 effect modifier column of --data (no missing values)", default: "M" },
    outcome: { type: "string", valueName: "COL", appliesWhen: imposing, help: "outcome column of --data", default: "Y" },
    covariates: { type: "string", valueName: "COLS", appliesWhen: imposing, help: "up to two comma-separated columns X1,X2 of the mar and mar-cluster missingness models" },
    mechanism: { type: "string", valueName: "MECH", appliesWhen: imposing, help: "missingness imposed on the modifier: mcar, mar or mar-cluster (comma list for several)", default: "all three" },
    missing: { type: "string", valueName: "P", appliesWhen: imposing, help: "expected share of modifier values made missing, in (0, 1) (comma list for a grid)", default: "0.2" },
  },
  async run({ options, progress }) {
    const imposed = optionalString(options, "scenario") === IMPOSE && options.grid === undefined;
    const reps = numberOption(options, "reps", imposed ? 500 : 1000, { integer: true, min: 1, max: MAX_REPLICATES });
    const seed = numberOption(options, "seed", 1, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
    const workersText = optionalString(options, "workers");
    const workers = workersText === undefined ? undefined : numberOption(options, "workers", 1, { integer: true, min: 1, max: MAX_WORKERS });
    const methodsText = optionalString(options, "methods");
    const methods = methodsText?.split(",").map((s) => s.trim()).filter(Boolean);
    const modelsText = optionalString(options, "imputation-models");
    const grid = optionalString(options, "grid");
    const outDir = optionalString(options, "out");
    const common = { reps, seed, workers, methods, shard: optionalString(options, "shard"), outDir, onProgress: (p: { fraction: number }) => progress(p.fraction) };

    const runs: { scenario: string; imputationModels?: string[] }[] = [];
    if (grid !== undefined) {
      if (grid !== "paper-missing-modifier") throw new InputError(`unknown --grid '${grid}'; the named designs are: paper-missing-modifier`);
      runs.push({ scenario: "missing-modifier-1", imputationModels: paperImputationModels(1) });
      runs.push({ scenario: "missing-modifier-2", imputationModels: paperImputationModels(2) });
    } else {
      runs.push({ scenario: requiredString(options, "scenario"), imputationModels: modelsText?.split(";").map((s) => s.trim()).filter(Boolean) });
    }
    const results = [];
    for (const r of runs) {
      const scenario = getScenario(r.scenario);
      const study = imposed
        ? imposeMissingnessRun(options, outDir, r.imputationModels)
        : { ...parseParameterOptions(scenario, parameterTexts(options)), imputationModels: r.imputationModels };
      const out = await runSimulation({ ...common, scenario: r.scenario, ...study });
      results.push({ ...out, scenario: r.scenario });
    }
    return simulationRunReport(results, { reps, seed, outDir });
  },
};

export const simulateSummarizeCommand: Command = {
  name: "simulate summarize",
  summary: "performance measures over every shard file in a simulation output directory",
  usage: "DIR [--data FILE.csv] [--report FILE.html]",
  example: "crtkit simulate summarize sim",
  takesData: false,
  positionals: ["DIR"],
  options: {
    data: { type: "string", valueName: "FILE", help: "for an impose-missingness study: refuse unless it was made from this file" },
    report: REPORT_OPTION,
  },
  run({ positionals, options }) {
    if (positionals.length !== 1) throw new InputError("crtkit simulate summarize needs exactly one directory");
    const dir = positionals[0];
    const data = optionalString(options, "data");
    if (data !== undefined && !checkStudyDataFile(dir, IMPOSE, sha256Hex(readDataFile(data)), `--data '${data}'`)) {
      throw new InputError(`--data applies to an ${IMPOSE} study, and '${dir}' holds none`);
    }
    return { ...simulationDirectoryReport(dir, summarizeDirectory(dir)), report: simulateSummaryHtml };
  },
};
