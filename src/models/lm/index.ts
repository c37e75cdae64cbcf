export {
  lm,
  lmCovariance,
  olsFit,
  type LmCovariance,
  type LmDfMethod,
  type LmOptions,
  type LmResult,
  type LmVcovType,
  type OlsFit,
} from "./fit.ts";
