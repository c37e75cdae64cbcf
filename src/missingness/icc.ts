/**
 * Between-cluster variation in missingness: the logistic random-intercept
 * model R ~ 1 + (1 | C) of the indicator (Laplace, as glmer), its
 * latent-scale ICC σ²_b/(σ²_b + π²/3) with the profile-likelihood interval
 * of σ_b mapped through that increasing function, and the likelihood-ratio
 * test of σ²_b = 0 against glm(R ~ 1) (theta-profile.ts).
 */
import type { Diagnostic } from "../core/diagnostics.ts";
import type { ModelFrame } from "../formula/types.ts";
import { glmm, glmmObjective } from "../models/glmm/index.ts";
import { thetaProfile } from "./theta-profile.ts";

const LATENT_VARIANCE = (Math.PI * Math.PI) / 3;

/** The latent-scale ICC of a logistic random intercept with SD σ_b (1 for σ_b = ∞). */
export function latentIcc(sd: number): number {
  return sd === Infinity ? 1 : (sd * sd) / (sd * sd + LATENT_VARIANCE);
}

export interface Interval {
  readonly estimate: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export interface MissingnessIcc extends Interval {
  /** σ_b with its profile interval (confHigh Infinity when unbounded). */
  readonly randomInterceptSd: Interval;
  /** The intercept of R ~ 1 + (1 | C): the log-odds of missingness in a typical cluster. */
  readonly intercept: number;
  readonly deviance: number;
  readonly converged: boolean;
}

export interface ZeroVarianceTest {
  /** Likelihood-ratio statistic of glm(R ~ 1) against the GLMM. */
  readonly statistic: number;
  /** ½P(χ²₁ > statistic), 1 when the statistic is 0. */
  readonly pValue: number;
}

export interface MissingnessVariation {
  readonly icc: MissingnessIcc;
  readonly test: ZeroVarianceTest;
  readonly diagnostics: readonly Diagnostic[];
}

/** Fits R ~ 1 + (1 | C) to `frame` (the indicator's null frame) and profiles it. */
export function missingnessVariation(frame: ModelFrame, level: number): MissingnessVariation {
  const fit = glmm(frame, { level });
  const profile = thetaProfile(glmmObjective(frame), fit.theta, fit.coefficients, level);
  const sd = { estimate: fit.theta, confLow: profile.thetaLow, confHigh: profile.thetaHigh };
  return {
    icc: {
      estimate: latentIcc(sd.estimate),
      confLow: latentIcc(sd.confLow),
      confHigh: latentIcc(sd.confHigh),
      randomInterceptSd: sd,
      intercept: fit.coefficients[0],
      deviance: fit.deviance,
      converged: fit.converged,
    },
    test: { statistic: profile.lrt, pValue: profile.pValue },
    // The frame's own notes (rows without a cluster) are reported once, by the caller.
    diagnostics: [...fit.diagnostics.filter((d) => d.code !== "dropped-rows"), ...profile.diagnostics].map((d) => ({
      ...d,
      message: `missingness ICC model: ${d.message}`,
    })),
  };
}
