/**
 * Writes the bundled example trial, examples/trial.csv: scenario 2 of the
 * missing-effect-modifier design (Blette et al. 2023) with 40 clusters of about 50
 * people, treatment-by-modifier interaction β₃ = −1, and a cluster-level
 * covariate `region` (1–4) added for model-robust standardization examples.
 * With --complete it writes the same trial with every modifier value
 * observed (examples/trial-complete.csv), for impose-missingness studies.
 *
 * Columns: cluster, region, A (cluster treatment 0/1), X1, X2, X3
 * (individual covariates), M (binary effect modifier, NA when missing), Y.
 *
 *   node --conditions=source --import tsx examples/generate-trial.ts > examples/trial.csv
 *   node --conditions=source --import tsx examples/generate-trial.ts --complete > examples/trial-complete.csv
 */
import { createRng, type Rng } from "../src/random/index.ts";
import { MISSING_MODIFIER_DEFAULTS, simulateMissingModifierTrial } from "../src/simulate/scenarios/missing-modifier.ts";

/**
 * The stream with normal draws by Marsaglia's polar method, as crtkit drew
 * them when trial.csv was written (it has used a ziggurat since), so the
 * bundled files stay reproducible.
 */
function polarNormals(rng: Rng): Rng {
  let spare: number | null = null;
  return {
    uint32: () => rng.uint32(),
    uniform: () => rng.uniform(),
    exponential: () => -Math.log1p(-rng.uniform()),
    normal(): number {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * rng.uniform() - 1;
        v = 2 * rng.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      return u * f;
    },
  };
}

const SEED = 20240531;
const complete = process.argv.includes("--complete");
const rng = polarNormals(createRng(SEED));
const trial = simulateMissingModifierTrial({ ...MISSING_MODIFIER_DEFAULTS, scenario: 2, clusters: 40, beta3: -1 }, rng);
const regionRng = createRng(SEED, 1);
const region = Array.from({ length: 40 }, () => 1 + Math.floor(regionRng.uniform() * 4));

const fmt = (x: number): string => (Number.isNaN(x) ? "NA" : String(Math.round(x * 1e6) / 1e6));
const lines = ["cluster,region,A,X1,X2,X3,M,Y"];
for (let r = 0; r < trial.Y.length; r++) {
  const c = trial.cluster[r];
  const m = complete ? trial.mFull[r] : trial.M[r];
  lines.push([c, region[c - 1], trial.A[r], fmt(trial.X[0][r]), fmt(trial.X[1][r]), fmt(trial.X[2][r]), fmt(m), fmt(trial.Y[r])].join(","));
}
process.stdout.write(lines.join("\n") + "\n");
