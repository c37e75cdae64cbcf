import { ComputeError } from "../core/errors.ts";
import { choleskyInPlace, choleskyInverse, choleskySolveInPlace } from "./cholesky.ts";

/**
 * Inverse of a symmetric positive definite p×p matrix via Cholesky; throws a
 * ComputeError naming `what` when it is not positive definite.
 */
export function invertSymmetric(a: Float64Array, p: number, what = "matrix"): Float64Array {
  const l = Float64Array.from(a);
  const status = choleskyInPlace(l, p);
  if (status !== 0) throw new ComputeError(`${what} is singular or not positive definite (pivot ${status} of ${p})`);
  return choleskyInverse(l, p);
}

/** Solves A·x = b for symmetric positive definite A; throws a ComputeError naming `what` otherwise. */
export function solveSymmetric(a: Float64Array, p: number, b: ArrayLike<number>, what = "matrix"): Float64Array {
  const l = Float64Array.from(a);
  const status = choleskyInPlace(l, p);
  if (status !== 0) throw new ComputeError(`${what} is singular or not positive definite (pivot ${status} of ${p})`);
  const x = Float64Array.from(b);
  choleskySolveInPlace(l, p, x);
  return x;
}
