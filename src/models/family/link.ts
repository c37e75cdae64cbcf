/**
 * Link functions η = g(μ), with the same numerical guards as R's
 * `make.link()` so fits near the boundary (separation, μ → 0) agree with R.
 */
import { InputError } from "../../core/errors.ts";
import { pnorm, qnorm } from "../../distributions/index.ts";

export type LinkName = "identity" | "logit" | "probit" | "cloglog" | "log" | "inverse";

/**
 * A link function and what IRLS and GEE need from it.
 *
 * @example
 * const logit = getLink("logit");
 * logit.linkinv(0); // 0.5
 * logit.muEta(0);   // 0.25 = dμ/dη at η = 0
 */
export interface Link {
  readonly name: LinkName;
  /** η = g(μ). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η). */
  linkinv(eta: number): number;
  /** dμ/dη at η. */
  muEta(eta: number): number;
  /** Whether η is in the domain of g⁻¹. */
  valideta(eta: number): boolean;
}

const EPS = 2.220446049250313e-16; // .Machine$double.eps
const INV_EPS = 1 / EPS;
const LOGIT_THRESH = 30; // R's THRESH / MTHRESH in family.c
const PROBIT_THRESH = -qnorm(EPS);
const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density (closed form). */
function dnorm(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

const always = (): boolean => true;

export const identityLink: Link = Object.freeze({
  name: "identity" as const,
  linkfun: (mu: number) => mu,
  linkinv: (eta: number) => eta,
  muEta: () => 1,
  valideta: always,
});

export const logitLink: Link = Object.freeze({
  name: "logit" as const,
  linkfun: (mu: number) => Math.log(mu / (1 - mu)),
  linkinv: (eta: number) => {
    const t = eta < -LOGIT_THRESH ? EPS : eta > LOGIT_THRESH ? INV_EPS : Math.exp(eta);
    return t / (1 + t);
  },
  muEta: (eta: number) => {
    if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) return EPS;
    const e = Math.exp(eta);
    const opexp = 1 + e;
    return e / (opexp * opexp);
  },
  valideta: always,
});

export const probitLink: Link = Object.freeze({
  name: "probit" as const,
  linkfun: (mu: number) => qnorm(mu),
  linkinv: (eta: number) => pnorm(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH)),
  muEta: (eta: number) => Math.max(dnorm(eta), EPS),
  valideta: always,
});

export const cloglogLink: Link = Object.freeze({
  name: "cloglog" as const,
  linkfun: (mu: number) => Math.log(-Math.log1p(-mu)),
  linkinv: (eta: number) => Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - EPS), EPS),
  muEta: (eta: number) => {
    const e = Math.min(eta, 700);
    return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), EPS);
  },
  valideta: always,
});

export const logLink: Link = Object.freeze({
  name: "log" as const,
  linkfun: (mu: number) => Math.log(mu),
  linkinv: (eta: number) => Math.max(Math.exp(eta), EPS),
  muEta: (eta: number) => Math.max(Math.exp(eta), EPS),
  valideta: always,
});

export const inverseLink: Link = Object.freeze({
  name: "inverse" as const,
  linkfun: (mu: number) => 1 / mu,
  linkinv: (eta: number) => 1 / eta,
  muEta: (eta: number) => -1 / (eta * eta),
  valideta: (eta: number) => Number.isFinite(eta) && eta !== 0,
});

/** Every link, by name. */
export const LINKS: Readonly<Record<LinkName, Link>> = Object.freeze({
  identity: identityLink,
  logit: logitLink,
  probit: probitLink,
  cloglog: cloglogLink,
  log: logLink,
  inverse: inverseLink,
});

/** The link called `name`, or an InputError listing the links there are. */
export function getLink(name: string): Link {
  const link = (LINKS as Record<string, Link | undefined>)[name];
  if (!link) throw new InputError(`unknown link '${name}'; use one of: ${Object.keys(LINKS).join(", ")}`);
  return link;
}
