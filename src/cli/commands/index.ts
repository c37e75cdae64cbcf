import type { Command } from "../command.ts";

/** Every command, in the order `crtkit --help` lists them. */
export const commands: readonly Command[] = [];
