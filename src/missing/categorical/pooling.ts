/**
 * Inference on a categorical modifier's k − 1 treatment-by-level contrasts:
 * each as an Estimate named by its R term (`A:Mlow`), and their joint test
 * of no heterogeneity. One fit (cca, si): Wald, W/(k − 1) referred to
 * χ²(k − 1)/(k − 1) with robust SEs (df2 null) or F(k − 1, C − p) with md/kc.
 * Pooled fits: each contrast by Rubin's rules with the analysis's df rule,
 * the joint test by D1 (pool-multivariate.ts) with ν_com as for the scalars
 * (Reiter's df), or Li et al.'s df under `--pooling-df rubin` (no ν_com).
 */
import { warning, type Diagnostic } from "../../core/diagnostics.ts";
import type { Estimate } from "../../core/records.ts";
import { pool, pooledEstimate } from "../../inference/pool.ts";
import { poolD1, waldJointTest, type JointTest } from "../../inference/pool-multivariate.ts";
import { waldEstimate } from "../../inference/wald.ts";
import type { PoolingDf } from "../../inference/pool.ts";
import type { HteTermsFit } from "./fit.ts";

export type HteTerm = { readonly term: string } & Estimate;

export interface HteTermsInference {
  readonly hteTerms: readonly HteTerm[];
  readonly hteTest: JointTest;
}

/** Wald inference on the contrasts of one fit; `df` null for the normal reference. */
export function singleFitTerms(terms: HteTermsFit, df: number | null, level: number): HteTermsInference {
  const k = terms.coefficients.length;
  return {
    hteTerms: terms.names.map((term, j) => ({ term, ...waldEstimate(terms.coefficients[j], Math.sqrt(terms.vcov[j * k + j]), df, level) })),
    hteTest: waldJointTest(terms.coefficients, terms.vcov, k, df),
  };
}

/**
 * Rubin's rules per contrast and D1 for all of them, over the fits'
 * contrasts; a warning when D1 has no usable denominator df (Reiter's needs
 * k'(m − 1) > 4: more imputations).
 */
export function pooledTerms(
  fits: readonly HteTermsFit[],
  dfcom: number,
  level: number,
  dfMethod: PoolingDf,
): HteTermsInference & { readonly diagnostics: readonly Diagnostic[] } {
  const { names } = fits[0];
  const k = names.length;
  const hteTerms = names.map((term, j) => {
    const q = fits.map((f) => f.coefficients[j]);
    const u = fits.map((f) => f.vcov[j * k + j]);
    return { term, ...pooledEstimate(pool(q, u, { dfcom, level, dfMethod })) };
  });
  const hteTest = poolD1(
    fits.map((f) => f.coefficients),
    fits.map((f) => f.vcov),
    k,
    dfMethod === "rubin" ? null : dfcom,
  );
  const usable = hteTest.df2 === null || hteTest.df2 > 0;
  const diagnostics = usable
    ? []
    : [
        warning(
          "d1-df-undefined",
          `hte joint test: D1's denominator df is ${hteTest.df2} with ${fits.length} imputations of ${k} contrasts (Reiter's df needs k'(m − 1) > 4): no p-value; use more imputations`,
        ),
      ];
  return { hteTerms, hteTest, diagnostics };
}
