/**
 * Who complete-case analysis keeps: for each covariate (and the treatment),
 * its mean among all analysis rows where it is observed and among those
 * that also have the variable observed (the complete cases), and the
 * standardized difference
 *
 *   smd = (meanComplete − meanAll) / sdAll,
 *
 * sdAll the SD (n − 1 denominator, as R's sd) among all rows where the
 * covariate is observed. Dividing by the SD of the full sample, rather than
 * pooling complete and incomplete rows, keeps one scale for the question
 * asked: how far the complete cases sit from the population they stand for.
 * A factor gives one row per level (`site=2`) whose means are shares; a
 * numeric design column of any other term (I(x^2), x:z) gives one row under
 * its column name.
 */
import { info, type Diagnostic } from "../core/diagnostics.ts";
import { modelFrame } from "../formula/index.ts";
import { deparseName } from "../formula/ast.ts";
import type { MissingnessData } from "./data.ts";

export interface RepresentationRow {
  /** Column or term name; `column=level` for a factor level. */
  readonly variable: string;
  /** Rows with the covariate observed, and those among them with the variable observed. */
  readonly nAll: number;
  readonly nComplete: number;
  readonly meanAll: number;
  /** Null when no row with the covariate observed has the variable observed. */
  readonly meanComplete: number | null;
  readonly sdAll: number;
  /** Null when meanComplete is null or the covariate is constant (sdAll 0). */
  readonly smd: number | null;
}

/** Labels of the design columns of `0 + term`: `column=level` for a factor, else R's column names. */
function columnLabels(frame: ReturnType<typeof modelFrame>): string[] {
  const { variables, terms, columnNames } = frame.design;
  const labels = [...columnNames];
  for (const t of terms) {
    const v = variables[t.variables[0]];
    if (t.variables.length !== 1 || v.type !== "factor") continue;
    const base = v.expr.kind === "name" ? v.expr.name : v.name;
    v.levels.forEach((level, k) => {
      labels[t.firstColumn + k] = `${base}=${level}`;
    });
  }
  return labels;
}

/** The representation rows of one covariate term (formula syntax). */
function termRows(prepared: MissingnessData, term: string): RepresentationRow[] {
  const { indicator, columns } = prepared;
  const extra = [columns.cluster, ...(columns.treatment === undefined ? [] : [columns.treatment])];
  const frame = modelFrame(prepared.data, `${deparseName(indicator)} ~ 0 + ${term}`, { extraVariables: extra });
  const { data, rows, cols } = frame.X;
  const labels = columnLabels(frame);
  const r = frame.y;
  return labels.map((variable, j) => {
    let sumAll = 0;
    let sumComplete = 0;
    let nComplete = 0;
    for (let i = 0; i < rows; i++) {
      const x = data[i * cols + j];
      sumAll += x;
      if (r[i] === 0) {
        sumComplete += x;
        nComplete++;
      }
    }
    const meanAll = sumAll / rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (data[i * cols + j] - meanAll) ** 2;
    const sdAll = rows > 1 ? Math.sqrt(ss / (rows - 1)) : NaN;
    const meanComplete = nComplete > 0 ? sumComplete / nComplete : null;
    const smd = meanComplete !== null && sdAll > 0 ? (meanComplete - meanAll) / sdAll : null;
    return { variable, nAll: rows, nComplete, meanAll, meanComplete, sdAll, smd };
  });
}

/**
 * Representation of the complete cases: the treatment first (unless it is a
 * covariate), then each covariate term in the order given.
 */
export function representation(prepared: MissingnessData): { rows: RepresentationRow[]; diagnostics: Diagnostic[] } {
  const { treatment } = prepared.columns;
  const terms = [...new Set([...(treatment === undefined ? [] : [deparseName(treatment)]), ...prepared.covariates])];
  const rows = terms.flatMap((t) => termRows(prepared, t));
  const diagnostics: Diagnostic[] = [];
  const noComplete = rows.filter((r) => r.meanComplete === null).map((r) => r.variable);
  if (noComplete.length > 0) {
    diagnostics.push(info("representation-undefined", `no complete case has ${noComplete.join(", ")} observed: their complete-case means are undefined (null)`));
  }
  const constant = rows.filter((r) => r.meanComplete !== null && !(r.sdAll > 0)).map((r) => `${r.variable} (${r.nAll} rows)`);
  if (constant.length > 0) {
    diagnostics.push(info("representation-constant", `${constant.join(", ")} ${constant.length > 1 ? "do" : "does"} not vary: the standardized difference is undefined (null)`));
  }
  return { rows, diagnostics };
}
