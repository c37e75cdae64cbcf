/** The scenarios every crtkit process (and every simulation worker thread) knows. */
import type { Scenario } from "../types.ts";
import { designPowerHteScenario, designPowerScenario } from "./design-power.ts";
import { imposeMissingnessScenario } from "./impose-missingness.ts";
import { missingModifier1, missingModifier2 } from "./missing-modifier-study.ts";
import { mrsScenarios } from "./mrs.ts";
import { toyScenario } from "./toy.ts";

export const builtinScenarios: readonly Scenario[] = [
  toyScenario as Scenario,
  missingModifier1 as Scenario,
  missingModifier2 as Scenario,
  designPowerScenario as Scenario,
  designPowerHteScenario as Scenario,
  ...(mrsScenarios as readonly Scenario[]),
  imposeMissingnessScenario as Scenario,
];
