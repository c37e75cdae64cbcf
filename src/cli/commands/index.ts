import type { Command } from "../command.ts";
import { analyzeCommand } from "./analyze.ts";
import { designDeffCommand, designPowerCommand, designRandomizeCommand, designSampleSizeCommand } from "./design.ts";
import { geeCommand } from "./gee.ts";
import { glmCommand } from "./glm.ts";
import { lmCommand } from "./lm.ts";
import { glmmCommand, iccCommand, lmmCommand } from "./mixed.ts";
import { missingnessCommand } from "./missingness.ts";
import { mrsCommand } from "./mrs.ts";
import { sensitivityCommand } from "./sensitivity.ts";
import { mediationCommand, permutationTestCommand } from "./multilevel.ts";
import { simulateCommand, simulateSummarizeCommand } from "./simulate.ts";

/** Every command, in the order `crtkit --help` lists them. */
export const commands: readonly Command[] = [
  analyzeCommand,
  missingnessCommand,
  sensitivityCommand,
  mrsCommand,
  glmCommand,
  geeCommand,
  lmCommand,
  lmmCommand,
  glmmCommand,
  iccCommand,
  mediationCommand,
  permutationTestCommand,
  designSampleSizeCommand,
  designDeffCommand,
  designPowerCommand,
  designRandomizeCommand,
  simulateCommand,
  simulateSummarizeCommand,
];
