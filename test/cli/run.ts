/** Runs the CLI in-process and collects its output. */
import { main } from "../../src/cli/main.ts";

export const EXAMPLE = new URL("../../examples/trial.csv", import.meta.url).pathname;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(args: string[], stdin = ""): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => stdin,
  });
  return { code, stdout, stderr };
}
