/**
 * `diagnoseMissingness`: how a partly missing variable is missing in a
 * cluster-randomized trial, before any method handles it. The stages:
 * missingnessData (rows, indicator, arms) → clusterCounts / armCounts →
 * missingnessVariation (ICC of R, test of zero cluster variance) →
 * indicatorModel (R ~ covariates + (1 | C)) → representation (who the
 * complete cases are) → compareArms.
 */
import { info, warning, type Diagnostic } from "../core/diagnostics.ts";
import { InputError } from "../core/errors.ts";
import type { Dataset } from "../data/dataset.ts";
import { compareArms, type ArmComparison } from "./arms.ts";
import { armCounts, clusterCounts, type ArmCount, type ClusterCount } from "./counts.ts";
import { missingnessData, type MissingnessColumns, type MissingnessData } from "./data.ts";
import { missingnessVariation, type MissingnessIcc, type MissingnessVariation, type ZeroVarianceTest } from "./icc.ts";
import { indicatorModel, type IndicatorModel } from "./indicator-model.ts";
import { representation, type RepresentationRow } from "./representation.ts";

export interface MissingnessOptions extends MissingnessColumns {
  /** Covariate terms in formula syntax: "X1", "factor(site)", "I(age^2)". */
  readonly covariates?: readonly string[];
  /** Confidence level of every interval (default 0.95). */
  readonly level?: number;
}

export interface MissingnessResult {
  readonly variable: string;
  readonly cluster: string;
  readonly treatment: string | null;
  /** Name of the indicator in the model formulas (R = 1 when missing). */
  readonly indicator: string;
  readonly nRows: number;
  /** Rows analysed: those with a cluster (and a treatment, when given). */
  readonly nObs: number;
  readonly nDropped: number;
  readonly nClusters: number;
  readonly nMissing: number;
  readonly propMissing: number;
  /** Largest proportion missing first; ties in cluster order. */
  readonly byCluster: readonly ClusterCount[];
  readonly byArm: readonly ArmCount[];
  /** Clusters that lose more than half their rows in a complete-case analysis (byCluster order). */
  readonly clustersLosingHalf: readonly string[];
  /** Clusters with the variable missing in every row. */
  readonly clustersAllMissing: readonly string[];
  /** Null when nothing is missing (the models are then not fitted). */
  readonly missingnessIcc: MissingnessIcc | null;
  readonly zeroVarianceTest: ZeroVarianceTest | null;
  readonly indicatorModel: IndicatorModel | null;
  readonly representation: readonly RepresentationRow[];
  readonly armComparison: ArmComparison | null;
  readonly level: number;
  /** False when a fit did not converge. */
  readonly converged: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** Notes on the clusters a complete-case analysis empties or halves. */
function clusterNotes(variable: string, byCluster: readonly ClusterCount[], allMissing: readonly string[], losingHalf: readonly string[]): Diagnostic[] {
  const notes: Diagnostic[] = [];
  const C = byCluster.length;
  if (allMissing.length > 0) {
    notes.push(
      warning(
        "clusters-all-missing",
        `${allMissing.length} of ${C} clusters have '${variable}' missing in every row (${allMissing.map((c) => `'${c}'`).join(", ")}): a complete-case analysis drops them entirely`,
      ),
    );
  }
  if (losingHalf.length > 0) {
    const shown = byCluster.filter((c) => c.propMissing > 0.5).map((c) => `'${c.cluster}' ${c.nMissing}/${c.n}`);
    notes.push(info("clusters-losing-half", `${losingHalf.length} of ${C} clusters lose more than half their rows to missing '${variable}': ${shown.join(", ")}`));
  }
  return notes;
}

/**
 * The mixed models of R: the null model (ICC, test) and the indicator model;
 * neither when nothing is missing or when missingness is all-or-none in
 * every cluster (then the likelihood keeps rising as σ_b grows).
 */
function missingnessModels(
  prepared: MissingnessData,
  byCluster: readonly ClusterCount[],
  nAllMissing: number,
  level: number,
): { variation: MissingnessVariation | null; model: IndicatorModel | null; diagnostics: Diagnostic[] } {
  const { variable } = prepared.columns;
  if (prepared.nMissing === 0) {
    const note = `'${variable}' is observed in all ${prepared.nObs} rows: nothing is missing, so the missingness ICC, its test, the indicator model and the arm comparison are not computed (null)`;
    return { variation: null, model: null, diagnostics: [info("no-missing", note)] };
  }
  if (byCluster.every((c) => c.nMissing === 0 || c.nMissing === c.n)) {
    const note =
      `'${variable}' is missing in all rows or in none of each cluster (${nAllMissing} of ${byCluster.length} clusters entirely missing): ` +
      "missingness is purely cluster-level, the latent ICC of R is 1 (σ_b unbounded), and the mixed models of R are not fitted (null)";
    return { variation: null, model: null, diagnostics: [warning("missingness-cluster-level", note)] };
  }
  const variation = missingnessVariation(prepared.frame, level);
  const fitted = indicatorModel(prepared, level);
  return { variation, model: fitted.model, diagnostics: [...variation.diagnostics, ...fitted.diagnostics] };
}

/**
 * Diagnoses the missingness of `options.variable` within `options.cluster`.
 *
 * @example
 * const r = diagnoseMissingness(data, { cluster: "cluster", variable: "M", treatment: "A", covariates: ["X1", "Y"] });
 * r.byCluster[0];            // the cluster missing most
 * r.missingnessIcc;          // latent-scale ICC of R with its profile interval
 * r.zeroVarianceTest.pValue; // boundary-corrected LRT of no cluster variation
 */
export function diagnoseMissingness(data: Dataset, options: MissingnessOptions): MissingnessResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`the confidence level must be in (0, 1); got ${level}`);
  const { cluster, variable, treatment } = options;
  const prepared = missingnessData(data, { cluster, variable, treatment }, options.covariates ?? []);
  const diagnostics: Diagnostic[] = [...prepared.diagnostics];

  const byCluster = clusterCounts(prepared);
  const allMissing = byCluster.filter((c) => c.nMissing === c.n).map((c) => c.cluster);
  const losingHalf = byCluster.filter((c) => c.propMissing > 0.5).map((c) => c.cluster);
  diagnostics.push(...clusterNotes(variable, byCluster, allMissing, losingHalf));

  const models = missingnessModels(prepared, byCluster, allMissing.length, level);
  diagnostics.push(...models.diagnostics);
  const arms = prepared.nMissing > 0 && treatment !== undefined ? compareArms(byCluster, level) : { comparison: null, diagnostics: [] };
  diagnostics.push(...arms.diagnostics);
  const rep = representation(prepared);
  diagnostics.push(...rep.diagnostics);

  return Object.freeze({
    variable,
    cluster,
    treatment: treatment ?? null,
    indicator: prepared.indicator,
    nRows: prepared.nRows,
    nObs: prepared.nObs,
    nDropped: prepared.nDropped,
    nClusters: byCluster.length,
    nMissing: prepared.nMissing,
    propMissing: prepared.nMissing / prepared.nObs,
    byCluster,
    byArm: armCounts(byCluster),
    clustersLosingHalf: losingHalf,
    clustersAllMissing: allMissing,
    missingnessIcc: models.variation?.icc ?? null,
    zeroVarianceTest: models.variation?.test ?? null,
    indicatorModel: models.model,
    representation: rep.rows,
    armComparison: arms.comparison,
    level,
    converged: (models.variation?.icc.converged ?? true) && (models.model?.converged ?? true),
    diagnostics: Object.freeze(diagnostics),
  });
}
