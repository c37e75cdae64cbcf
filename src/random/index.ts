export { createRng, fmix32, type Rng } from "./rng.ts";
export { hashName, namedStream, streamIds, type StreamPath } from "./streams.ts";
export { bernoulli, gamma, multivariateNormal, normal, poisson } from "./samplers.ts";
export { polyaGamma, polyaGammaFill, polyaGammaMean, polyaGammaVariance } from "./polyagamma.ts";
