/**
 * From options to work: parameter overrides and grids → conditions, method
 * names → method specs, "I/N" → shard; plus the hashes that turn names and
 * parameter sets into random-stream ids.
 */
import { InputError } from "../core/errors.ts";
import type {
  Condition,
  MethodSpec,
  ParamValue,
  ParameterGrid,
  Parameters,
  ReferenceInterval,
  Scenario,
  Shard,
} from "./types.ts";

/** FNV-1a 32-bit hash of the UTF-8 bytes of `text`: a stable stream id for a name. */
export function hashString(text: string): number {
  const bytes = Buffer.from(text, "utf8");
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** JSON of a parameter set with keys sorted, so equal sets give equal text. */
export function canonicalParameters(params: Parameters): string {
  const keys = Object.keys(params).sort();
  return "{" + keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(params[k])}`).join(",") + "}";
}

/** Random-stream id of a condition: the hash of its canonical parameter set, without the analysis-only parameters. */
export function conditionStreamId(params: Parameters, analysisParameters: readonly string[] = []): number {
  if (analysisParameters.length === 0) return hashString(canonicalParameters(params));
  const data = Object.fromEntries(Object.entries(params).filter(([k]) => !analysisParameters.includes(k)));
  return hashString(canonicalParameters(data));
}

/** Random-stream id of a method spec (distinct from 0, which no method uses). */
export function methodStreamId(spec: MethodSpec): number {
  return hashString(`${spec.method}\u0000${spec.imputationModel}`) + 1;
}

function formatKeyValue(v: ParamValue): string {
  const text = typeof v === "number" ? String(v) : String(v);
  // Keep the key readable and safe as a directory name on every file system.
  return text.replace(/[^A-Za-z0-9.+-]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

/** Directory key of a condition: "clusters=50_beta3=0" from the grid parameters ("default" when there are none). */
export function conditionKey(params: Parameters, gridParameters: readonly string[]): string {
  if (gridParameters.length === 0) return "default";
  return gridParameters.map((k) => `${formatKeyValue(k)}=${formatKeyValue(params[k])}`).join("_");
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? "array" : typeof v;
}

function checkParameter(scenario: Scenario, name: string, value: unknown, where: string): ParamValue {
  if (!Object.hasOwn(scenario.defaults, name)) {
    throw new InputError(
      `scenario '${scenario.name}' has no parameter '${name}' (${where}); its parameters are: ${Object.keys(scenario.defaults).join(", ")}`,
    );
  }
  const expected = typeof scenario.defaults[name];
  if (typeof value !== expected || (typeof value === "number" && !Number.isFinite(value))) {
    throw new InputError(
      `parameter '${name}' of scenario '${scenario.name}' must be a finite ${expected}; got ${JSON.stringify(value) ?? String(value)} (${typeName(value)}, ${where})`,
    );
  }
  return value as ParamValue;
}

/**
 * The conditions of a run. Fixed `parameters` override the defaults (and take
 * a parameter out of the scenario's grid); `grid` replaces or adds grid
 * dimensions. Naming a parameter in both is an error.
 *
 * @example
 * expandConditions(toy, { clusters: 10 }, { effect: [0, 0.5] }) // 2 conditions
 */
export function expandConditions(
  scenario: Scenario,
  parameters: Readonly<Record<string, ParamValue>> = {},
  grid: ParameterGrid = {},
): { conditions: Condition[]; gridParameters: string[] } {
  const base: Record<string, ParamValue> = { ...scenario.defaults };
  for (const [name, value] of Object.entries(parameters)) {
    base[name] = checkParameter(scenario, name, value, "parameter override");
  }
  for (const [name, values] of Object.entries(grid)) {
    if (Object.hasOwn(parameters, name)) {
      throw new InputError(`parameter '${name}' is given both as a fixed value and as a grid of values; give one`);
    }
    if (!Array.isArray(values) || values.length === 0) {
      throw new InputError(`the grid of parameter '${name}' needs at least one value`);
    }
    for (const v of values) checkParameter(scenario, name, v, "grid value");
  }
  for (const [name, values] of Object.entries(scenario.grid)) {
    if (values.length === 0) throw new InputError(`scenario '${scenario.name}' has an empty grid for '${name}'`);
    checkParameter(scenario, name, values[0], "scenario grid");
  }
  // Grid parameters in the order of the scenario's defaults. A scenario grid
  // parameter fixed by an override stays in the key, so `--clusters 50`
  // writes to the same directory (and streams) as the grid's clusters=50.
  const gridParameters = Object.keys(scenario.defaults).filter(
    (k) => Object.hasOwn(scenario.grid, k) || Object.hasOwn(grid, k),
  );
  const dims: [string, readonly ParamValue[]][] = gridParameters
    .filter((k) => !Object.hasOwn(parameters, k))
    .map((k) => [k, Object.hasOwn(grid, k) ? grid[k] : scenario.grid[k]]);
  for (const [name, values] of dims) for (const v of values) checkParameter(scenario, name, v, "scenario grid");
  const conditions: Condition[] = [];
  const seenKeys = new Set<string>();
  const seenStreams = new Map<number, string>();
  const combo: ParamValue[] = new Array<ParamValue>(dims.length);
  const visit = (d: number): void => {
    if (d === dims.length) {
      const p: Record<string, ParamValue> = {};
      for (const k of Object.keys(scenario.defaults)) p[k] = base[k];
      dims.forEach(([name], i) => (p[name] = combo[i]));
      const params = Object.freeze(p);
      scenario.validate?.(params);
      const key = conditionKey(params, gridParameters);
      if (seenKeys.has(key)) throw new InputError(`condition ${key} appears more than once in the grid`);
      seenKeys.add(key);
      const streamId = conditionStreamId(params, scenario.analysisParameters);
      const clash = seenStreams.get(streamId);
      if (clash !== undefined) {
        throw new InputError(`conditions ${clash} and ${key} hash to the same stream id ${streamId}: they differ only in analysis parameters (${(scenario.analysisParameters ?? []).join(", ")}) or collide; run them as separate studies`);
      }
      seenStreams.set(streamId, key);
      const truth = computeTruth(scenario, params, key);
      const reference = scenario.reference ? computeReference(scenario, params, key, truth) : undefined;
      const notes = Object.freeze([...(scenario.notes?.(params) ?? [])]);
      conditions.push(Object.freeze({ key, parameters: params, streamId, truth, notes, ...(reference ? { reference } : {}) }));
      return;
    }
    for (const v of dims[d][1]) {
      combo[d] = v;
      visit(d + 1);
    }
  };
  visit(0);
  return { conditions, gridParameters };
}

function computeTruth(scenario: Scenario, params: Parameters, key: string): Readonly<Record<string, number>> {
  const t = scenario.truth(params);
  const out: Record<string, number> = {};
  for (const e of scenario.estimands) {
    const v = t[e];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`scenario '${scenario.name}', condition ${key}: the true value of estimand '${e}' is ${String(v)}, not a finite number`);
    }
    out[e] = v;
  }
  return Object.freeze(out);
}

/** The scenario's reference analysis: finite numbers, estimates equal to the truth. */
function computeReference(
  scenario: Scenario,
  params: Parameters,
  key: string,
  truth: Readonly<Record<string, number>>,
): Readonly<Record<string, ReferenceInterval>> {
  const r = scenario.reference!(params);
  const out: Record<string, ReferenceInterval> = {};
  for (const e of scenario.estimands) {
    const v = r[e];
    const fields = v ? [v.estimate, v.stdError, v.confLow, v.confHigh] : [];
    if (!v || !fields.every(Number.isFinite)) {
      throw new InputError(`scenario '${scenario.name}', condition ${key}: the reference analysis of estimand '${e}' has no finite estimate and interval`);
    }
    if (v.estimate !== truth[e]) {
      throw new InputError(`scenario '${scenario.name}', condition ${key}: the reference estimate of '${e}' (${v.estimate}) differs from its true value (${truth[e]})`);
    }
    out[e] = Object.freeze({ estimate: v.estimate, stdError: v.stdError, confLow: v.confLow, confHigh: v.confHigh });
  }
  return Object.freeze(out);
}

/**
 * Method specs from method names (or explicit specs). A method that uses an
 * imputation model runs once per model in `imputationModels` (default: the
 * scenario's `defaultImputationModels`).
 */
export function resolveMethods(
  scenario: Scenario,
  methods?: readonly (string | MethodSpec)[],
  imputationModels?: readonly string[],
): MethodSpec[] {
  const names = methods ?? scenario.defaultMethods ?? scenario.methods.map((m) => m.name);
  if (names.length === 0) throw new InputError(`no methods given for scenario '${scenario.name}'`);
  const specs: MethodSpec[] = [];
  const seen = new Set<string>();
  const add = (spec: MethodSpec): void => {
    const id = `${spec.method} ${spec.imputationModel}`;
    if (seen.has(id)) {
      throw new InputError(`method '${spec.method}'${spec.imputationModel ? ` with imputation model '${spec.imputationModel}'` : ""} is listed twice`);
    }
    seen.add(id);
    specs.push(Object.freeze({ method: spec.method, imputationModel: spec.imputationModel }));
  };
  for (const entry of names) {
    const name = typeof entry === "string" ? entry.trim() : entry.method;
    const info = scenario.methods.find((m) => m.name === name);
    if (!info) {
      throw new InputError(`scenario '${scenario.name}' has no method '${name}'; its methods are: ${scenario.methods.map((m) => m.name).join(", ")}`);
    }
    if (typeof entry !== "string") {
      if (!info.usesImputationModel && entry.imputationModel !== "") {
        throw new InputError(`method '${name}' takes no imputation model; got '${entry.imputationModel}'`);
      }
      if (info.usesImputationModel && entry.imputationModel.trim() === "") {
        throw new InputError(`method '${name}' needs an imputation model`);
      }
      add(entry);
      continue;
    }
    if (!info.usesImputationModel) {
      add({ method: name, imputationModel: "" });
      continue;
    }
    const models = imputationModels ?? info.defaultImputationModels ?? scenario.defaultImputationModels ?? [];
    if (models.length === 0) {
      throw new InputError(`method '${name}' needs an imputation model, and none was given (e.g. "M ~ X1 + A + Y")`);
    }
    for (const m of models) {
      const model = m.trim();
      if (model === "") throw new InputError(`an empty imputation model was given for method '${name}'`);
      add({ method: name, imputationModel: model });
    }
  }
  return specs;
}

/** Parses "I/N" (1 ≤ I ≤ N) into a Shard. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || !Number.isSafeInteger(shard.count) || shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new InputError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 3/10); got '${text}'`);
  }
  return shard;
}

