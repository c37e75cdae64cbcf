/**
 * Exponential families for GLM and GEE fits: variance function, deviance,
 * starting values and log-likelihood, each matching R's `family` objects.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { InputError } from "../../core/errors.ts";
import { getLink, type Link, type LinkName } from "./link.ts";

export type FamilyName = "gaussian" | "binomial" | "poisson";

/**
 * A response distribution as IRLS and GEE use it. Per-observation methods
 * take plain numbers so inner loops allocate nothing.
 *
 * @example
 * const b = getFamily("binomial");
 * b.variance(0.2);           // 0.16
 * b.deviance(1, 0.8, 1);     // 2·log(1/0.8)
 */
export interface Family {
  readonly name: FamilyName;
  readonly defaultLink: LinkName;
  /** Links this family accepts (R's list for the family, minus the exotic ones). */
  readonly links: readonly LinkName[];
  /** True when the dispersion is estimated (gaussian); false when it is fixed at 1. */
  readonly estimatesDispersion: boolean;
  /** V(μ). */
  variance(mu: number): number;
  /** dV/dμ. */
  varianceDerivative(mu: number): number;
  /** Whether μ is a valid mean for this family. */
  validmu(mu: number): boolean;
  /** Deviance contribution of one observation with prior weight `wt` (R's `dev.resids`). */
  deviance(y: number, mu: number, wt: number): number;
  /** IRLS starting mean for one observation (R's `initialize`). */
  startingMu(y: number, wt: number): number;
  /** Describes why `y` is not a valid response (prior weight `wt`), or null when it is. */
  checkResponse(y: number, wt: number): string | null;
  /**
   * Log-likelihood at means `mu` over the rows with positive weight, as R's
   * `logLik.glm` (= −aic/2 of the family); `deviance` is the fit's deviance.
   */
  logLik(y: ArrayLike<number>, mu: ArrayLike<number>, weights: ArrayLike<number> | undefined, deviance: number): number;
  /** Parameters beyond the coefficients counted in the AIC (1 for the gaussian variance). */
  readonly extraParameters: number;
}

/** y·log(y/μ), taken as 0 at y = 0 (R's `y_log_y`). */
function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

function logDbinom(x: number, size: number, p: number): number {
  if (x < 0 || x > size) return -Infinity;
  let s = gammaln(size + 1) - gammaln(x + 1) - gammaln(size - x + 1);
  if (x > 0) s += x * Math.log(p);
  if (size - x > 0) s += (size - x) * Math.log1p(-p);
  return s;
}

function logDpois(y: number, mu: number): number {
  if (y < 0 || !Number.isInteger(y)) return -Infinity;
  if (y === 0) return -mu;
  return y * Math.log(mu) - mu - gammaln(y + 1);
}

export const gaussian: Family = Object.freeze({
  name: "gaussian" as const,
  defaultLink: "identity" as const,
  links: Object.freeze(["identity", "log", "inverse"] as const),
  estimatesDispersion: true,
  extraParameters: 1,
  variance: () => 1,
  varianceDerivative: () => 0,
  validmu: (mu: number) => Number.isFinite(mu),
  deviance: (y: number, mu: number, wt: number) => wt * (y - mu) * (y - mu),
  startingMu: (y: number) => y,
  checkResponse: () => null,
  logLik(y: ArrayLike<number>, _mu: ArrayLike<number>, weights: ArrayLike<number> | undefined, deviance: number): number {
    let nobs = 0;
    let sumLogW = 0;
    for (let i = 0; i < y.length; i++) {
      const w = weights ? weights[i] : 1;
      if (w > 0) {
        nobs++;
        sumLogW += Math.log(w);
      }
    }
    return -0.5 * nobs * (Math.log((2 * Math.PI * deviance) / nobs) + 1) + 0.5 * sumLogW;
  },
});

export const binomial: Family = Object.freeze({
  name: "binomial" as const,
  defaultLink: "logit" as const,
  links: Object.freeze(["logit", "probit", "cloglog", "log"] as const),
  estimatesDispersion: false,
  extraParameters: 0,
  variance: (mu: number) => mu * (1 - mu),
  varianceDerivative: (mu: number) => 1 - 2 * mu,
  validmu: (mu: number) => Number.isFinite(mu) && mu > 0 && mu < 1,
  deviance: (y: number, mu: number, wt: number) => 2 * wt * (yLogY(y, mu) + yLogY(1 - y, 1 - mu)),
  startingMu: (y: number, wt: number) => (wt * y + 0.5) / (wt + 1),
  checkResponse: (y: number, wt: number) =>
    wt === 0 || (y >= 0 && y <= 1) ? null : "binomial responses must be 0/1 or proportions between 0 and 1",
  logLik(y: ArrayLike<number>, mu: ArrayLike<number>, weights: ArrayLike<number> | undefined): number {
    // R: m = prior weight (vector response), contribution (wt/m)·log dbinom(round(m·y), round(m), μ).
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const m = weights ? weights[i] : 1;
      if (m > 0) s += logDbinom(Math.round(m * y[i]), Math.round(m), mu[i]);
    }
    return s;
  },
});

export const poisson: Family = Object.freeze({
  name: "poisson" as const,
  defaultLink: "log" as const,
  links: Object.freeze(["log", "identity"] as const),
  estimatesDispersion: false,
  extraParameters: 0,
  variance: (mu: number) => mu,
  varianceDerivative: () => 1,
  validmu: (mu: number) => Number.isFinite(mu) && mu > 0,
  deviance: (y: number, mu: number, wt: number) => (y > 0 ? 2 * wt * (y * Math.log(y / mu) - (y - mu)) : 2 * wt * mu),
  startingMu: (y: number) => y + 0.1,
  checkResponse: (y: number) => (y >= 0 ? null : "poisson responses must be non-negative counts"),
  logLik(y: ArrayLike<number>, mu: ArrayLike<number>, weights: ArrayLike<number> | undefined): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const w = weights ? weights[i] : 1;
      if (w > 0) s += w * logDpois(y[i], mu[i]);
    }
    return s;
  },
});

/** Every family, by name. */
export const FAMILIES: Readonly<Record<FamilyName, Family>> = Object.freeze({ gaussian, binomial, poisson });

/** The family called `name`, or an InputError listing the families there are. */
export function getFamily(name: string): Family {
  const family = (FAMILIES as Record<string, Family | undefined>)[name];
  if (!family) throw new InputError(`unknown family '${name}'; use one of: ${Object.keys(FAMILIES).join(", ")}`);
  return family;
}

/**
 * Resolves a family and link given by name or object, defaulting the link to
 * the family's canonical one; an InputError names a link the family does not accept.
 */
export function resolveFamily(family: FamilyName | Family | string, link?: LinkName | Link | string): { family: Family; link: Link } {
  const fam = typeof family === "string" ? getFamily(family) : family;
  const lnk = link === undefined ? getLink(fam.defaultLink) : typeof link === "string" ? getLink(link) : link;
  if (!fam.links.includes(lnk.name)) {
    throw new InputError(`link '${lnk.name}' is not available for family '${fam.name}'; use one of: ${fam.links.join(", ")}`);
  }
  return { family: fam, link: lnk };
}
