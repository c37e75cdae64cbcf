/**
 * R model formulas: parse (`parseFormula`), resolve against data
 * (`designSpec`), build design matrices (`modelMatrixFor`) and whole model
 * frames (`modelFrame`), with R's term order, column names and factor coding.
 */
export type { ModelFrame, RandomTerm, TimeIndex } from "./types.ts";
export type { Expr, BinaryOperator } from "./ast.ts";
export { deparse, referencedNames } from "./ast.ts";
export { formatRNumber } from "./rformat.ts";
export { parseSyntax } from "./parser.ts";
export {
  parseFormula,
  NUMERIC_FUNCTIONS,
  type ParsedFormula,
  type FormulaVariable,
  type FormulaTerm,
  type FactorCoding,
} from "./terms.ts";
export { evaluateVariable, type ColumnOverrides } from "./evaluate.ts";
export {
  designSpec,
  resolveDesign,
  modelMatrixFor,
  designMatrix,
  sortText,
  type DesignSpec,
  type DesignOptions,
  type DesignVariable,
  type NumericDesignVariable,
  type FactorDesignVariable,
  type DesignTerm,
  type TermCoding,
} from "./design.ts";
export { checkMagnitudes, MAX_MAGNITUDE } from "./magnitude.ts";
export { modelFrame, type ModelFrameOptions, type FormulaModelFrame } from "./frame.ts";
