/** The scenarios every crtkit process (and every simulation worker thread) knows. */
import type { Scenario } from "../types.ts";
import { toyScenario } from "./toy.ts";

export const builtinScenarios: readonly Scenario[] = [toyScenario as Scenario];
