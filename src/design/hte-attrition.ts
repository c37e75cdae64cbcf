/**
 * Attrition in the HTE and ATE calculations (hte.ts): outcomes missing
 * completely at random at rate r (retention q = 1 − r). A cluster planned at
 * size n is observed at a random size K and contributes E[I(K)] (method
 * "binomial", Tong et al. 2023), or the design effect is evaluated at n·q
 * (method "mean-size"); see hte.ts for the model.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import type { Diagnostic } from "../core/diagnostics.ts";
import { info, warning } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import { checkFinite } from "./validate.ts";

/** Expected attrition of individuals (outcome missing completely at random). */
export interface AttritionSpec {
  /** Proportion of enrolled individuals without an outcome, in [0, 1). */
  readonly rate: number;
  /** "binomial" (default): expected information over the distribution of retained sizes; "mean-size": DE at n(1 − rate). */
  readonly method?: "binomial" | "mean-size";
  /** ICC of the missingness indicators within a cluster, in [0, 1) (default 0: independent attrition); "binomial" method only. */
  readonly icc?: number;
}

/** Validated attrition, echoed in results. */
export interface CheckedAttrition {
  readonly rate: number;
  readonly method: "binomial" | "mean-size";
  readonly icc: number;
}

/** Checks an attrition spec (null when there is none). */
export function checkAttrition(spec: AttritionSpec | undefined): CheckedAttrition | null {
  if (spec === undefined) return null;
  const rate = checkFinite(spec.rate, "attrition.rate");
  if (rate < 0 || rate >= 1) throw new InputError(`attrition.rate must be in [0, 1), got ${rate}`);
  const method = spec.method ?? "binomial";
  if (method !== "binomial" && method !== "mean-size") {
    throw new InputError(`attrition.method must be "binomial" or "mean-size", got ${JSON.stringify(method)}`);
  }
  const icc = checkFinite(spec.icc ?? 0, "attrition.icc");
  if (icc < 0 || icc >= 1) throw new InputError(`attrition.icc must be in [0, 1), got ${icc}`);
  if (icc > 0 && method !== "binomial") throw new InputError(`attrition.icc needs method "binomial" (the mean-size approximation has no place for it)`);
  return Object.freeze({ rate, method, icc });
}

/** The mean-size approximation needs an expected retained size of at least 1 for every planned size. */
export function checkRetainedSizes(clusterSizes: readonly number[], attrition: CheckedAttrition | null): void {
  if (attrition === null || attrition.method !== "mean-size") return;
  for (const n of clusterSizes) {
    if (n * (1 - attrition.rate) < 1) {
      throw new InputError(`expected retained cluster size ${n}·(1 − ${attrition.rate}) = ${n * (1 - attrition.rate)} is below 1; use method "binomial"`);
    }
  }
}

/** Says how attrition enters the calculation (and warns where the approximation is poor). */
export function attritionDiagnostics(attrition: CheckedAttrition | null, diagnostics: Diagnostic[]): void {
  if (attrition === null || attrition.rate === 0) return;
  diagnostics.push(
    info(
      "attrition",
      attrition.method === "binomial"
        ? attrition.icc === 0
          ? `attrition ${attrition.rate}: information averaged over Binomial(n, ${1 - attrition.rate}) retained cluster sizes (outcomes missing completely at random, independently within clusters)`
          : `attrition ${attrition.rate}: information averaged over beta-binomial retained cluster sizes with missingness ICC ${attrition.icc} (Tong et al. 2023)`
        : `attrition ${attrition.rate}: design effect evaluated at the expected retained cluster size n·${1 - attrition.rate}`,
    ),
  );
  if (attrition.method === "mean-size" && attrition.rate >= 0.3) {
    diagnostics.push(
      warning("attrition-approximation", `attrition ${attrition.rate} ≥ 0.3: the mean-size approximation may under-power the trial; prefer method "binomial"`),
    );
  }
}

/** Binomial(n, q) probabilities by a log-space recurrence (no underflow for large n). */
function binomialPmf(n: number, q: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (q === 1) {
    out[n] = 1;
    return out;
  }
  const logRatio = Math.log(q) - Math.log1p(-q);
  let logP = n * Math.log1p(-q);
  out[0] = Math.exp(logP);
  for (let k = 0; k < n; k++) {
    logP += Math.log((n - k) / (k + 1)) + logRatio;
    out[k + 1] = Math.exp(logP);
  }
  return out;
}

/**
 * BetaBinomial(n, a, b) probabilities with mean q and intra-cluster correlation
 * ρ (a = q(1 − ρ)/ρ, b = (1 − q)(1 − ρ)/ρ), in log space.
 */
function betaBinomialPmf(n: number, q: number, rho: number): Float64Array {
  if (rho === 0) return binomialPmf(n, q);
  const a = (q * (1 - rho)) / rho;
  const b = ((1 - q) * (1 - rho)) / rho;
  const logBetaAB = gammaln(a) + gammaln(b) - gammaln(a + b);
  const out = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const logChoose = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
    const logBeta = gammaln(k + a) + gammaln(n - k + b) - gammaln(n + a + b);
    out[k] = Math.exp(logChoose + logBeta - logBetaAB);
  }
  return out;
}

/** Mean per-cluster information over planned sizes and (optionally) attrition. */
export function meanInformation(
  sizes: readonly number[],
  attrition: CheckedAttrition | null,
  perCluster: (n: number) => number,
): number {
  let total = 0;
  for (const n of sizes) {
    if (attrition === null || attrition.rate === 0) {
      total += perCluster(n);
    } else if (attrition.method === "mean-size") {
      total += perCluster(n * (1 - attrition.rate));
    } else {
      const pmf = betaBinomialPmf(n, 1 - attrition.rate, attrition.icc);
      let e = 0;
      for (let k = 1; k <= n; k++) e += pmf[k] * perCluster(k);
      total += e;
    }
  }
  return total / sizes.length;
}
