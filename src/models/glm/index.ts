export { glm, type GlmOptions, type GlmResult } from "./glm.ts";
export { deviance, glmFit, type GlmFitOptions, type GlmKernelFit } from "./irls.ts";
