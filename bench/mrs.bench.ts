/**
 * Model-robust standardization with the delete-one-cluster jackknife on a
 * simulated trial shaped like the PPACT example of Li et al. (2025) §5 (106 clusters,
 * about 700 rows, 9 individual covariates and the cluster size): one analysis
 * = validation, the full working fit and 106 leave-one-cluster-out refits.
 *
 * Reference timings: MRStdCRT 0.1.0 (MRStdCRT_fit) on the package's own PPACT
 * data (106 clusters, 712 rows, the same covariates), R 4.2.2 on this
 * machine: about 8 s for the LM, LMM and GEE working models and about 250 s
 * for the logistic GLMM.
 */
import { datasetFromRecord, type Dataset } from "../src/data/dataset.ts";
import { mrs, type MrsOptions } from "../src/estimands/index.ts";
import { createRng } from "../src/random/index.ts";
import type { Benchmark } from "./harness.ts";

const COVARIATES = ["AGE", "FEMALE", "comorbid", "Dep_OR_Anx", "pain_count", "BL_benzo_flag", "BL_avg_daily", "PEGS_bl", "satisfied_primary"];
export const PPACT_FORMULA = `PEGS ~ ${COVARIATES.join(" + ")} + cluster(N)`;
export const PPACT_BINARY_FORMULA = `HIGH ~ ${COVARIATES.join(" + ")} + cluster(N)`;

/** A PPACT-shaped trial: 106 clusters (53 per arm), sizes 1–14 (mean ≈ 6.7). */
export function ppactLike(seed = 2025): Dataset {
  const rng = createRng(seed);
  const m = 106;
  const cluster: number[] = [];
  const cols: Record<string, number[]> = { INTERVENTION: [], PEGS: [], HIGH: [] };
  for (const c of COVARIATES) cols[c] = [];
  const arms: number[] = Array.from({ length: m }, (_, i) => (i < m / 2 ? 1 : 0));
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [arms[i], arms[j]] = [arms[j], arms[i]];
  }
  for (let c = 0; c < m; c++) {
    const size = 1 + Math.min(13, Math.floor(-Math.log(1 - rng.uniform()) * 5.7));
    const u = 0.8 * rng.normal();
    for (let k = 0; k < size; k++) {
      const age = Math.round(55 + 12 * rng.normal());
      const female = rng.uniform() < 0.6 ? 1 : 0;
      const comorbid = rng.uniform() < 0.3 ? 1 : 0;
      const dep = rng.uniform() < 0.6 ? 1 : 0;
      const pain = Math.floor(-Math.log(1 - rng.uniform()) * 4);
      const benzo = rng.uniform() < 0.3 ? 1 : 0;
      const mme = Math.round(Math.exp(3.5 + rng.normal()) * 10) / 10;
      const pegsBl = Math.round((4 + 4 * rng.uniform() + rng.normal()) * 4) / 4;
      const sat = 1 + Math.floor(rng.uniform() * 5);
      const mean = 1.5 + 0.6 * pegsBl + 0.01 * (age - 55) + 0.2 * pain + 0.3 * dep - 0.6 * arms[c] - 0.05 * size * arms[c] + u;
      const pegs = Math.round((mean + 1.5 * rng.normal()) * 4) / 4;
      cluster.push(c + 101);
      cols.INTERVENTION.push(arms[c]);
      cols.PEGS.push(pegs);
      cols.HIGH.push(pegs > 6 ? 1 : 0);
      cols.AGE.push(age);
      cols.FEMALE.push(female);
      cols.comorbid.push(comorbid);
      cols.Dep_OR_Anx.push(dep);
      cols.pain_count.push(pain);
      cols.BL_benzo_flag.push(benzo);
      cols.BL_avg_daily.push(mme);
      cols.PEGS_bl.push(pegsBl);
      cols.satisfied_primary.push(sat);
    }
  }
  return datasetFromRecord({ CLUST: cluster, ...cols });
}

function analysis(options: Omit<MrsOptions, "cluster" | "treatment">, formula = PPACT_FORMULA): () => () => unknown {
  return () => {
    const data = ppactLike();
    return () => mrs(data, formula, { cluster: "CLUST", treatment: "INTERVENTION", ...options });
  };
}

const R_LINEAR = { msPerOp: 8000, source: "MRStdCRT 0.1.0 MRStdCRT_fit on PPACT (106 clusters, 712 rows), R 4.2.2, this machine" };
const R_GLMM = { msPerOp: 250000, source: "MRStdCRT 0.1.0 MRStdCRT_fit(method = \"GLMM\", binomial) on PPACT, R 4.2.2, this machine" };

export const benchmarks: Benchmark[] = [
  {
    name: "mrs.lm",
    unit: "one MRS analysis (LM on cluster means) with jackknife, 106 clusters, ~700 rows, 11 coefficients",
    reference: R_LINEAR,
    setup: analysis({ working: "lm" }),
  },
  {
    name: "mrs.lmm",
    unit: "one MRS analysis (LMM, REML) with jackknife, 106 clusters, ~700 rows, 21 coefficients",
    reference: R_LINEAR,
    setup: analysis({ working: "lmm" }),
  },
  {
    name: "mrs.gee-ind",
    unit: "one MRS analysis (GEE, independence) with jackknife, 106 clusters, ~700 rows, 21 coefficients",
    reference: R_LINEAR,
    setup: analysis({ working: "gee-ind" }),
  },
  {
    name: "mrs.gee-exch",
    unit: "one MRS analysis (GEE, exchangeable) with jackknife, 106 clusters, ~700 rows, 21 coefficients",
    reference: R_LINEAR,
    setup: analysis({ working: "gee-exch" }),
  },
  {
    name: "mrs.glmm",
    unit: "one MRS analysis (logistic GLMM, Laplace) with jackknife, 106 clusters, ~700 rows, 21 coefficients",
    reference: R_GLMM,
    setup: analysis({ working: "glmm", family: "binomial" }, PPACT_BINARY_FORMULA),
    minMs: 3000,
    warmup: 1,
  },
];
