/**
 * The scenario registry. Built-in scenarios are always present; other code
 * adds its own with `registerScenario` (give the scenario a `module` URL so
 * worker threads, which start with an empty registry, can import it).
 */
import { InputError } from "../core/errors.ts";
import { builtinScenarios } from "./scenarios/index.ts";
import type { Scenario } from "./types.ts";

const registry = new Map<string, Scenario>();
for (const s of builtinScenarios) registry.set(s.name, s);

/**
 * Adds a scenario. Registering the same object again is a no-op; another
 * scenario under a taken name is refused unless `replace` is set.
 */
export function registerScenario<Data>(scenario: Scenario<Data>, options: { replace?: boolean } = {}): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(scenario.name)) {
    throw new InputError(`scenario name '${scenario.name}' must be letters, digits, '.', '_' or '-' (it names a directory)`);
  }
  const existing = registry.get(scenario.name);
  if (existing === (scenario as Scenario)) return;
  if (existing && !options.replace) throw new InputError(`a scenario named '${scenario.name}' is already registered`);
  registry.set(scenario.name, scenario as Scenario);
}

/** The scenario called `name`, or an InputError listing the registered ones. */
export function getScenario(name: string): Scenario {
  const s = registry.get(name);
  if (!s) throw new InputError(`unknown scenario '${name}'; known scenarios: ${listScenarios().map((x) => x.name).join(", ")}`);
  return s;
}

/** Registered scenarios, sorted by name. */
export function listScenarios(): readonly Scenario[] {
  return [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