/** Checks a Shard given as an object. */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new InputError(`a shard must have 1 ≤ index ≤ count (integers); got index ${index}, count ${count}`);
  }
  return { index, count };
}

/**
 * Typed parameter values from command-line text, using each default's type.
 * A comma-separated list makes a grid dimension ("--clusters 20,50,100").
 *
 * @example
 * parseParameterOptions(scenario, { clusters: "20,50", beta3: "0" })
 * // → { parameters: { beta3: 0 }, grid: { clusters: [20, 50] } }
 */
export function parseParameterOptions(
  scenario: Scenario,
  texts: Readonly<Record<string, string>>,
): { parameters: Record<string, ParamValue>; grid: Record<string, ParamValue[]> } {
  const parameters: Record<string, ParamValue> = {};
  const grid: Record<string, ParamValue[]> = {};
  for (const [name, text] of Object.entries(texts)) {
    if (!Object.hasOwn(scenario.defaults, name)) {
      throw new InputError(`scenario '${scenario.name}' has no parameter '${name}'; its parameters are: ${Object.keys(scenario.defaults).join(", ")}`);
    }
    const kind = typeof scenario.defaults[name];
    const parts = kind === "string" ? text.split(";") : text.split(",");
    const values = parts.map((part): ParamValue => {
      const s = part.trim();
      if (kind === "number") {
        const x = Number(s);
        if (s === "" || !Number.isFinite(x)) throw new InputError(`parameter '${name}' must be a number; got '${part}'`);
        return x;
      }
      if (kind === "boolean") {
        if (s === "true") return true;
        if (s === "false") return false;
        throw new InputError(`parameter '${name}' must be true or false; got '${part}'`);
      }
      return s;
    });
    if (values.length === 1) parameters[name] = values[0];
    else grid[name] = values;
  }
  return { parameters, grid };
}

/** A numeric parameter, or an InputError naming it. */
export function numberParameter(params: Parameters, name: string): number {
  const v = params[name];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`parameter '${name}' must be a finite number; got ${JSON.stringify(v)}`);
  return v;
}

/** An integer parameter ≥ `min`, or an InputError naming it. */
export function integerParameter(params: Parameters, name: string, min = -Infinity): number {
  const v = numberParameter(params, name);
  if (!Number.isSafeInteger(v) || v < min) throw new InputError(`parameter '${name}' must be an integer ≥ ${min}; got ${v}`);
  return v;
}

/** A string parameter, or an InputError naming it. */
export function stringParameter(params: Parameters, name: string): string {
  const v = params[name];
  if (typeof v !== "string") throw new InputError(`parameter '${name}' must be a string; got ${JSON.stringify(v)}`);
  return v;
}
