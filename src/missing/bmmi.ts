/**
 * Bayesian multilevel multiple imputation: the Pólya-Gamma Gibbs sampler of
 * gibbs.ts with its prior centred at the logistic GLMM estimates (the
 * logistic regression estimates when the GLMM fails, with a diagnostic), the
 * outcome GEE fitted on each saved completed data set, Rubin pooling. With K
 * chains every chain runs the full schedule and all K·D completed data sets
 * are pooled; split-R̂ and ESS are computed over the chains' post-burn-in draws.
 */
import { warning, type Diagnostic } from "../core/diagnostics.ts";
import { effectiveSampleSize, splitRhat } from "../inference/mcmc.ts";
import type { Rng } from "../random/rng.ts";
import type { ImputationDesign, ModifierData } from "./data.ts";
import { runGibbsChain, type GibbsChain } from "./gibbs.ts";
import { fitLogisticGlmm } from "./glmm-imputation.ts";
import { fitOutcomeModel, type OutcomeFit } from "./outcome.ts";
import { pooledResult, type ChainConvergence, type MethodResult, type MethodSettings } from "./result.ts";
import { logisticImputationModel } from "./single-level.ts";

/** One chain's draws, for convergence checks and the --trace file. */
export interface ChainTrace {
  readonly imputationModel: string;
  readonly chain: number;
  readonly parameterNames: readonly string[];
  readonly iterations: number;
  /** iterations × p, row-major. */
  readonly beta: Float64Array;
  readonly tau: Float64Array;
  /** The method whose chain it is (bmmi when absent). */
  readonly method?: string;
}

/** R̂ above this, or an ESS below this, earns a warning. */
const RHAT_LIMIT = 1.05;
const ESS_LIMIT = 100;

export function bayesianMultilevelImputation(
  data: ModifierData,
  design: ImputationDesign,
  settings: MethodSettings,
  stream: (chain: number) => Rng,
): { result: MethodResult; traces: ChainTrace[] } {
  const diagnostics: Diagnostic[] = [];
  let priorMean: Float64Array;
  try {
    const glmmFit = fitLogisticGlmm(data, design);
    diagnostics.push(...glmmFit.diagnostics);
    if (!glmmFit.converged) throw new Error("the logistic GLMM did not converge");
    priorMean = glmmFit.coefficients;
  } catch (e) {
    const fallback = logisticImputationModel(data, design);
    diagnostics.push(
      warning(
        "bmmi-prior-fallback",
        `B-MMI prior centred at the logistic regression estimates: the GLMM fit failed (${(e as Error).message})`,
      ),
      ...fallback.diagnostics,
    );
    priorMean = fallback.coefficients;
  }

  const fits: OutcomeFit[] = [];
  const chains: GibbsChain[] = [];
  for (let k = 0; k < settings.chains; k++) {
    chains.push(
      runGibbsChain(
        { W: design.W, n: data.n, p: design.p, starts: data.starts, modifier: data.modifier, priorMean },
        settings.gibbs,
        stream(k),
        (m) => fits.push(fitOutcomeModel(data, m, settings.corstr)),
      ),
    );
  }
  const convergence = chainConvergence(chains, design, settings);
  for (const p of convergence.parameters) {
    if (p.rhat > RHAT_LIMIT) diagnostics.push(warning("bmmi-rhat", `B-MMI: split-R̂ of ${p.name} is ${p.rhat.toFixed(3)} (> ${RHAT_LIMIT}); run longer or more chains`));
    if (p.ess < ESS_LIMIT) diagnostics.push(warning("bmmi-ess", `B-MMI: effective sample size of ${p.name} is ${p.ess.toFixed(0)} (< ${ESS_LIMIT})`));
  }
  const traces = chains.map((c, k) => ({
    imputationModel: design.formula,
    chain: k,
    parameterNames: design.columnNames,
    iterations: c.iterations,
    beta: c.beta,
    tau: c.tau,
  }));
  return {
    result: pooledResult("bmmi", design.formula, fits, data.clusterIds.length, settings.level, diagnostics, convergence),
    traces,
  };
}

function chainConvergence(chains: readonly GibbsChain[], design: ImputationDesign, settings: MethodSettings): ChainConvergence {
  const { burnin } = settings.gibbs;
  const p = design.p;
  const iterations = chains[0].iterations;
  const kept = iterations - burnin;
  const parameters = design.columnNames.map((name, j) => {
    const draws = chains.map((c) => Float64Array.from({ length: kept }, (_, t) => c.beta[(burnin + t) * p + j]));
    return { name, ess: effectiveSampleSize(draws), rhat: splitRhat(draws) };
  });
  const tauDraws = chains.map((c) => c.tau.subarray(burnin));
  parameters.push({ name: "tau", ess: effectiveSampleSize(tauDraws), rhat: splitRhat(tauDraws) });
  return { chains: chains.length, iterations, parameters };
}
