/** `crtkit mediation` and `crtkit permutation-test`: few-cluster and multilevel analyses. */
import { InputError } from "../../core/errors.ts";
import { permutationTest } from "../../design/permutation-test.ts";
import { mediation } from "../../estimands/mediation.ts";
import { mediationReport, permutationReport } from "../../report/multilevel.ts";
import { integerOption, numberOption, optionalString, requiredString, type Command } from "../command.ts";
import { readSchemes } from "../schemes.ts";

const ROLE = (help: string): { type: "string"; required: true; valueName: string; help: string } => ({ type: "string", required: true, valueName: "COL", help });

function listOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

export const mediationCommand: Command = {
  name: "mediation",
  summary: "2-1-1 mediation: a cluster-level treatment's indirect effect through an individual-level mediator",
  usage: "DATA --cluster C --treatment A --mediator M --outcome Y [--covariates X1,X2] [--bootstrap 2000] [--seed 1]",
  example: "crtkit mediation examples/trial.csv --cluster cluster --treatment A --mediator X1 --outcome Y --covariates X2 --seed 1",
  takesData: true,
  options: {
    cluster: ROLE("cluster identifier column"),
    treatment: ROLE("cluster-level 0/1 treatment column"),
    mediator: ROLE("individual-level mediator column"),
    outcome: ROLE("outcome column"),
    covariates: { type: "string", valueName: "X1,X2", help: "comma-separated covariates of both models" },
    bootstrap: { type: "string", valueName: "B", help: "cluster-bootstrap replicates (clusters resampled within arms); 0 skips it", default: "2000" },
    seed: { type: "string", valueName: "N", help: "seed of the Monte Carlo and bootstrap draws", default: "1" },
  },
  run({ data, options }) {
    const r = mediation(data!, {
      cluster: requiredString(options, "cluster"),
      treatment: requiredString(options, "treatment"),
      mediator: requiredString(options, "mediator"),
      outcome: requiredString(options, "outcome"),
      covariates: listOption(optionalString(options, "covariates")),
      bootstrap: integerOption(options, "bootstrap", 2000, { min: 0, max: 1_000_000 }),
      seed: integerOption(options, "seed", 1),
      level: numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true }),
    });
    return mediationReport(r);
  },
};

export const permutationTestCommand: Command = {
  name: "permutation-test",
  summary: "randomization test of the treatment effect (Gail et al. 1996): exact, drawn or from constrained-randomization schemes, with an inverted interval",
  usage: 'DATA --cluster C --treatment A --outcome Y [--formula "Y ~ X1"] [--enumerate | --draws 10000 | --schemes FILE] [--strata COL | --pairs COL] [--seed 1]',
  example: 'crtkit permutation-test examples/trial.csv --cluster cluster --treatment A --outcome Y --formula "Y ~ X1 + X2" --seed 1',
  takesData: true,
  options: {
    cluster: ROLE("cluster identifier column"),
    treatment: ROLE("cluster-level 0/1 treatment column"),
    outcome: ROLE("outcome column"),
    formula: { type: "string", valueName: "F", help: "covariate model fitted without treatment; the statistic uses its residuals", default: "OUTCOME ~ 1" },
    enumerate: { type: "boolean", help: "every allocation (exact p-value); an error when there are too many" },
    draws: { type: "string", valueName: "B", help: "allocations drawn at random (seeded)", default: "all allocations when at most 200000, else 10000 draws" },
    schemes: { type: "string", valueName: "FILE", help: "acceptable allocations of a constrained randomization (the file design randomize --schemes-out writes)" },
    strata: { type: "string", valueName: "COL", help: "cluster-level column: allocations re-drawn within its levels" },
    pairs: { type: "string", valueName: "COL", help: "cluster-level column naming matched pairs (one treated, one control each)" },
    seed: { type: "string", valueName: "N", help: "seed of drawn allocations" },
  },
  run({ data, options }) {
    const given = ["enumerate", "draws", "schemes"].filter((k) => options[k] !== undefined && options[k] !== false);
    if (given.length > 1) throw new InputError(`give only one of --enumerate, --draws, --schemes (got ${given.map((g) => "--" + g).join(", ")})`);
    const schemesPath = optionalString(options, "schemes");
    const draws = optionalString(options, "draws") === undefined ? undefined : integerOption(options, "draws", 10_000, { min: 1, max: 20_000_000 });
    const seed = optionalString(options, "seed") === undefined ? undefined : integerOption(options, "seed", 1);
    const r = permutationTest(data!, {
      cluster: requiredString(options, "cluster"),
      treatment: requiredString(options, "treatment"),
      outcome: requiredString(options, "outcome"),
      formula: optionalString(options, "formula"),
      strata: optionalString(options, "strata"),
      pairs: optionalString(options, "pairs"),
      allocations: options.enumerate === true ? "enumerate" : schemesPath !== undefined ? "schemes" : draws !== undefined ? "draws" : "auto",
      ...(draws !== undefined ? { draws } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(schemesPath !== undefined ? { schemes: readSchemes(schemesPath) } : {}),
      level: numberOption(options, "level", 0.95, { min: 0, max: 1, exclusive: true }),
    });
    return permutationReport(r);
  },
};
