/** `crtkit simulate` (run a study, possibly one shard of it) and `crtkit simulate summarize DIR`. */
import { InputError } from "../../core/errors.ts";
import { simulateSummaryHtml } from "../../report/html/simulate.ts";
import { simulationDirectoryReport, simulationRunReport } from "../../report/simulate.ts";
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

export const simulateCommand: Command = {
  name: "simulate",
  summary: "run a simulation study (all of it, or one shard) with performance measures and Monte Carlo SEs",
  usage:
    '--scenario NAME [--clusters 50] [--beta3 0] [--param name=value] [--reps 1000] [--methods …] [--imputation-models "M ~ X1+A+Y;M ~ X1*A*Y"] [--workers N] [--shard I/N] [--out DIR] [--seed S] | --grid paper-missing-modifier',
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
    reps: { type: "string", valueName: "N", help: `replicates per condition (at most ${MAX_REPLICATES})`, default: "1000" },
    methods: { type: "string", valueName: "LIST", help: "comma-separated methods", default: "the scenario's default methods (smc when named)" },
    "imputation-models": { type: "string", valueName: "MODELS", appliesWhen: withoutGrid, help: "imputation models separated by ;", default: "the scenario's" },
    workers: { type: "string", valueName: "N", help: `worker threads (at most ${MAX_WORKERS})`, default: "available cores" },
    shard: { type: "string", valueName: "I/N", help: "run shard I of N (replicates with r mod N = I − 1)" },
    out: { type: "string", valueName: "DIR", output: "dir", help: "output directory (resumable; shards write here)" },
    seed: { type: "string", valueName: "N", help: "random seed", default: "1" },
  },
  async run({ options, progress }) {
    const reps = numberOption(options, "reps", 1000, { integer: true, min: 1, max: MAX_REPLICATES });
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
      const { parameters, grid: paramGrid } = parseParameterOptions(scenario, parameterTexts(options));
      const out = await runSimulation({ ...common, scenario: r.scenario, parameters, grid: paramGrid, imputationModels: r.imputationModels });
      results.push({ ...out, scenario: r.scenario });
    }
    return simulationRunReport(results, { reps, seed, outDir });
  },
};

export const simulateSummarizeCommand: Command = {
  name: "simulate summarize",
  summary: "performance measures over every shard file in a simulation output directory",
  usage: "DIR [--report FILE.html]",
  example: "crtkit simulate summarize sim",
  takesData: false,
  positionals: ["DIR"],
  options: { report: REPORT_OPTION },
  run({ positionals }) {
    if (positionals.length !== 1) throw new InputError("crtkit simulate summarize needs exactly one directory");
    return { ...simulationDirectoryReport(positionals[0], summarizeDirectory(positionals[0])), report: simulateSummaryHtml };
  },
};
