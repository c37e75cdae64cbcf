export { fromRows, matrix, toRows, type Matrix } from "./matrix.ts";
export {
  choleskyInPlace,
  choleskyInverse,
  choleskyLogDet,
  choleskySolveInPlace,
  solveLowerInPlace,
  solveLowerTransposeInPlace,
} from "./cholesky.ts";
export { crossprod, crossprodVector, multiply, multiplyVector, transpose } from "./crossprod.ts";
export {
  columnSupport,
  crossprodVectorColumns,
  dotRange,
  dotRangePair,
  multiplyVectorColumns,
  type ColumnSupport,
} from "./columns.ts";
export { qrLeastSquares, type QrLeastSquares } from "./qr.ts";
export { invertSymmetric, solveSymmetric } from "./symmetric.ts";
export { gramPlan, gramWithPlan, type GramPlan } from "./gram.ts";
