export { createRng, type Rng } from "./rng.ts";
export { bernoulli, gamma, multivariateNormal, normal, poisson } from "./samplers.ts";
export { polyaGamma, polyaGammaFill, polyaGammaMean, polyaGammaVariance } from "./polyagamma.ts";
