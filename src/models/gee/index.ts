export { ar1, CORRELATIONS, exchangeable, independence, type CorStr, type WorkingCorrelation } from "./correlation.ts";
export { geeFit, type GeeFitOptions, type GeeKernelFit } from "./fit.ts";
export { gee, geeData, resolveCorrelation, type GeeData, type GeeOptions, type GeeResult } from "./gee.ts";
export { geeVariance, type GeeSe, type GeeVarianceOptions, type GeeVariances } from "./variance.ts";
