/**
 * Registers the model-robust standardization scenarios under this module's
 * URL, so the simulation runner's worker threads can load them (used by
 * mrs-run.ts until the scenarios are built in; a no-op for built-in ones).
 */
import { registerScenario } from "../../src/simulate/index.ts";
import { mrsScenarios } from "../../src/simulate/scenarios/mrs.ts";

for (const s of mrsScenarios) {
  try {
    registerScenario({ ...s, module: import.meta.url });
  } catch {
    // already built in
  }
}
