/** Small scalar functions shared across the layers. */

/** The logistic function 1/(1 + e^(−η)): the inverse of the logit link. */
export function expit(eta: number): number {
  return 1 / (1 + Math.exp(-eta));
}
