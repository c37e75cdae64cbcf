export { lmCovariance, type LmCovariance, type LmDfMethod, type LmVcovType } from "./covariance.ts";
export { lm, type LmOptions, type LmResult } from "./fit.ts";
export { inverseGramFromR, olsFit, type OlsFit } from "./ols.ts";
