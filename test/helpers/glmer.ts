/** lme4::glmer reference fits (fixtures/r/glmm.R, glmm-poisson.R) and the comparison every GLMM family shares. */
import type { GlmmFit } from "../../src/models/glmm/index.ts";
import { near, nearRel, standardErrors } from "./frame.ts";

export interface GlmerFit {
  fixef: number[];
  vcov: number[][];
  vcovRX: number[][];
  theta: number;
  logLik: number;
  deviance: number;
  ranef: number[];
  condVar: number[];
  singular: boolean;
}

export interface GlmerCase {
  name: string;
  formula: string;
  columnNames: string[];
  X: number[][];
  y: number[];
  cluster: number[];
  glm: { coef: number[]; logLik: number };
  fits: { nagq: number; default: GlmerFit; exact: GlmerFit }[];
}

export interface GlmerTolerances {
  fixef: number;
  theta: number;
  logLik: number;
  se: number;
  ranef: number;
}

/** Fixed effects, SD, logLik, both covariances' SEs and conditional modes of `fit` against one glmer fit. */
export function expectGlmerAgreement(fit: GlmmFit, c: GlmerCase, r: GlmerFit, tol: GlmerTolerances, what: string): void {
  r.fixef.forEach((b, k) => near(fit.coefficients[k], b, tol.fixef, `${what} fixef[${c.columnNames[k]}]`));
  near(fit.theta, r.theta, tol.theta, `${what} SD`);
  near(fit.randomEffects[0].sd, r.theta, tol.theta, `${what} randomEffects.sd`);
  near(fit.logLik, r.logLik, tol.logLik, `${what} logLik`);
  const ours = fit.table.map((row) => row.stdError);
  standardErrors(r.vcov).forEach((s, k) => nearRel(ours[k], s, tol.se, `${what} SE[${c.columnNames[k]}]`));
  const p = c.columnNames.length;
  standardErrors(r.vcovRX).forEach((s, k) => nearRel(Math.sqrt(fit.vcovRX[k * p + k]), s, tol.se, `${what} SE from RX[${k}]`));
  r.ranef.forEach((b, i) => near(fit.conditionalModes.values[i], b, tol.ranef, `${what} ranef[${i}]`));
  r.condVar.forEach((v, i) => near(fit.conditionalModes.conditionalVariance[i], v, tol.ranef, `${what} condVar[${i}]`));
}
