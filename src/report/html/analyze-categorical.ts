/**
 * What the analyze report says differently for a categorical modifier: the
 * HTE is k − 1 treatment-by-level contrasts (`hteTerms`) with a joint test
 * (`hteTest`), so the forest plot has a panel per contrast, the estimates
 * table a row per contrast and one for the joint test, the headline the
 * joint test, and the methods paragraph names the multinomial models.
 */
import type { AnalyzeJson, AnalyzeResultJson, HteTestJson } from "./analyze-json.ts";
import type { EstimateJson } from "./common.ts";
import { fmt } from "./common.ts";

/** The HTE estimands of a result: `hte` alone, or one per contrast for a categorical modifier (a failed method has none). */
export function hteEstimands(r: AnalyzeResultJson, hteLabel: string): { key: string; panel: string; estimate: EstimateJson }[] {
  if (!r.hteTerms) return [{ key: "hte", panel: `HTE (${hteLabel})`, estimate: r.hte }];
  return r.hteTerms.map((t) => ({ key: `hte[${t.term}]`, panel: `HTE (${t.term})`, estimate: t }));
}

/** "F = 22.5 on 2 and 10.0 df, p = 0.0002 (D1)". */
export function jointTestSentence(t: HteTestJson): string {
  const p = t.pValue === null ? "NA" : t.pValue < 1e-4 ? "< 0.0001" : `= ${fmt(t.pValue)}`;
  const df = t.df2 === null ? `χ²(${t.df1})/${t.df1} reference` : `${t.df1} and ${fmt(t.df2)} df`;
  return `F = ${fmt(t.statistic)} on ${df}, p ${p} (${t.method === "D1" ? "D1 over the imputations" : "Wald"})`;
}

/** The methods paragraph's sentence for a categorical modifier's method, or null to keep the general one. */
export function categoricalMethodSentence(method: string, m: string, json: AnalyzeJson): string | null {
  const levels = json.data.modifierLevels;
  if (json.data.modifierType !== "categorical" || !levels) return null;
  const s = json.settings ?? {};
  const model = `multinomial-logit imputation model (reference level '${levels[0]}')`;
  switch (method) {
    case "si":
      return `SI fills each missing ${m} once, by a draw from the single-level ${model} at its estimates, and analyses that one data set as if it were complete.`;
    case "mi":
      return `MI draws ${s.imputations ?? "several"} completed data sets from the single-level ${model}, each with its coefficients drawn from their approximate normal posterior, analyses each, and pools them (Rubin's rules per contrast, D1 for the joint test; Li, Raghunathan & Rubin 1991, Reiter 2007).`;
    case "bmmi":
      return (
        `B-MMI samples a multinomial-logit random-intercept model (one cluster random intercept per non-reference level) and the missing values jointly by Gibbs sampling, level by level with Pólya–Gamma augmentation (Holmes & Held 2006; Polson, Scott & Windle 2013), ` +
        `prior N(multinomial estimate, ${s.priorVariance ?? "σ²"}) per coefficient, ${s.chains ?? 1} chain(s) of ${s.burnin ?? "?"} burn-in iterations, one completed data set every ${s.thin ?? "?"}th iteration, ${s.imputations ?? "?"} per chain.`
      );
    default:
      return null;
  }
}
